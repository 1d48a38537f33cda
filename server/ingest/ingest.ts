// Ingest: a capture file into its own SQLite database. The main loop reads the file as a
// stream, follows the state and builds row batches (typed arrays, no object per event); a
// worker thread inserts each batch (one BLOB through the f64rows extension) in large
// transactions, so parsing and SQLite each get a core. Raw parameters go into chunk blobs, and
// the texts that depend on the state (fd and thread names) are kept as they were at the event:
// the fd an event acts on as an fds row with its label, the other texts interned per event, so
// evt.info renders later exactly as sysdig prints it.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { EVENTS } from "../core/events/event-table";
import { ACTED_FD_PARAM, EventStream, HIDDEN_TYPES, STATEFUL_PARAMS, hasSoleFdText } from "../core/events/event-stream";
import { NAMED_BY_ID } from "../core/analyses/syscall-time";
import { OVERVIEW_LAYOUT } from "../core/analyses/overview-sums";
import { CONTAINER_COL, SC_COL } from "../core/analyses/event-aggregates";
import { FilterContext, SETS_CONTAINER } from "../core/filter/runtime";
import type { RawEvent, ScapHandler } from "../core/formats/scap/reader";
import type { FdEntry, GroupEntry, InterfaceEntry, ProcEntry, UserEntry } from "../core/formats/scap/blocks";
import { snapshot } from "../core/state/snapshot";
import type { ParamIndex } from "../core/events/params";
import { PT } from "../core/events/types";
import { fdLabel, fdTypeChar, l4Char, type Fd, type Thread } from "../core/state/threads";
import { followLatency, hasLatency, NO_TINFO, type LatencyState } from "../core/filter/latency";
import { readCaptureFile } from "./capture-stream";
import { COLS, packKind, SqliteBatchWriter, type RowBatch } from "./sqlite-batch-writer";

const ROWS_PER_BATCH = 16_384;
/** A state checkpoint at least every this many events... */
export const CHECKPOINT_EVERY = 4096;
/** ...or, when the state is large, every (snapshot length / this) events: a snapshot costs in
 *  proportion to its length (~10 ns per byte here), so a big thread table (this host's /proc
 *  snapshot: 107 processes and their fds make ~110 KB, 1.1 ms) is checkpointed less often and
 *  its cost per event stays bounded (~20 ns; every 4096 events it was 180 of 640 ns per event
 *  of the ingest's main thread, measured); lsof at any event then replays at most that many
 *  events (110 KB / 2: ~55k, tens of ms). */
export const CHECKPOINT_BYTES_PER_EVENT = 2;
const EVENTS_PER_CHUNK = 512;
const CHUNK_BYTES = 1 << 20;
/** Batches sent but not yet written: bounds memory when SQLite is slower than parsing. */
const MAX_IN_FLIGHT = 4;

export interface IngestResult {
  events: number;
  firstTs: bigint | null;
  lastTs: bigint | null;
  error?: string;
  errorOffset?: number;
  /** Set when a limit stopped the read (the error says which); the events before it are kept. */
  limited?: boolean;
}

/**
 * What one ingest may take. A 31 MB gzip can hold 244 M events (11 GB of database), so the
 * compressed size alone bounds nothing. The defaults fit the machine this was built on (2 cores,
 * 24 GiB RAM, about 80 GB of free disk, up to four uploads at once): about 46 bytes of database
 * per event makes 150 M events a 7 GB database, and 8 GiB is about 130 M events of a typical
 * capture, so four ingests at their limits still leave half the disk free.
 */
export interface IngestLimits {
  /** Events stored at most (CASEFILE_MAX_EVENTS). */
  maxEvents: number;
  /** Inflated (uncompressed) capture bytes read at most (CASEFILE_MAX_INFLATED). */
  maxInflated: number;
  /** At a limit: keep the events before it (a capture marked with the limit), or refuse the
   *  whole capture (CASEFILE_OVER_LIMIT=keep|refuse). */
  overLimit: "keep" | "refuse";
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxEvents: 150_000_000, maxInflated: 8 * 1024 ** 3, overLimit: "keep" };

/** Marks the messages of limits, so that callers can answer them as such (413 for an upload). */
export const LIMIT_MESSAGE_MARK = "limit reached: ";

/** The limits set in the environment; read at each ingest, so tests and a running server see
 *  a change. A malformed value is an error, not a silent default. */
