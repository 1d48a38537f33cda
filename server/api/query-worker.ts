// A query worker (see query-pool.ts): the store opened read-only in this thread, answering one
// query at a time. It writes nothing: the catalog and the capture databases stay the main
// thread's (and the ingest's) to change.

import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "./store";
import { errorToReply, type QueryWorkerData, type WorkerReply } from "./query-pool";
import type { QueryName, Store } from "./store-types";

const { dataDir, slot, cancelLib } = workerData as QueryWorkerData;
// The query-cancel extension (query-pool.ts): this thread claims its slot, then every capture
// connection it opens is listed under the slot, for the main thread to interrupt.
const control = cancelLib ? new Database(":memory:") : undefined;
control?.loadExtension(cancelLib!);
control?.prepare("SELECT query_claim(?)").get(slot);
const begin = control?.prepare("SELECT query_begin(?)");
const store = openStore(dataDir, { readonly: true, onOpenCapture: cancelLib ? (db) => db.loadExtension(cancelLib) : undefined });
const port = parentPort!;

/** The query running now (0: none). */
let current = 0;

port.on("message", async (m: { id: number; name: QueryName; args: unknown[] } | { stop: number }) => {
  if ("stop" in m) {
    // Seen between two chunks of a replay of the kept file (a SQLite statement would have been
    // interrupted, and its query answered, before this message is read): the thread ends here,
    // never inside better-sqlite3.
    if (m.stop === current) process.exit(0);
    return;
  }
  let reply: WorkerReply;
  current = m.id;
  try {
    begin?.get(m.id);
    const method = store[m.name] as (this: Store, ...args: unknown[]) => unknown;
    reply = { id: m.id, answer: await method.apply(store, m.args) };
  } catch (e) {
    reply = { id: m.id, error: errorToReply(e) };
  }
  current = 0;
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies WorkerReply);
