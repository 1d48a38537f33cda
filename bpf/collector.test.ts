// The BPF programs loaded in this kernel, recording a known workload (bpf/workload.c) filtered
// to its pid: sysdig 0.29.3 reads the loader's stream, wrapped in a section header, with exactly
// the workload's events and their parameters, and `casefile events` prints the same lines.
// Needs root and a BTF kernel (npm test runs as root here); nothing is skipped without them.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LOADER, buildAll, captureOf, runWorkload, withLoader, type WorkloadTexts } from "./workload-run";
import { checkWorkloadCapture } from "./workload-checks";

const dir = mkdtempSync(join(tmpdir(), "casefile-bpf-"));
after(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });
before(() => buildAll());

function texts(tag: string): WorkloadTexts {
  const unique = `${process.pid}-${Date.now()}-${tag}`;
  return {
    file: join(dir, `written-${unique}.txt`),
    text: `casefile bpf test ${unique}\n`,
    udpText: `udp-${unique}`,
    echoText: `exec-${unique}`,
  };
}

function lastStats(stats: string[]): { events: number; drops: number; net: number } {
  const m = /stats events=(\d+) drops=(\d+) toolarge=(\d+) net=(\d+)/.exec(stats.at(-1) ?? "");
  assert.ok(m, `a final stats line: ${stats.at(-1)}`);
  assert.equal(Number(m[3]), 0, "no event was too large for the scratch area");
  return { events: Number(m[1]), drops: Number(m[2]), net: Number(m[4]) };
}

test("the workload's events, recorded in the kernel and read by sysdig 0.29.3, as casefile events prints them", async () => {
  const t = texts("a");
  const run = await runWorkload(t);
  const file = join(dir, "workload.scap");
  writeFileSync(file, captureOf(run.stream));
  checkWorkloadCapture(file, run.facts, t);

  // The loader counted what it wrote and lost nothing: sysdig numbers exactly that many events.
  const st = lastStats(run.stats);
  assert.equal(st.drops, 0);
  const numbered = execFileSync("sysdig", ["-r", file, "-p", "%evt.num"], { env: { ...process.env, TZ: "UTC" } })
    .toString().trim().split("\n");
  assert.equal(Number(numbered.at(-1)), st.events, "the last evt.num is the loader's event count");

  // TCP state changes of the workload's sockets: the connect's SYN_SENT (made in its context,
  // before the kernel picks the local port) and later ones naming both ends.
  const dst = `127.0.0.1:${run.facts.port}`;
  const syn = run.net.find((n) => n.net === "tcp_state" && n.new === "SYN_SENT" && n.dst === dst);
  assert.ok(syn, `a tcp_state SYN_SENT to ${dst} among ${JSON.stringify(run.net)}`);
  assert.equal(syn.old, "CLOSE");
  const both = run.net.filter((n) => n.net === "tcp_state" && n.src === `127.0.0.1:${run.facts.clientPort}` && n.dst === dst);
  assert.ok(both.length > 0, `a tcp_state line from the client port: ${JSON.stringify(run.net)}`);
  assert.equal(st.net, run.net.length, "net= counts the network lines");
});

test("a snaplen cuts buffers: --snaplen 8 keeps the first 8 bytes of the write", async () => {
  const t = texts("b");
  const run = await runWorkload(t, ["--snaplen", "8"]);
  const file = join(dir, "snaplen.scap");
  writeFileSync(file, captureOf(run.stream));
  const lines = execFileSync("sysdig", ["-r", file, `evt.type=write and evt.dir=< and fd.name=${t.file}`], { env: { ...process.env, TZ: "UTC" } })
    .toString().trim().split("\n");
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0], new RegExp(`res=${run.facts.wrote} data=${t.text.slice(0, 8)}$`));
});

test("--comm filters in the kernel by command name", async () => {
  const run = await withLoader(["--comm", "sleep", "--no-switch"], async () => {
    execFileSync("/bin/sleep", ["0.05"]);
    execFileSync("/bin/true");
  });
  const file = join(dir, "comm.scap");
  writeFileSync(file, captureOf(run.stream));
  const names = new Set(execFileSync("sysdig", ["-r", file, "-p", "%proc.name"], { env: { ...process.env, TZ: "UTC" } })
    .toString().trim().split("\n"));
  assert.ok(names.has("sleep"), `sleep recorded: ${[...names]}`);
  assert.ok(!names.has("true"), `true not recorded: ${[...names]}`);
  const sleeps = execFileSync("sysdig", ["-r", file, "evt.type=clock_nanosleep and proc.name=sleep"], { env: { ...process.env, TZ: "UTC" } }).toString();
  assert.equal(sleeps.trim().split("\n").length, 2, `sleep's clock_nanosleep, enter and exit: ${sleeps}`);
});

