// Ingest: a capture file into its own SQLite database. Reads the file as a stream, follows the
// state, and writes events in batched multi-row INSERTs inside large transactions; raw
// parameters go into chunk blobs so evt.info can be rendered later exactly as at ingest time.

import type { Db } from "../../db/open-db";
import { EVENTS } from "../core/events/event-table";
import { EventStream, STATEFUL_PARAMS } from "../core/events/event-stream";
import type { RawEvent } from "../core/formats/scap/reader";
import type { ParamIndex } from "../core/events/params";
import { PT } from "../core/events/types";
import type { Thread } from "../core/state/threads";
import { readCaptureFile } from "./capture-stream";
import { CONTAINER_TYPES } from "../core/events/printer";

const ROWS_PER_INSERT = 100;
const COLS = 10;
const ROWS_PER_TX = 50_000;
const EVENTS_PER_CHUNK = 512;
const CHUNK_BYTES = 1 << 20;

export interface IngestResult {
  events: number;
  firstTs: bigint | null;
  lastTs: bigint | null;
  error?: string;
  errorOffset?: number;
}

/** Per event type: index of the return value (exit events lead with it: an errno, a new fd or
 *  a pid), or -1. */
const RES_PARAM: number[] = EVENTS.map((e, id) => {
  const t = e.params[0]?.type;
  return id % 2 === 1 && (t === PT.ERRNO || t === PT.FD || t === PT.PID) ? 0 : -1;
});

/** Per event type: index of the fd parameter the event acts on, or -1. */
const FD_PARAM: number[] = EVENTS.map((e) => e.params.findIndex((p) => p.type === PT.FD && (p.name === "fd" || p.name === "res")));

export class CaptureWriter {
  private readonly strings = new Map<string, number>();
  private readonly newStrings: [number, string][] = [];
  private rows: (number | null)[] = [];
  private rowCount = 0;
  private readonly insertMany;
  private readonly insertOne;
  private readonly insertString;
  private readonly insertChunk;
  private chunk = Buffer.alloc(CHUNK_BYTES * 2);
  private chunkLen = 0;
  private chunkFirst = -1;
  private chunkLast = -1;
  private txRows = 0;
  private baseHi = -1;
  private baseLo = 0;
  /** Per thread: relative ts of its last enter event and that event's type. */
  private readonly lastEnter = new Map<number, { ts: number; type: number }>();
  events = 0;
  firstTs: bigint | null = null;
  lastTs: bigint | null = null;
  readonly stream: EventStream;

  constructor(private readonly db: Db) {
    const placeholders = `(${new Array(COLS).fill("?").join(",")})`;
    const cols = "num, ts, cpu, tid, type, res, latency, fd, proc, labels";
    this.insertMany = db.prepare(`INSERT INTO events (${cols}) VALUES ${new Array(ROWS_PER_INSERT).fill(placeholders).join(",")}`);
    this.insertOne = db.prepare(`INSERT INTO events (${cols}) VALUES ${placeholders}`);
    this.insertString = db.prepare("INSERT INTO strings (id, s) VALUES (?, ?)");
    this.insertChunk = db.prepare("INSERT INTO chunks (first_num, last_num, data) VALUES (?, ?, ?)");
    this.stream = new EventStream((ev, num, thread, p) => this.onEvent(ev, num, thread, p));
    db.exec("BEGIN");
  }

