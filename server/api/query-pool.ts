// The query workers: the store's questions (filtered events, lsof/netstat/ps at an event, gaps,
// the spectrogram, top, chisels, replays of the kept file) run in worker threads, each with its
// own read-only SQLite connections (WAL lets readers run beside the writer), so that the thread
// serving pages, route handlers and WebSocket messages (and, later, live sessions) never waits
// on a scan.
//
// A worker answers one query at a time. A query that must stop (its time budget ran out or its
// client went away) is answered at once with the reason, and its worker is told to stop:
// - a SQLite statement is interrupted through the query-cancel extension (db/query-cancel.c:
//   better-sqlite3 has no interrupt of its own); it ends within microseconds, the worker
//   reports back and takes the next query;
// - a replay of the kept file reads it in small chunks: between two chunks the worker sees the
//   stop flag (shared memory) and ends the replay.
// A worker is terminated from outside only when it cannot be inside an interrupted statement:
// better-sqlite3 aborts the whole process if it raises an error (SQLITE_INTERRUPT included) in
// a thread being terminated. So an interrupted worker is ended once it has reported back (idle);
// one that does not report within a grace period (starved of CPU, or stuck) is given up on and
// replaced, and ended when it reports. Without the extension nothing interrupts a statement, and
// a worker can be terminated at once (its statement runs to its end, without an error).

import Database from "better-sqlite3";
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { QueryBudgetExceeded, QueryCancelled, QueryQueueFull } from "./store-types";

/** query-worker.mjs next to this module: in the sources a shim that loads query-worker.ts
 *  through tsx; in dist/ (scripts/build-cli.sh) the bundled worker itself. Both start from the
 *  custom server's own modules, never from inside Next's route bundles. */
const HERE = dirname(fileURLToPath(import.meta.url));
export const QUERY_WORKER_FILE = join(HERE, "query-worker.mjs");

/** db/query-cancel.c, built by scripts/build-cli.sh into dist/: next to this module once
 *  bundled there, or in dist/ when run from the sources. Main thread and workers must load the
 *  same file (one copy of its flags per process). */
export const QUERY_CANCEL_PATH = [join(HERE, "query-cancel.so"), join(HERE, "../../dist/query-cancel.so")].find((p) => existsSync(p));

/** What a query worker is started with. */
export interface QueryWorkerData {
  dataDir: string;
  /** The worker's flag slot in the query-cancel extension (unique among the live workers). */
  slot: number;
  cancelLib?: string;
  /** [0]: the job the pool wants stopped; read by the worker between chunks of a replay
   *  (shared memory: a message would wait until the worker's event loop turns). */
  stop: Int32Array;
}

/** The extension has this many flag slots (SLOTS in query-cancel.c), and job numbers must never
 *  repeat within the process: both counted here, for every pool of the process. */
const CANCEL_SLOTS = 1024;
let slotCounter = 0;
let jobCounter = 0;

/** The slowest legitimate question is a replay of a whole kept file (a chisel, a filter on
 *  fd.* or user.* fields answered the way sysdig answers it, a page deep in the capture): about
 *  3–5 s on a 2-million-event capture on this kind of machine. 10 s lets those finish with room
 *  to spare and still stops the pathological ones (hundreds of `contains` terms) before a
 *  browser or a script would give up on its own. */
export const DEFAULT_QUERY_BUDGET_MS = 10_000;

/** Queries waiting beyond this many are refused with 503: on two cores a queue longer than that
 *  would only be answered after its clients have given up. */
export const DEFAULT_MAX_WAITING = 64;

/** One worker more than the cores (at least two, at most four): one slow query must not take
 *  half the pool, and the event loop keeps a core's share for itself while the workers scan. */
export function defaultQueryWorkers(): number {
  return Math.min(4, Math.max(2, availableParallelism() + 1));
}

export interface QueryPoolOptions {
  /** How many worker threads at most (started as queries arrive). */
  workers: number;
  budgetMs: number;
  maxWaiting: number;
}

/** The pool's settings from the environment: CASEFILE_QUERY_BUDGET_MS, CASEFILE_QUERY_WORKERS. */
export function queryPoolOptionsFromEnv(env: Record<string, string | undefined> = process.env): QueryPoolOptions {
  const int = (name: string, dflt: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return dflt;
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be a whole number ≥ ${min}, not ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  return {
    workers: int("CASEFILE_QUERY_WORKERS", defaultQueryWorkers(), 0),
    budgetMs: int("CASEFILE_QUERY_BUDGET_MS", DEFAULT_QUERY_BUDGET_MS, 1),
    maxWaiting: DEFAULT_MAX_WAITING,
  };
}

/** What a worker sends back: the answer, or the error as plain data (the thread boundary keeps
 *  only an Error's message, not its class or fields, and the API tells errors apart by name). */
export type WorkerReply = { ready: true } | { id: number; answer: unknown } | { id: number; error: { name: string; message: string; fields: Record<string, unknown> } };

export function errorToReply(e: unknown): { name: string; message: string; fields: Record<string, unknown> } {
  if (!(e instanceof Error)) return { name: "Error", message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k !== "name" && k !== "message" && k !== "stack" && (v === null || typeof v !== "object" && typeof v !== "function")) fields[k] = v;
  }
  return { name: e.name, message: e.message, fields };
}

