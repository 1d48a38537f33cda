// `casefile gaps` against the gaps computed from sysdig's own filtered output: sysdig prints each
// matching event's number and raw time, and plain code (testing/sysdig-analyses.ts, not our
// GapFinder) finds the gaps, so a mistake in our gap rule cannot agree with itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureCapture, runCasefile, sysdigLines } from "../testing/oracle";
import { sysdigGaps } from "../testing/sysdig-analyses";

/** A printed duration (5.002s, 12.5ms, 800ns) in ns, and half of its last digit's weight. */
function printedDuration(text: string): { ns: number; halfUlp: number } {
  const m = /^(\d+(?:\.(\d+))?)(ns|us|ms|s)$/.exec(text);
  assert.ok(m, `not a duration: ${text}`);
  const unit = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[m[3] as "ns" | "us" | "ms" | "s"];
  return { ns: Number(m[1]) * unit, halfUlp: (unit / 10 ** (m[2]?.length ?? 0)) / 2 };
}

for (const [capture, filter, min] of [
  ["falco_ping_sendto.scap", "evt.type=sendmsg and evt.dir='>'", 900_000_000n],
  ["curl_google.scap", "proc.name=curl and evt.type=read", 1_000_000n],
  ["single_ipv6_conn.scap", "fd.type=ipv6", 1_000_000_000n],
] as const) {
  test(`casefile gaps on ${capture} with ${filter}: the gaps of sysdig's filtered output`, () => {
    const file = fixtureCapture(capture);
    const expected = sysdigGaps(file, filter, min);
    assert.ok(expected.length > 0, "the scenario has gaps");
    // The event after each gap is printed as sysdig prints it with the same filter.
    const sysdigLine = new Map(sysdigLines(file, [filter]).map((l) => [Number(l.split(" ")[0]), l]));
    const r = runCasefile(["gaps", file, "--filter", filter, "--min", `${min}ns`]);
    assert.equal(r.status, 0, r.stderr);
    const got = r.stdout.split("\n").filter((l) => l.length > 0);
    assert.equal(got.length, expected.length, r.stdout);
    got.forEach((l, i) => {
      const m = /^gap (\S+) after #(\d+): (.*)$/.exec(l);
      assert.ok(m, l);
      const e = expected[i];
      assert.equal(Number(m[2]), e.prevNum, l);
      assert.equal(m[3], sysdigLine.get(e.num), l);
      const d = printedDuration(m[1]);
      assert.ok(Math.abs(d.ns - Number(e.gapNs)) <= d.halfUlp, `${m[1]} for a gap of ${e.gapNs} ns`);
    });
  });
}
