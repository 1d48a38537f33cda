// The SQLite side of a packet capture's ingest (db/migrations/packets-002.sql): applies batches
// the ingest's main loop builds. It runs in a worker thread (packet-writer-worker.ts), so that
// reading and decoding go on while SQLite stores, or inline (tests, no worker file).
//
// A batch is numbers, not objects: PACKET_COLS float64s per packet (NaN for NULL) inserted as
// one BLOB through the f64rows extension (binding 27 values per packet through better-sqlite3,
// four of them strings, was most of the ingest's time), the strings first seen in the batch,
// the Info texts as one JSON array and the findings.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDb, type Db } from "../../db/open-db";

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

/** Findings travel flat: num, kind, detail, ref_num (or null), flow (or null). */
export type FindingTuple = [number, string, string, number | null, number | null];

export interface PacketBatch {
  /** count × NCOLS values, row-major; NaN stands for NULL. */
  rows: Float64Array;
  count: number;
  /** pstrings first used in this batch: id, text. */
  strings: [number, string][];
  /** The batch's Info texts in row order: bound as one JSON array, made here (in the writer
   *  thread, which has time to spare: the reading thread is the slower one, and copying the
   *  array to this thread costs it a third of stringifying it). */
  infos: string[];
  /** The batch's findings, likewise as one JSON array: a file may have one for most packets
   *  (lost segments of a capture that missed some), too many to bind one by one. */
  findings: FindingTuple[];
  /** workerSink (ingest.ts) moves these buffers with the batch: none here. */
  chunks: never[];
}

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
    if ((opts.extension ?? true) && F64ROWS_PATH) {
      this.db.loadExtension(F64ROWS_PATH);
      const picks = PACKET_COLS.map((_, i) => `c${i}`).join(", ");
      this.insertBlob = this.db.prepare(`INSERT INTO packet_rows (${cols}) SELECT ${picks} FROM f64rows(?, ${NCOLS})`);
    }
    this.insertString = this.db.prepare("INSERT INTO pstrings (id, s) VALUES (?, ?)");
    // json_each numbers the array from 0: the batch's first packet number is added.
    this.insertInfos = this.db.prepare("INSERT INTO packet_info (num, info) SELECT ? + key, value FROM json_each(?)");
    this.insertFindings = this.db.prepare(`INSERT OR IGNORE INTO findings (num, kind, detail, ref_num, flow)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)`);
    if (this.bulk) this.db.exec("BEGIN");
  }

  private openBulk(path: string): Db {
    const db = openDb(path, "packets");
    // As the event ingest (sqlite-batch-writer.ts): nobody reads the database before the ingest
    // ends and a failed ingest is thrown away, so no journal, no syncs, one lock; WAL again for
    // the readers in finish().
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -32768");
    db.pragma("locking_mode = EXCLUSIVE");
    // Kept up while inserting they would cost more than made once after the last row.
    db.exec("DROP INDEX IF EXISTS packet_rows_flow; DROP INDEX IF EXISTS findings_kind");
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
    if (b.count > 0) {
      if (this.insertBlob) this.insertBlob.run(Buffer.from(rows.buffer, rows.byteOffset, b.count * NCOLS * 8));
      else this.bindRows(rows, b.count);
      this.insertInfos.run(rows[0], JSON.stringify(b.infos));
    }
    if (b.findings.length) this.insertFindings.run(JSON.stringify(b.findings));
  }

  private bindRows(rows: Float64Array, count: number): void {
    const nul = (v: number) => (Number.isNaN(v) ? null : v);
    const p: (number | null)[] = new Array(ROWS_PER_INSERT * NCOLS);
    let r = 0;
    for (; r + ROWS_PER_INSERT <= count; r += ROWS_PER_INSERT) {
      for (let i = 0; i < ROWS_PER_INSERT * NCOLS; i++) p[i] = nul(rows[r * NCOLS + i]);
      this.insertMany.run(p);
    }
    for (; r < count; r++) this.insertOne.run(Array.from(rows.subarray(r * NCOLS, (r + 1) * NCOLS), nul));
  }

  /** Commits the rows and closes; the ingest writes its summaries (conversations, meta) after. */
  finish(): void {
    this.db.exec("COMMIT");
    this.db.exec("CREATE INDEX packet_rows_flow ON packet_rows (flow, num); CREATE INDEX findings_kind ON findings (kind, num)");
    this.db.pragma("locking_mode = NORMAL");
    this.db.pragma("journal_mode = WAL");
    this.db.close();
  }
}
