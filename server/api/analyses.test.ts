// Analyses over a stored capture, checked against sysdig: the gaps between matching events and
// the spectrogram cells are computed from `sysdig -r FILE -p ...` output by plain code
// (testing/sysdig-analyses.ts, not our GapFinder or SpectrogramBuilder) and must equal ours
// from SQL.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openStore } from "./store";
import { openDb } from "../../db/open-db";
import { EVENTS } from "../core/events/event-table";
import { activityBetween, ALL, findGaps, spectrogram, top } from "./analyses";
import { fixtureCapture, fixtureCaptures, sysdigLines } from "../testing/oracle";
import { expectedSpectrogram, sysdigGaps, sysdigLatencies } from "../testing/sysdig-analyses";

process.env.TZ = "UTC";

async function stored(name: string) {
  const dir = mkdtempSync(join(tmpdir(), "casefile-analyses-"));
  const store = openStore(dir);
  const file = fixtureCapture(name);
  const id = await store.ingestFile(file, name);
  store.close();
  return { file, db: openDb(join(dir, "captures", `${id}.db`), "capture", { readonly: true }) };
}

test("gaps of one thread's sendmsg calls equal those computed from sysdig's filtered output", async () => {
  const { file, db } = await stored("falco_ping_sendto.scap");
  const sendmsgEnter = EVENTS.findIndex((e, id) => e.name === "sendmsg" && id % 2 === 0);
  const ours = findGaps(db, { sql: "e.tid = ? AND e.type = ?", params: [738, sendmsgEnter] }, 500e6);
  const theirs = sysdigGaps(file, "thread.tid=738 and evt.type=sendmsg and evt.dir='>'", 500_000_000n);
  assert.ok(theirs.length >= 5);
  assert.deepEqual(ours.map((g) => [g.num, g.prevNum]), theirs.map((g) => [g.num, g.prevNum]));
  ours.forEach((g, i) => assert.equal(BigInt(g.gapNs), theirs[i].gapNs, "gap lengths are exact"));
  // What ran in the first gap: other events, by process and type, busiest first.
  const act = activityBetween(db, ours[0].prevNum, ours[0].num);
  assert.ok(act.length > 0);
  const total = act.reduce((n, r) => n + r.count, 0);
  const sysdigCount = sysdigLines(file, [`evt.num>${ours[0].prevNum} and evt.num<${ours[0].num}`]).length;
  assert.equal(total, sysdigCount);
  db.close();
});

test("gaps under a filter SQL cannot answer are replayed from the kept file, equal to sysdig's", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-analyses-"));
  const store = openStore(dir);
  try {
    const file = fixtureCapture("falco_ping_sendto.scap");
    const id = await store.ingestFile(file, "ping.scap");
    const filter = "evt.type=sendmsg and evt.arg.size=64"; // evt.arg.*: not in the columns
    const ours = (await store.gaps(id, filter, 500e6))!;
    const theirs = sysdigGaps(file, filter, 500_000_000n);
    assert.ok(theirs.length >= 5);
    assert.deepEqual(ours.map((g) => [g.num, g.prevNum, BigInt(g.gapNs)]), theirs.map((g) => [g.num, g.prevNum, g.gapNs]));
  } finally {
    store.close();
  }
});

test("the stored spectrogram equals the cells of sysdig's evt.latency, on every capture", async () => {
  let counted = 0;
  for (const file of fixtureCaptures().filter((f) => !f.endsWith("curl_google_comments.scap"))) {
    const { db } = await stored(basename(file));
    const theirs = sysdigLatencies(file);
    for (const bins of [1, 37]) {
      assert.deepEqual(spectrogram(db, ALL, bins), expectedSpectrogram(theirs, bins), `${basename(file)} ${bins} bins`);
    }
    counted += theirs.exits.length;
    db.close();
  }
  assert.ok(counted > 500, `${counted} exit events compared`);
});

test("spectrogram cells count every exit event with a latency; top syscalls count exits", async () => {
  const { file, db } = await stored("curl_google.scap");
  const s = spectrogram(db, ALL, 20);
  // Every exit event sysdig gives a latency, counted once (not our own table's count).
  assert.equal(s.cells.reduce((n, c) => n + c.count, 0), sysdigLatencies(file).exits.length);
  assert.ok(s.cells.every((c) => c.t >= 0 && c.t < 20 && c.l >= 0 && c.l <= 12));
  const calls = top(db, ALL, "syscall", 5);
  const opens = sysdigLines(file, ["evt.type=open and evt.dir='<'"]).length;
  const openRow = top(db, ALL, "syscall", 100).find((r) => r.key === "open");
  assert.equal(openRow?.count, opens);
  assert.ok(calls[0].count >= calls[1].count);
  db.close();
});
