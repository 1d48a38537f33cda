// The questions a stored packet capture answers (its database: db/migrations/packets-001.sql,
// its kept file beside it): pages of the packet list by filter, one packet's layers and bytes
// (decoded again from the kept file), conversations, findings, gaps and time buckets. A filter
// runs as SQL where the columns answer it exactly, else as the predicate over the stored rows
// (address ranges): both from server/core/filter/packet-filter.ts.

import { open } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Db } from "../../db/open-db";
import { GapFinder } from "../core/analyses/gaps";
import { compilePacketFilter, packetFilterToSql, parsePacketFilter, type PacketPredicate } from "../core/filter/packet-filter";
import type { PacketRow } from "../core/filter/packet-fields";
import { FilterError as ParseError } from "../core/filter/parser";
import { decodePacket } from "../core/packets/decode";
import type { Layer } from "../core/packets/types";
import { rowToPacket } from "../ingest/packet-rows";
import { hostServices } from "../ingest/host-services";
import { FilterError } from "./filter-condition";

/** One line of the packet list (timestamps as strings of ns: they do not fit a double). */
export interface PacketListRow {
  num: number;
  ts: string;
  src: string;
  dst: string;
  proto: string;
  len: number;
  info: string;
  flow: number | null;
  malformed?: string;
}

export interface PacketsPage {
  packets: PacketListRow[];
  next: number | null;
  /** The filter was answered by reading the rows through the predicate (address ranges). */
  scanned?: boolean;
}

interface Plan {
  sql?: { sql: string; params: unknown[] };
  predicate: PacketPredicate;
}

/** A packet filter, parsed once (a bad one is refused as a FilterError, HTTP 400). */
export function planPacketFilter(filter: string | undefined): Plan {
  try {
    const f = parsePacketFilter(filter ?? "", hostServices());
    const predicate = compilePacketFilter(f);
    const sql = packetFilterToSql(f);
    return sql.ok ? { sql: { sql: sql.sql, params: sql.params }, predicate } : { predicate };
  } catch (e) {
    if (e instanceof ParseError) throw new FilterError(e.message, e.position);
    throw e;
  }
}

export function packetBaseTs(db: Db): bigint {
  const v = db.prepare("SELECT value FROM meta WHERE key = 'base_ts'").pluck().get() as string | undefined;
  return BigInt(v ?? "0");
}

function listRow(p: PacketRow, flow: number | null): PacketListRow {
  return {
    num: p.num, ts: String(p.ts), src: p.src, dst: p.dst, proto: p.proto, len: p.len, info: p.info, flow,
    ...(p.malformed !== undefined ? { malformed: p.malformed } : {}),
  };
}

/** Rows with num >= from, in order, that match: through SQL, or scanned in pages. */
function* matching(db: Db, plan: Plan, from: number): Generator<{ p: PacketRow; flow: number | null }> {
  const base = packetBaseTs(db);
  if (plan.sql) {
    const it = db.prepare(`SELECT p.* FROM packets p WHERE p.num >= ? AND ${plan.sql.sql} ORDER BY p.num`).iterate(from, ...plan.sql.params);
    for (const r of it as Iterable<Record<string, unknown>>) yield { p: rowToPacket(r, base), flow: r.flow as number | null };
    return;
  }
  const page = db.prepare("SELECT p.* FROM packets p WHERE p.num >= ? ORDER BY p.num LIMIT 10000");
  for (let at = from; ;) {
    const rows = page.all(at) as Record<string, unknown>[];
    if (rows.length === 0) return;
    for (const r of rows) {
      const p = rowToPacket(r, base);
      if (plan.predicate(p)) yield { p, flow: r.flow as number | null };
    }
    at = (rows[rows.length - 1].num as number) + 1;
  }
}

