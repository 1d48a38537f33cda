// What `casefile profile` costs the host while it records, beside perf doing the same job, in
// one run: a context-switch-heavy workload (two processes ping-ponging a byte over pipes: every
// round trip is two sleeps and two wake-ups, what the off-CPU hook on sched_switch pays for) and
// a CPU loop (what 99 Hz sampling costs), each bare, under our profiler (on-CPU and off-CPU, every
// process), under `perf record -F 99 -a -g` (on-CPU, the reference sampler) and under
// `perf record -e sched:sched_switch -a -g` (off-CPU the way it is done without BPF: every
// switch written out). Medians of 5 runs, modes interleaved (the machine is shared), pinned to
// one CPU.
//
//   node --import tsx bench/profile.ts [--smoke]        (root)

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const smoke = process.argv.includes("--smoke");
const RUNS = smoke ? 1 : 5;
const ROUND_TRIPS = smoke ? 20000 : 200000;
const SPIN = smoke ? 20_000_000 : 300_000_000;

if (process.getuid?.() !== 0) {
  console.error("bench/profile.ts loads BPF programs and runs perf -a: run it as root");
  process.exit(1);
}
execFileSync("make", ["-s", "-C", join(ROOT, "bpf"), "-f", "profile.mk", "profiler"], { stdio: "inherit" });
const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
writeFileSync(join(dir, "work.c"), `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
volatile unsigned long sink;
int main(int argc, char **argv) {
  long n = atol(argv[2]);
  if (!strcmp(argv[1], "pingpong")) {
    int a[2], b[2];
    if (pipe(a) || pipe(b)) return 1;
    char c = 0;
    pid_t child = fork();
    if (child == 0) {
      for (long i = 0; i < n; i++) { if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1) _exit(1); }
      _exit(0);
    }
    double t0 = now();
    for (long i = 0; i < n; i++) { if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) return 1; }
    double t1 = now();
    waitpid(child, NULL, 0);
    printf("%.1f\\n", (t1 - t0) / n);
  } else {
    double t0 = now();
    unsigned long x = sink;
    for (long i = 0; i < n; i++) x = x * 6364136223846793005ul + i;
    sink = x;
    printf("%.3f\\n", (now() - t0) / n);
  }
  return 0;
}
`);
execFileSync("cc", ["-O2", "-o", join(dir, "work"), join(dir, "work.c")]);

// Pinned to one CPU: a round trip is then two context switches on that CPU, not a cross-CPU
// wake-up whose cost depends on what else the shared machine runs.
function work(kind: "pingpong" | "spin"): number {
  return Number(execFileSync("taskset", ["-c", "1", join(dir, "work"), kind, String(kind === "pingpong" ? ROUND_TRIPS : SPIN)], { encoding: "utf8" }).trim());
}

type Mode = "bare" | "casefile profile" | "perf record -F 99 -a -g" | "perf record -e sched:sched_switch -a -g";
const MODES: Mode[] = ["bare", "casefile profile", "perf record -F 99 -a -g", "perf record -e sched:sched_switch -a -g"];

async function startTool(mode: Mode): Promise<ChildProcess | undefined> {
  if (mode === "bare") return undefined;
  if (mode === "casefile profile") {
    const c = spawn(join(ROOT, "bpf/profiler"), ["--duration", "600", "--hz", "99"], { stdio: ["ignore", "ignore", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      let err = "";
      c.stderr!.on("data", (b: Buffer) => {
        err += b;
        if (err.includes("profiler: attached")) resolve();
      });
      c.once("exit", (code) => reject(new Error(`bpf/profiler exited (${code}): ${err}`)));
    });
    return c;
  }
  const args = mode.startsWith("perf record -F")
    ? ["record", "-F", "99", "-a", "-g", "-o", join(dir, "perf.data"), "--", "sleep", "600"]
    : ["record", "-e", "sched:sched_switch", "-a", "-g", "-o", join(dir, "perf.data"), "--", "sleep", "600"];
  const c = spawn("perf", args, { stdio: ["ignore", "ignore", "pipe"] });
  // perf says nothing when it has started; its events are open within a second.
  await new Promise((r) => setTimeout(r, 1500));
  if (c.exitCode !== null) throw new Error(`perf exited (${c.exitCode})`);
  return c;
}

async function stopTool(c: ChildProcess | undefined): Promise<void> {
  if (!c) return;
  const exited = new Promise((r) => c.once("exit", r));
  c.kill("SIGINT");
  await exited;
}

const results = new Map<Mode, { pingpong: number[]; spin: number[] }>();
for (const m of MODES) results.set(m, { pingpong: [], spin: [] });
for (let run = 0; run < RUNS; run++) {
  for (const m of MODES) {
    const tool = await startTool(m);
    try {
      results.get(m)!.pingpong.push(work("pingpong"));
      results.get(m)!.spin.push(work("spin"));
    } finally {
      await stopTool(tool);
    }
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = results.get("bare")!;
const pp0 = median(bare.pingpong), sp0 = median(bare.spin);
console.log(`CPU profile cost, medians of ${RUNS} run(s); pipe round trip = 2 sleeps + 2 wake-ups`);
console.log(`${"mode".padEnd(42)} ${"ns/round trip".padStart(14)} ${"x bare".padStart(7)} ${"ns/loop iter".padStart(13)} ${"x bare".padStart(7)}`);
for (const m of MODES) {
  const r = results.get(m)!;
  const pp = median(r.pingpong), sp = median(r.spin);
  console.log(`${m.padEnd(42)} ${pp.toFixed(1).padStart(14)} ${(pp / pp0).toFixed(2).padStart(7)} ${sp.toFixed(3).padStart(13)} ${(sp / sp0).toFixed(2).padStart(7)}`);
}
// Run-to-run noise: half the spread of the bare runs. An added cost below it is not a figure.
const noise = (Math.max(...bare.pingpong) - Math.min(...bare.pingpong)) / 2;
const added = (m: Mode) => median(results.get(m)!.pingpong) - pp0;
const ours = added("casefile profile");
const show = (v: number) => (v > noise ? `+${v.toFixed(0)} ns` : `within the noise (±${noise.toFixed(0)} ns)`);
console.log(`added per round trip: casefile profile ${show(ours)}; perf sched_switch ${show(added("perf record -e sched:sched_switch -a -g"))}; perf -F 99 ${show(added("perf record -F 99 -a -g"))}`);
const perfOff = added("perf record -e sched:sched_switch -a -g");
if (perfOff > noise) console.log(`ratio of added cost, casefile profile (on+off-CPU) / perf sched_switch (off-CPU): ${(Math.max(ours, 0) / perfOff).toFixed(2)}`);
