// The SQLite side of ingest: applies row batches built by the ingest's main loop. It runs in a
// worker thread during ingest (so parsing and inserting use both cores), or inline.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { journalOff, openDb, type Db } from "../../db/open-db";
import { CHUNK_COLS, SP_COLS, STEP_COLS, TL_COLS, type BucketRows } from "../core/analyses/time-buckets";
import { COLS, EventAggregates, STORED_COLS } from "../core/analyses/event-aggregates";
import { ST_COLS } from "../core/analyses/syscall-time";
import { ADDITIVE_TILES, decodeMembers, DISTINCT_TILES, encodeMembers, OV_BUCKET_COLS, OV_THREAD_COLS } from "../core/analyses/overview-sums";

export { COLS, packKind } from "../core/analyses/event-aggregates";

export interface RowBatch {
  /** count × COLS values, row-major (event-aggregates.ts says the columns); NaN stands for NULL
   *  (SQLite stores a NaN double as NULL). */
  rows: Float64Array;
  count: number;
  /** The evt.num of the first row (the others follow in order). */
  firstNum: number;
  /** The first event sysdig prints (-1: none yet): the sums count from it on. */
  firstShown: number;
  /** Interned strings first seen in this batch. */
  strings: [number, string][];
  /** fds rows first seen in this batch: id, num, typechar, l4, name, label. */
  fds: [number, number, string, string, string, string][];
  /** State checkpoints taken in this batch: the event number they follow, the snapshot. */
  checkpoints: [number, string][];
  /** Raw parameter chunks completed in this batch. */
  chunks: { first: number; last: number; data: Uint8Array }[];
}

const ROWS_PER_INSERT = 200;

/** db/f64rows.c, built by scripts/build-cli.sh into dist/: next to this module once bundled
 *  there, or in dist/ when run from the sources. */
const HERE = dirname(fileURLToPath(import.meta.url));
export const F64ROWS_PATH = [join(HERE, "f64rows.so"), join(HERE, "../../dist/f64rows.so")].find((p) => existsSync(p));
const ROWS_PER_TX = 100_000;

export class SqliteBatchWriter {
  readonly db: Db;
  /** Rows from one BLOB of float64s (the f64rows extension), or undefined without it. */
  private readonly insertBlob;
  private readonly insertMany;
  private readonly insertOne;
  private readonly insertString;
  private readonly insertFd;
  private readonly insertChunk;
  private readonly insertCheckpoint;
  private readonly addTl;
  private readonly addSp;
  private readonly addChunk;
  private readonly addStep;
  private readonly addSyscallTime;
  private readonly addOvBucket;
  private readonly addOvThread;
  private txRows = 0;
  private readonly params: number[] = new Array(ROWS_PER_INSERT * STORED_COLS);
  /** The time buckets, syscall-time and overview sums, summed from each batch's rows here (the
   *  writer's thread had the time; the parser's had not). */
  private readonly aggregates = new EventAggregates();