function errorFromReply(r: { name: string; message: string; fields: Record<string, unknown> }): Error {
  const e = new Error(r.message);
  Object.assign(e, r.fields);
  e.name = r.name;
  return e;
}

interface Job {
  id: number;
  name: string;
  args: unknown[];
  resolve(v: unknown): void;
  reject(e: Error): void;
  /** Answered (or refused): whatever the worker still says about it is dropped. */
  settled: boolean;
  queuedAt: number;
  startedAt?: number;
  timer: ReturnType<typeof setTimeout>;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  /** Its slot in the query-cancel extension. */
  index: number;
  /** Its store is open: it takes queries (starting one costs ~0.1 s bundled, ~1 s through tsx,
   *  which a query should not spend from its budget while another worker could take it). */
  ready: boolean;
  /** Called once it is ready, or has ended before it was (start() waits for that). */
  onStarted?: () => void;
  /** The query it runs, answered or not: the worker is busy until it reports back. */
  job?: Job;
  stop: Int32Array;
  /** Gives up on the worker if a stopped query has not ended within the grace period. */
  watchdog?: ReturnType<typeof setTimeout>;
  /** Called once it has reported back (or ended): close() waits for that. */
  onIdle?: () => void;
  /** Interrupts the stopped query's statement again and again until the worker reports back:
   *  an interrupt only reaches a statement already running, and the worker may not have
   *  started its next one yet. */
  interrupting?: ReturnType<typeof setInterval>;
}

/** How often a stopped query's statement is interrupted again. */
const INTERRUPT_EVERY_MS = 25;

/** How long a stopped query may take to end before its worker is given up on and replaced. */
const STOP_GRACE_MS = 2_000;
/** How long close() waits for workers to report back from their interrupted queries. */
const CLOSE_WAIT_MS = 5_000;