for (const [label, root] of [["a v1 hierarchy (pids)", "/sys/fs/cgroup/pids"], ["the unified v2 hierarchy", "/sys/fs/cgroup/unified"]] as const) {
  test(`--cgroup filters in the kernel by cgroup, on ${label}: that cgroup's processes and their children only`, async (t) => {
    assert.ok(existsSync(join(root, "cgroup.procs")), `${root} is a mounted cgroup hierarchy on this machine`);
    const cg = join(root, `casefile-bpf-test-${process.pid}`);
    mkdirSync(cg);
    t.after(() => rmdirSync(cg));
    // A shell moved into the cgroup before it starts its children; a process outside it runs
    // at the same time.
    const sh = spawn("/bin/sh", ["-c", "read x; /bin/echo inside; /bin/true; exit 0"], { stdio: ["pipe", "ignore", "inherit"] });
    writeFileSync(join(cg, "cgroup.procs"), String(sh.pid));
    const run = await withLoader(["--cgroup", cg], async () => {
      const exited = once(sh, "close");
      sh.stdin!.end("go\n");
      execFileSync("/bin/echo", ["outside"]);
      await exited;
    });
    const file = join(dir, `cgroup-${root.split("/").at(-1)}.scap`);
    writeFileSync(file, captureOf(run.stream));
    const env = { ...process.env, TZ: "UTC" };
    const names = execFileSync("sysdig", ["-r", file, "-p", "%proc.name %evt.type %evt.args", "evt.type=execve and evt.dir=<"], { env }).toString();
    assert.match(names, /args=inside/, names);
    assert.doesNotMatch(names, /outside/, names);
    const pids = new Set(execFileSync("sysdig", ["-r", file, "-p", "%proc.pid"], { env }).toString().trim().split("\n"));
    const children = execFileSync("sysdig", ["-r", file, "-p", "%evt.rawres", "evt.type in (clone, fork, vfork) and evt.dir=< and evt.rawres>0"], { env }).toString().trim().split("\n");
    assert.equal(children.length, 2, "the shell's two children");
    for (const p of pids) assert.ok(p === String(sh.pid) || p === "<NA>" || children.includes(p), `pid ${p} is the shell or a child of it`);
    // The children's clone (dash: vfork) events name the cgroup of each subsystem; the unified
    // hierarchy of a hybrid machine has no subsystem, so nothing names it there.
    if (root.endsWith("/pids")) {
      const cgroups = execFileSync("sysdig", ["-r", file, "-p", "%thread.cgroups", "evt.type in (clone, fork, vfork) and evt.dir=< and evt.rawres=0"], { env }).toString().trim().split("\n");
      assert.equal(cgroups.length, 2);
      for (const c of cgroups) assert.ok(c.split(" ").includes(`pids=${cg.slice(root.length)}`), c);
    }
  });
}

// The generic events (getppid's here) are staged per CPU and go out with the CPU's next other
// record or switch, or the loader's next drain (cf_flush, every ~5 ms). This thread says it is
// about to call (a write: anything before it goes out with it), makes its calls, then computes
// without a syscall: on a CPU it has to itself nothing else would send them (on a busy machine
// its thread may also be switched out, which sends them too).
const SPINNER = String.raw`#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
	char go[8];
	if (read(0, go, sizeof go) <= 0) return 1;
	printf("calling\n");
	fflush(stdout);
	for (int i = 0; i < 100; i++) syscall(SYS_getppid);
	struct timespec a, b; /* vDSO clock reads: no syscall */
	clock_gettime(CLOCK_MONOTONIC, &a);
	do clock_gettime(CLOCK_MONOTONIC, &b); while (b.tv_sec - a.tv_sec < 3);
	return 0;
}`;

