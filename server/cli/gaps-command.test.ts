// `casefile gaps` against the gaps computed from sysdig's own filtered output.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { GapFinder } from "../core/analyses/gaps";
import { fixtureCapture, PROJECT_ROOT, sysdigLines } from "../testing/oracle";

const nsOfDay = (line: string) => {
  const [h, m, s] = line.split(" ")[1].split(":");
  const [sec, ns] = s.split(".");
  return ((Number(h) * 60 + Number(m)) * 60 + Number(sec)) * 1e9 + Number(ns);
};

for (const [capture, filter, min] of [
  ["falco_ping_sendto.scap", "evt.type=sendmsg and evt.dir='>'", 900e6],
  ["curl_google.scap", "proc.name=curl and evt.type=read", 1e6],
  ["single_ipv6_conn.scap", "fd.type=ipv6", 1e9],
] as const) {
  test(`casefile gaps on ${capture} with ${filter}: the gaps of sysdig's filtered output`, () => {
    const file = fixtureCapture(capture);
    const expected = new GapFinder(min);
    for (const l of sysdigLines(file, [filter])) expected.add(Number(l.split(" ")[0]), nsOfDay(l));
    assert.ok(expected.gaps.length > 0, "the scenario has gaps");
    const r = spawnSync(join(PROJECT_ROOT, "bin/casefile"), ["gaps", file, "--filter", filter, "--min", `${min}ns`], { env: { ...process.env, TZ: "UTC" } });
    assert.equal(r.status, 0, r.stderr.toString());
    const got = r.stdout.toString().trim().split("\n").map((l) => {
      const m = /^gap \S+ after #(\d+): (\d+) /.exec(l)!;
      return [Number(m[2]), Number(m[1])];
    });
    assert.deepEqual(got, expected.gaps.map((g) => [g.num, g.prevNum]));
  });
}
