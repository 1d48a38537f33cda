// The SQLite side of a packet capture's ingest (db/migrations/packets-002.sql): applies batches
// the ingest's main loop builds. It runs in a worker thread (packet-writer-worker.ts), so that
// reading and decoding go on while SQLite stores, or inline (tests, no worker file).
//
// A batch is numbers and bytes, not objects: PACKET_COLS float64s per packet (NaN for NULL)
// inserted as one BLOB through the f64rows extension (binding 27 values per packet through
// better-sqlite3, four of them strings, was most of the ingest's time), the strings first seen
// in the batch, and the Info texts and the findings' details as one buffer of texts each
// (TextColumn), which f64rows hands out beside the numbers. They were arrays of strings made
// JSON here: cloning them to this thread was 1.2 s of the reading thread's profile for 1 M
// packets (postMessage), and SQLite taking each finding apart again (json_each, then ->> per
// field) 3.6 µs a finding.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { journalOff, openDb, type Db } from "../../db/open-db";
import type { FindingKind } from "../core/analyses/packet-analysis";

/** db/f64rows.c as sqlite-batch-writer.ts finds it (not imported from there: the worker thread
 *  would load the event ingest's modules too). */
const HERE = dirname(fileURLToPath(import.meta.url));
const F64ROWS_PATH = [join(HERE, "f64rows.so"), join(HERE, "../../dist/f64rows.so")].find((p) => existsSync(p));

/** packet_rows' columns, in the order a batch's rows hold them. */
export const PACKET_COLS = [
  "num", "ts", "len", "caplen", "offset", "linktype", "proto", "src", "dst", "ip_version",
  "ip_proto", "sport", "dport", "tcp_flags", "tcp_seq", "tcp_ack", "tcp_win", "tcp_len",
  "icmp_type", "icmp_code", "icmp_mtu", "vrrp_vrid", "vrrp_prio", "dns_id", "malformed", "flow",
] as const;
export const NCOLS = PACKET_COLS.length;
/** Each column's index in a row. */
export const C = Object.fromEntries(PACKET_COLS.map((c, i) => [c, i])) as { [K in (typeof PACKET_COLS)[number]]: number };

/** A finding's numbers in a batch: num, kind (its index in FINDING_KINDS), ref_num, flow (NaN:
 *  NULL); its detail is the texts' entry of the same index. */
export const FINDING_COLS = 4;
export const FINDING_KIND_CODES: Readonly<Record<FindingKind, number>> = {
  // Every kind, or this does not compile: a kind without a code would reach SQLite as NULL.
  "retransmission": 0, "out-of-order": 1, "lost-segment": 2, "duplicate-ack": 3, "zero-window": 4,
  "reset": 5, "frag-needed": 6, "packet-too-big": 7, "malformed": 8,
};
export const FINDING_KINDS: readonly FindingKind[] = (Object.keys(FINDING_KIND_CODES) as FindingKind[])
  .sort((a, b) => FINDING_KIND_CODES[a] - FINDING_KIND_CODES[b]);

/** conversations' columns, in the order a batch's conversation rows hold them: the addresses
 *  as pstrings ids (every conversation's addresses are some packet's Source and Destination,
 *  interned already), the times as packet_rows' (ns since meta.base_ts), NaN for NULL. */
export const CONVERSATION_COLS = [
  "id", "ip_proto", "a_addr", "a_port", "b_addr", "b_port", "first_num", "last_num", "first_ts", "last_ts",
  "packets_ab", "bytes_ab", "packets_ba", "bytes_ba", "retransmissions", "syn_num", "synack_num", "ack_num", "rtt_ns",
] as const;
const CONV_ADDRESS_COLS: readonly string[] = ["a_addr", "b_addr"];

/** Numbers pushed one by one and taken as a Float64Array of their own (a batch's findings, its
 *  Info texts' packet numbers, a TextColumn's ends): one buffer kept and filled again from batch
 *  to batch (arrays of numbers made anew for each batch, grown as they were pushed to, were a
 *  tenth of the ingest's allocations). */
