// Differential tests of the lsof, netstat and ps chisels: sysdig 0.29.3's
// `sysdig -r FILE -c lsof|netstat|ps "" "evt.num=N"` and ours, line by line:
// - on every shared capture, at its first and last events, evenly spaced ones and the events
//   just before, at and after close, dup, fcntl, socket calls, execve, clone/fork, procexit...;
// - on synthetic captures (testing/chisel-scenarios.ts) for what the shared captures lack, at every event;
// - through the command line (`casefile lsof FILE --at N`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fixtureCapture, fixtureCaptures, oracleFileFor, runCasefile } from "../../testing/oracle";
import { compareLines } from "../../testing/compare";
import {
  STATE_COMMANDS, limited, ourStateLines, probeNumbers, sysdigChiselAsync,
} from "../../testing/state-oracle";
import { SCENARIOS } from "../../testing/chisel-scenarios";
import { buildScenario } from "../../testing/scap-scenario";
import { NO_MATCH } from "./tables";

// utf8, as the chisels' output is compared.
const casefile = (args: string[]) => runCasefile(args, "utf8");

process.env.TZ = "UTC";

/** Compares at each event number; returns per-command pass counts and the first differences. */
async function compareAt(file: string, oracle: string, nums: number[]) {
  const ours = await ourStateLines(file, nums);
  const jobs = nums.flatMap((n) => STATE_COMMANDS.map((cmd) => async () => ({ n, cmd, theirs: await sysdigChiselAsync(oracle, cmd, n) })));
  const results = await limited(4, jobs);
  const pass: Record<string, number> = { lsof: 0, netstat: 0, ps: 0 };
  const diffs: string[] = [];
  for (const { n, cmd, theirs } of results) {
    const mine = ours.get(n)?.[cmd] ?? [NO_MATCH];
    const c = compareLines(mine, theirs, 3);
    if (c.same === c.total) pass[cmd]++;
    else if (diffs.length < 5) diffs.push(`${cmd} @${n}: ${JSON.stringify(c.diffs)}`);
  }
  return { pass, diffs };
}

for (const file of fixtureCaptures()) {
  test(`lsof, netstat, ps of ${basename(file)} equal sysdig's at probed events`, async (t) => {
    const oracle = oracleFileFor(file);
    // Every fixture has events sysdig numbers (falco_empty.scap too, with -D): never a skip.
    const nums = probeNumbers(oracle, 10, 1);
    assert.ok(nums.length >= 10, `only ${nums.length} event numbers`);
    const { pass, diffs } = await compareAt(file, oracle, nums);
    t.diagnostic(`${basename(file)}: ${STATE_COMMANDS.map((c) => `${c} ${pass[c]}/${nums.length}`).join(", ")}`);
    assert.deepEqual(diffs, []);
  });
}

const dir = mkdtempSync(join(tmpdir(), "casefile-chisels-"));

for (const s of SCENARIOS) {
  test(`scenario "${s.name}": lsof, netstat, ps equal sysdig's at every event`, async (t) => {
    const { bytes, events } = buildScenario(s);
    const file = join(dir, `${s.name.replace(/\W+/g, "-")}.scap`);
    writeFileSync(file, bytes);
    const nums = Array.from({ length: events }, (_, i) => i + 1);
    const { pass, diffs } = await compareAt(file, file, nums);
    t.diagnostic(`${s.name}: ${STATE_COMMANDS.map((c) => `${c} ${pass[c]}/${nums.length}`).join(", ")}`);
    assert.deepEqual(diffs, []);
  });
}

test("casefile lsof|netstat|ps FILE --at N print what the chisels print", async () => {
  const file = fixtureCapture("curl_google.scap");
  for (const cmd of STATE_COMMANDS) {
    const { stdout: out, status: code } = casefile([cmd, file, "--at", "1187"]);
    assert.equal(code, 0);
    const theirs = await sysdigChiselAsync(file, cmd, 1187);
    assert.deepEqual(out.split("\n").filter((l) => l.length > 0), theirs);
  }
  // No such event: the chisel's own sentence, exit status 0, as sysdig.
  const beyond = casefile(["ps", file, "--at", "999999"]);
  assert.equal(beyond.status, 0);
  assert.equal(beyond.stdout, `${NO_MATCH}\n`);
  assert.deepEqual(await sysdigChiselAsync(file, "ps", 999999), [NO_MATCH]);
  // Container events ahead of everything else take numbers, but no chisel sees them.
  const leadingFile = fixtureCapture("falco_open-multiple-files.scap");
  assert.equal(casefile(["lsof", leadingFile, "--at", "2"]).stdout, `${NO_MATCH}\n`);
  assert.deepEqual(await sysdigChiselAsync(leadingFile, "lsof", 2), [NO_MATCH]);
  // An empty chisel filter is no filter; a real one keeps the rows sysdig keeps (the filters
  // themselves: server/core/filter/chisel-filter.diff.test.ts).
  assert.equal(casefile(["lsof", file, "--at", "10", "--filter", ""]).status, 0);
  const filtered = casefile(["lsof", file, "--at", "1187", "--filter", "proc.name=curl"]);
  assert.equal(filtered.status, 0);
  assert.deepEqual(filtered.stdout.split("\n").filter((l) => l.length > 0), await sysdigChiselAsync(file, "lsof", 1187, "proc.name=curl"));
  const refused = casefile(["lsof", file, "--at", "1187", "--filter", "'evt.type=open'"]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /not supported for thread table filtering/);
  assert.match(casefile(["lsof", file]).stderr, /usage: casefile lsof FILE --at N/);
  assert.match(casefile(["ps", "/nonexistent.scap", "--at", "1"]).stderr, /no such file/);
});