test("syscalls of a thread that then computes without any arrive while it computes (the drain flushes each CPU)", async () => {
  const src = join(dir, "spinner.c");
  const bin = join(dir, "spinner");
  writeFileSync(src, SPINNER);
  execFileSync("cc", ["-O2", "-o", bin, src]);
  const spinner = spawn(bin, [], { stdio: ["pipe", "pipe", "inherit"] });
  const loader = spawn(LOADER, ["--pid", String(spinner.pid), "--no-switch"], { stdio: ["ignore", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  loader.stdout!.on("data", (c: Buffer) => chunks.push(c));
  let err = "";
  loader.stderr!.setEncoding("utf8");
  const ready = new Promise<void>((resolve) => loader.stderr!.on("data", (s: string) => { err += s; if (/"ready":true/.test(err)) resolve(); }));
  try {
    await ready;
    spinner.stdin!.write("go\n");
    await once(spinner.stdout!, "data");
    await new Promise((r) => setTimeout(r, 500)); // the spinner computes for 3 s
    assert.equal(spinner.exitCode, null, "still computing");
    const file = join(dir, "spinner.scap");
    writeFileSync(file, captureOf(Buffer.concat(chunks)));
    const calls = execFileSync("sysdig", ["-r", file, "-p", "%evt.dir", `evt.type=getppid and thread.tid=${spinner.pid}`], { env: { ...process.env, TZ: "UTC" } })
      .toString().trim().split("\n").filter(Boolean);
    assert.equal(calls.filter((d) => d === ">").length, 100, "the 100 enters");
    assert.equal(calls.filter((d) => d === "<").length, 100, "the 100 exits");
  } finally {
    spinner.kill("SIGKILL");
    loader.kill("SIGINT");
    await once(loader, "close");
  }
});

test("the loader stops cleanly when its reader goes away (EPIPE), with a last stats line", async () => {
  const loader = spawn(LOADER, ["--no-switch"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  loader.stderr!.setEncoding("utf8");
  loader.stderr!.on("data", (s: string) => (err += s));
  // Read the first records, then close the pipe: the loader's next write fails.
  await once(loader.stdout!, "data");
  loader.stdout!.destroy();
  const [code, signal] = await once(loader, "close");
  assert.equal(signal, null, "not killed by SIGPIPE");
  assert.equal(code, 0, err);
  assert.match(err.trim().split("\n").at(-1)!, /^stats events=\d+ drops=\d+ toolarge=0 net=\d+ unwritten=\d+$/);
});

test("a loader whose reader stopped reading still stops when told, within seconds, counting what it gave up", async () => {
  const loader = spawn(LOADER, ["--no-switch"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  loader.stderr!.setEncoding("utf8");
  loader.stderr!.on("data", (s: string) => (err += s));
  loader.stdout!.pause(); // never read: the pipe fills and the loader's writes block
  while (!/"ready":true/.test(err)) await new Promise((r) => setTimeout(r, 20));
  // A quiet host may not fill the pipe by itself: make a few hundred thousand syscalls.
  const busy = spawn("dd", ["if=/dev/zero", "of=/dev/null", "bs=1", "count=300000"], { stdio: "ignore" });
  await once(busy, "close");
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  loader.kill("SIGTERM");
  const [code] = await once(loader, "close");
  const took = Date.now() - t0;
  assert.equal(code, 0, err);
  assert.ok(took < 5000, `stopped in ${took} ms`);
  const m = /stats events=(\d+) drops=(\d+) toolarge=0 net=\d+ unwritten=(\d+)\s*$/.exec(err);
  assert.ok(m, err.slice(-300));
  assert.ok(Number(m[3]) > 0, "the events it could not write are counted");
});

test("a loader stopped while its reader is slow gives the reader whole blocks only, as many as it counts", async () => {
  // The reader takes one chunk every 50 ms: the pipe stays nearly full, with room now and then. At
  // the stop the ring holds much more; past 2 s the loader gives up the rest. It used to write
  // on whenever room came back, after a block cut by a partial write: the reader got a stream it
  // could not read past the cut while events= counted those blocks as delivered.
  const loader = spawn(LOADER, ["--no-switch"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  loader.stderr!.setEncoding("utf8");
  loader.stderr!.on("data", (s: string) => (err += s));
  const out = loader.stdout!;
  out.pause();
  while (!/"ready":true/.test(err)) await new Promise((r) => setTimeout(r, 20));
  const busy = spawn("dd", ["if=/dev/zero", "of=/dev/null", "bs=1", "count=300000"], { stdio: "ignore" });
  await once(busy, "close");
  const got: Buffer[] = [];
  let ended = false;
  out.on("end", () => (ended = true));
  out.on("data", (b: Buffer) => {
    got.push(b);
    out.pause();
    setTimeout(() => out.resume(), 50);
  });
  loader.kill("SIGTERM");
  while (!ended) await new Promise((r) => setTimeout(r, 20));
  const m = /stats events=(\d+) drops=\d+ toolarge=0 net=\d+ unwritten=(\d+)\s*$/.exec(err);
  assert.ok(m, err.slice(-300));
  assert.ok(Number(m[2]) > 0, "the reader was slow enough that the loader gave some up");
  // Whole blocks (length at offset 4, the same length as the last 4 bytes), then at most one
  // block cut short.
  const stream = Buffer.concat(got);
  let at = 0;
  let blocks = 0;
  while (at + 8 <= stream.length) {
    const len = stream.readUInt32LE(at + 4);
    if (at + len > stream.length) break;
    assert.ok(len >= 12 && stream.readUInt32LE(at + len - 4) === len, `a whole block at byte ${at} of ${stream.length}`);
    at += len;
    blocks++;
  }
  assert.ok(stream.length - at < 65536, `after the last whole block, ${stream.length - at} bytes: at most one block cut short`);
  // (The loader before this test counted 5,575 and 78,737 events given to readers that got 4,407
  // and 4,497 whole blocks.)
  assert.equal(blocks, Number(m[1]), "events= counts the whole blocks the reader got");
});

test("the loader refuses bad options with a message naming them", () => {
  for (const [args, text] of [
    [["--snaplen", "x"], "--snaplen wants a number"],
    [["--ring-mb", "3"], "--ring-mb must be a power of two"],
    [["--cgroup", "/nonexistent-cgroup"], "--cgroup /nonexistent-cgroup"],
  ] as const) {
    try {
      execFileSync(LOADER, [...args], { stdio: ["ignore", "ignore", "pipe"] });
      assert.fail(`${args.join(" ")} was accepted`);
    } catch (e) {
      const err = e as { status?: number; stderr?: Buffer };
      assert.equal(err.status, 2, `${args.join(" ")}: exit status`);
      assert.ok(err.stderr?.toString().includes(text), `${args.join(" ")}: ${err.stderr}`);
    }
  }
});
