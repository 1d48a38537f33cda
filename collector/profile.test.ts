// CPU profiles on this kernel (root: the BPF programs are loaded for real): a C program burning
// CPU in a named function, and one sleeping in nanosleep. The names are checked against
// binutils (readelf for the segments, addr2line for the function at each address), not against
// our own ELF reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildProfile, runProfiler, type RawProfile } from "./profile";
import { Symbolizer } from "./profile-symbols";
import { casefileProfileImporter, writeCasefileProfile } from "../server/core/formats/stacks/casefile-profile";
import { Profiles } from "../server/api/profiles";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "profile-test-"));
const children: ChildProcess[] = [];
test.after(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

if (process.getuid?.() !== 0) throw new Error("collector/profile.test.ts loads BPF programs: run npm test as root");
// The loader (scripts/setup.sh builds it with the rest of bpf/; make is quick when it is built).
execFileSync("make", ["-s", "-C", join(ROOT, "bpf"), "-f", "profile.mk", "profiler"], { stdio: "inherit" });

// The hot function is built as the issue says (-O1, frame pointers, no inlining). gcc 12 still
// gives a leaf function that needs no stack no frame of its own, so the frame-pointer walk from
// inside it goes from the function straight to main's caller (perf shows the same).
const FLAGS = ["-O1", "-fno-omit-frame-pointer", "-fno-inline"];

function build(name: string, src: string): string {
  writeFileSync(join(dir, `${name}.c`), src);
  execFileSync("cc", [...FLAGS, "-o", join(dir, name), join(dir, `${name}.c`)]);
  return join(dir, name);
}

/** Starts `bin`, which waits for a line on stdin before it works: the profile is attached first. */
function startWaiting(bin: string, args: string[] = []): ChildProcess {
  const c = spawn(bin, args, { stdio: ["pipe", "ignore", "inherit"] });
  children.push(c);
  return c;
}

function exited(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => (c.exitCode !== null ? resolve() : c.on("exit", () => resolve())));
}

const BURN = build("burn", `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
volatile unsigned long sink;
__attribute__((noinline)) unsigned long burn_cpu_hot_loop(unsigned long n) {
  unsigned long x = sink; /* reads memory: a const function would be called once, out of the loop */
  for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005ul + i;
  return x;
}
int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 2;
  getchar();
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do {
    /* The clock is read rarely: a vDSO clock read is slow in this VM and would take the samples. */
    sink += burn_cpu_hot_loop(50000000);
    clock_gettime(CLOCK_MONOTONIC, &b);
  } while ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9 < secs);
  return 0;
}
`);

const SLEEP = build("sleeper", `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4;
  long ms = argc > 2 ? atol(argv[2]) : 250;
  getchar();
  for (int i = 0; i < n; i++) {
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
  }
  return 0;
}
`);

/** readelf's LOAD segments of a file: [offset, vaddr, filesz]. */
function segments(path: string): [number, number, number][] {
  return execFileSync("readelf", ["-lW", path], { encoding: "utf8" }).split("\n").filter((l) => /^\s*LOAD\s/.test(l))
    .map((l) => l.trim().split(/\s+/)).map((f) => [parseInt(f[1], 16), parseInt(f[2], 16), parseInt(f[4], 16)]);
}

/** addr2line's function name for each address (ELF virtual addresses) of `path`. */
function addr2line(path: string, vaddrs: number[]): string[] {
  if (!vaddrs.length) return [];
  const out = execFileSync("addr2line", ["-f", "-e", path, ...vaddrs.map((a) => `0x${a.toString(16)}`)], { encoding: "utf8" }).split("\n");
  return vaddrs.map((_, i) => out[2 * i]);
}

/** The oracle's names of a process's user stack (root first) in `bin`: through the copied maps,
 *  readelf's segments and addr2line; frames in other files are null (not checked). */
