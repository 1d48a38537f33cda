// `npm run fuzz`: mutated captures through every reader (server/testing/fuzz.ts has the
// targets and mutation classes), in-process through the real paths of `casefile events` and
// `casefile ingest`, plus a slice through the command line itself. Finds crashes (any exception
// but the reader's own damage error), broken promises (an error without its offset, ingest
// keeping other events than the reader read), hangs (a case over its time budget) and
// unbounded memory (a case past the heap limit, or the process past --max-rss-mb).
//
//   npm run fuzz [-- --seed S] [--cases N] [--target scap|scap.gz|pcap|pcapng|pcap.gz|pcapng.gz] [--budget-ms MS]
//                    [--cli-every N] [--ingest-every N] [--max-rss-mb MB]
//   npm run fuzz -- --seed S --target T --case I [--save]   replays one case (and saves it)
//
// Each target runs in a worker thread, so that a case that hangs can be stopped (the worker is
// ended and started again after it) and one that allocates without bound hits the worker's heap
// limit instead of the machine. Every failing case is written to test/fixtures/fuzz/ with the
// README line to add; fuzz-regressions.test.ts replays every file there in npm test.

import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { describe, FuzzFailure, runCase, scratch, TARGETS, writeCase, type FuzzCase } from "../server/testing/fuzz";
import { isPacketCase } from "../server/testing/fuzz-packets";
import { PROJECT_ROOT } from "../server/testing/oracle";

interface WorkerJob { target: string; seed: number; from: number; to: number; ingestEvery: number }
type FromWorker =
  | { t: "start"; i: number }
  | { t: "done"; i: number; ms: number; heap: number; lines: number; damage?: string }
  | { t: "fail"; i: number; kind: string; message: string };

const REGRESSION_DIR = join(PROJECT_ROOT, "test/fixtures/fuzz");
const HEAP_LIMIT_MB = 1024;

if (!isMainThread) {
  const job = workerData as WorkerJob;
  const target = TARGETS.find((t) => t.name === job.target)!;
  const { dir, done } = scratch();
  const post = (m: FromWorker) => parentPort!.postMessage(m);
  for (let i = job.from; i < job.to; i++) {
    const c = target.make(job.seed, i);
    const path = writeCase(dir, c);
    post({ t: "start", i });
    const t0 = performance.now();
    try {
      const ingest = job.ingestEvery > 0 && i % job.ingestEvery === 0 ? join(dir, "ingest.sqlite") : undefined;
      const out = await runCase(path, { ingest });
      post({ t: "done", i, ms: performance.now() - t0, heap: process.memoryUsage().heapUsed, lines: out.lines, damage: out.damage?.message });
    } catch (e) {
      post({ t: "fail", i, kind: e instanceof FuzzFailure ? e.kind : "crash", message: e instanceof FuzzFailure ? `${e.message}${e.original ? `\n${describe(e.original)}` : ""}` : describe(e) });
    }
  }
  done();
} else {
  await main();
}

function args(): Map<string, string> {
  const m = new Map<string, string>();
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (!a[i].startsWith("--")) throw new Error(`unexpected argument ${a[i]}`);
    const [k, v] = a[i].includes("=") ? a[i].slice(2).split("=", 2) : [a[i].slice(2), a[i + 1]?.startsWith("--") || a[i + 1] === undefined ? "" : a[++i]];
    m.set(k, v);
  }
  return m;
}

interface Failure { target: string; index: number; kind: string; message: string }

