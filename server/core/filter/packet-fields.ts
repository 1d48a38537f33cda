// The filter fields of packet captures: tshark's display-filter names (frame.len, ip.src,
// tcp.port, icmp.mtu ...) read with sysdig's filter language (parser.ts: its operators, and/or/
// not, brackets), so that one filter bar and one `--filter` work on both kinds of capture.
//
// Each field says how the predicate reads it from a packet's summary (PacketRow: the decoder's
// flat fields, the same ones the packets table stores) and how SQL reads it from that table
// (db/migrations/packets-001.sql). A field whose protocol the packet does not have is absent:
// as in sysdig, every comparison with it is false and `not` of it true.
//
// Fields with two values (ip.addr: source and destination; tcp.port ...) follow tshark 4.0:
// `=`, `<`, `contains`... hold when either value does, and `!=` when neither value equals
// (tshark 4's "all not equal", the same as `not ip.addr = X`).

import type { FieldInfo, FieldTypeName } from "./fields";

/** One packet as the filters, the packet list and the analyses see it: the decoder's summary
 *  (server/core/packets/types.ts DecodedPacket, without its layers) plus the frame's number,
 *  time and lengths. */
export interface PacketRow {
  /** frame.number, 1-based in file order. */
  num: number;
  /** Nanoseconds since the epoch (a bigint: past a double's 53 bits). */
  ts: bigint;
  /** Bytes on the wire (frame.len) and captured (frame.cap_len). */
  len: number;
  caplen: number;
  proto: string;
  info: string;
  src: string;
  dst: string;
  ipVersion?: 4 | 6;
  ipProto?: number;
  sport?: number;
  dport?: number;
  tcpFlags?: number;
  tcpSeq?: number;
  tcpAck?: number;
  tcpWin?: number;
  tcpLen?: number;
  tcpWs?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpMtu?: number;
  icmpQuoted?: { src: string; dst: string; ipProto: number; sport?: number; dport?: number };
  vrrpVrid?: number;
  vrrpPriority?: number;
  dnsId?: number;
  malformed?: string;
}

export type PacketValue = number | string | boolean;

export interface PacketField {
  readonly info: FieldInfo;
  /** The field's values in a packet (empty: absent). */
  readonly values: (p: PacketRow) => readonly PacketValue[];
  /** The same as SQL over the packets table (alias p): the value expressions and the condition
   *  under which they exist (undefined: always). */
  readonly sql: { readonly exprs: readonly string[]; readonly when?: string };
  /** IP address fields accept a.b.c.d/N (and IPv6 addresses) as their value. */
  readonly address?: 4 | 6;
}

const TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58, VRRP = 112;

interface Def {
  name: string;
  type: FieldTypeName;
  description: string;
  values: (p: PacketRow) => readonly PacketValue[];
  exprs: string[];
  when?: string;
  address?: 4 | 6;
}

const one = <T extends PacketValue>(v: T | undefined): readonly PacketValue[] => (v === undefined ? [] : [v]);

function ip(version: 4 | 6, prefix: string): Def[] {
  const has = (p: PacketRow) => p.ipVersion === version;
  const when = `p.ip_version = ${version}`;
  return [
    { name: `${prefix}.src`, type: "IPADDR", description: `source address of the ${prefix === "ip" ? "IPv4" : "IPv6"} header (the innermost one of a tunnelled packet).`, values: (p) => (has(p) ? [p.src] : []), exprs: ["p.src"], when, address: version },
    { name: `${prefix}.dst`, type: "IPADDR", description: "destination address, likewise.", values: (p) => (has(p) ? [p.dst] : []), exprs: ["p.dst"], when, address: version },
    { name: `${prefix}.addr`, type: "IPADDR", description: "source or destination address (either matches; != means neither is).", values: (p) => (has(p) ? [p.src, p.dst] : []), exprs: ["p.src", "p.dst"], when, address: version },
  ];
}