function oracleFrames(raw: RawProfile, tgid: number, bin: string, leafFirst: string[]): (string | null)[] {
  const maps = raw.maps.get(tgid) ?? [];
  const segs = segments(bin);
  const addrs = leafFirst.map((h, i) => parseInt(h, 16) - (i === 0 ? 0 : 1));
  const vaddrs = addrs.map((a) => {
    const m = maps.find((e) => a >= e.start && a < e.end && e.path === bin);
    if (!m) return null;
    const off = a - m.start + m.offset;
    const s = segs.find(([o, , size]) => off >= o && off < o + size);
    return s ? off - s[0] + s[1] : null;
  });
  const known = vaddrs.filter((v): v is number => v !== null);
  const names = addr2line(bin, known);
  let k = 0;
  return vaddrs.map((v) => (v === null ? null : names[k++])).reverse();
}

test("on-CPU: burn_cpu_hot_loop holds at least half of the process's samples, every frame in the binary named as addr2line names it", async () => {
  const burn = startWaiting(BURN, ["2.5"]);
  const raw = await runProfiler({ durationS: 2, pid: burn.pid, hz: 99, offCpu: false, onReady: () => burn.stdin!.end("go\n") });
  await exited(burn);
  assert.equal(raw.hz, 99);
  const mine = raw.records.filter((r) => r.section === "on" && r.tgid === burn.pid);
  const total = mine.reduce((t, r) => t + r.value, 0);
  // 2 s at 99 Hz on one CPU: at most about 198 samples, fewer on a busy machine (the process
  // gets a share of a CPU).
  assert.ok(total >= 20 && total <= 2 * 99 * 1.05, `${total} samples of the burning process in 2 s at 99 Hz`);
  const built = buildProfile(raw, new Symbolizer(), { pid: burn.pid, sections: ["on"] });
  const section = built.profile.sections[0];
  let inHot = 0, oracleInHot = 0, compared = 0;
  for (const r of mine) {
    assert.ok("addrs" in r.user, `a user stack (${JSON.stringify(r.user)})`);
    if (!("addrs" in r.user)) continue;
    const oracle = oracleFrames(raw, burn.pid!, BURN, r.user.addrs);
    const ours = new Symbolizer();
    for (const [tgid, e] of raw.maps) ours.setMaps(tgid, e);
    const named = ours.userFrames(r.tgid, r.user.addrs.map((h) => parseInt(h, 16)));
    oracle.forEach((name, i) => {
      if (name === null) return;
      assert.equal(named[i], name, `frame ${i} of ${r.user.toString()}`);
      compared++;
    });
    if (oracle.includes("burn_cpu_hot_loop")) oracleInHot += r.value;
    if (named.includes("burn_cpu_hot_loop")) inHot += r.value;
  }
  assert.ok(compared > 0);
  assert.equal(inHot, oracleInHot);
  assert.ok(oracleInHot >= 0.5 * total, `burn_cpu_hot_loop in ${oracleInHot} of ${total} samples`);
  // The written profile says the same, each stack under the process frame.
  const text = writeCasefileProfile(built.profile, { comments: built.comments, attrs: built.attrs });
  const imp = casefileProfileImporter();
  imp.push(text);
  const back = imp.end().sections[0];
  assert.deepEqual([...back.stacks].sort(), [...section.stacks].sort());
  let hot = 0;
  for (const [stack, v] of back.stacks) {
    const frames = stack.split(";");
    assert.equal(frames[0], `burn (${burn.pid})`);
    if (frames.includes("burn_cpu_hot_loop")) hot += v;
  }
  assert.equal(hot, inHot);
});