export function packetsPage(db: Db, opts: { from?: number; limit?: number; filter?: string }): PacketsPage {
  const plan = planPacketFilter(opts.filter);
  const limit = Math.min(Math.max(opts.limit ?? 200, 1), 5000);
  const out: PacketListRow[] = [];
  let next: number | null = null;
  for (const { p, flow } of matching(db, plan, opts.from ?? 1)) {
    if (out.length === limit) {
      next = p.num;
      break;
    }
    out.push(listRow(p, flow));
  }
  return { packets: out, next, ...(plan.sql ? {} : { scanned: true }) };
}

export interface PacketGap {
  num: number;
  prevNum: number;
  gapNs: string;
  ts: string;
}

export function packetGaps(db: Db, filter: string, minNs: number): PacketGap[] {
  const plan = planPacketFilter(filter);
  const finder = new GapFinder(minNs);
  const out: PacketGap[] = [];
  let first: bigint | undefined;
  for (const { p } of matching(db, plan, 1)) {
    first ??= p.ts;
    const g = finder.add(p.num, Number(p.ts - first));
    if (g) out.push({ num: g.num, prevNum: g.prevNum, gapNs: String(g.gapNs), ts: String(p.ts) });
  }
  return out;
}

export interface ConversationRow {
  id: number;
  proto: string;
  a: string;
  b: string;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  firstNum: number;
  lastNum: number;
  firstTs: string;
  durationNs: string;
  retransmissions: number;
  synNum: number | null;
  synAckNum: number | null;
  ackNum: number | null;
  rttNs: string | null;
}

