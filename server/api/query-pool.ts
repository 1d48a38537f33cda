// The query workers: the store's questions (filtered events, lsof/netstat/ps at an event, gaps,
// the spectrogram, top, chisels, replays of the kept file) run in worker threads, each with its
// own read-only SQLite connections (WAL lets readers run beside the writer), so that the thread
// serving pages, route handlers and WebSocket messages (and, later, live sessions) never waits
// on a scan.
//
// A worker answers one query at a time. A query that must stop (its time budget ran out or its
// client went away) stops with its worker: terminate() and a fresh worker in its place. That is
// the one way to stop a synchronous SQLite statement from outside (better-sqlite3 has no
// interrupt), and it stops a replay of the kept file just as well. The answer to the client does
// not wait for the old thread to finish dying.

import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { QueryBudgetExceeded, QueryCancelled, QueryQueueFull } from "./store-types";

/** query-worker.mjs next to this module: in the sources a shim that loads query-worker.ts
 *  through tsx; in dist/ (scripts/build-cli.sh) the bundled worker itself. Both start from the
 *  custom server's own modules, never from inside Next's route bundles. */
export const QUERY_WORKER_FILE = join(dirname(fileURLToPath(import.meta.url)), "query-worker.mjs");

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
export type WorkerReply = { id: number; answer: unknown } | { id: number; error: { name: string; message: string; fields: Record<string, unknown> } };

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
  queuedAt: number;
  startedAt?: number;
  slot?: Slot;
  timer: ReturnType<typeof setTimeout>;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

export class QueryPool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly workerData: unknown,
    readonly options: QueryPoolOptions,
    private readonly file = QUERY_WORKER_FILE,
  ) {
    if (options.workers < 1) throw new Error("a query pool needs at least one worker");
    if (!existsSync(file)) throw new Error(`the query worker ${file} is missing: run scripts/build-cli.sh`);
  }

  /** How many workers are running a query now, and how many queries wait for one. */
  get load(): { busy: number; waiting: number; workers: number } {
    let busy = 0;
    for (const s of this.slots) if (s.job) busy++;
    return { busy, waiting: this.waiting.length, workers: this.slots.size };
  }

  run(name: string, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    if (signal?.aborted) return Promise.reject(new QueryCancelled());
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(new QueryQueueFull(this.waiting.length));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++, name, args, resolve, reject, queuedAt: performance.now(),
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

  /** Terminates every worker; queries still waiting or running are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.settle(job, new Error("the store is closed"));
    const stopping: Promise<number>[] = [];
    for (const s of this.slots) {
      if (s.job) this.settle(s.job, new Error("the store is closed"));
      stopping.push(s.worker.terminate());
    }
    this.slots.clear();
    await Promise.all(stopping);
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot: Slot | undefined;
      for (const s of this.slots) if (!s.job) { slot = s; break; }
      if (!slot) {
        if (this.slots.size >= this.options.workers) return;
        slot = this.spawn();
      }
      const job = this.waiting.shift()!;
      job.slot = slot;
      job.startedAt = performance.now();
      slot.job = job;
      // A busy worker keeps the process alive (a command waiting for its answer); an idle one
      // does not (a forgotten store never holds a process open).
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, name: job.name, args: job.args });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.file, { workerData: this.workerData });
    const slot: Slot = { worker };
    worker.unref();
    worker.on("message", (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      this.release(slot);
      if ("error" in reply) this.settle(job, errorFromReply(reply.error));
      else this.settle(job, undefined, reply.answer);
      this.dispatch();
    });
    // A worker that dies on its own (out of memory, a crash in native code): its query fails
    // with the reason, and the next query gets a new worker.
    const died = (e: Error) => {
      if (!this.slots.delete(slot)) return;
      if (slot.job) this.settle(slot.job, e);
      this.dispatch();
    };
    worker.on("error", died);
    worker.on("exit", (code) => died(new Error(`the query worker stopped (exit code ${code})`)));
    this.slots.add(slot);
    return slot;
  }

  private release(slot: Slot): void {
    slot.job = undefined;
    slot.worker.unref();
  }

  /** Ends a query that has not answered: dropped from the queue, or its worker terminated and
   *  replaced (the replacement starts only when a query needs it). */
  private stop(job: Job, reason: Error): void {
    const i = this.waiting.indexOf(job);
    if (i >= 0) this.waiting.splice(i, 1);
    const slot = job.slot;
    if (slot && slot.job === job) {
      this.slots.delete(slot);
      slot.job = undefined;
      void slot.worker.terminate();
    }
    this.settle(job, reason);
    this.dispatch();
  }

  private settle(job: Job, error: Error | undefined, answer?: unknown): void {
    clearTimeout(job.timer);
    if (job.onAbort) job.signal!.removeEventListener("abort", job.onAbort);
    if (error) job.reject(error);
    else job.resolve(answer);
  }
}