test("off-CPU: a process sleeping 4 x 250 ms in nanosleep shows about 1 s under a stack ending in the scheduler", async () => {
  const sleeper = startWaiting(SLEEP, ["4", "250"]);
  // Every process (no --pid): the sleeper is found among them.
  let started = 0n;
  const profiling = runProfiler({ durationS: 2, hz: 49, onCpu: false, onReady: () => { started = process.hrtime.bigint(); sleeper.stdin!.end("go\n"); } });
  await exited(sleeper);
  const slept = Number(process.hrtime.bigint() - started) / 1e9;
  const raw = await profiling;
  const built = buildProfile(raw, new Symbolizer(), { sections: ["off"] });
  const off = built.profile.sections[0];
  assert.equal(off.unit, "ns");
  let nanosleepNs = 0;
  for (const [stack, v] of off.stacks) {
    const frames = stack.split(";");
    if (frames[0] !== `sleeper (${sleeper.pid})`) continue;
    if (!frames.some((f) => /nanosleep/.test(f))) continue;
    assert.match(frames.at(-1)!, /^__schedule_\[k\]$/, stack);
    assert.ok(frames.includes("schedule_[k]") || frames.includes("schedule_hrtimeout_range_clock_[k]"), stack);
    assert.ok(frames.includes("do_nanosleep_[k]"), stack);
    // (main is not there: glibc is built without frame pointers, so the walk from
    // clock_nanosleep goes straight to main's caller.)
    nanosleepNs += v;
  }
  const s = nanosleepNs / 1e9;
  assert.ok(Math.abs(s - 1) <= 0.2, `off-CPU in nanosleep ${s.toFixed(3)} s, slept 4 x 250 ms (the process ran ${slept.toFixed(3)} s)`);
});

