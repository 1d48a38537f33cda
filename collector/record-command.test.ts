// `casefile record`: a file source through a filter (no BPF needed: the filter and the writing
// are what is tested), and the real BPF loader on this host (root). The oracle is sysdig 0.29.3
// reading what was written: the events a filtered recording holds are exactly those sysdig's
// own filter picks from the replayed file, and casefile events prints it as sysdig does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureCapture, PROJECT_ROOT, runCasefile, sysdigLines } from "../server/testing/oracle";
import { compareLines } from "../server/testing/compare";
import { tsharkLines } from "../server/testing/tshark-analysis";

const IDENTITY = ["-p", "%evt.rawtime %thread.tid %evt.type %evt.dir"];

function same(what: string, ours: string[], theirs: string[]): void {
  const c = compareLines(ours, theirs);
  assert.equal(c.percent, 100, `${what}: ${c.same}/${c.total} identical; first differences:\n${JSON.stringify(c.diffs, null, 1)}`);
}

test("casefile record --source file: through a filter, the events sysdig's filter picks, readable by sysdig", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-record-"));
  try {
    const src = fixtureCapture("falco_cat_write.scap");
    const out = join(dir, "out.scap");
    const filter = "proc.name=cat and evt.type!=mmap";
    const r = runCasefile(["record", "-w", out, "--source", `file:${src}`, filter]);
    assert.equal(r.status, 0, r.stderr);
    const picked = sysdigLines(src, [...IDENTITY, filter]);
    assert.ok(picked.length > 20);
    same("the recording's events vs sysdig's filter on the source", sysdigLines(out, IDENTITY), picked);
    same("casefile events vs sysdig -r on the recording", runCasefile(["events", out]).stdout.split("\n").filter(Boolean), sysdigLines(out));
    // The header is this host's: sysdig's ps at the first event lists this very test process.
    const ps = sysdigLines(out, ["-c", "ps", `proc.pid=${process.pid}`]).join("\n");
    assert.match(ps, new RegExp(`\\b${process.pid}\\b`));
    assert.match(r.stderr, new RegExp(`^${picked.length} events written`, "m"));
    // Bad input: a clear error naming what.
    const bad = runCasefile(["record", "-w", out, "--source", `file:${src}`, "evt.type="]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /casefile: .*position/);
    const badSrc = runCasefile(["record", "-w", out, "--source", "tcp:somewhere"]);
    assert.match(badSrc.stderr, /--source must be file:PATH/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("casefile record through the BPF loader: a process's events by its name, the same lines in sysdig and casefile", { timeout: 60_000 }, async () => {
  if (process.getuid?.() !== 0) throw new Error("casefile record loads BPF programs: run the tests as root");
  const dir = mkdtempSync(join(tmpdir(), "casefile-record-bpf-"));
  try {
    const out = join(dir, "live.scap");
    const rec = spawn(join(PROJECT_ROOT, "bin/casefile"), ["record", "-w", out, "--duration", "4s", "proc.name=ls"], { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    rec.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    // ls runs again and again until the recording is over: some runs fall inside it.
    const loop = spawn("/bin/sh", ["-c", `while :; do ls ${dir} > /dev/null; sleep 0.1; done`], { stdio: "ignore" });
    const code = await new Promise<number | null>((r) => rec.on("close", r));
    loop.kill("SIGKILL");
    assert.equal(code, 0, err);
    const theirs = sysdigLines(out);
    assert.ok(theirs.length > 50, `events of ls recorded (${theirs.length}): ${err}`);
    assert.deepEqual([...new Set(sysdigLines(out, ["-p", "%proc.name"]))], ["ls"], "only ls");
    assert.ok(sysdigLines(out, ["evt.type=execve and evt.dir=<"]).length > 0, "its execs");
    same("casefile events vs sysdig -r", runCasefile(["events", out]).stdout.split("\n").filter(Boolean), theirs);
    const written = Number(/^(\d+) events written/m.exec(err)?.[1]);
    assert.equal(Number(sysdigLines(out, ["-D"]).at(-1)!.split(" ")[0]), written, "the last evt.num is the count written");
    assert.match(err, / 0 dropped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("casefile record --packets: tcpdump's packets beside the syscalls, as tshark reads them, and no tcpdump left", { timeout: 60_000 }, async () => {
  if (process.getuid?.() !== 0) throw new Error("casefile record loads BPF programs and runs tcpdump: run the tests as root");
  const dir = mkdtempSync(join(tmpdir(), "casefile-record-packets-"));
  try {
    const out = join(dir, "live.scap"), pcap = join(dir, "live.pcap");
    const port = 20000 + Math.floor(Math.random() * 20000);
    const rec = spawn(join(PROJECT_ROOT, "bin/casefile"), ["record", "-w", out, "--packets", pcap, "--iface", "lo", "--packet-filter", `udp port ${port}`, "--duration", "3s", "evt.type=sendto"],
      { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    rec.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    for (let i = 0; i < 100 && !/recording to/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(err, /packets on lo to /);
    // Seven datagrams to the port while both record.
    const send = spawn("python3", ["-c", `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor i in range(7): s.sendto(b"casefile %d" % i, ("127.0.0.1", ${port}))`], { stdio: "ignore" });
    assert.equal(await new Promise((r) => send.on("close", r)), 0);
    const code = await new Promise<number | null>((r) => rec.on("close", r));
    assert.equal(code, 0, err);
    const pkts = tsharkLines(pcap, ["-T", "fields", "-e", "frame.number", "-e", "udp.dstport", "-e", "data.data"]).map((l) => l.split("\t"));
    assert.equal(pkts.length, 7, `tshark reads the datagrams: ${JSON.stringify(pkts)}`);
    assert.ok(pkts.every((p) => p[1] === String(port)));
    assert.equal(Number(/^(\d+) packets written/m.exec(err)?.[1]), 7, err);
    // The same datagrams' sendto calls in the syscall capture (sysdig reads it).
    assert.equal(sysdigLines(out, [`evt.type=sendto and evt.dir=< and fd.sport=${port}`]).length, 7);
    // tcpdump went with the recording.
    const left = spawnSync("pgrep", ["-f", `udp port ${port}`], { encoding: "utf8" }).stdout.trim();
    assert.equal(left, "", "no tcpdump left");
    // Bad input: named.
    const bad = runCasefile(["record", "-w", out, "--packets", pcap, "--iface", "no such"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--iface: not an interface name/);
    const badExpr = runCasefile(["record", "-w", out, "--packets", pcap, "--iface", "lo", "--packet-filter", "port port port"]);
    assert.notEqual(badExpr.status, 0);
    assert.match(badExpr.stderr, /cannot record packets: tcpdump .*syntax error/);
    const orphan = runCasefile(["record", "-w", out, "--iface", "lo"]);
    assert.match(orphan.stderr, /--iface and --packet-filter go with --packets/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
