// The state at any event of a stored capture (checkpoint + replay of stored events) must print
// the same lsof/netstat/ps as replaying the capture file up to that event, which the chisel
// differential tests hold equal to sysdig's.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openDb } from "../../db/open-db";
import { ingestCapture } from "../ingest/ingest";
import { storedStateAt } from "./state-at";
import { stateAt, stateLines } from "../cli/state-commands";
import { sharedCaptures } from "../testing/oracle";

process.env.TZ = "UTC";

for (const file of sharedCaptures().filter((f) => !/comments|falco_empty/.test(f))) {
  test(`${basename(file)}: lsof, netstat and ps from checkpoints equal the file replay`, async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "casefile-state-")), "c.db");
    const r = await ingestCapture(dbPath, file, undefined, { checkpointEvery: 97 });
    const db = openDb(dbPath, "capture", { readonly: true });
    const cps = (db.prepare("SELECT count(*) AS n FROM checkpoints").get() as { n: number }).n;
    assert.equal(cps, 1 + Math.floor(r.events / 97));
    const picks = [1, 2, 96, 97, 98, Math.floor(r.events / 2), r.events - 1, r.events];
    for (const at of picks) {
      const fromFile = (await stateAt(file, at)).table;
      const stored = storedStateAt(db, at);
      if (!fromFile) {
        assert.equal(stored, undefined, `at ${at}: no state for the chisels, none stored either`);
        continue;
      }
      assert.ok(stored, `at ${at}`);
      for (const cmd of ["lsof", "netstat", "ps"] as const) {
        assert.deepEqual(stateLines(cmd, stored), stateLines(cmd, fromFile), `${cmd} at ${at}`);
      }
    }
    assert.equal(storedStateAt(db, r.events + 1), undefined);
    db.close();
  });
}