  /** live: a capture that readers query while it grows (a live session): WAL from the start,
   *  no exclusive lock, and commit() makes what was applied visible. */
  constructor(path: string, opts: { extension?: boolean; live?: boolean } = {}) {
    this.db = openDb(path, "capture");
    if (opts.live) this.db.pragma("journal_mode = WAL");
    // A capture database is new and private to its ingest; if the ingest dies the capture is
    // marked failed, so the bulk load skips the journal and fsyncs. WAL is back on in finish().
    if (!opts.live) journalOff(this.db);
    this.db.pragma("synchronous = OFF");
    this.db.pragma("cache_size = -32768");
    if (!opts.live) this.db.pragma("locking_mode = EXCLUSIVE"); // nobody reads it before ingest ends
    const one = `(${new Array(STORED_COLS).fill("?").join(",")})`;
    const cols = "ts, kind, tid, res, latency, fdref, labels";
    this.insertMany = this.db.prepare(`INSERT INTO events (${cols}) VALUES ${new Array(ROWS_PER_INSERT).fill(one).join(",")}`);
    this.insertOne = this.db.prepare(`INSERT INTO events (${cols}) VALUES ${one}`);
    // Binding each value through better-sqlite3 costs twice what SQLite spends storing the row;
    // the extension takes a whole batch as one BLOB. Without it (not built), bound values.
    if ((opts.extension ?? true) && F64ROWS_PATH) {
      this.db.loadExtension(F64ROWS_PATH);
      const picks = Array.from({ length: STORED_COLS }, (_, i) => `c${i}`).join(", ");
      this.insertBlob = this.db.prepare(`INSERT INTO events (${cols}) SELECT ${picks} FROM f64rows(?, ${COLS})`);
    }
    this.insertString = this.db.prepare("INSERT INTO strings (id, s) VALUES (?, ?)");
    this.insertFd = this.db.prepare("INSERT INTO fds (id, num, typechar, l4, name, label) VALUES (?, ?, ?, ?, ?, ?)");
    this.insertCheckpoint = this.db.prepare("INSERT INTO checkpoints (num, data) VALUES (?, ?)");
    this.insertChunk = this.db.prepare("INSERT INTO chunks (first_num, last_num, data) VALUES (?, ?, ?)");
    // A bucket may hold events of two batches: counts add up, ranges widen.
    this.addTl = this.db.prepare(`INSERT INTO tl_buckets (level, bucket, proc, tid, count, min_num, max_num) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET count = count + excluded.count, min_num = min(min_num, excluded.min_num), max_num = max(max_num, excluded.max_num)`);
    this.addSp = this.db.prepare(`INSERT INTO sp_buckets (level, bucket, decade, count, min_num, max_num) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET count = count + excluded.count, min_num = min(min_num, excluded.min_num), max_num = max(max_num, excluded.max_num)`);
    this.addSyscallTime = this.db.prepare(`INSERT INTO syscall_time (container, proc, tid, type, sc, fdref, ns, calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET ns = ns + excluded.ns, calls = calls + excluded.calls`);
    this.addChunk = this.db.prepare(`INSERT INTO tl_chunks (chunk, proc, tid, count, first_num, first_ts, last_num, last_ts, min_ts, max_ts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET count = count + excluded.count, last_num = excluded.last_num, last_ts = excluded.last_ts,
        min_ts = min(min_ts, excluded.min_ts), max_ts = max(max_ts, excluded.max_ts)`);
    // A bucket of two batches: its sums added element by element (float64 BLOBs of one length).
    this.db.function("ov_add", { deterministic: true }, (a: unknown, b: unknown) => {
      const x = new Float64Array(new Uint8Array(a as Buffer).buffer);
      const y = new Float64Array(new Uint8Array(b as Buffer).buffer);
      for (let i = 0; i < x.length; i++) x[i] += y[i];
      return Buffer.from(x.buffer);
    });
    // ...and its members joined.
    this.db.function("ov_union", { deterministic: true }, (a: unknown, b: unknown) => {
      const sets = DISTINCT_TILES.map(() => new Set<number>());
      decodeMembers(new Float64Array(new Uint8Array(a as Buffer).buffer), sets);
      decodeMembers(new Float64Array(new Uint8Array(b as Buffer).buffer), sets);
      return Buffer.from(encodeMembers(sets).buffer);
    });
    this.addOvBucket = this.db.prepare(`INSERT INTO ov_buckets (level, bucket, min_num, max_num, sums, members) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET min_num = min(min_num, excluded.min_num), max_num = max(max_num, excluded.max_num),
        sums = ov_add(sums, excluded.sums), members = ov_union(members, excluded.members)`);
    // A run still open at a batch's end comes again, longer, with the next.
    this.addOvThread = this.db.prepare(`INSERT INTO ov_threads (tid, first_num, last_num, container) VALUES (?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET last_num = max(last_num, excluded.last_num)`);
    this.addStep = this.db.prepare("INSERT INTO tl_steps (scope, key, num, prev_num, gap) VALUES (?, ?, ?, ?, ?)");
    this.db.exec("BEGIN");
  }

