// Differential test: captures laid out as every libscap release wrote them (server/testing/
// writer-versions.ts), read by sysdig 0.29.3 and by casefile: every line of `events`, of
// `sysdig -r -D` (hidden events and their numbers), of a few filters that read the user and
// process lists, and lsof, netstat and ps at every event number. Plus the captures 0.29.3 cannot read to the end,
// where we keep its lines and read on (see block-versions.md).

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writerVersions, unreadableBySysdig, type WriterVersion } from "../../../testing/writer-versions";
import { outputLines, runCasefile, runSysdig, sysdigLines } from "../../../testing/oracle";
import { compareLines } from "../../../testing/compare";
import { STATE_COMMANDS, everyEventNumber, limited, ourStateLines, sysdigChiselAsync } from "../../../testing/state-oracle";
import { eventPrinter } from "../../events/printer";
import { readCaptureFile } from "../../../ingest/capture-stream";
import { ScapReader } from "./reader";
import * as B from "./blocks";
import { EVENTS, LEGACY_EVENT_COUNT } from "../../events/event-table";

const dir = mkdtempSync(join(tmpdir(), "casefile-writers-"));
const file = (v: WriterVersion) => {
  const f = join(dir, `${v.name}.scap`);
  writeFileSync(f, v.bytes);
  return f;
};
const lines = (s: string) => s.split("\n").filter((l) => l.length > 0);
const versions = writerVersions();
const totals = { lines: 0, same: 0 };

function same(what: string, ours: string[], theirs: string[]): void {
  const c = compareLines(ours, theirs);
  totals.lines += c.total;
  totals.same += c.same;
  assert.equal(c.percent, 100, `${what}: ${c.same}/${c.total} identical; first differences:\n${JSON.stringify(c.diffs, null, 1)}`);
}

for (const v of versions) {
  test(`${v.name}: events, -D, filters, lsof, netstat and ps identical to sysdig 0.29.3 (${v.about})`, async () => {
    const f = file(v);
    const theirs = sysdigLines(f);
    assert.ok(theirs.length >= 18, `sysdig read only ${theirs.length} events`);
    const ours = runCasefile(["events", f]);
    assert.equal(ours.status, 0, ours.stderr);
    same(`${v.name} events`, lines(ours.stdout), theirs);

    const hidden: string[] = [];
    await readCaptureFile(f, eventPrinter((l) => hidden.push(l), { showHidden: true }));
    same(`${v.name} -D`, hidden, sysdigLines(f, ["-D"]));

    let selected = 0;
    for (const filter of v.filters) {
      const theirsF = sysdigLines(f, [filter]);
      selected += theirsF.length;
      const oursF = runCasefile(["events", f, filter]);
      assert.equal(oursF.status, 0, oursF.stderr);
      same(`${v.name} "${filter}"`, lines(oursF.stdout), theirsF);
    }
    assert.ok(selected >= 10, `the filters selected only ${selected} events`);

    // lsof, netstat and ps at every event number, as sysdig's chisels print them there.
    const nums = everyEventNumber(f);
    const state = await ourStateLines(f, nums);
    let tables = 0;
    for (const cmd of STATE_COMMANDS) {
      const theirsAt = await limited(3, nums.map((n) => () => sysdigChiselAsync(f, cmd, n)));
      for (const [i, n] of nums.entries()) {
        if (theirsAt[i].length > 1) tables++;
        same(`${v.name} ${cmd} at ${n}`, state.get(n)?.[cmd] ?? [], theirsAt[i]);
      }
    }
    assert.ok(tables >= nums.length, `sysdig printed only ${tables} lsof/netstat/ps tables at ${nums.length} events`);
  });
}

test("every block type and version of scap_savefile.h is written by some writer version", () => {
  const seen = new Set<number>();
  for (const v of [...versions, ...unreadableBySysdig()]) {
    const dv = new DataView(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
    for (let o = 0; o < v.bytes.length; o += dv.getUint32(o + 4, true)) seen.add(dv.getUint32(o, true));
  }
  const all = [
    B.SHB_BLOCK_TYPE, B.MI_BLOCK_TYPE, B.MI_BLOCK_TYPE_INT, ...B.PL_BLOCK_VERSION.keys(),
    B.FDL_BLOCK_TYPE, B.FDL_BLOCK_TYPE_INT, B.FDL_BLOCK_TYPE_V2, ...B.EVENT_BLOCK_LAYOUT.keys(),
    B.IL_BLOCK_TYPE, B.IL_BLOCK_TYPE_INT, B.IL_BLOCK_TYPE_V2, B.UL_BLOCK_TYPE, B.UL_BLOCK_TYPE_INT, B.UL_BLOCK_TYPE_V2,
  ];
  const missing = all.filter((t) => !seen.has(t)).map((t) => `0x${t.toString(16)}`);
  assert.deepEqual(missing, [], "block types no test capture holds");
  assert.equal(all.length, 31);
});

test("a newer writer's events past 0.29.3's table are skipped without a number, and there are some", () => {
  const v = versions.find((x) => x.name === "libs-0.10-plus")!;
  const skipped: string[] = [];
  let read = 0;
  const reader = new ScapReader({ event: () => void read++ });
  reader.skipped = (type) => skipped.push(EVENTS[type]?.name ?? String(type));
  reader.push(v.bytes);
  reader.end();
  assert.deepEqual([...new Set(skipped)].sort(), ["asyncevent", "dup2", "groupadded", "groupdeleted", "mlock", "useradded", "userdeleted"]);
  assert.ok(LEGACY_EVENT_COUNT < EVENTS.length);
  // sysdig numbers exactly the events we deliver: its last evt.num with -D is our count.
  const last = sysdigLines(file(v), ["-D"]).at(-1)!;
  assert.equal(Number(last.split(" ")[0]), read);
});

for (const v of unreadableBySysdig()) {
  test(`${v.name}: sysdig 0.29.3 stops (${v.sysdigStops}); we keep every line it printed and read on`, () => {
    const f = file(v);
    const r = runSysdig(["-r", f]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr.toString(), new RegExp(v.sysdigStops!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const theirs = outputLines(r.stdout);
    const ours = runCasefile(["events", f]);
    assert.equal(ours.status, 0, ours.stderr);
    const got = lines(ours.stdout);
    assert.deepEqual(got.slice(0, theirs.length), theirs);
    assert.ok(got.length >= 18 && got.length > theirs.length, `${got.length} lines of ours, ${theirs.length} of sysdig`);
    // The events after the block are numbered on from the ones before.
    assert.deepEqual(got.map((l) => Number(l.split(" ")[0])), got.map((_, i) => i + 1));
  });
}

after(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`writer versions: ${versions.length} captures, ${totals.same}/${totals.lines} lines (events, -D, filters, lsof, netstat, ps at every event) identical to sysdig 0.29.3`);
});
