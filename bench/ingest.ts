// bench/ingest: `casefile ingest BIG` against `sysdig -r BIG > /dev/null` on the same file in
// the same run. BIG is made by bench/big-capture.ts from the real curl_google.scap (its events
// repeated with shifted timestamps) to at least 2 million events.
//   node --import tsx bench/ingest.ts [--events N] [--smoke]
// Prints seconds, events/s, peak RSS (GNU time) and the ratio of the median runs; never fails on
// time. --rounds R (default 3) runs each tool R times, alternately.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeBigCapture } from "./big-capture";
import { CAPTURES_DIR, PROJECT_ROOT } from "../server/testing/oracle";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const minEvents = Number(args[args.indexOf("--events") + 1]) || (smoke ? 50_000 : 2_000_000);

interface Run { seconds: number; rssMb: number; output: string }

/** Runs a command under GNU time for wall time and peak RSS. */
function timed(cmd: string[], env: NodeJS.ProcessEnv = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const timeFile = join(dir, "time");
  const output = execFileSync("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, ...cmd], {
    env: { ...process.env, ...env }, maxBuffer: 1 << 20, stdio: ["ignore", "pipe", "ignore"],
  }).toString();
  const [secs, kb] = execFileSync("cat", [timeFile]).toString().trim().split("\n").pop()!.split(" ");
  rmSync(dir, { recursive: true, force: true });
  return { seconds: Number(secs), rssMb: Number(kb) / 1024, output };
}

const workDir = join(PROJECT_ROOT, "bench/out");
mkdirSync(workDir, { recursive: true });
const big = join(workDir, `big-${minEvents}.scap`);
let events = 0;
if (!existsSync(big)) {
  events = await makeBigCapture(join(CAPTURES_DIR, "curl_google.scap"), big, minEvents);
}
const data = join(workDir, "data");
rmSync(data, { recursive: true, force: true });

// The VM's speed wanders by ±20% between runs: both tools run alternately, several times, and
// the median run of each is compared (the smoke run does one of each).
const rounds = smoke ? 1 : Number(args[args.indexOf("--rounds") + 1]) || 3;
const sysdigRuns: Run[] = [];
const ourRuns: Run[] = [];
let id = "";
for (let i = 0; i < rounds; i++) {
  sysdigRuns.push(timed(["sh", "-c", `sysdig -r '${big}' > /dev/null`]));
  rmSync(data, { recursive: true, force: true });
  ourRuns.push(timed([join(PROJECT_ROOT, "bin/casefile"), "ingest", big], { CASEFILE_DATA: data }));
  id = ourRuns[i].output.trim();
}
const median = (runs: Run[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[runs.length >> 1];
const sysdig = median(sysdigRuns);
const ours = median(ourRuns);
const stored = Number(execFileSync(process.execPath, ["--import", "tsx", "-e",
  `import("${join(PROJECT_ROOT, "server/api/store.ts")}").then(m => { const s = m.openStore(${JSON.stringify(data)}); console.log(s.getCapture(${JSON.stringify(id)}).events); s.close(); })`],
  { cwd: PROJECT_ROOT }).toString().trim());
events = stored;

const mb = statSync(big).size / 1e6;
const row = (name: string, r: Run) =>
  `${name.padEnd(28)} ${r.seconds.toFixed(2).padStart(7)} s ${(events / r.seconds / 1e6).toFixed(2).padStart(6)} M ev/s ${r.rssMb.toFixed(0).padStart(6)} MB`;
console.log(`capture: ${events.toLocaleString("en-US")} events, ${mb.toFixed(0)} MB (${big})`);
const all = (runs: Run[]) => runs.map((r) => r.seconds.toFixed(2)).join(", ");
console.log(row("sysdig -r > /dev/null", sysdig) + `   runs: ${all(sysdigRuns)} s`);
console.log(row("casefile ingest", ours) + `   runs: ${all(ourRuns)} s`);
console.log(`peak RSS of casefile ingest, all runs: ${Math.max(...ourRuns.map((r) => r.rssMb)).toFixed(0)} MB`);
console.log(`ratio casefile/sysdig: ${(ours.seconds / sysdig.seconds).toFixed(2)}  (target <= 0.75; >= 1 M ev/s; RSS <= 300 MB)`);
if (smoke && !(events >= minEvents)) {
  console.error(`bench smoke: expected at least ${minEvents} stored events, got ${events}`);
  process.exit(1);
}