  private applyBuckets(b: BucketRows): void {
    for (let i = 0; i < b.tl.length; i += TL_COLS) this.addTl.run(b.tl.slice(i, i + TL_COLS));
    for (let i = 0; i < b.sp.length; i += SP_COLS) this.addSp.run(b.sp.slice(i, i + SP_COLS));
    for (let i = 0; i < b.chunks.length; i += CHUNK_COLS) this.addChunk.run(b.chunks.slice(i, i + CHUNK_COLS));
    for (let i = 0; i < (b.steps?.length ?? 0); i += STEP_COLS) this.addStep.run(b.steps.slice(i, i + STEP_COLS));
  }

  private applyOverview(o: { buckets: number[]; members: Float64Array[]; runs: number[] }): void {
    const t = o.runs;
    for (let i = 0; i < t.length; i += OV_THREAD_COLS) this.addOvThread.run(t[i], t[i + 1], t[i + 2], t[i + 3]);
    const b = o.buckets;
    // Each row: the key and num range, then one sum per additive tile.
    const w = OV_BUCKET_COLS + ADDITIVE_TILES.length;
    for (let i = 0, k = 0; i < b.length; i += w, k++) {
      const m = o.members[k];
      this.addOvBucket.run(b[i], b[i + 1], b[i + 2], b[i + 3], Buffer.from(Float64Array.from(b.slice(i + OV_BUCKET_COLS, i + w)).buffer),
        Buffer.from(m.buffer, m.byteOffset, m.byteLength));
    }
  }

  apply(b: RowBatch): void {
    for (const [id, s] of b.strings) this.insertString.run(id, s);
    for (const f of b.fds) this.insertFd.run(f);
    for (const [num, data] of b.checkpoints) this.insertCheckpoint.run(num, data);
    this.aggregates.addFds(b.fds);
    this.aggregates.addRows(b.rows, b.count, b.firstNum, b.firstShown);
    const sums = this.aggregates.take();
    this.applyBuckets(sums.buckets);
    this.applyOverview(sums.overview);
    for (let i = 0; i < sums.syscallTime.length; i += ST_COLS) this.addSyscallTime.run(sums.syscallTime.slice(i, i + ST_COLS));
    for (const c of b.chunks) this.insertChunk.run(c.first, c.last, Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength));
    const rows = b.rows;
    if (this.insertBlob) {
      this.insertBlob.run(Buffer.from(rows.buffer, rows.byteOffset, b.count * COLS * 8));
    } else this.bindRows(rows, b.count);
    this.txRows += b.count;
    if (this.txRows >= ROWS_PER_TX) {
      this.db.exec("COMMIT; BEGIN");
      this.txRows = 0;
    }
  }

  private bindRows(rows: Float64Array, count: number): void {
    const p = this.params;
    let r = 0;
    for (; r + ROWS_PER_INSERT <= count; r += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) {
        const base = (r + k) * COLS;
        for (let c = 0; c < STORED_COLS; c++) p[k * STORED_COLS + c] = rows[base + c]; // SQLite stores a NaN double as NULL
      }
      this.insertMany.run(p);
    }
    for (; r < count; r++) this.insertOne.run(Array.from(rows.subarray(r * COLS, r * COLS + STORED_COLS)));
  }

  /** Writes meta and commits (a live capture's commit point). */
  commit(meta: Record<string, string>): void {
    const setMeta = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    for (const [k, v] of Object.entries(meta)) setMeta.run(k, v);
    this.db.exec("COMMIT; BEGIN");
    this.txRows = 0;
  }

  finish(meta: Record<string, string>): void {
    const last = (this.db.prepare("SELECT max(num) AS n FROM events").get() as { n: number | null }).n ?? 0;
    if (String(last) !== (meta.events ?? String(last))) {
      throw new Error(`stored ${last} events but read ${meta.events}: evt.num would not match sysdig`);
    }
    const setMeta = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    for (const [k, v] of Object.entries(meta)) setMeta.run(k, v);
    this.db.exec("COMMIT");
    this.db.pragma("locking_mode = NORMAL");
    this.db.pragma("journal_mode = WAL");
    this.db.close();
  }
}
