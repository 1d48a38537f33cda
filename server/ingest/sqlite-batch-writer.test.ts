// The ingest's writer: the f64rows extension (db/f64rows.c) stores exactly what bound values
// store, every table of every shared capture compared row by row; raw records survive the
// chunk buffers byte for byte.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openDb } from "../../db/open-db";
import { fixtureCaptures } from "../testing/oracle";
import { ingestCapture } from "./ingest";
import { F64ROWS_PATH, SqliteBatchWriter } from "./sqlite-batch-writer";
import { PacketBatchWriter } from "./packet-writer";
import { ScapWriter, type ParamValue } from "../core/formats/scap/writer";
import { ScapReader } from "../core/formats/scap/reader";
import { forEachStoredEvent } from "../api/raw-events";

test("the f64rows extension is built, and stores the rows bound values store", async () => {
  assert.ok(F64ROWS_PATH, "dist/f64rows.so (scripts/build-cli.sh builds it)");
  const dir = mkdtempSync(join(tmpdir(), "casefile-f64rows-"));
  let rows = 0;
  for (const file of fixtureCaptures()) {
    const dump = async (extension: boolean) => {
      const path = join(dir, `${basename(file)}-${extension}.db`);
      await ingestCapture(path, file, undefined, { worker: false, extension });
      const db = openDb(path, "capture", { readonly: true });
      const out = db.prepare("SELECT num, ts, kind, tid, res, latency, fdref, labels, typeof(ts) AS t FROM events ORDER BY num").raw().all();
      db.close();
      return out;
    };
    const withIt = await dump(true);
    assert.deepEqual(withIt, await dump(false), basename(file));
    rows += withIt.length;
  }
  assert.ok(rows > 10_000, `${rows} rows compared`);
});

test("raw records come back from the chunks byte for byte, records larger than a chunk buffer too", async () => {
  // Small events across several chunks, a container event of 200 KB (bigger than the 64 KiB
  // chunk buffers), then small ones again: through the writer thread and inline.
  const w = new ScapWriter().procs([{ tid: 100, pid: 100, ptid: 1, comm: "bash" }]);
  let ts = 1_600_000_000_000_000_000n;
  const ev = (tid: number, name: string, dir: ">" | "<", params: ParamValue[]) => {
    w.event({ ts, tid, name, dir, params });
    ts += 1000n;
  };
  for (let i = 0; i < 700; i++) ev(100, "close", i % 2 ? "<" : ">", [i % 2 ? 0 : 3]);
  const json = { container: { id: "0123456789ab", name: "x".repeat(200_000), image: "i", type: 0, Mounts: [] } };
  ev(-1, "container", ">", [JSON.stringify(json)]);
  for (let i = 0; i < 300; i++) ev(100, "close", i % 2 ? "<" : ">", [i % 2 ? 0 : 3]);
  const dir = mkdtempSync(join(tmpdir(), "casefile-chunks-"));
  const file = join(dir, "big-record.scap");
  writeFileSync(file, w.bytes());

  const records: string[] = [];
  const reader = new ScapReader({ process() {}, fdEntry() {}, event: (e) => { records.push(Buffer.from(e.buf.subarray(e.lensOff, e.end)).toString("hex")); } });
  reader.push(readFileSync(file));
  reader.end();
  assert.equal(records.length, 1001);
  assert.ok(records[700].length > 2 * 200_000, "the big record");

  for (const worker of [true, false]) {
    const path = join(dir, `${worker}.db`);
    await ingestCapture(path, file, undefined, { worker });
    const db = openDb(path, "capture", { readonly: true });
    const stored: string[] = [];
    forEachStoredEvent(db, 1, records.length, (_num, e) => { stored.push(Buffer.from(e.buf.subarray(e.lensOff, e.end)).toString("hex")); });
    db.close();
    assert.equal(stored.length, records.length, `worker ${worker}`);
    for (let i = 0; i < records.length; i++) assert.equal(stored[i], records[i], `worker ${worker}: event ${i + 1}`);
  }
});

test("the bulk writers load with the journal off and leave the database in WAL (better-sqlite3's defensive mode refused journal_mode=OFF without an error)", () => {
  const dir = mkdtempSync(join(tmpdir(), "journal-"));
  try {
    const events = new SqliteBatchWriter(join(dir, "events.db"));
    const packets = new PacketBatchWriter(join(dir, "packets.db"));
    for (const db of [events.db, packets.db]) assert.equal(db.pragma("journal_mode", { simple: true }), "off");
    events.finish({ events: "0" });
    packets.finish();
    for (const [name, kind] of [["events.db", "capture"], ["packets.db", "packets"]] as const) {
      const db = openDb(join(dir, name), kind, { readonly: true });
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal", name);
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