function ports(l4: "tcp" | "udp", proto: number): Def[] {
  const has = (p: PacketRow) => p.ipProto === proto && p.sport !== undefined;
  const when = `p.ip_proto = ${proto} AND p.sport IS NOT NULL`;
  const name = l4.toUpperCase();
  return [
    { name: `${l4}.srcport`, type: "PORT", description: `${name} source port.`, values: (p) => (has(p) ? [p.sport!] : []), exprs: ["p.sport"], when },
    { name: `${l4}.dstport`, type: "PORT", description: `${name} destination port.`, values: (p) => (has(p) ? [p.dport!] : []), exprs: ["p.dport"], when },
    { name: `${l4}.port`, type: "PORT", description: `${name} source or destination port (either matches; != means neither is).`, values: (p) => (has(p) ? [p.sport!, p.dport!] : []), exprs: ["p.sport", "p.dport"], when },
  ];
}

function tcpFlag(name: string, bit: number, what: string): Def {
  return {
    name: `tcp.flags.${name}`, type: "BOOL", description: `the ${what} flag is set.`,
    values: (p) => (p.tcpFlags === undefined ? [] : [(p.tcpFlags & bit) !== 0]),
    exprs: [`(p.tcp_flags & ${bit}) != 0`], when: "p.tcp_flags IS NOT NULL",
  };
}

function icmp(prefix: "icmp" | "icmpv6", proto: number): Def[] {
  const has = (p: PacketRow) => p.ipProto === proto && p.icmpType !== undefined;
  const when = `p.ip_proto = ${proto} AND p.icmp_type IS NOT NULL`;
  return [
    { name: `${prefix}.type`, type: "UINT8", description: `${prefix === "icmp" ? "ICMP" : "ICMPv6"} type (${prefix === "icmp" ? "3: destination unreachable" : "2: packet too big"} ...).`, values: (p) => (has(p) ? [p.icmpType!] : []), exprs: ["p.icmp_type"], when },
    { name: `${prefix}.code`, type: "UINT8", description: `${prefix === "icmp" ? "ICMP code (with type 3, 4: fragmentation needed and DF set)" : "ICMPv6 code"}.`, values: (p) => (has(p) ? [p.icmpCode!] : []), exprs: ["p.icmp_code"], when },
    { name: `${prefix}.mtu`, type: "UINT32", description: `the next-hop MTU ${prefix === "icmp" ? "of a fragmentation-needed message" : "of a packet-too-big message"}.`, values: (p) => (p.ipProto === proto ? one(p.icmpMtu) : []), exprs: ["p.icmp_mtu"], when: `p.ip_proto = ${proto}` },
  ];
}

