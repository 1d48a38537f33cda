// The f64rows extension (db/f64rows.c) stores exactly what bound values store: every table of
// every shared capture compared row by row, with and without it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openDb } from "../../db/open-db";
import { sharedCaptures } from "../testing/oracle";
import { ingestCapture } from "./ingest";
import { F64ROWS_PATH } from "./sqlite-batch-writer";

test("the f64rows extension is built, and stores the rows bound values store", async () => {
  assert.ok(F64ROWS_PATH, "dist/f64rows.so (scripts/build-cli.sh builds it)");
  const dir = mkdtempSync(join(tmpdir(), "casefile-f64rows-"));
  let rows = 0;
  for (const file of sharedCaptures()) {
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
