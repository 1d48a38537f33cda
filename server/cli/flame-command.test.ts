// `casefile flame` against sysdig: on every fixture capture, and on a generated one whose threads
// are in containers, on the host and move between the two, each `proc;tid;syscall NS` line
// (DESIGN.md's contract) and with --containers each `container;proc;tid;syscall NS` line equals the sum of evt.latency that sysdig prints for that container, process, thread and
// call over its exit events (sysdig -r FILE -p "%evt.latency %thread.tid %evt.type %container.id
// %proc.name" "evt.dir=<"), so each container's and process's total is sysdig's too; with a
// filter and with a time range (as evt.rawtime bounds in sysdig's filter). Profiles print their
// folded lines.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fixtureCapture, fixtureCaptures, oracleFileFor, runCasefile, sysdigLines } from "../testing/oracle";
import { buildScenario } from "../testing/scap-scenario";
import { CONTAINER_SCENARIO } from "../testing/container-scenario";

/** sysdig's sums per proc;tid;type (containers: container;proc;tid;type), as folded lines
 *  sorted by byte order. */
function sysdigFolded(file: string, filter = "", containers = false): string[] {
  const sums = new Map<string, number>();
  const lines = sysdigLines(file, ["-p", "%evt.latency %thread.tid %evt.type %container.id %proc.name", filter ? `evt.dir=< and (${filter})` : "evt.dir=<"]);
  for (const l of lines) {
    const m = /^(\d+) (\d+) (\S+) (\S+) (.*)$/.exec(l);
    assert.ok(m, `a line of sysdig's output this test reads: ${JSON.stringify(l)}`);
    const k = `${containers ? `${m[4]};` : ""}${m[5]};${m[2]};${m[3]}`;
    sums.set(k, (sums.get(k) ?? 0) + Number(m[1]));
  }
  return [...sums.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => `${k} ${sums.get(k)}`);
}

function ours(args: string[]): string[] {
  const r = runCasefile(["flame", ...args], "utf8");
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean);
}

/** Totals per the first `depth` frames (1: container, 2: container;process). */
function perPrefix(lines: string[], depth: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) {
    const sp = l.lastIndexOf(" ");
    const k = l.slice(0, sp).split(";").slice(0, depth).join(";");
    m.set(k, (m.get(k) ?? 0) + Number(l.slice(sp + 1)));
  }
  return m;
}

test("every fixture: each line, and so each container's and process's total, is sysdig's sum of evt.latency", { timeout: 300_000 }, () => {
  let compared = 0;
  const containers = new Set<string>();
  for (const file of fixtureCaptures()) {
    // A fixture sysdig cannot open is compared with the one it was derived from.
    assert.deepEqual(ours([file]), sysdigFolded(oracleFileFor(file)), file);
    const expected = sysdigFolded(oracleFileFor(file), "", true);
    const got = ours([file, "--containers"]);
    assert.deepEqual(got, expected, file);
    assert.deepEqual(perPrefix(got, 2), perPrefix(expected, 2));
    for (const c of perPrefix(got, 1).keys()) containers.add(c);
    compared += got.length;
  }
  assert.ok(compared > 100, `${compared} lines compared`);
  // The psp captures' container, beside the host.
  assert.ok(containers.has("host") && containers.size >= 2, [...containers].join(" "));
});

test("threads in containers, on the host, and moving between them: each line is sysdig's", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-flame-containers-"));
  try {
    const file = join(dir, "containers.scap");
    writeFileSync(file, buildScenario(CONTAINER_SCENARIO).bytes);
    assert.deepEqual(ours([file]), sysdigFolded(file));
    const expected = sysdigFolded(file, "", true);
    const got = ours([file, "--containers"]);
    assert.deepEqual(got, expected);
    // Two containers and the host; a thread (runc → postgres) in two of them.
    assert.equal(perPrefix(got, 1).size, 3);
    const placesOf400 = new Set(got.filter((l) => l.split(";")[2] === "400").map((l) => l.split(";")[0]));
    assert.equal(placesOf400.size, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
    // gzip-compressed: told by content, as captures are.
    const gz = join(dir, "p.txt.gz");
    writeFileSync(gz, gzipSync("b;c 2\na;b 1\nb;c 3\n"));
    assert.deepEqual(ours([gz]), ["a;b 1", "b;c 5"]);
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, "a;b 1\na;b\n");
    const r = runCasefile(["flame", bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.txt: not a folded stack.*\(at line 2\)/);
    assert.match(runCasefile(["flame", folded, "--filter", "proc.name=x"]).stderr, /--filter applies to captures/);
    assert.match(runCasefile(["flame", folded, "--containers"]).stderr, /--containers applies to captures/);
    assert.match(runCasefile(["flame", fixtureCapture("curl_google.scap"), "--from", "yesterday"]).stderr, /--from wants ns/);
    assert.match(runCasefile(["flame", join(dir, "none")]).stderr, /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
