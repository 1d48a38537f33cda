// bench/flame: the syscall-time flame graph of the whole 2-million-event capture (bench/
// big-capture.ts's), asked of a warm server over HTTP as the page asks it, and with a filter
// and a time range; beside sysdig answering the same question in the same run (its per-process
// sum of evt.latency: `sysdig -r BIG -p "%proc.name %evt.latency" "evt.dir=<"` summed by awk)
// and `casefile flame BIG` reading the file. Prints each figure, the target and the ratio.
// Never fails on time.
//   node --import tsx bench/flame.ts [--events N] [--smoke]

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchCapture, startBenchServer } from "./bench-server";
import { PROJECT_ROOT } from "../server/testing/oracle";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const minEvents = Number(args[args.indexOf("--events") + 1]) || (smoke ? 50_000 : 2_000_000);
const { file: big, dataDir } = await benchCapture(minEvents);
const { close, timedGet, capture } = await startBenchServer(dataDir);
const runs = smoke ? 3 : 9;

async function median(path: string): Promise<{ first: number; median: number; failed?: string }> {
  const ms: number[] = [];
  let failed: string | undefined;
  for (let i = 0; i <= runs; i++) {
    const r = await timedGet(path);
    if (r.status !== 200) failed = `HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`;
    ms.push(r.ms);
  }
  const first = ms.shift()!;
  ms.sort((a, b) => a - b);
  return { first, median: ms[Math.floor(ms.length / 2)], failed };
}

function shellMs(cmd: string): number {
  const t0 = performance.now();
  const r = spawnSync("sh", ["-c", cmd], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TZ: "UTC" } });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return performance.now() - t0;
}

const base = `/api/captures/${capture.id}/flame?source=syscalls`;
const first = BigInt(capture.firstTs!), last = BigInt(capture.lastTs!);
const mid = String(first + (last - first) / 2n), q3 = String(first + ((last - first) * 3n) / 4n);
const rangeFilter = `evt.rawtime>=${mid} and evt.rawtime<=${q3}`;
const sysdigSum = (filter: string) => `sysdig -r '${big}' -p "%proc.name %evt.latency" "${filter}" | awk '{s[$1]+=$2} END {for (k in s) print k, s[k]}'`;

const rows: [string, string, string, string][] = [];
const add = (what: string, ours: { first: number; median: number; failed?: string }, theirs: number, target: string) => {
  rows.push([what, ours.failed ?? `${ours.median.toFixed(0)} ms (first ${ours.first.toFixed(0)})`, `${theirs.toFixed(0)} ms`, target]);
  rows.at(-1)!.push(`${(theirs / ours.median).toFixed(1)}x faster` as never);
};

add("whole capture", await median(base), shellMs(sysdigSum("evt.dir=<")), "<= 500 ms");
add("filter proc.name=curl and evt.type=poll", await median(`${base}&filter=${encodeURIComponent("proc.name=curl and evt.type=poll")}`),
  shellMs(sysdigSum("evt.dir=< and proc.name=curl and evt.type=poll")), "");
add("a quarter of the time range", await median(`${base}&filter=${encodeURIComponent(rangeFilter)}`), shellMs(sysdigSum(`evt.dir=< and ${rangeFilter}`)), "");
const cli = shellMs(`'${join(PROJECT_ROOT, "bin/casefile")}' flame '${big}' > /dev/null`);
rows.push(["casefile flame FILE (reads the file)", `${cli.toFixed(0)} ms`, rows[0][2], "", `${(Number(rows[0][2].split(" ")[0]) / cli).toFixed(2)}x` as never]);
await close();

console.log(`syscall-time flame graph, ${capture.events} events (${big})`);
console.log(["question", "casefile", "sysdig", "target", "ratio"].map((h, i) => h.padEnd([44, 26, 12, 12, 14][i])).join(""));
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd([44, 26, 12, 12, 14][i])).join(""));
