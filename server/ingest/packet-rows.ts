// A packet's summary as a row of the packets table (db/migrations/packets-001.sql) and back: one
// column order for the ingest's batched inserts and for the queries that read rows again.

import type { Db } from "../../db/open-db";
import type { PacketRow } from "../core/filter/packet-fields";

export const PACKET_COLUMNS = [
  "num", "ts", "len", "caplen", "offset", "linktype", "proto", "src", "dst", "info", "ip_version",
  "ip_proto", "sport", "dport", "tcp_flags", "tcp_seq", "tcp_ack", "tcp_win", "tcp_len",
  "icmp_type", "icmp_code", "icmp_mtu", "vrrp_vrid", "vrrp_prio", "dns_id", "malformed", "flow",
] as const;

/** Where a packet lives in the kept file and which conversation it belongs to. */
export interface PacketPlace {
  offset: number;
  linktype: number;
  flow?: number;
}

/** The row's values in PACKET_COLUMNS order; `ts` relative to `baseTs` (a double holds the
 *  difference exactly; the absolute ns would not fit one). */
export function packetValues(p: PacketRow, place: PacketPlace, baseTs: bigint): unknown[] {
  return [
    p.num, Number(p.ts - baseTs), p.len, p.caplen, place.offset, place.linktype, p.proto, p.src, p.dst,
    p.info, p.ipVersion ?? null, p.ipProto ?? null, p.sport ?? null, p.dport ?? null,
    p.tcpFlags ?? null, p.tcpSeq ?? null, p.tcpAck ?? null, p.tcpWin ?? null, p.tcpLen ?? null,
    p.icmpType ?? null, p.icmpCode ?? null, p.icmpMtu ?? null, p.vrrpVrid ?? null,
    p.vrrpPriority ?? null, p.dnsId ?? null, p.malformed ?? null, place.flow ?? null,
  ];
}

/** A multi-row INSERT of `rows` packets (SQLite allows 32766 bound values: 27 columns x 500). */
export function packetInsert(db: Db, rows: number) {
  const one = `(${PACKET_COLUMNS.map(() => "?").join(",")})`;
  return db.prepare(`INSERT INTO packets (${PACKET_COLUMNS.join(",")}) VALUES ${Array(rows).fill(one).join(",")}`);
}

/** A stored row (SELECT p.* ...) back to a PacketRow; `baseTs` as it was stored with. */
export function rowToPacket(r: Record<string, unknown>, baseTs: bigint): PacketRow {
  const opt = (v: unknown) => (v === null || v === undefined ? undefined : (v as number));
  const p: PacketRow = {
    num: r.num as number, ts: baseTs + BigInt(r.ts as number), len: r.len as number,
    caplen: r.caplen as number, proto: r.proto as string, info: r.info as string,
    src: r.src as string, dst: r.dst as string,
  };
  const set = <K extends keyof PacketRow>(k: K, v: unknown) => {
    if (v !== null && v !== undefined) p[k] = v as PacketRow[K];
  };
  set("ipVersion", opt(r.ip_version));
  set("ipProto", opt(r.ip_proto));
  set("sport", opt(r.sport));
  set("dport", opt(r.dport));
  set("tcpFlags", opt(r.tcp_flags));
  set("tcpSeq", opt(r.tcp_seq));
  set("tcpAck", opt(r.tcp_ack));
  set("tcpWin", opt(r.tcp_win));
  set("tcpLen", opt(r.tcp_len));
  set("icmpType", opt(r.icmp_type));
  set("icmpCode", opt(r.icmp_code));
  set("icmpMtu", opt(r.icmp_mtu));
  set("vrrpVrid", opt(r.vrrp_vrid));
  set("vrrpPriority", opt(r.vrrp_prio));
  set("dnsId", opt(r.dns_id));
  set("malformed", r.malformed);
  return p;
}