export function ingestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestLimits {
  const num = (name: string, dflt: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return dflt;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
    return n;
  };
  const mode = env.CASEFILE_OVER_LIMIT || DEFAULT_INGEST_LIMITS.overLimit;
  if (mode !== "keep" && mode !== "refuse") throw new Error(`CASEFILE_OVER_LIMIT must be keep or refuse, not ${JSON.stringify(mode)}`);
  return {
    maxEvents: num("CASEFILE_MAX_EVENTS", DEFAULT_INGEST_LIMITS.maxEvents),
    maxInflated: num("CASEFILE_MAX_INFLATED", DEFAULT_INGEST_LIMITS.maxInflated),
    overLimit: mode,
  };
}

/** Thrown (in "refuse" mode) when a capture goes over a limit. */
export class IngestLimitError extends Error {
  override name = "IngestLimitError";
}

/** Thrown through the reader to stop it once the event limit is reached. */
class StopReading extends Error {}

/** Per event type: index of the return value (exit events lead with it: an errno, a new fd or
 *  a pid), or -1. */
const RES_PARAM: number[] = EVENTS.map((e, id) => {
  const t = e.params[0]?.type;
  return id % 2 === 1 && (t === PT.ERRNO || t === PT.FD || t === PT.PID) ? 0 : -1;
});

/** Builds row batches from the event stream, and state checkpoints. It is the reader's handler:
 *  the stream follows the state, the builder takes a checkpoint before the first event (the
 *  state the capture's process and fd lists describe) and every CHECKPOINT_EVERY events, or
 *  farther apart for a large state (CHECKPOINT_BYTES_PER_EVENT); exactly every checkpointEvery
 *  events when that is given. */
export class RowBuilder implements ScapHandler {
  private readonly strings = new Map<string, number>();
  private newStrings: [number, string][] = [];
  private readonly fds = new Map<string, number>();
  private readonly fdRefCache = new WeakMap<Fd, { num: number; name: string; type: number; l4: number; role: number | undefined; id: number }>();
  private newFds: RowBatch["fds"] = [];
  private rows: Float64Array = new Float64Array(ROWS_PER_BATCH * COLS);
  private count = 0;
  private chunks: RowBatch["chunks"] = [];
  private chunk = Buffer.alloc(CHUNK_BYTES * 2);
  private chunkLen = 0;
  private chunkFirst = -1;
  private chunkLast = -1;
  private baseHi = -1;
  private baseLo = 0;
  private lastHi = 0;
  private lastLo = 0;
  /** The first event sysdig would print: leading container events are not. */
  private firstShown = -1;
  private lastThread: Thread | undefined;
  private lastComm = "";
  private lastCommId = 0;
  /** Per thread: evt.latency as sysdig keeps it (see filter/latency.ts). */
  private readonly latencies = new WeakMap<Thread, LatencyState>();
  private latencyThread: Thread | undefined;
  private latencyState!: LatencyState;
  events = 0;
  firstTs: bigint | null = null;
  readonly stream: EventStream;

  private checkpoints: RowBatch["checkpoints"] = [];
  /** The evt.num of the batch's first row. The time buckets, syscall-time and overview sums are
   *  summed from the rows by the writer (core/analyses/event-aggregates.ts). */
  private batchFirst = 1;
  /** container.id as sysdig's filters follow it, for the overview's containers tile: fed only
   *  the events that can change a thread's container (SETS_CONTAINER), the rest read it. */
  private readonly containers: FilterContext;
  private lastContainer = "";
  private lastContainerId = NaN;

  /** Set once an event came past maxEvents: it and every later one are left out. */
  full = false;

  constructor(
    private readonly sink: BatchSink,
    private readonly checkpointEvery?: number,
    private readonly maxEvents = Infinity,
  ) {
    this.stream = new EventStream((ev, num, thread, p) => this.onEvent(ev, num, thread, p));
    this.containers = new FilterContext(this.stream);
  }

  /** A second section header resets the thread table (EventStream.section). */
  section = () => this.stream.section();
  process = (p: ProcEntry) => {
    this.stream.process(p);
    this.containers.process(p);
  };
  fdEntry = (tid: number, e: FdEntry) => this.stream.fdEntry(tid, e);
  users = (u: UserEntry[], g: GroupEntry[]) => this.stream.users(u, g);
  interfaces = (list: InterfaceEntry[]) => this.stream.interfaces(list);

