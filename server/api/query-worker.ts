// A query worker (see query-pool.ts): the store opened read-only in this thread, answering one
// query at a time. It writes nothing: the catalog and the capture databases stay the main
// thread's (and the ingest's) to change.

import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "./store";
import { errorToReply, type WorkerReply } from "./query-pool";
import type { QueryName, Store } from "./store-types";

const { dataDir } = workerData as { dataDir: string };
const store = openStore(dataDir, { readonly: true });
const port = parentPort!;

port.on("message", async (m: { id: number; name: QueryName; args: unknown[] }) => {
  let reply: WorkerReply;
  try {
    const method = store[m.name] as (this: Store, ...args: unknown[]) => unknown;
    reply = { id: m.id, answer: await method.apply(store, m.args) };
  } catch (e) {
    reply = { id: m.id, error: errorToReply(e) };
  }
  port.postMessage(reply);
});
