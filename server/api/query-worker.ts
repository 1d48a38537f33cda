// A query worker (see query-pool.ts): the store opened read-only in this thread, answering one
// query at a time. It writes nothing: the catalog and the capture databases stay the main
// thread's (and the ingest's) to change.

import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { setPriority } from "node:os";
import { openStore } from "./store";
import { errorToReply, type QueryWorkerData, type WorkerReply } from "./query-pool";
import { QueryCancelled, type QueryName, type Store } from "./store-types";

const { dataDir, slot, cancelLib, stop } = workerData as QueryWorkerData;

// Below the event loop's thread: when queries keep every core busy, the thread that answers
// pages, small requests and WebSocket messages still runs as soon as it has work. On Linux a
// nice value belongs to the thread (elsewhere it may lower the whole process, so only here),
// and it weighs against the other threads of the same scheduling group (the session's
// autogroup, or the service's cgroup): the server's own threads, not the host's other work.
if (process.platform === "linux") {
  try {
    setPriority(0, 10);
  } catch {
    // Not allowed here: queries then compete with the event loop as equals.
  }
}
// The query-cancel extension (query-pool.ts): this thread claims its slot, then every capture
// connection it opens is listed under the slot, for the main thread to interrupt.
const control = cancelLib ? new Database(":memory:") : undefined;
control?.loadExtension(cancelLib!);
control?.prepare("SELECT query_claim(?)").get(slot);
const begin = control?.prepare("SELECT query_begin(?)");
const port = parentPort!;

/** The query running now (0: none). */
let current = 0;

const store = openStore(dataDir, {
  readonly: true,
  onOpenCapture: cancelLib ? (db) => db.loadExtension(cancelLib) : undefined,
  // A replay of the kept file ends at the next chunk once its query is stopped.
  afterChunk: async () => {
    if (current !== 0 && Atomics.load(stop, 0) === (current | 0)) throw new QueryCancelled();
  },
});

port.on("message", async (m: { id: number; name: QueryName; args: unknown[] }) => {
  let reply: WorkerReply;
  current = m.id;
  try {
    begin?.get(m.id);
    // Stopped before it started (the pool's interrupts only reach a running statement).
    if (Atomics.load(stop, 0) === (m.id | 0)) throw new QueryCancelled();
    const method = store[m.name] as (this: Store, ...args: unknown[]) => unknown;
    reply = { id: m.id, answer: await method.apply(store, m.args) };
  } catch (e) {
    reply = { id: m.id, error: errorToReply(e) };
  }
  current = 0;
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies WorkerReply);