test("the command line writes a profile file; bad options are refused with a reason", async () => {
  // It burns longer than the command line takes to start, and is killed once profiled.
  const burn = startWaiting(BURN, ["30"]);
  burn.stdin!.end("go\n");
  const out = join(dir, "cli.profile");
  const r = execFileSync(join(ROOT, "bin/casefile"), ["profile", "--duration", "1s", "--pid", String(burn.pid), "-o", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(r, "");
  burn.kill("SIGKILL");
  await exited(burn);
  const imp = casefileProfileImporter();
  imp.push(readFileSync(out, "utf8"));
  const p = imp.end();
  assert.deepEqual(p.sections.map((s) => [s.name, s.unit]), [["on-cpu", "samples"], ["off-cpu", "ns"]]);
  assert.ok([...p.sections[0].stacks.keys()].some((k) => k.startsWith(`burn (${burn.pid});`) && k.endsWith(";burn_cpu_hot_loop")));
  for (const [args, re] of [
    [["profile", "--duration", "1s"], /usage: casefile profile/],
    [["profile", "--duration", "soon", "-o", out], /not a duration: "soon"/],
    [["profile", "--duration", "1s", "--pid", "x", "-o", out], /--pid x: not a process id/],
    [["profile", "--duration", "1s", "--hz", "0", "-o", out], /--hz 0/],
  ] as [string[], RegExp][]) {
    assert.throws(() => execFileSync(join(ROOT, "bin/casefile"), args, { stdio: ["ignore", "pipe", "pipe"] }), (e: { stderr: Buffer; status: number }) => re.test(e.stderr.toString()) && e.status === 2, args.join(" "));
  }
  // --capture keeps it in the data folder, linked to that capture (checked before recording).
  const data = join(dir, "data");
  const ingest = execFileSync(join(ROOT, "bin/casefile"), ["ingest", join(ROOT, "test/fixtures/captures/curl_google.scap")], { encoding: "utf8", env: { ...process.env, CASEFILE_DATA: data }, stdio: ["ignore", "pipe", "pipe"] });
  const captureId = ingest.trim();
  assert.throws(() => execFileSync(join(ROOT, "bin/casefile"), ["profile", "--duration", "1s", "-o", out, "--capture", "0123456789abcdef"], { env: { ...process.env, CASEFILE_DATA: data }, stdio: ["ignore", "pipe", "pipe"] }),
    (e: { stderr: Buffer }) => /--capture 0123456789abcdef: no such capture/.test(e.stderr.toString()));
  const kept = execFileSync(join(ROOT, "bin/casefile"), ["profile", "--duration", "0.5s", "--no-offcpu", "-o", out, "--capture", captureId], { encoding: "utf8", env: { ...process.env, CASEFILE_DATA: data }, stdio: ["ignore", "pipe", "pipe"] }).trim();
  const profiles = new Profiles(data);
  try {
    assert.deepEqual(profiles.list(captureId).map((p) => p.id), [kept]);
    assert.equal(profiles.text(kept), readFileSync(out, "utf8"));
  } finally {
    profiles.close();
  }
  // A process that does not exist: the loader says so.
  assert.throws(() => execFileSync(join(ROOT, "bin/casefile"), ["profile", "--duration", "1s", "--pid", "999999999", "-o", out], { stdio: ["ignore", "pipe", "pipe"] }), (e: { stderr: Buffer }) => /no process 999999999/.test(e.stderr.toString()));
});

test("Node with --perf-basic-prof: JIT frames named from /tmp/perf-PID.map, as the runtime wrote them", async () => {
  const js = join(dir, "hot.js");
  writeFileSync(js, `
    function hotJsFunction(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; return x; }
    process.stdin.once("data", () => {
      let s = 0; const end = Date.now() + 4000;
      while (Date.now() < end) s += hotJsFunction(1e6);
      process.exit(s === -1 ? 1 : 0);
    });
  `);
  // In the test's folder: V8 writes an isolate-*.log beside the perf map into its working directory.
  const node = spawn(process.execPath, ["--perf-basic-prof", js], { cwd: dir, stdio: ["pipe", "ignore", "inherit"] });
  children.push(node);
  const mapFile = `/tmp/perf-${node.pid}.map`;
  try {
    const raw = await runProfiler({ durationS: 2, pid: node.pid, hz: 99, offCpu: false, onReady: () => node.stdin!.write("go\n") });
    const built = buildProfile(raw, new Symbolizer(), { sections: ["on"] });
    // The oracle: the names the runtime wrote in its map.
    const jitNames = new Set(readFileSync(mapFile, "utf8").split("\n").map((l) => l.split(" ").slice(2).join(" ")).filter(Boolean));
    let total = 0, hot = 0;
    for (const [stack, v] of built.profile.sections[0].stacks) {
      total += v;
      const frames = stack.split(";");
      const named = frames.filter((f) => /hotJsFunction/.test(f));
      for (const f of named) assert.ok(jitNames.has(f), `${f} is a name of ${mapFile}`);
      if (named.length) hot += v;
    }
    assert.ok(total > 10 && hot >= 0.5 * total, `hotJsFunction in ${hot} of ${total} samples`);
  } finally {
    node.kill("SIGKILL");
    await exited(node);
    rmSync(mapFile, { force: true });
  }
});

test("short-lived processes (10 x 40 ms) keep their names: their maps are copied at their first sample", async () => {
  const short = build("short", `
#include <stdlib.h>
#include <time.h>
volatile unsigned long sink;
__attribute__((noinline)) unsigned long burn_cpu_hot_loop(unsigned long n) { unsigned long x = sink; for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005ul + i; return x; }
int main(int argc, char **argv) {
  double ms = atof(argv[1]);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do { sink += burn_cpu_hot_loop(200000); clock_gettime(CLOCK_MONOTONIC, &b); } while ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6 < ms);
  return 0;
}
`);
  const pids: number[] = [];
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const profiling = runProfiler({ durationS: 3, hz: 499, offCpu: false, onReady: () => started() });
  await ready;
  for (let i = 0; i < 10; i++) {
    const c = spawn(short, ["40"], { stdio: "ignore" });
    pids.push(c.pid!);
    await exited(c);
  }
  const raw = await profiling;
  const built = buildProfile(raw, new Symbolizer(), { sections: ["on"] });
  let named = 0, total = 0;
  const seen = new Set<number>();
  for (const [stack, v] of built.profile.sections[0].stacks) {
    const pid = Number(/^short \((\d+)\)/.exec(stack)?.[1]);
    if (!pids.includes(pid)) continue;
    seen.add(pid);
    total += v;
    if (stack.split(";").includes("burn_cpu_hot_loop")) named += v;
  }
  const unnamed = pids.filter((p) => built.withoutMaps.includes(p));
  assert.ok(seen.size >= 8, `${seen.size} of the 10 processes sampled`);
  assert.ok(unnamed.length <= 1, `processes whose maps were gone before they were read: ${unnamed.length} of ${seen.size}`);
  assert.ok(total > 0 && named >= 0.8 * total, `burn_cpu_hot_loop named in ${named} of ${total} samples`);
});
