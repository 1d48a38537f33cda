// Worker thread entry: owns the capture database during ingest. Messages: {batch} → applies it
// and acknowledges, handing its rows buffer back to be filled again; {finish: meta} → commits,
// closes, answers "done".

import { parentPort, workerData } from "node:worker_threads";
import { SqliteBatchWriter, type RowBatch } from "./sqlite-batch-writer";

const writer = new SqliteBatchWriter(workerData.path as string, { live: workerData.live === true });
parentPort!.on("message", (m: { batch?: RowBatch; commit?: Record<string, string>; finish?: Record<string, string> }) => {
  try {
    if (m.batch) {
      writer.apply(m.batch);
      const rows = m.batch.rows.buffer as ArrayBuffer;
      parentPort!.postMessage({ ack: true, rows }, [rows]);
    } else if (m.commit) {
      writer.commit(m.commit);
      parentPort!.postMessage({ committed: true });
    } else if (m.finish) {
      writer.finish(m.finish);
      parentPort!.postMessage({ done: true });
    }
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