const DEFS: readonly Def[] = [
  { name: "frame.number", type: "UINT64", description: "the packet's number in the file (1 for the first), as tshark numbers frames.", values: (p) => [p.num], exprs: ["p.num"] },
  { name: "frame.len", type: "UINT32", description: "the packet's length on the wire, in bytes.", values: (p) => [p.len], exprs: ["p.len"] },
  { name: "frame.cap_len", type: "UINT32", description: "the bytes of the packet the capture kept.", values: (p) => [p.caplen], exprs: ["p.caplen"] },
  { name: "frame.protocol", type: "CHARBUF", description: "the Protocol column: the highest protocol decoded (TCP, UDP, ICMP, VRRP, DNS, ARP ...).", values: (p) => [p.proto], exprs: ["p.proto"] },
  { name: "frame.info", type: "CHARBUF", description: "the Info column: what the packet's highest protocol says about it.", values: (p) => [p.info], exprs: ["p.info"] },
  { name: "frame.malformed", type: "BOOL", description: "the packet could not be decoded whole (it was decoded as far as it went).", values: (p) => [p.malformed !== undefined], exprs: ["p.malformed IS NOT NULL"] },
  { name: "ip.version", type: "UINT8", description: "4 or 6: the version of the innermost IP header.", values: (p) => one(p.ipVersion), exprs: ["p.ip_version"], when: "p.ip_version IS NOT NULL" },
  ...ip(4, "ip"),
  { name: "ip.proto", type: "UINT8", description: "the protocol an IPv4 header carries (1 ICMP, 6 TCP, 17 UDP, 112 VRRP ...).", values: (p) => (p.ipVersion === 4 ? one(p.ipProto) : []), exprs: ["p.ip_proto"], when: "p.ip_version = 4 AND p.ip_proto IS NOT NULL" },
  ...ip(6, "ipv6"),
  ...ports("tcp", TCP),
  { name: "tcp.flags", type: "UINT16", description: "the TCP flags as a number (0x002 SYN, 0x010 ACK, 0x001 FIN, 0x004 RST, 0x008 PSH).", values: (p) => one(p.tcpFlags), exprs: ["p.tcp_flags"], when: "p.tcp_flags IS NOT NULL" },
  tcpFlag("syn", 0x002, "SYN"),
  tcpFlag("ack", 0x010, "ACK"),
  tcpFlag("fin", 0x001, "FIN"),
  tcpFlag("reset", 0x004, "RST"),
  tcpFlag("push", 0x008, "PSH"),
  tcpFlag("urg", 0x020, "URG"),
  { name: "tcp.seq_raw", type: "UINT32", description: "the sequence number as sent (tshark's tcp.seq is relative to the first).", values: (p) => one(p.tcpSeq), exprs: ["p.tcp_seq"], when: "p.tcp_seq IS NOT NULL" },
  { name: "tcp.ack_raw", type: "UINT32", description: "the acknowledgment number as sent.", values: (p) => one(p.tcpAck), exprs: ["p.tcp_ack"], when: "p.tcp_ack IS NOT NULL" },
  { name: "tcp.window_size_value", type: "UINT16", description: "the window field as sent (not scaled).", values: (p) => one(p.tcpWin), exprs: ["p.tcp_win"], when: "p.tcp_win IS NOT NULL" },
  { name: "tcp.len", type: "UINT32", description: "the TCP payload's length.", values: (p) => one(p.tcpLen), exprs: ["p.tcp_len"], when: "p.tcp_len IS NOT NULL" },
  ...ports("udp", UDP),
  ...icmp("icmp", ICMP),
  ...icmp("icmpv6", ICMPV6),
  { name: "vrrp.vrid", type: "UINT8", description: "the virtual router id of a VRRP advertisement (tshark: vrrp.virt_rtr_id).", values: (p) => (p.ipProto === VRRP ? one(p.vrrpVrid) : []), exprs: ["p.vrrp_vrid"], when: "p.vrrp_vrid IS NOT NULL" },
  { name: "vrrp.virt_rtr_id", type: "UINT8", description: "the same as vrrp.vrid, under tshark's name.", values: (p) => (p.ipProto === VRRP ? one(p.vrrpVrid) : []), exprs: ["p.vrrp_vrid"], when: "p.vrrp_vrid IS NOT NULL" },
  { name: "vrrp.prio", type: "UINT8", description: "the priority a VRRP advertisement announces.", values: (p) => (p.ipProto === VRRP ? one(p.vrrpPriority) : []), exprs: ["p.vrrp_prio"], when: "p.vrrp_prio IS NOT NULL" },
  { name: "dns.id", type: "UINT16", description: "the id of a DNS query or response.", values: (p) => one(p.dnsId), exprs: ["p.dns_id"], when: "p.dns_id IS NOT NULL" },
];

export interface PacketFieldClass {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly fields: readonly FieldInfo[];
}

const CLASS_TITLES: Record<string, string> = {
  frame: "the frame", ip: "IPv4", ipv6: "IPv6", tcp: "TCP", udp: "UDP",
  icmp: "ICMP", icmpv6: "ICMPv6", vrrp: "VRRP", dns: "DNS",
};

/** Fields of ours that tshark has under another name or not at all (the rest are tshark's). */
export const NOT_TSHARK_NAMES: ReadonlySet<string> = new Set(["frame.protocol", "frame.info", "frame.malformed", "vrrp.vrid"]);

export const PACKET_FIELDS: ReadonlyMap<string, PacketField> = new Map(DEFS.map((d) => {
  const cls = d.name.split(".")[0];
  const info: FieldInfo = {
    name: d.name, type: d.type, description: d.description, cls, argStyle: "none",
    filterOnly: false, listed: true, supported: true,
  };
  return [d.name, { info, values: d.values, sql: { exprs: d.exprs, when: d.when }, address: d.address }];
}));

/** The packet fields by protocol, for `casefile fields` (listed after sysdig's). */
export const PACKET_FIELD_CLASSES: readonly PacketFieldClass[] = Object.entries(CLASS_TITLES).map(([name, title]) => ({
  name, title: `${name} (packets: ${title})`,
  description: `${title} fields of packet captures, named as tshark names them.`,
  fields: [...PACKET_FIELDS.values()].filter((f) => f.info.cls === name).map((f) => f.info),
}));
