// A capture-database writer thread whose first batch throws outside the real writer's own error
// handling (an uncaught exception ends the thread): the ingest must fail with that error, not
// wait for the batch to be acknowledged (ingest.test.ts).
import { parentPort } from "node:worker_threads";

parentPort.on("message", (m) => {
  if (m.batch) setImmediate(() => { throw new Error("injected failure in the writer thread"); });
});