const PROTO_NAMES: Record<number, string> = { 1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6", 112: "VRRP", 47: "GRE", 4: "IPIP", 41: "IPv6" };

function end(addr: string, port: number | null): string {
  if (port === null) return addr;
  return addr.includes(":") ? `[${addr}]:${port}` : `${addr}:${port}`;
}

export function conversationRows(db: Db): ConversationRow[] {
  const base = packetBaseTs(db);
  return (db.prepare("SELECT * FROM conversations ORDER BY id").all() as Record<string, number | string | null>[]).map((c) => ({
    id: c.id as number, proto: PROTO_NAMES[c.ip_proto as number] ?? `IP proto ${c.ip_proto}`,
    a: end(c.a_addr as string, c.a_port as number | null), b: end(c.b_addr as string, c.b_port as number | null),
    packetsAB: c.packets_ab as number, bytesAB: c.bytes_ab as number, packetsBA: c.packets_ba as number, bytesBA: c.bytes_ba as number,
    firstNum: c.first_num as number, lastNum: c.last_num as number,
    firstTs: String(base + BigInt(c.first_ts as number)), durationNs: String((c.last_ts as number) - (c.first_ts as number)),
    retransmissions: c.retransmissions as number, synNum: c.syn_num as number | null, synAckNum: c.synack_num as number | null,
    ackNum: c.ack_num as number | null, rttNs: c.rtt_ns === null ? null : String(c.rtt_ns),
  }));
}

export interface FindingRow {
  num: number;
  kind: string;
  detail: string;
  refNum: number | null;
  flow: number | null;
  ts: string;
}

export function findingRows(db: Db, kind?: string): FindingRow[] {
  const base = packetBaseTs(db);
  const rows = db.prepare(`SELECT f.num, f.kind, f.detail, f.ref_num, f.flow, p.ts FROM findings f JOIN packets p ON p.num = f.num
    WHERE (? IS NULL OR f.kind = ?) ORDER BY f.num, f.kind LIMIT 100000`).all(kind ?? null, kind ?? null) as Record<string, number | string | null>[];
  return rows.map((r) => ({
    num: r.num as number, kind: r.kind as string, detail: r.detail as string, refNum: r.ref_num as number | null,
    flow: r.flow as number | null, ts: String(base + BigInt(r.ts as number)),
  }));
}

/** Findings counted by kind, for the summary. */
export function findingCounts(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT kind, count(*) AS n FROM findings GROUP BY kind").all() as { kind: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

export interface PacketDetail {
  num: number;
  ts: string;
  len: number;
  caplen: number;
  linktype: number;
  flow: number | null;
  layers: Layer[];
  /** The captured bytes, hex. */
  hex: string;
  malformed?: string;
}

/** The bytes of the packet record at `offset` of a plain (not gzip) file: pcap record header
 *  16 bytes; pcapng enhanced block 28, simple 12, obsolete packet block 28. */
async function bytesAt(file: string, format: string, offset: number, caplen: number): Promise<Uint8Array> {
  const gz = await isGzip(file);
  const head = gz ? await inflatedRange(file, offset, 32 + caplen) : await readRange(file, offset, 32 + caplen);
  let skip = 16;
  if (format === "pcapng") {
    const le = head[0] !== 0;
    const type = le ? head[0] | (head[1] << 8) : (head[2] << 8) | head[3];
    skip = type === 3 ? 12 : 28;
  }
  return head.subarray(skip, skip + caplen);
}

async function isGzip(file: string): Promise<boolean> {
  const b = await readRange(file, 0, 2);
  return b.length === 2 && b[0] === 0x1f && b[1] === 0x8b;
}

async function readRange(file: string, offset: number, length: number): Promise<Uint8Array> {
  const fh = await open(file, "r");
  try {
    const buf = new Uint8Array(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Bytes [offset, offset+length) of a gzip file's inflated data (inflated up to there). */
async function inflatedRange(file: string, offset: number, length: number): Promise<Uint8Array> {
  const z = createReadStream(file).pipe(createGunzip());
  const parts: Buffer[] = [];
  let at = 0, got = 0;
  try {
    for await (const chunk of z) {
      const c = chunk as Buffer;
      const lo = Math.max(offset - at, 0), hi = Math.min(offset + length - at, c.length);
      if (hi > lo) {
        parts.push(c.subarray(lo, hi));
        got += hi - lo;
      }
      at += c.length;
      if (got >= length) break;
    }
  } catch {
    // A damaged tail: what inflated before it.
  } finally {
    z.destroy();
  }
  return Buffer.concat(parts);
}

export async function packetDetail(db: Db, file: string | undefined, num: number): Promise<PacketDetail | undefined> {
  const r = db.prepare("SELECT * FROM packets WHERE num = ?").get(num) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  const p = rowToPacket(r, packetBaseTs(db));
  const format = (db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get() as string | undefined) ?? "pcap";
  const data = file ? await bytesAt(file, format, r.offset as number, r.caplen as number) : new Uint8Array(0);
  const d = decodePacket({ linktype: r.linktype as number, data }, { layers: true });
  return {
    num, ts: String(p.ts), len: p.len, caplen: p.caplen, linktype: r.linktype as number, flow: r.flow as number | null,
    // A 64-bit field value (a bigint) travels as its decimal text: JSON has no bigint.
    layers: d.layers.map((l) => ({ ...l, fields: l.fields.map((f) => (typeof f.value === "bigint" ? { ...f, value: String(f.value) } : f)) })),
    hex: Buffer.from(data).toString("hex"),
    ...(d.malformed !== undefined ? { malformed: d.malformed } : {}),
  };
}

/** Packets per time bucket over the capture's span, for the timeline (`bins` equal buckets). */
export function packetBuckets(db: Db, filter: string, bins: number): { startTs: string; binNs: string; counts: number[] } {
  const plan = planPacketFilter(filter);
  const span = db.prepare("SELECT min(ts) AS lo, max(ts) AS hi FROM packets").get() as { lo: number | null; hi: number | null };
  const base = packetBaseTs(db);
  const n = Math.min(Math.max(Math.floor(bins) || 100, 1), 2000);
  const counts = new Array<number>(n).fill(0);
  if (span.lo === null || span.hi === null) return { startTs: String(base), binNs: "1", counts };
  const binNs = Math.max(1, Math.ceil((span.hi - span.lo + 1) / n));
  const lo = span.lo;
  for (const { p } of matching(db, plan, 1)) {
    const i = Math.min(n - 1, Math.floor(Number(p.ts - base - BigInt(lo)) / binNs));
    counts[i]++;
  }
  return { startTs: String(base + BigInt(lo)), binNs: String(binNs), counts };
}
