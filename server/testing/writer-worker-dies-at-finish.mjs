// A capture-database writer thread that writes every batch as the real one does, then dies when
// asked to commit (after the last batch), as a thread killed or out of memory would: the ingest
// must fail with a clear error, not wait for an answer that never comes (ingest.test.ts).
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

// Listens before the real writer does, so it ends the thread before the commit.
parentPort.on("message", (m) => {
  if (m.finish) process.exit(3);
});
register();
await import("../ingest/sqlite-writer-worker.ts");