  event(ev: RawEvent): void {
    if (this.stream.num >= this.maxEvents) {
      this.full = true;
      return;
    }
    if (this.stream.num === 0) this.checkpoint(0);
    if (SETS_CONTAINER[ev.type]) this.containers.before(ev);
    this.stream.event(ev);
  }

  /** The evt.num after which the next checkpoint is taken. */
  private nextCheckpoint = 0;

  private checkpoint(num: number): void {
    const data = snapshot(this.stream.table);
    this.checkpoints.push([num, data]);
    this.nextCheckpoint = num + (this.checkpointEvery
      ?? Math.max(CHECKPOINT_EVERY, Math.ceil(data.length / CHECKPOINT_BYTES_PER_EVENT)));
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

  /** The fds row of an fd as it is now, added when first seen. */
  private fdRef(num: number, fd: Fd | undefined): number {
    // Most events hit an fd seen just before, unchanged: skip building its key.
    if (fd) {
      const c = this.fdRefCache.get(fd);
      if (c && c.num === num && c.name === fd.name && c.type === fd.type && c.l4 === fd.l4 && c.role === fd.role) return c.id;
    }
    const id = this.fdRefSlow(num, fd);
    if (fd) this.fdRefCache.set(fd, { num, name: fd.name, type: fd.type, l4: fd.l4, role: fd.role, id });
    return id;
  }

  private fdRefSlow(num: number, fd: Fd | undefined): number {
    // What the row holds (type letter, l4 letter, label) follows from these; the label also
    // depends on the socket's role.
    const key = fd ? `${num}\u0000${fd.type}\u0000${fd.l4}\u0000${fd.role ?? 0}\u0000${fd.name}` : `${num}`;
    let id = this.fds.get(key);
    if (id === undefined) {
      id = this.fds.size + 1;
      this.fds.set(key, id);
      this.newFds.push(fd
        ? [id, num, fdTypeChar(fd.type), l4Char(fd.l4), fd.name, fdLabel(fd)]
        : [id, num, "", "", "", ""]);
    }
    return id;
  }

  private onEvent(ev: RawEvent, num: number, thread: Thread, p: ParamIndex): void {
    const type = ev.type;
    if (SETS_CONTAINER[type]) {
      this.containers.after(ev, num, thread, p);
      this.containers.settle(true);
    } else this.containers.extraOf(thread); // a process list thread's facts are its first event's
    if (this.firstShown < 0 && !this.stream.leading) this.firstShown = num;
    const noTime = ev.tsHi === 0 && ev.tsLo === 0;
    if (this.baseHi < 0 && !noTime) {
      this.baseHi = ev.tsHi;
      this.baseLo = ev.tsLo;
      this.firstTs = (BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo);
    }
    // ns since the first timed event: exact as a double, no BigInt on the hot path (a capture
    // would need a 104-day span to lose a nanosecond). Events without a time store NULL.
    const ts = noTime ? NaN : (ev.tsHi - this.baseHi) * 4294967296 + (ev.tsLo - this.baseLo);
    // Runs of events come from one thread: skip the map while it holds.
    if (thread !== this.latencyThread) {
      let x = this.latencies.get(thread);
      if (!x) this.latencies.set(thread, (x = { enterHi: 0, enterLo: 0, latency: 0 }));
      this.latencyThread = thread;
      this.latencyState = x;
    }
    followLatency(this.latencyState, type, ev.tsHi, ev.tsLo);
    const resI = RES_PARAM[type];
    const fdI = ACTED_FD_PARAM[type];
    const r = this.rows;
    const o = this.count * COLS;
    // No num column: every event is stored, in order, so SQLite's next rowid is the evt.num.
    r[o] = ts;
    r[o + 2] = ev.tid;
    r[o + 3] = resI >= 0 && p.has(resI) ? p.int(resI) : NaN;
    r[o + 4] = hasLatency(type, p) ? (NO_TINFO[type] ? 0 : this.latencyState.latency) : NaN;
    // The fd an event acts on: its own fd parameter, or for an exit without one (read, close...)
    // the fd its enter named, as sysdig's fd.* fields see it.
    const fdNum = fdI >= 0 && p.has(fdI) ? p.int(fdI) : type % 2 === 1 && thread.enterType === type - 1 ? thread.lastFd : undefined;
    r[o + 5] = fdNum === undefined || fdNum < 0 ? NaN : this.fdRef(fdNum, thread.fds.get(fdNum));
    // Runs of events come from one thread: skip the intern lookup while its name holds.
    if (thread !== this.lastThread || thread.comm !== this.lastComm) {
      this.lastThread = thread;
      this.lastComm = thread.comm;
      this.lastCommId = this.intern(thread.comm);
    }
    r[o + 1] = packKind(type, ev.cpu, this.lastCommId);
    // What only the sums read (event-aggregates.ts): a generic event's syscall id, and where the
    // overview counts the event (shown, from the first shown on), its thread's container.
    r[o + SC_COL] = NAMED_BY_ID[type] && p.has(0) ? p.uint(0) : -1;
    if (this.firstShown >= 0 && !HIDDEN_TYPES.has(type)) {
      // A container event's thread is one sysdig makes up, in that container (runtime.ts).
      const cid = (SETS_CONTAINER[type] ? this.containers.extra : this.containers.extraOf(thread)).containerId;
      if (cid !== this.lastContainer) {
        this.lastContainer = cid;
        this.lastContainerId = cid ? this.intern(cid) : NaN;
      }
      r[o + CONTAINER_COL] = this.lastContainerId;
    } else r[o + CONTAINER_COL] = NaN;
    // The text of an event whose only stateful parameter is its fd follows from its fds row.
    r[o + 6] = STATEFUL_PARAMS[type].length && !hasSoleFdText(type, p)
      ? this.intern(this.stream.statefulTexts(type).join("\u0001")) : NaN;
    this.appendRaw(ev, num);
    this.events = num;
    if (!noTime) {
      this.lastHi = ev.tsHi;
      this.lastLo = ev.tsLo;
    }
    if (num === this.nextCheckpoint) this.checkpoint(num);
    if (++this.count === ROWS_PER_BATCH) this.flush();
  }

  /** Record: u32 length, u8 length width, u16 nparams, the lengths, the values. */
  private appendRaw(ev: RawEvent, num: number): void {
    const need = 7 + ev.end - ev.lensOff;
    if (this.chunkLen + need > this.chunk.length) {
      const grown = Buffer.alloc(Math.max(this.chunkLen + need, this.chunk.length * 2));
      this.chunk.copy(grown, 0, 0, this.chunkLen);
      this.chunk = grown;
    }
    // The record keeps the count in 16 bits (as writeUInt16LE did, which threw past them).
    if (ev.nparams > 0xffff) throw new RangeError(`event ${num} has ${ev.nparams} parameters: a stored record holds at most 65535`);
    const c = this.chunk;
    const o = this.chunkLen;
    // Byte by byte: Buffer's writeUInt32LE/writeUInt16LE check their arguments on every call
    // (a tenth of this function's time, measured).
    c[o] = need;
    c[o + 1] = need >>> 8;
    c[o + 2] = need >>> 16;
    c[o + 3] = need >>> 24;
    c[o + 4] = ev.lenSize;
    c[o + 5] = ev.nparams;
    c[o + 6] = ev.nparams >>> 8;
    // Most records are a few dozen bytes: a loop beats making a subarray view for each.
    const src = ev.buf;
    const n = ev.end - ev.lensOff;
    if (n <= 64) for (let i = 0, s = ev.lensOff, d = o + 7; i < n; i++) c[d + i] = src[s + i];
    else c.set(new Uint8Array(src.buffer, src.byteOffset + ev.lensOff, n), o + 7);
    this.chunkLen = o + need;
    if (this.chunkFirst < 0) this.chunkFirst = num;
    this.chunkLast = num;
    if (num - this.chunkFirst + 1 >= EVENTS_PER_CHUNK || this.chunkLen >= CHUNK_BYTES) this.closeChunk();
  }

  private closeChunk(): void {
    if (this.chunkFirst < 0) return;
    // A copy of its own (the build buffer is reused), which the batch then hands over whole.
    const data = new Uint8Array(this.chunkLen);
    data.set(this.chunk.subarray(0, this.chunkLen));
    this.chunks.push({ first: this.chunkFirst, last: this.chunkLast, data });
    this.chunkLen = 0;
    this.chunkFirst = -1;
  }

  flush(): void {
    this.sink.send({
      rows: this.rows, count: this.count, firstNum: this.batchFirst, firstShown: this.firstShown,
      strings: this.newStrings, fds: this.newFds, chunks: this.chunks, checkpoints: this.checkpoints,
    });
    this.batchFirst += this.count;
    // The rows buffer went to the writer; a written one comes back to be filled again (a new
    // one per batch was a tenth of what ingest allocated).
    this.rows = this.sink.spare() ?? new Float64Array(ROWS_PER_BATCH * COLS);
    this.count = 0;
    this.newStrings = [];
    this.newFds = [];
    this.chunks = [];
    this.checkpoints = [];
  }

  /** A live ingest's commit point: everything built so far goes to the writer now, and the
   *  writer commits it with the meta a reader needs to render it (read-only WAL connections
   *  see it at once). */
  commitLive(): Promise<void> {
    this.closeChunk();
    if (this.count > 0 || this.chunks.length || this.newStrings.length || this.newFds.length) this.flush();
    return this.sink.commit!({
      base_ts: String(this.firstTs ?? 0n),
      events: String(this.events),
      first_shown: String(this.firstShown < 0 ? this.events + 1 : this.firstShown),
      // The overview sums are committed with the events they count.
      overview: OVERVIEW_LAYOUT,
    });
  }

  /** The last timed event's ns since the epoch, or null. */
  get lastTs(): bigint | null {
    return this.baseHi < 0 ? null : (BigInt(this.lastHi) << 32n) | BigInt(this.lastLo);
  }

  end(): { meta: Record<string, string>; lastTs: bigint | null } {
    this.closeChunk();
    this.flush();
    return {
      meta: {
        base_ts: String(this.firstTs ?? 0n),
        events: String(this.events), // the writer checks the rowids it assigned against this
        first_shown: String(this.firstShown < 0 ? this.events + 1 : this.firstShown),
        // The capture-002 bucket tables are filled (readers scan the events otherwise), and
        // capture-004's steps.
        aggregates: "1",
        steps: "1",
        // The capture-008 syscall_time table holds the whole capture, by container ('1': the
        // capture-003 one, without the container).
        syscall_time: "2",
        // The capture-005 overview sums, and which tiles they hold.
        overview: OVERVIEW_LAYOUT,
      },
      lastTs: this.baseHi < 0 ? null : (BigInt(this.lastHi) << 32n) | BigInt(this.lastLo),
    };
  }
}

/** What a sink needs of a batch: its rows buffer, handed back as a spare once written, and the
 *  buffers moved (not copied) to a writer thread with it. Event and packet batches both are. */
export interface SinkBatch {
  rows: Float64Array;
  chunks: { data: Uint8Array }[];
}

/** Where batches go: a worker thread that owns the database, or the writer inline. */
export interface BatchSink<B extends SinkBatch = RowBatch> {
  send(b: B): void;
  /** Live ingest: write `meta` and commit what was sent; resolves once readers see it. */
  commit?(meta: Record<string, string>): Promise<void>;
  /** A rows buffer the writer is done with, if any. */
  spare(): Float64Array | undefined;
  /** Resolves once few enough batches are pending. */
  drain(): Promise<void>;
  finish(meta: Record<string, string>): Promise<void>;
}

export const WORKER_FILE = join(dirname(fileURLToPath(import.meta.url)), "sqlite-writer-worker.mjs");

export function workerSink<B extends SinkBatch = RowBatch>(dbPath: string, workerFile: string | URL, opts: { live?: boolean } = {}): BatchSink<B> {
  const worker = new Worker(workerFile, { workerData: { path: dbPath, live: opts.live === true } });
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let done: (() => void) | undefined;
  // Whether the database was committed ("done"), and whether the thread is gone: a thread that
  // ends any other way (an exception, process.exit, killed, out of memory) leaves a database
  // that is not whole, and nothing would ever answer the batches or the finish sent to it.
  let committed = false;
  let exited = false;
  const spares: Float64Array[] = [];
  /** Live commits sent and not yet answered, in order. */
  const commits: { ok: () => void; ko: (e: Error) => void }[] = [];
  const fail = (e: Error) => {
    failure ??= e;
    for (const c of commits.splice(0)) c.ko(e);
    wake?.();
    done?.();
  };
  worker.on("message", (m: { ack?: boolean; rows?: ArrayBuffer; done?: boolean; committed?: boolean; error?: string }) => {
    if (m.ack) inFlight--;
    if (m.committed) commits.shift()?.ok();
    if (m.rows) spares.push(new Float64Array(m.rows));
    if (m.error) fail(new Error(`writing the capture database: ${m.error}`));
    if (m.done) {
      committed = true;
      done?.();
    }
    wake?.();
  });
  worker.on("error", (e) => fail(new Error(`writing the capture database: ${e instanceof Error ? e.message : String(e)}`)));
  worker.on("exit", (code) => {
    exited = true;
    if (!committed) fail(new Error(`writing the capture database: the writer thread stopped (exit code ${code}) before the capture was stored whole`));
  });
  return {
    spare: () => spares.pop(),
    commit(meta) {
      if (failure) return Promise.reject(failure);
      worker.postMessage({ commit: meta });
      return new Promise<void>((ok, ko) => commits.push({ ok, ko }));
    },
    send(b) {
      if (failure) throw failure;
      inFlight++;
      // Moved, not copied: the rows and the raw chunks are the bulk of a batch.
      worker.postMessage({ batch: b }, [b.rows.buffer as ArrayBuffer, ...b.chunks.map((c) => c.data.buffer as ArrayBuffer)]);
    },
    async drain() {
      while (inFlight > MAX_IN_FLIGHT && !failure) await new Promise<void>((r) => (wake = r));
      if (failure) throw failure;
    },
    async finish(meta) {
      await new Promise<void>((r) => {
        done = r;
        if (exited || failure) r();
        else worker.postMessage({ finish: meta });
      });
      await worker.terminate();
      if (failure) throw failure;
    },
  };
}

/** The writer on this thread (small files, tests). */
export function inlineSink<B extends SinkBatch>(writer: { apply(b: B): void; finish(meta: Record<string, string>): void }): BatchSink<B> {
  let spare: Float64Array | undefined;
  return {
    // Written at once: the buffer can be filled again.
    send: (b) => {
      writer.apply(b);
      spare = b.rows;
    },
    spare: () => spare,
    drain: async () => {},
    finish: async (meta) => writer.finish(meta),
  };
}

/** Ingests one capture file into a new capture database at dbPath. Damage in the file stops the
 *  read but keeps every whole event before it (reported in the result). */
export async function ingestCapture(
  dbPath: string,
  path: string,
  onProgress?: (p: { bytesRead: number; events: number }) => void,
  opts: {
    worker?: boolean; checkpointEvery?: number; extension?: boolean; limits?: IngestLimits;
    /** The writer thread's module (tests put one in its place that fails). */
    workerFile?: string | URL;
  } = {},
): Promise<IngestResult> {
  const limits = opts.limits ?? ingestLimitsFromEnv();
  // Tests choose the inline writer and whether it uses the f64rows extension.
  const useWorker = (opts.worker ?? true) && (opts.workerFile !== undefined || existsSync(WORKER_FILE));
  const sink = useWorker ? workerSink(dbPath, opts.workerFile ?? WORKER_FILE) : inlineSink(new SqliteBatchWriter(dbPath, { extension: opts.extension }));
  const builder = new RowBuilder(sink, opts.checkpointEvery, limits.maxEvents);
  let lastReport = 0;
  const outcome = await readCaptureFile(path, builder, {
    onProgress: (bytesRead) => {
      const now = Date.now();
      if (now - lastReport > 100) {
        lastReport = now;
        onProgress?.({ bytesRead, events: builder.stream.num });
      }
    },
    afterChunk: () => {
      if (builder.full) throw new StopReading();
      return sink.drain();
    },
    maxInflatedBytes: limits.maxInflated,
  }).catch((e: unknown) => {
    if (e instanceof StopReading) return { error: undefined, stoppedAt: undefined };
    throw e;
  });
  const { error } = outcome;
  // Damage before the limit is the error to tell; the limit only when the events reached it.
  const limit = error ? undefined
    : builder.full ? `${LIMIT_MESSAGE_MARK}the capture holds more than ${limits.maxEvents} events (CASEFILE_MAX_EVENTS)`
    : outcome.stoppedAt !== undefined ? `${LIMIT_MESSAGE_MARK}the capture inflates to more than ${limits.maxInflated} bytes (CASEFILE_MAX_INFLATED)`
    : undefined;
  const message = limit === undefined ? error?.message
    : limits.overLimit === "keep" ? `${limit}; the first ${builder.events} events were kept: raise the limit to read it whole`
    : `${limit}; the capture was refused (CASEFILE_OVER_LIMIT=refuse): raise the limit to read it`;
  const { meta, lastTs } = builder.end();
  await sink.finish(message ? { ...meta, error: message } : meta);
  if (limit !== undefined && limits.overLimit === "refuse") throw new IngestLimitError(message);
  return {
    events: builder.events, firstTs: builder.firstTs, lastTs,
    error: message, errorOffset: limit === undefined ? error?.offset : undefined, limited: limit !== undefined,
  };
}
