// The seed stories with packets, reproduced on this machine by the scripts in scripts/seeds/
// (root: network namespaces) and found by the command line, each checked against tshark on the
// same fresh recording:
// - the flapping load balancer: VRRP adverts one a second, then a stall; `casefile gaps FILE
//   --filter vrrp.vrid=51 --min 3s` lists the stall, as tshark's time deltas show it;
// - the MTU-1480 hop: `casefile packets FILE 'icmp.type=3 and icmp.code=4'` lists the
//   frag-needed packets with their MTU: the packet numbers and the MTU each line names are
//   tshark's (icmp.mtu).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, runCasefile } from "../testing/oracle";
import { tsharkLines } from "../testing/tshark-analysis";

function record(script: string, out: string, args: string[] = []): void {
  assert.equal(process.getuid?.(), 0, "the seed-story scripts build network namespaces: run the tests as root");
  const r = spawnSync(join(PROJECT_ROOT, "scripts/seeds", script), [out, ...args], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, `${script}: ${r.stderr}`);
}

test("the VRRP stall is found by casefile gaps, as tshark's time deltas show it", () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-vrrp-"));
  try {
    const file = join(dir, "vrrp.pcap");
    // 8 adverts a second apart, the 4th followed by a 4 s stall (a 5 s gap).
    record("vrrp-stall.sh", file, ["8", "3", "4"]);
    const deltas = tsharkLines(file, ["-Y", "vrrp.virt_rtr_id == 51", "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed"])
      .map((l) => l.split("\t")).map(([n, d]) => ({ num: Number(n), ns: Math.round(Number(d) * 1e9) }));
    assert.equal(deltas.length, 8, "tshark sees the 8 adverts");
    const expected = deltas.map((d, i) => ({ ...d, prev: deltas[i - 1]?.num })).filter((d) => d.ns > 3e9);
    assert.equal(expected.length, 1, "tshark sees one stall");
    const r = runCasefile(["gaps", file, "--filter", "vrrp.vrid=51", "--min", "3s"], "utf8");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1, r.stdout);
    const m = /^gap (\d+(?:\.\d+)?)s after #(\d+): (\d+) +\S+ 192\.168\.205\.8 → 224\.0\.0\.18 VRRP 54 /.exec(lines[0]);
    assert.ok(m, lines[0]);
    assert.equal(Number(m[2]), expected[0].prev);
    assert.equal(Number(m[3]), expected[0].num);
    assert.ok(Math.abs(Number(m[1]) * 1e9 - expected[0].ns) <= 0.0005e9, `${m[1]}s vs tshark's ${expected[0].ns} ns`);
    // A threshold above the stall finds nothing; below the interval, every advert.
    assert.equal(runCasefile(["gaps", file, "--filter", "vrrp.vrid=51", "--min", "6s"]).stdout, "");
    assert.equal(runCasefile(["gaps", file, "--filter", "vrrp.vrid=51", "--min", "500ms"]).stdout.trim().split("\n").length, 7);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the frag-needed packets of the MTU-1480 hop carry MTU 1480, as tshark reads them", () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-mtu-"));
  try {
    const file = join(dir, "mtu.pcap");
    record("mtu-1480.sh", file);
    const theirs = tsharkLines(file, ["-Y", "icmp.type == 3 and icmp.code == 4", "-T", "fields", "-e", "frame.number", "-e", "icmp.mtu"]);
    assert.ok(theirs.length >= 1, "the router sent frag-needed");
    assert.ok(theirs.every((l) => l.endsWith("\t1480")), theirs.join("\n"));
    // casefile packets with an ICMP filter: the same frames, each line naming its MTU.
    const r = runCasefile(["packets", file, "icmp.type=3 and icmp.code=4"], "utf8");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.deepEqual(lines.map((l) => Number(l.trim().split(" ")[0])), theirs.map((l) => Number(l.split("\t")[0])));
    for (const [i, l] of lines.entries()) assert.match(l, new RegExp(`ICMP \\d+ .*MTU ${theirs[i].split("\t")[1]}\\b`), l);
    // And the same packets by their MTU.
    assert.deepEqual(runCasefile(["packets", file, "icmp.mtu=1480"], "utf8").stdout, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