  private intern(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      id = this.strings.size + 1;
      this.strings.set(s, id);
      this.newStrings.push([id, s]);
    }
    return id;
  }

  private onEvent(ev: RawEvent, num: number, thread: Thread, p: ParamIndex): void {
    const noTime = ev.tsHi === 0 && ev.tsLo === 0;
    if (this.baseHi < 0 && !noTime) {
      this.baseHi = ev.tsHi;
      this.baseLo = ev.tsLo;
      this.firstTs = (BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo);
    }
    // ns since the first timed event: exact as a double, no BigInt on the hot path. A gap of
    // more than 2^53 ns (104 days) inside one capture would not be; none is that long.
    const ts = noTime ? null : (ev.tsHi - this.baseHi) * 4294967296 + (ev.tsLo - this.baseLo);
    const type = ev.type;
    if (this.firstShown < 0 && !CONTAINER_TYPES.has(type)) this.firstShown = num;
    let latency: number | null = null;
    if (type % 2 === 0) {
      const le = this.lastEnter.get(ev.tid);
      if (ts !== null) {
        if (le) { le.ts = ts; le.type = type; } else this.lastEnter.set(ev.tid, { ts, type });
      }
    } else {
      const le = this.lastEnter.get(ev.tid);
      if (le && le.type === type - 1 && ts !== null) latency = ts - le.ts;
    }
    const resI = RES_PARAM[type];
    const res = resI >= 0 && p.has(resI) ? p.int(resI) : null;
    const fdI = FD_PARAM[type];
    const fd = fdI >= 0 && p.has(fdI) ? p.int(fdI) : null;
    const labels = STATEFUL_PARAMS[type].length ? this.intern(this.stream.statefulTexts(type).join("\u0001")) : null;
    const rows = this.rows;
    rows.push(num, ts, ev.cpu, ev.tid, type, res, latency, fd, this.intern(thread.comm), labels);
    this.appendRaw(ev, num);
    this.events = num;
    if (++this.rowCount === ROWS_PER_INSERT) this.flushRows();
    this.lastHi = ev.tsHi;
    this.lastLo = ev.tsLo;
  }
  private lastHi = 0;
  /** The first event sysdig would print: leading container events are not. */
  private firstShown = -1;
  private lastLo = 0;

  /** Record: u32 length, u8 length width, u16 nparams, the lengths, the values. */
  private appendRaw(ev: RawEvent, num: number): void {
    const body = ev.end - ev.lensOff;
    const need = 7 + body;
    if (this.chunkLen + need > this.chunk.length) this.chunk = grow(this.chunk, this.chunkLen + need);
    const c = this.chunk;
    let o = this.chunkLen;
    c.writeUInt32LE(need, o);
    c[o + 4] = ev.lenSize;
    c.writeUInt16LE(ev.nparams, o + 5);
    c.set(ev.buf.subarray(ev.lensOff, ev.end), o + 7);
    this.chunkLen = o + need;
    if (this.chunkFirst < 0) this.chunkFirst = num;
    this.chunkLast = num;
    if (num - this.chunkFirst + 1 >= EVENTS_PER_CHUNK || this.chunkLen >= CHUNK_BYTES) this.flushChunk();
  }

  private flushChunk(): void {
    if (this.chunkFirst < 0) return;
    this.insertChunk.run(this.chunkFirst, this.chunkLast, this.chunk.subarray(0, this.chunkLen));
    this.chunkLen = 0;
    this.chunkFirst = -1;
  }

  private flushRows(): void {
    for (const [id, s] of this.newStrings) this.insertString.run(id, s);
    this.newStrings.length = 0;
    if (this.rowCount === ROWS_PER_INSERT) {
      this.insertMany.run(this.rows);
    } else {
      for (let i = 0; i < this.rowCount; i++) this.insertOne.run(this.rows.slice(i * COLS, (i + 1) * COLS));
    }
    this.txRows += this.rowCount;
    this.rows = [];
    this.rowCount = 0;
    if (this.txRows >= ROWS_PER_TX) {
      this.db.exec("COMMIT; BEGIN");
      this.txRows = 0;
    }
  }

  finish(meta: Record<string, string>): void {
    this.flushRows();
    this.flushChunk();
    if (this.baseHi >= 0) this.lastTs = (BigInt(this.lastHi) << 32n) | BigInt(this.lastLo);
    const setMeta = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    const all: Record<string, string> = {
      ...meta,
      base_ts: String(this.firstTs ?? 0n),
      events: String(this.events),
      first_shown: String(this.firstShown < 0 ? this.events + 1 : this.firstShown),
    };
    for (const [k, v] of Object.entries(all)) setMeta.run(k, v);
    this.db.exec("COMMIT");
  }
}

function grow(b: Buffer, need: number): Buffer {
  const n = Buffer.alloc(Math.max(need, b.length * 2));
  b.copy(n);
  return n;
}

/** Ingests one capture file into an open capture database. Damage in the file stops the read
 *  but keeps every whole event before it (reported in the result). */
export async function ingestCapture(
  db: Db,
  path: string,
  onProgress?: (p: { bytesRead: number; events: number }) => void,
): Promise<IngestResult> {
  const writer = new CaptureWriter(db);
  let lastReport = 0;
  const { error } = await readCaptureFile(path, writer.stream, {
    onProgress: (bytesRead) => {
      const now = Date.now();
      if (now - lastReport > 100) {
        lastReport = now;
        onProgress?.({ bytesRead, events: writer.stream.num });
      }
    },
  });
  writer.finish(error ? { error: error.message } : {});
  return {
    events: writer.events, firstTs: writer.firstTs, lastTs: writer.lastTs,
    error: error?.message, errorOffset: error?.offset,
  };
}
