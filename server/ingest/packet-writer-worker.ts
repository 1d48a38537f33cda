// Worker thread entry of a packet capture's ingest: owns the capture database while it is
// written. Speaks the event ingest's writer protocol (ingest.ts workerSink): {batch} → applies
// it and hands its rows buffer back to be filled again; {finish: meta} → writes meta, commits, closes, "done".

import { parentPort, workerData } from "node:worker_threads";
import { PacketBatchWriter, type PacketBatch } from "./packet-writer";

const writer = new PacketBatchWriter(workerData.path as string);
parentPort!.on("message", (m: { batch?: PacketBatch; finish?: Record<string, string> }) => {
  try {
    if (m.batch) {
      writer.apply(m.batch);
      const rows = m.batch.rows.buffer as ArrayBuffer;
      parentPort!.postMessage({ ack: true, rows }, [rows]);
    } else if (m.finish) {
      writer.finish(m.finish);
      parentPort!.postMessage({ done: true });
    }
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
