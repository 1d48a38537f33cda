// Analyses over a stored capture, checked against sysdig: the gaps between matching events are
// computed from `sysdig -r FILE FILTER` timestamps and must equal ours from SQL.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openStore } from "./store";
import { openDb } from "../../db/open-db";
import { EVENTS } from "../core/events/event-table";
import { GapFinder } from "../core/analyses/gaps";
import { activityBetween, ALL, findGaps, spectrogram, top } from "./analyses";
import { fixtureCapture, fixtureCaptures, sysdigLines } from "../testing/oracle";
import { fileSpectrogram } from "../cli/spectrogram-command";

process.env.TZ = "UTC";

async function stored(name: string) {
  const dir = mkdtempSync(join(tmpdir(), "casefile-analyses-"));
  const store = openStore(dir);
  const file = fixtureCapture(name);
  const id = await store.ingestFile(file, name);
  store.close();
  return { file, db: openDb(join(dir, "captures", `${id}.db`), "capture", { readonly: true }) };
}

/** ns since midnight from a sysdig line's time column (the captures do not cross midnight). */
function nsOfDay(line: string): number {
  const [h, m, s] = line.split(" ")[1].split(":");
  const [sec, ns] = s.split(".");
  return ((Number(h) * 60 + Number(m)) * 60 + Number(sec)) * 1e9 + Number(ns);
}

test("gaps of one thread's sendmsg calls equal those computed from sysdig's filtered output", async () => {
  const { file, db } = await stored("falco_ping_sendto.scap");
  const sendmsgEnter = EVENTS.findIndex((e, id) => e.name === "sendmsg" && id % 2 === 0);
  const ours = findGaps(db, { sql: "e.tid = ? AND e.type = ?", params: [738, sendmsgEnter] }, 500e6);
  const theirs = new GapFinder(500e6);
  for (const l of sysdigLines(file, ["thread.tid=738 and evt.type=sendmsg and evt.dir='>'"])) theirs.add(Number(l.split(" ")[0]), nsOfDay(l));
  assert.ok(theirs.gaps.length >= 5);
  assert.deepEqual(ours.map((g) => [g.num, g.prevNum]), theirs.gaps.map((g) => [g.num, g.prevNum]));
  ours.forEach((g, i) => assert.ok(Math.abs(g.gapNs - theirs.gaps[i].gapNs) < 1, "gap lengths are exact"));
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
    const theirs = new GapFinder(500e6);
    for (const l of sysdigLines(file, [filter])) theirs.add(Number(l.split(" ")[0]), nsOfDay(l));
    assert.ok(theirs.gaps.length >= 5);
    assert.deepEqual(ours.map((g) => [g.num, g.prevNum, Number(g.gapNs)]), theirs.gaps.map((g) => [g.num, g.prevNum, g.gapNs]));
  } finally {
    store.close();
  }
});

test("the stored spectrogram equals the file's (sysdig's evt.latency), on every capture", async () => {
  for (const file of fixtureCaptures().filter((f) => !f.endsWith("curl_google_comments.scap"))) {
    const { db } = await stored(basename(file));
    for (const bins of [1, 37]) {
      assert.deepEqual(spectrogram(db, ALL, bins), (await fileSpectrogram(file, undefined, bins)).spectrogram, `${basename(file)} ${bins} bins`);
    }
    db.close();
  }
});

test("spectrogram cells count every exit event with a latency; top syscalls count exits", async () => {
  const { file, db } = await stored("curl_google.scap");
  const s = spectrogram(db, ALL, 20);
  const withLatency = (db.prepare("SELECT count(*) AS n FROM events WHERE type % 2 = 1 AND latency IS NOT NULL").get() as { n: number }).n;
  assert.equal(s.cells.reduce((n, c) => n + c.count, 0), withLatency);
  assert.ok(s.cells.every((c) => c.t >= 0 && c.t < 20 && c.l >= 0 && c.l <= 12));
  const calls = top(db, ALL, "syscall", 5);
  const opens = sysdigLines(file, ["evt.type=open and evt.dir='<'"]).length;
  const openRow = top(db, ALL, "syscall", 100).find((r) => r.key === "open");
  assert.equal(openRow?.count, opens);
  assert.ok(calls[0].count >= calls[1].count);
  db.close();
});
