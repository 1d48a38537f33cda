// A live capture grows through the file ingest's pipeline: fed a real capture's bytes in odd
// pieces, the store answers queries on it while it grows (status live, each commit visible to a
// read-only connection), and once finished it renders every event exactly as sysdig -r prints
// the same bytes (the oracle).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { openStore } from "../api/store";
import { openDb } from "../../db/open-db";
import { formatLine } from "../core/events/printer";
import { timeOfDayBig } from "../core/events/local-time";
import { fixtureCapture, sysdigLines } from "../testing/oracle";
import { compareLines } from "../testing/compare";
import type { EventRow } from "../api/store-types";
import { LiveCapture } from "./live-capture";

process.env.TZ = "UTC";

function line(e: EventRow): string {
  return formatLine({
    num: e.num, time: timeOfDayBig(BigInt(e.ts)), cpu: e.cpu, proc: e.proc, tid: e.tid,
    type: e.dir === ">" ? 0 : 1, typeName: e.type, info: e.info,
  });
}

test("a live capture answers queries while it grows and ends as the capture sysdig reads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-live-capture-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  const catalog = openDb(join(dir, "catalog.db"), "catalog");
  try {
    const file = fixtureCapture("curl_google.scap");
    // The fixtures are mostly gzip: a live stream is the inflated scap bytes.
    const raw = readFileSync(file);
    const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    const theirs = sysdigLines(file);
    const live = LiveCapture.create(catalog, dir, "00000000000000aa", "live test");
    const seen: number[] = [];
    live.onCommit = (n) => seen.push(n);
    // Pieces of a prime size: blocks split anywhere.
    let grew = 0;
    for (let off = 0, k = 0; off < bytes.length; off += 7919, k++) {
      live.push(bytes.subarray(off, off + 7919));
      if (k % 5 === 4) {
        await live.commit();
        const c = store.getCapture(live.id)!;
        assert.equal(c.status, "live");
        assert.equal(c.events, live.events, "the catalog follows each commit");
        const page = await store.events(live.id, { from: 1, limit: 5000 });
        // Every committed event is readable, rendered as sysdig prints it.
        const ours = page.events.flatMap((e) => line(e).split("\n").filter(Boolean));
        const c2 = compareLines(ours, theirs.slice(0, ours.length));
        assert.equal(c2.percent, 100, JSON.stringify(c2.diffs, null, 1));
        if (page.events.length > grew) grew = page.events.length;
      }
    }
    assert.ok(grew > 0 && grew < theirs.length, `the readable events grew while the capture did (${grew} of ${theirs.length})`);
    const r = await live.finish();
    assert.equal(r.error, undefined);
    const c = store.getCapture(live.id)!;
    assert.equal(c.status, "ready");
    assert.ok(seen.length >= 3 && seen.every((n, i) => i === 0 || n >= seen[i - 1]), `commits: ${seen}`);
    const all: string[] = [];
    for (let from: number | null = 1; from !== null;) {
      const page = await store.events(live.id, { from, limit: 500 });
      for (const e of page.events) all.push(...line(e).split("\n").filter(Boolean));
      from = page.next;
    }
    const cmp = compareLines(all, theirs);
    assert.equal(cmp.percent, 100, JSON.stringify(cmp.diffs, null, 1));
    // The kept file is the bytes received: sysdig reads it as the source.
    assert.deepEqual(readFileSync(join(dir, "captures", `${live.id}.capture`)), bytes);
  } finally {
    catalog.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
