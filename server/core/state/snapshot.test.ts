// Snapshots: a table restored from its snapshot is the same table (same snapshot, same chisel
// output), and continuing the replay from a restored checkpoint reaches exactly the state that
// an uninterrupted replay reaches (the checkpoint + replay scheme the store relies on).

import { test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { readCaptureFile } from "../../ingest/capture-stream";
import { fixtureCapture, fixtureCaptures } from "../../testing/oracle";
import { StateReplay } from "./replay";
import { restore, snapshot } from "./snapshot";
import { lsofRows, lsofText, netstatRows, netstatText, psRows, psText } from "./tables";
import type { ThreadTable } from "./threads";
import { SCENARIOS } from "../../testing/chisel-scenarios";
import { buildScenario } from "../../testing/scap-scenario";
import { ScapReader } from "../formats/scap/reader";

/** Every fd of every thread with all its fields: what a snapshot must keep beyond its own text
 *  (a field the snapshot forgets is invisible to snapshot(restore(x)) === x). */
/** An fd's fields, with absent, undefined and false alike (restore leaves out what is unset). */
const plain = (f: object) => JSON.parse(JSON.stringify(f, (_k, v) => (v === false ? undefined : v)));

function allFds(t: ThreadTable): unknown[] {
  return [...t.threads.values()]
    .flatMap((th) => [...th.fds.entries()].map(([n, f]) => [th.tid, n, plain(f)] as [number, number, object]))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function chisels(t: ThreadTable): string {
  return [...lsofText(lsofRows(t)), ...netstatText(netstatRows(t)), ...psText(psRows(t))].join("\n");
}

/** Snapshots at the given event numbers, replaying from `start` (a restored table) or anew. */
async function snapshotsAt(
  source: string | Uint8Array, nums: Set<number>, start?: { table: ThreadTable; after: number },
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const replay = new StateReplay(start?.table, start?.after ?? 0, (num, table) => {
    if (nums.has(num)) {
      out.set(num, snapshot(table));
      fdsAt.set(num, allFds(table));
      chiselsAt.set(num, chisels(table));
    }
  });
  if (typeof source === "string") await readCaptureFile(source, replay);
  else {
    const r = new ScapReader(replay);
    r.push(source);
    r.end();
  }
  return out;
}

const fdsAt = new Map<number, unknown[]>();
/** The lsof/netstat/ps text of the replayed table itself at each snapshot point. */
const chiselsAt = new Map<number, string>();

async function roundTrip(source: string | Uint8Array, last: number): Promise<void> {
  const points = [...new Set([1, 2, 3, Math.floor(last / 3), Math.floor(last / 2), last - 1, last])].filter((n) => n >= 1 && n <= last);
  const full = await snapshotsAt(source, new Set(points));
  // Every point was reached: otherwise the checks below would compare undefined with undefined.
  assert.deepEqual([...full.keys()].sort((a, b) => a - b), points.sort((a, b) => a - b));
  const fullFds = new Map(fdsAt);
  const fullChisels = new Map(chiselsAt);
  for (const k of points) {
    const snap = full.get(k)!;
    const restored = restore(snap);
    // The same table: the same snapshot, the same fds, and the same chisel output.
    assert.equal(snapshot(restored), snap);
    assert.deepEqual(allFds(restored), fullFds.get(k), `fds at ${k}`);
    // Against the table that was snapshotted, not against another restore of the same text.
    assert.equal(chisels(restored), fullChisels.get(k), `lsof/netstat/ps at ${k}`);
    // Continuing from the checkpoint gets where the uninterrupted replay got.
    const later = points.filter((m) => m > k);
    if (later.length === 0) continue;
    const cont = await snapshotsAt(source, new Set(later), { table: restored, after: k });
    assert.equal(cont.size, later.length, `the replay from checkpoint ${k} reached every later point`);
    for (const m of later) assert.equal(cont.get(m), full.get(m), `from checkpoint ${k} to event ${m}`);
  }
}

async function eventCount(source: string): Promise<number> {
  const r = new StateReplay();
  await readCaptureFile(source, r);
  return r.num;
}

for (const file of fixtureCaptures()) {
  test(`snapshot round trip and replay from checkpoints: ${basename(file)}`, async () => {
    // Every fixture has events (falco_empty.scap too: none that sysdig prints, 143 it numbers).
    const last = await eventCount(file);
    assert.ok(last > 0, "no events read");
    await roundTrip(file, last);
  });
}

for (const s of SCENARIOS) {
  test(`snapshot round trip and replay from checkpoints: scenario "${s.name}"`, async () => {
    const { bytes, events } = buildScenario(s);
    await roundTrip(bytes, events);
  });
}

test("a snapshot is compact", async () => {
  const file = fixtureCapture("curl_google.scap");
  const snaps = await snapshotsAt(file, new Set([1000]));
  const snap = snaps.get(1000)!;
  const t = restore(snap);
  let fds = 0;
  const tables = new Set();
  for (const th of t.threads.values()) if (!tables.has(th.fds)) { tables.add(th.fds); fds += th.fds.size; }
  // Per thread and per fd, well under what an object-per-field JSON would take.
  assert.ok(snap.length < 200 * t.threads.size + 60 * fds, `${snap.length} bytes for ${t.threads.size} threads, ${fds} fds`);
});