export class QueryPool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private closed = false;
  /** A connection of this thread's with the query-cancel extension: how it interrupts. */
  private readonly control?: Database.Database;
  private readonly cancelStatement?: Database.Statement;

  constructor(
    private readonly dataDir: string,
    readonly options: QueryPoolOptions,
    private readonly file = QUERY_WORKER_FILE,
    private readonly cancelLib = QUERY_CANCEL_PATH,
  ) {
    if (options.workers < 1) throw new Error("a query pool needs at least one worker");
    if (!existsSync(file)) throw new Error(`the query worker ${file} is missing: run scripts/build-cli.sh`);
    if (cancelLib) {
      this.control = new Database(":memory:");
      this.control.loadExtension(cancelLib);
      this.cancelStatement = this.control.prepare("SELECT query_cancel(?, ?)");
    }
  }

  run(name: string, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    if (signal?.aborted) return Promise.reject(new QueryCancelled());
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(new QueryQueueFull(this.waiting.length));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: ++jobCounter, name, args, resolve, reject, settled: false, queuedAt: performance.now(),
        // The budget counts from arrival: it bounds how long the client waits, queue included.
        timer: setTimeout(() => this.stop(job, new QueryBudgetExceeded(this.options.budgetMs, (job.startedAt ?? performance.now()) - job.queuedAt)), this.options.budgetMs),
      };
      if (signal) {
        job.signal = signal;
        job.onAbort = () => this.stop(job, new QueryCancelled());
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.waiting.push(job);
      this.dispatch();
    });
  }

  /** Starts every worker now rather than on the queries that need one: a server's first page
   *  asks three or four questions at once, and each would otherwise wait for a worker to start
   *  (~0.3 s bundled, more on a loaded machine; a query on an open store takes ~10 ms).
   *  Resolved once each has started (or ended: its queries will say why). */
  start(): Promise<void> {
    while (!this.closed && this.slots.size < this.options.workers) this.spawn();
    return Promise.all([...this.slots].map((s) => (s.ready ? undefined : new Promise<void>((r) => (s.onStarted = r))))).then(() => undefined);
  }

  /** Refuses the queries still waiting or running, stops the running ones, and ends every
   *  worker once it has reported back (see the top of this file; a worker still busy after
   *  CLOSE_WAIT_MS is terminated anyway). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.settle(job, new Error("the store is closed"));
    const busy: Promise<void>[] = [];
    for (const s of this.slots) {
      clearTimeout(s.watchdog);
      const job = s.job;
      if (!job) continue;
      this.settle(job, new Error("the store is closed"));
      this.interrupt(s, job);
      busy.push(new Promise((r) => (s.onIdle = r)));
    }
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(busy), new Promise((r) => (waited = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(waited);
    const stopping = [...this.slots].map((s) => s.worker.terminate());
    this.slots.clear();
    await Promise.all(stopping);
    this.control?.close();
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.closed) {
      let slot: Slot | undefined;
      let starting = 0;
      for (const s of this.slots) {
        if (!s.ready) starting++;
        else if (!s.job && !slot) slot = s;
      }
      if (!slot) {
        // Another worker for the queries that wait, unless enough are already starting.
        if (starting < this.waiting.length && this.slots.size < this.options.workers) this.spawn();
        return;
      }
      const job = this.waiting.shift()!;
      job.startedAt = performance.now();
      slot.job = job;
      // A busy worker keeps the process alive (a command waiting for its answer); an idle one
      // does not (a forgotten store never holds a process open).
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, name: job.name, args: job.args });
    }
  }

  private spawn(): Slot {
    const index = slotCounter++ % CANCEL_SLOTS;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const data: QueryWorkerData = { dataDir: this.dataDir, slot: index, cancelLib: this.cancelLib, stop };
    const worker = new Worker(this.file, { workerData: data });
    const slot: Slot = { worker, index, ready: false, stop };
    worker.unref();
    worker.on("message", (reply: WorkerReply) => {
      if ("ready" in reply) {
        slot.ready = true;
        slot.onStarted?.();
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = undefined;
      this.quiet(slot);
      slot.worker.unref();
      if (!job.settled) {
        if ("error" in reply) this.settle(job, errorFromReply(reply.error));
        else this.settle(job, undefined, reply.answer);
      }
      slot.onIdle?.();
      // One given up on (see stop()): idle now, so it can be ended.
      if (!this.slots.has(slot) && !this.closed) void worker.terminate();
      this.dispatch();
    });
    // A worker that ends (it stopped a replay, or died: out of memory, a crash in native code):
    // its query, if still unanswered, fails with the reason; the next query gets a new worker.
    const ended = (e: Error) => {
      slot.onStarted?.();
      this.quiet(slot);
      slot.onIdle?.();
      if (!this.slots.delete(slot)) return;
      if (slot.job && !slot.job.settled) this.settle(slot.job, e);
      // One that could not even start (its store would not open) would fail again: the
      // waiting queries get the reason instead of an endless line of new workers.
      if (!slot.ready) for (const job of this.waiting.splice(0)) this.settle(job, e);
      // One that was working is replaced at once: the next query should not wait for a start.
      else if (!this.closed) this.spawn();
      this.dispatch();
    };
    worker.on("error", ended);
    worker.on("exit", (code) => ended(new Error(`the query worker stopped (exit code ${code})`)));
    this.slots.add(slot);
    return slot;
  }

  /** Ends a query that has not answered: dropped from the queue, or answered now and its
   *  worker told to stop it (see the top of this file). */
  private stop(job: Job, reason: Error): void {
    if (job.settled) return;
    this.settle(job, reason);
    const i = this.waiting.indexOf(job);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      return;
    }
    let slot: Slot | undefined;
    for (const s of this.slots) if (s.job === job) slot = s;
    if (!slot) return;
    if (!this.cancelStatement) {
      // Nothing can interrupt its statement: terminated at once (it keeps its core until the
      // statement ends, but takes no more queries), a new worker in its place.
      this.slots.delete(slot);
      void slot.worker.terminate();
      this.spawn();
      this.dispatch();
      return;
    }
    this.interrupt(slot, job);
    slot.watchdog = setTimeout(() => {
      if (slot.job !== job || !this.slots.delete(slot)) return;
      // Still busy: given up on, and ended when it reports back (never terminated while it may
      // be about to raise SQLITE_INTERRUPT). A new worker takes its place now.
      this.spawn();
      this.dispatch();
    }, STOP_GRACE_MS);
    slot.watchdog.unref();
  }

  /** Tells the worker to stop `job`: the flag its replays read between chunks (and before the
   *  job starts), and interrupts of its SQLite statements until it reports back. */
  private interrupt(slot: Slot, job: Job): void {
    Atomics.store(slot.stop, 0, job.id);
    if (!this.cancelStatement || slot.interrupting) return;
    const cancel = this.cancelStatement;
    cancel.get(slot.index, job.id);
    slot.interrupting = setInterval(() => cancel.get(slot.index, job.id), INTERRUPT_EVERY_MS);
    slot.interrupting.unref();
  }

  /** The worker has reported back or ended: no more interrupts, no watchdog. */
  private quiet(slot: Slot): void {
    clearTimeout(slot.watchdog);
    clearInterval(slot.interrupting);
    slot.interrupting = undefined;
  }

  private settle(job: Job, error: Error | undefined, answer?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (job.onAbort) job.signal!.removeEventListener("abort", job.onAbort);
    if (error) job.reject(error);
    else job.resolve(answer);
  }
}
