// Replays every regression file the fuzzer saved (test/fixtures/fuzz/, README there): none may
// crash the events path or ingest, every error names its byte offset (of the inflated data),
// ingest keeps exactly the events read before the damage, and what we print agrees with
// `sysdig -r` on the same file: every line we print is sysdig's line at that place, and where
// sysdig stops at the damage (an error, or a crash on a lying count) it printed exactly ours.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, outputLines, runCasefile, runSysdigMayCrash } from "./oracle";
import { runCase, scratch } from "./fuzz";

const DIR = join(PROJECT_ROOT, "test/fixtures/fuzz");
const files = readdirSync(DIR).filter((f) => f !== "README.md").sort();

test("every fuzz regression file has its README row, and every row a file", () => {
  const rows = readFileSync(join(DIR, "README.md"), "utf8").split("\n")
    .map((l) => /^\| ([^ |]+\.scap(?:\.gz)?) \|/.exec(l)?.[1]).filter((x): x is string => Boolean(x)).sort();
  assert.deepEqual(rows, files);
});

for (const name of files) {
  test(`fuzz regression ${name}: no crash, the offset named, ingest keeps the events before the damage, as sysdig prints them`, async () => {
    const file = join(DIR, name);
    const { dir, done } = scratch();
    try {
      const out = await runCase(file, { ingest: join(dir, "ingest.sqlite") });
      const ours = runCasefile(["events", file]);
      const lines = outputLines(Buffer.from(ours.stdout, "latin1"));
      assert.equal(lines.length, out.lines);
      assert.equal(ours.status, out.damage ? 2 : 0);
      if (out.damage) assert.equal(ours.stderr, `casefile: ${file}: ${out.damage.message}\n`);
      // On a lying parameter count sysdig 0.29.3 dies of a segmentation fault: what it
      // printed before is the oracle.
      const sysdig = runSysdigMayCrash(["-r", file]);
      const theirs = outputLines(sysdig.stdout);
      assert.deepEqual(lines, theirs.slice(0, lines.length), "every line we print is sysdig's");
      if (sysdig.status !== 0) assert.equal(lines.length, theirs.length, `sysdig stopped (status ${sysdig.status ?? sysdig.signal}) after the same events`);
    } finally {
      done();
    }
  });
}