export class NumberColumn {
  private values = new Float64Array(4096);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) {
      const old = this.values;
      this.values = new Float64Array(old.length * 2);
      this.values.set(old);
    }
    this.values[this.length++] = v;
  }

  /** The numbers pushed since the last take, copied out. */
  take(): Float64Array {
    const out = this.values.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** Texts one after the other, for a batch: a little-endian uint32 count, the end of each text
 *  (uint32 offsets in UTF-16 code units from the first text's start), then the texts as UTF-16LE:
 *  what db/f64rows.c reads as its `texts` argument. Each text is copied in as it is added, while
 *  it is fresh (JavaScript's strings are UTF-16 already: encoding them as UTF-8 here cost three
 *  times as much); SQLite converts them as it stores them. Joined at the batch's end instead,
 *  the texts were read again after 2048 packets' work had pushed them out of the caches, and
 *  kept alive until then, past young-generation collections (the join was a twentieth of the
 *  ingest's reading thread). Explicit ends, not separators: a text may hold any character (a
 *  DNS name with a NUL in its Info). */
export class TextColumn {
  private chars = Buffer.allocUnsafe(64 * 1024);
  /** Bytes of chars used. */
  private used = 0;
  /** Each text's end in chars, in UTF-16 code units. */
  private readonly ends = new NumberColumn();

  get count(): number {
    return this.ends.length;
  }

  add(s: string): void {
    // A lone surrogate becomes U+FFFD (one code unit still), as a UTF-8 encoder makes it: SQLite
    // would pair it with the next code unit, whatever that is (the next text's, too).
    if (!(s as WellFormed).isWellFormed()) s = (s as WellFormed).toWellFormed();
    if (this.used + 2 * s.length > this.chars.length) {
      const old = this.chars;
      this.chars = Buffer.allocUnsafe(Math.max(2 * old.length, this.used + 2 * s.length));
      old.copy(this.chars, 0, 0, this.used);
    }
    if (s.length > 0) this.used += this.chars.write(s, this.used, "utf16le");
    this.ends.push(this.used / 2);
  }

  /** The texts added since the last take, as one buffer. */
  take(): Uint8Array {
    const ends = this.ends.take(), n = ends.length, head = 4 + 4 * n;
    const out = new Uint8Array(head + this.used);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, n, true);
    for (let i = 0; i < n; i++) dv.setUint32(4 + 4 * i, ends[i], true);
    out.set(this.chars.subarray(0, this.used), head);
    this.used = 0;
    return out;
  }
}

/** ES2024's String.prototype.isWellFormed and toWellFormed, which node 20 has (this project's
 *  TypeScript lib is older). */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/** A TextColumn's buffer back to its texts (the writer without the extension). */
export function readTextColumn(b: Uint8Array): string[] {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const n = buf.readUInt32LE(0);
  const joined = buf.toString("utf16le", 4 + 4 * n);
  const out: string[] = [];
  for (let i = 0, at = 0; i < n; i++) {
    const end = buf.readUInt32LE(4 + 4 * i);
    out.push(joined.slice(at, end));
    at = end;
  }
  return out;
}

export interface PacketBatch {
  /** count × NCOLS values, row-major; NaN stands for NULL. */
  rows: Float64Array;
  count: number;
  /** pstrings first used in this batch: id, text. */
  strings: [number, string][];
  /** The batch's Info texts (a TextColumn's buffer) and their packets' numbers, in row order: a
   *  plain TCP segment has none (its Info is made from its numbers: packets-004.sql). */
  infos: Uint8Array;
  infoNums: Float64Array;
  /** The batch's findings: FINDING_COLS float64s each, and their details (a TextColumn's
   *  buffer; an empty text: the kind's fixed detail, not stored). A file may have one for most
   *  packets (lost segments of a capture that missed some), too many to bind one by one. */
  findings: Float64Array;
  details: Uint8Array;
  /** The conversations (CONVERSATION_COLS float64s each), in the last batch only: they are known
   *  once the last packet is. */
  conversations?: Float64Array;
  /** workerSink (ingest.ts) moves these buffers with the batch instead of copying them: the
   *  texts' and the findings' (the same buffers as above; the writer reads them from there). */
  chunks: { data: Uint8Array }[];
}

const nul = (v: number) => (Number.isNaN(v) ? null : v);

const ROWS_PER_INSERT = 500; // 500 × 26 bound values, under SQLite's 32766
const ROWS_PER_TX = 200_000;

export class PacketBatchWriter {
  readonly db: Db;
  private readonly insertBlob;
  private readonly insertMany;
  private readonly insertOne;
  private readonly insertString;
  private readonly insertInfos;
  private readonly insertFindings;
  private readonly insertInfosJson;
  private readonly insertFinding;
  private readonly insertConversations;
  private readonly insertConversation;
  private readonly insertMeta;
  private txRows = 0;
  private readonly bulk: boolean;

  /** A path: a new capture database, written in bulk and closed by finish(). A database: rows
   *  added to it as they come (tests), each batch in its own transaction. */
  constructor(target: string | Db, opts: { extension?: boolean } = {}) {
    this.bulk = typeof target === "string";
    this.db = typeof target === "string" ? this.openBulk(target) : target;
    const cols = PACKET_COLS.join(", ");
    const one = `(${PACKET_COLS.map(() => "?").join(",")})`;
    this.insertMany = this.db.prepare(`INSERT INTO packet_rows (${cols}) VALUES ${new Array(ROWS_PER_INSERT).fill(one).join(",")}`);
    this.insertOne = this.db.prepare(`INSERT INTO packet_rows (${cols}) VALUES ${one}`);
    const kindText = (k: string) => `CASE ${k} ${FINDING_KINDS.map((name, i) => `WHEN ${i} THEN '${name}'`).join(" ")} END`;
    // A conversation's addresses are texts in its table: looked up by id, one row at a time
    // (a join would let the planner scan f64rows once per pstrings row).
    const convCols = CONVERSATION_COLS.join(", ");
    const convValue = (c: string, v: string) => (CONV_ADDRESS_COLS.includes(c) ? `(SELECT s FROM pstrings WHERE id = ${v})` : v);
    if ((opts.extension ?? true) && F64ROWS_PATH) {
      this.db.loadExtension(F64ROWS_PATH);
      const picks = PACKET_COLS.map((_, i) => `c${i}`).join(", ");
      this.insertBlob = this.db.prepare(`INSERT INTO packet_rows (${cols}) SELECT ${picks} FROM f64rows(?, ${NCOLS})`);
      this.insertInfos = this.db.prepare("INSERT INTO packet_info (num, info) SELECT c0, t FROM f64rows(?, 1, ?)");
      this.insertFindings = this.db.prepare(`INSERT OR IGNORE INTO finding_rows (num, kind, detail, ref_num, flow)
        SELECT c0, ${kindText("c1")}, NULLIF(t, ''), c2, c3 FROM f64rows(?, ${FINDING_COLS}, ?)`);
      this.insertConversations = this.db.prepare(`INSERT INTO conversations (${convCols})
        SELECT ${CONVERSATION_COLS.map((c, i) => convValue(c, `c${i}`)).join(", ")} FROM f64rows(?, ${CONVERSATION_COLS.length})`);
    } else {
      this.insertInfosJson = this.db.prepare("INSERT INTO packet_info (num, info) SELECT value ->> 0, value ->> 1 FROM json_each(?)");
      this.insertFinding = this.db.prepare("INSERT OR IGNORE INTO finding_rows (num, kind, detail, ref_num, flow) VALUES (?, ?, NULLIF(?, ''), ?, ?)");
      this.insertConversation = this.db.prepare(`INSERT INTO conversations (${convCols})
        VALUES (${CONVERSATION_COLS.map((c) => convValue(c, "?")).join(", ")})`);
    }
    this.insertMeta = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    this.insertString = this.db.prepare("INSERT INTO pstrings (id, s) VALUES (?, ?)");
    if (this.bulk) this.db.exec("BEGIN");
  }

  private openBulk(path: string): Db {
    const db = openDb(path, "packets");
    // As the event ingest (sqlite-batch-writer.ts): nobody reads the database before the ingest
    // ends and a failed ingest is thrown away, so no journal, no syncs, one lock; WAL again for
    // the readers in finish().
    journalOff(db);
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -32768");
    db.pragma("locking_mode = EXCLUSIVE");
    return db;
  }

  apply(b: PacketBatch): void {
    if (!this.bulk) {
      this.db.transaction(() => this.insert(b))();
      return;
    }
    this.insert(b);
    this.txRows += b.count;
    if (this.txRows >= ROWS_PER_TX) {
      this.db.exec("COMMIT; BEGIN");
      this.txRows = 0;
    }
  }

  private insert(b: PacketBatch): void {
    for (const [id, s] of b.strings) this.insertString.run(id, s);
    const rows = b.rows;
    const nFindings = b.findings.length / FINDING_COLS;
    const conv = b.conversations;
    if (this.insertBlob) {
      if (b.count > 0) {
        const blob = Buffer.from(rows.buffer, rows.byteOffset, b.count * NCOLS * 8);
        this.insertBlob.run(blob);
      }
      if (conv?.length) this.insertConversations!.run(Buffer.from(conv.buffer, conv.byteOffset, conv.byteLength));
      if (b.infoNums.length) this.insertInfos!.run(Buffer.from(b.infoNums.buffer, b.infoNums.byteOffset, b.infoNums.byteLength), b.infos);
      if (nFindings) this.insertFindings!.run(Buffer.from(b.findings.buffer, b.findings.byteOffset, b.findings.byteLength), b.details);
      return;
    }
    if (b.count > 0) this.bindRows(rows, b.count);
    const ncols = CONVERSATION_COLS.length;
    for (let o = 0; conv && o < conv.length; o += ncols) this.insertConversation!.run(Array.from(conv.subarray(o, o + ncols), nul));
    if (b.infoNums.length) {
      const infos = readTextColumn(b.infos);
      this.insertInfosJson!.run(JSON.stringify(infos.map((t, i) => [b.infoNums[i], t])));
    }
    const details = readTextColumn(b.details);
    for (let i = 0; i < nFindings; i++) {
      const f = b.findings.subarray(i * FINDING_COLS, (i + 1) * FINDING_COLS);
      this.insertFinding!.run(f[0], FINDING_KINDS[f[1]], details[i], nul(f[2]), nul(f[3]));
    }
  }

  private bindRows(rows: Float64Array, count: number): void {
    const p: (number | null)[] = new Array(ROWS_PER_INSERT * NCOLS);
    let r = 0;
    for (; r + ROWS_PER_INSERT <= count; r += ROWS_PER_INSERT) {
      for (let i = 0; i < ROWS_PER_INSERT * NCOLS; i++) p[i] = nul(rows[r * NCOLS + i]);
      this.insertMany.run(p);
    }
    for (; r < count; r++) this.insertOne.run(Array.from(rows.subarray(r * NCOLS, (r + 1) * NCOLS), nul));
  }

  /** Writes `meta`, commits and closes (the conversations came with the last batch: all in the
   *  bulk transaction, not in a database opened again after it, whose WAL was then written and
   *  checkpointed: ~0.2 s of the ingest's serial tail for bench/packets' 36k conversations). */
  finish(meta: Record<string, string> = {}): void {
    for (const [k, v] of Object.entries(meta)) this.insertMeta.run(k, v);
    this.db.exec("COMMIT");
    this.db.pragma("locking_mode = NORMAL");
    this.db.pragma("journal_mode = WAL");
    this.db.close();
  }
}
