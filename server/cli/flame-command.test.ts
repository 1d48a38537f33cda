// `casefile flame` against sysdig: on every fixture capture, each `proc;tid;syscall NS` line
// equals the sum of evt.latency that sysdig prints for that process, thread and call over its
// exit events (sysdig -r FILE -p "%evt.latency %thread.tid %evt.type %proc.name" "evt.dir=<"),
// so each process's total is sysdig's too; with a filter and with a time range (as evt.rawtime
// bounds in sysdig's filter). Profiles print their folded lines.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureCapture, fixtureCaptures, oracleFileFor, runCasefile, sysdigLines } from "../testing/oracle";

/** sysdig's sums per proc;tid;type, as folded lines sorted by byte order. */
function sysdigFolded(file: string, filter = ""): string[] {
  const sums = new Map<string, number>();
  const lines = sysdigLines(file, ["-p", "%evt.latency %thread.tid %evt.type %proc.name", filter ? `evt.dir=< and (${filter})` : "evt.dir=<"]);
  for (const l of lines) {
    const m = /^(\d+) (\d+) (\S+) (.*)$/.exec(l);
    assert.ok(m, `a line of sysdig's output this test reads: ${JSON.stringify(l)}`);
    const k = `${m[4]};${m[2]};${m[3]}`;
    sums.set(k, (sums.get(k) ?? 0) + Number(m[1]));
  }
  return [...sums.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => `${k} ${sums.get(k)}`);
}

function ours(args: string[]): string[] {
  const r = runCasefile(["flame", ...args], "utf8");
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean);
}

function perProcess(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) {
    const sp = l.lastIndexOf(" ");
    const proc = l.slice(0, l.indexOf(";"));
    m.set(proc, (m.get(proc) ?? 0) + Number(l.slice(sp + 1)));
  }
  return m;
}

test("every fixture: each line, and so each process's total, is sysdig's sum of evt.latency", { timeout: 300_000 }, () => {
  let compared = 0;
  for (const file of fixtureCaptures()) {
    // A fixture sysdig cannot open is compared with the one it was derived from.
    const expected = sysdigFolded(oracleFileFor(file));
    const got = ours([file]);
    assert.deepEqual(got, expected, file);
    assert.deepEqual(perProcess(got), perProcess(expected));
    compared += got.length;
  }
  assert.ok(compared > 100, `${compared} lines compared`);
});

test("a filter and a time range select what sysdig's filter selects", { timeout: 120_000 }, () => {
  const file = fixtureCapture("curl_google.scap");
  assert.deepEqual(ours([file, "--filter", "fd.type=ipv4 or fd.type=file"]), sysdigFolded(file, "fd.type=ipv4 or fd.type=file"));
  // A range in the middle of the capture, from sysdig's own timestamps.
  const times = sysdigLines(file, ["-p", "%evt.rawtime", "evt.dir=<"]).map(BigInt);
  const lo = times[Math.floor(times.length / 3)];
  const hi = times[Math.floor((2 * times.length) / 3)];
  const expected = sysdigFolded(file, `evt.rawtime>=${lo} and evt.rawtime<${hi}`);
  assert.ok(expected.length > 3);
  assert.deepEqual(ours([file, "--from", String(lo), "--to", String(hi)]), expected);
  // +DURATION after the first event.
  const first = BigInt(sysdigLines(file, ["-p", "%evt.rawtime"])[0]);
  assert.deepEqual(ours([file, "--to", `+${hi - first}ns`]), sysdigFolded(file, `evt.rawtime<${hi}`));
});

test("a profile prints its folded lines; bad options and bad files get one line each", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-flame-"));
  try {
    const folded = join(dir, "p.txt");
    writeFileSync(folded, "b;c 2\na;b 1\nb;c 3\n");
    assert.deepEqual(ours([folded]), ["a;b 1", "b;c 5"]);
    const profile = join(dir, "p.profile");
    writeFileSync(profile, "# casefile-profile section=on-cpu unit=samples hz=99\nx;y 4\n# casefile-profile section=off-cpu unit=ns\nx;z 100\n");
    assert.deepEqual(ours([profile]), ["# casefile-profile section=on-cpu unit=samples hz=99", "x;y 4", "# casefile-profile section=off-cpu unit=ns", "x;z 100"]);
    assert.deepEqual(ours([profile, "--section", "off-cpu"]), ["x;z 100"]);
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, "a;b 1\na;b\n");
    const r = runCasefile(["flame", bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.txt: not a folded stack.*\(at line 2\)/);
    assert.match(runCasefile(["flame", folded, "--filter", "proc.name=x"]).stderr, /--filter applies to captures/);
    assert.match(runCasefile(["flame", fixtureCapture("curl_google.scap"), "--from", "yesterday"]).stderr, /--from wants ns/);
    assert.match(runCasefile(["flame", join(dir, "none")]).stderr, /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