async function main(): Promise<void> {
  const a = args();
  const num = (k: string, d: number) => (a.has(k) ? Number(a.get(k)) : d);
  const seed = a.has("seed") ? Number(a.get("seed")) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  const cases = num("cases", 10_000);
  const budgetMs = num("budget-ms", 5000);
  const cliEvery = num("cli-every", 250);
  const ingestEvery = num("ingest-every", 20);
  const maxRssMb = num("max-rss-mb", 1536);
  const targets = a.has("target") ? TARGETS.filter((t) => t.name === a.get("target")) : TARGETS;
  if (!targets.length) throw new Error(`no target ${a.get("target")}: ${TARGETS.map((t) => t.name).join(", ")}`);
  const only = a.has("case") ? Number(a.get("case")) : undefined;
  console.log(`fuzz: seed ${seed} (replay with --seed ${seed}), ${only !== undefined ? `case ${only}` : `${cases} cases`} per target, budget ${budgetMs} ms a case`);

  const failures: Failure[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
  const started = Date.now();
  for (const target of targets) {
    const from = only ?? 0;
    const to = only !== undefined ? only + 1 : cases;
    const t0 = Date.now();
    const stats = { done: 0, damaged: 0, slowest: 0, peakHeap: 0, cli: 0 };
    const cliQueue: number[] = [];
    let next = from;
    while (next < to) {
      // One worker from `next` on; it ends at `to`, or is ended at a hang and started again
      // after the case that hung.
      next = await new Promise<number>((resolve) => {
        const w = new Worker(new URL("./fuzz-worker.mjs", import.meta.url), {
          workerData: { target: target.name, seed, from: next, to, ingestEvery } satisfies WorkerJob,
          resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
        });
        let started = false;
        let current = next;
        let caseStart = Date.now();
        let settled = false;
        const finish = (after: number) => {
          if (settled) return;
          settled = true;
          clearInterval(watchdog);
          void w.terminate();
          resolve(after);
        };
        const watchdog = setInterval(() => {
          if (Date.now() - caseStart > budgetMs) {
            failures.push({ target: target.name, index: current, kind: "hang", message: `over the ${budgetMs} ms budget` });
            finish(current + 1);
          } else if (process.memoryUsage().rss > maxRssMb * 2 ** 20) {
            failures.push({ target: target.name, index: current, kind: "memory", message: `process RSS past ${maxRssMb} MB` });
            finish(current + 1);
          }
        }, 50);
        w.on("message", (m: FromWorker) => {
          if (m.t === "start") {
            started = true;
            current = m.i;
            caseStart = Date.now();
          } else if (m.t === "done") {
            stats.done++;
            if (m.damage) stats.damaged++;
            stats.slowest = Math.max(stats.slowest, m.ms);
            stats.peakHeap = Math.max(stats.peakHeap, m.heap);
            if (cliEvery > 0 && (m.i % cliEvery === 0 || only !== undefined)) cliQueue.push(m.i);
          } else {
            stats.done++;
            failures.push({ target: target.name, index: m.i, kind: m.kind, message: m.message });
          }
        });
        w.on("error", (e) => {
          // ERR_WORKER_OUT_OF_MEMORY: the case allocated past the heap limit.
          if (!started) {
            // Not a case's doing: the worker itself could not start.
            console.error(`fuzz: the worker could not start: ${describe(e)}`);
            process.exit(2);
          }
          const kind = (e as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "crash";
          failures.push({ target: target.name, index: current, kind, message: describe(e) });
          finish(current + 1);
        });
        w.on("exit", () => finish(to));
      });
    }
    // The slice through the command line: the same files through `casefile events` (and every
    // other one through `casefile ingest`), as separate processes.
    const { dir, done } = scratch();
    try {
      for (const i of cliQueue) {
        const c = target.make(seed, i);
        const f = await cliCase(dir, c, cliQueue.indexOf(i) % 2 === 0);
        stats.cli++;
        if (f) failures.push({ target: target.name, index: i, kind: "cli", message: f });
      }
    } finally {
      done();
    }
    const secs = (Date.now() - t0) / 1000;
    console.log(`${target.name}: ${stats.done} cases (${stats.damaged} damage errors, ${stats.done - stats.damaged} read whole) in ${secs.toFixed(1)} s, slowest case ${stats.slowest.toFixed(0)} ms, peak worker heap ${(stats.peakHeap / 2 ** 20).toFixed(0)} MB, ${stats.cli} through the command line; failures: ${failures.filter((f) => f.target === target.name).length}`);
  }
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const count = (k: string) => failures.filter((f) => f.kind === k).length;
  console.log(`fuzz: seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB; crashes ${count("crash")}, hangs ${count("hang")}, memory ${count("memory")}, broken promises ${count("invariant")}, command line ${count("cli")}`);
  const save = a.has("save");
  for (const f of failures) console.log(`FAIL ${f.target} case ${f.index} (${f.kind}): ${f.message}`);
  if (failures.length || (save && only !== undefined)) {
    mkdirSync(REGRESSION_DIR, { recursive: true });
    const toSave = failures.length ? failures : targets.map((t) => ({ target: t.name, index: only!, kind: "saved", message: "" }));
    for (const f of toSave) {
      const c = TARGETS.find((t) => t.name === f.target)!.make(seed, f.index);
      // Named by the format, so that the replay reads it through the same reader.
      const name = `${f.target.replace(/\W/g, "-")}-${c.mutation}-s${seed}-c${f.index}.${c.ext.replace(/\.gz$/, "")}.gz`;
      // A raw capture is kept gzip-compressed (ten times smaller); it goes through the same
      // reader either way, only the offsets are then of the inflated data.
      writeFileSync(join(REGRESSION_DIR, name), c.ext.endsWith(".gz") ? c.file : gzipSync(c.file, { level: 9 }));
      console.log(`saved test/fixtures/fuzz/${name}; its README row: | ${name} | ${f.target} | ${c.mutation} | ${c.seedName} | ${seed} | ${f.index} | ${f.kind}: ${f.message.split("\n")[0]} |`);
    }
  }
  process.exitCode = failures.length ? 1 : 0;
}

/** Runs a case through the command line; returns what went wrong, if anything. */
async function cliCase(dir: string, c: FuzzCase, ingest: boolean): Promise<string | undefined> {
  const file = writeCase(dir, c);
  const bin = join(PROJECT_ROOT, "bin/casefile");
  const data = join(dir, "data");
  const run = (argv: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [bin, ...argv], { env: { ...process.env, TZ: "UTC", CASEFILE_DATA: data } });
    let stdout = "";
    let stderr = "";
    p.stdout.setEncoding("latin1").on("data", (d) => { stdout += d; });
    p.stderr.setEncoding("latin1").on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
  const check = (what: string, r: { status: number | null; stderr: string }) => {
    if (r.status === 0 && (r.stderr === "" || ingest)) return undefined;
    if (r.status === 2 && /^casefile: .*[ (]at byte \d+( of the inflated data)?\)?\n$/.test(r.stderr.split("\n").slice(-2).join("\n"))
      && !/\n\s+at /.test(r.stderr)) return undefined;
    return `${what}: exit status ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`;
  };
  // A packet capture case (pcap, pcapng, gzip of either) goes through `casefile packets`.
  if (isPacketCase(file)) return check("casefile packets", await run(["packets", file]));
  const ev = await run(["events", file]);
  const bad = check("casefile events", ev);
  if (bad || !ingest) return bad;
  const ing = await run(["ingest", file]);
  if (ing.status === 2 && /^[0-9a-z-]+\n$/.test(ing.stdout) && /kept the events before the damage: .* at byte \d+/.test(ing.stderr)) return undefined;
  // No whole event before the damage: the capture is an error, and says where.
  if (ing.status === 2 && ing.stdout === "" && /^casefile: .* at byte \d+( of the inflated data)?\n$/.test(ing.stderr)) return undefined;
  if (ing.status === 0 && /^[0-9a-z-]+\n$/.test(ing.stdout)) return undefined;
  return `casefile ingest: exit status ${ing.status}, stdout ${JSON.stringify(ing.stdout.slice(0, 100))}, stderr ${JSON.stringify(ing.stderr.slice(0, 400))}`;
}

