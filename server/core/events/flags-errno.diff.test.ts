// flags.ts and errno.ts checked against sysdig 0.29.3: a generated capture holds one event per
// flag bit of every flag table a 0.29.3 event uses (unnamed bits and combinations too; every
// value of enum tables), one per errno value and one per signal number; `sysdig -r` and
// `casefile events` print it.
// The parameter under test must print the same on every line; whole lines are compared and
// counted too, and the lines that differ elsewhere (rules outside flags and errno names) are
// listed, so that the count cannot hide them.
//
// Run: TZ=UTC node --import tsx --test server/core/events/flags-errno.diff.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { buildFlagsErrnoCapture } from "../../testing/flags-errno-capture";
import { runCasefile, sysdigLines } from "../../testing/oracle";

/** The text of the n-th `name=` argument of a printed event line (arguments are separated by
 *  spaces; flag, mode and errno texts hold none). */
function argText(line: string, name: string, occurrence: number): string | undefined {
  const args = line.split(" ").filter((a) => a.startsWith(`${name}=`));
  return args[occurrence]?.slice(name.length + 1);
}

test("every flag bit, errno value and signal number prints as sysdig 0.29.3 prints it", () => {
  const cap = buildFlagsErrnoCapture();
  const dir = mkdtempSync(join(tmpdir(), "casefile-flags-"));
  try {
    const file = join(dir, "flags-errno.scap");
    writeFileSync(file, cap.bytes);
    const want = sysdigLines(file);
    const got = runCasefile(["events", file]);
    assert.equal(got.status, 0, got.stderr);
    const ours = got.stdout.split("\n").filter((l) => l.length > 0);
    assert.equal(want.length, cap.events, "sysdig printed every event written");
    assert.equal(ours.length, cap.events, "casefile printed every event written");

    const flagValues = cap.flagTables.reduce((n, t) => n + t.values.length, 0);
    let sameLines = 0;
    let sameArgs = 0;
    const argDiffs: string[] = [];
    const otherDiffs: string[] = [];
    cap.tested.forEach(({ param, occurrence }, i) => {
      const w = want[i]!;
      const o = ours[i]!;
      const wa = argText(w, param, occurrence);
      assert.ok(wa !== undefined, `sysdig line ${i + 1} has no ${param}=: ${w}`);
      if (wa === argText(o, param, occurrence)) sameArgs++;
      else argDiffs.push(`  sysdig: ${w}\n  ours:   ${o}`);
      if (w === o) sameLines++;
      else if (wa === argText(o, param, occurrence)) otherDiffs.push(`  sysdig: ${w}\n  ours:   ${o}`);
    });
    console.log(
      `flag tables: ${cap.flagTables.length} checked with ${flagValues} values ` +
      `(${cap.flagTables.map((t) => `${t.table} ${t.values.length}`).join(", ")}); ` +
      `${cap.unusedTables.length} tables that no parameter of a sysdig 0.29.3 event carries, not checked (${cap.unusedTables.join(", ")}); ` +
      `errno values: ${cap.errnoValues.length} (through an ERRNO and an FD parameter); signal numbers: ${cap.signalValues.length}; ` +
      `tested arguments identical: ${sameArgs}/${cap.events}; whole lines identical: ${sameLines}/${cap.events}`,
    );
    if (otherDiffs.length) {
      console.log(`lines that differ outside the tested argument (${otherDiffs.length}):\n${otherDiffs.slice(0, 20).join("\n")}`);
    }
    assert.equal(argDiffs.length, 0, `${argDiffs.length} flag/errno texts differ:\n${argDiffs.slice(0, 40).join("\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
