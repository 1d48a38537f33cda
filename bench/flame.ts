// bench/flame: the syscall-time flame graph of the whole 2-million-event capture (bench/
// big-capture.ts's), asked of the store as the API asks it (through a query worker), and with a
// filter and a time range; beside sysdig answering the same question in the same run (its per-process
// sum of evt.latency: `sysdig -r BIG -p "%proc.name %evt.latency" "evt.dir=<"` summed by awk)
// and `casefile flame BIG` reading the file. Prints each figure, the target and the ratio.
// Never fails on time.
//   node --import tsx bench/flame.ts [--events N] [--smoke]

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchCapture } from "./bench-server";
import { openStore } from "../server/api/store";
import type { FlameQuery } from "../server/api/store-types";
import { PROJECT_ROOT } from "../server/testing/oracle";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const minEvents = Number(args[args.indexOf("--events") + 1]) || (smoke ? 50_000 : 2_000_000);
const { file: big, dataDir } = await benchCapture(minEvents);
const store = openStore(dataDir);
const capture = store.listCaptures()[0];
const runs = smoke ? 3 : 9;

async function median(q: Omit<FlameQuery, "id">): Promise<{ first: number; median: number; failed?: string }> {
  const ms: number[] = [];
  let failed: string | undefined;
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    try {
      const r = await store.query("flame", [{ id: capture.id, ...q }]);
      if (!r || r.tree.nodes.length === 0) failed = "no answer";
    } catch (e) {
      failed = (e as Error).message;
    }
    ms.push(performance.now() - t0);
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

const first = BigInt(capture.firstTs!), last = BigInt(capture.lastTs!);
const mid = String(first + (last - first) / 2n), q3 = String(first + ((last - first) * 3n) / 4n);
const rangeFilter = `evt.rawtime>=${mid} and evt.rawtime<=${q3}`;
const sysdigSum = (filter: string) => `sysdig -r '${big}' -p "%proc.name %evt.latency" "${filter}" | awk '{s[$1]+=$2} END {for (k in s) print k, s[k]}'`;

const rows: [string, string, string, string][] = [];
const add = (what: string, ours: { first: number; median: number; failed?: string }, theirs: number, target: string) => {
  rows.push([what, ours.failed ?? `${ours.median.toFixed(0)} ms (first ${ours.first.toFixed(0)})`, `${theirs.toFixed(0)} ms`, target]);
  rows.at(-1)!.push(`${(theirs / ours.median).toFixed(1)}x faster` as never);
};

add("whole capture", await median({ source: "syscalls" }), shellMs(sysdigSum("evt.dir=<")), "<= 500 ms");
add("filter proc.name=curl and evt.type=poll", await median({ source: "syscalls", filter: "proc.name=curl and evt.type=poll" }),
  shellMs(sysdigSum("evt.dir=< and proc.name=curl and evt.type=poll")), "");
add("a quarter of the time range", await median({ source: "syscalls", filter: rangeFilter }), shellMs(sysdigSum(`evt.dir=< and ${rangeFilter}`)), "");
const cli = shellMs(`'${join(PROJECT_ROOT, "bin/casefile")}' flame '${big}' > /dev/null`);
rows.push(["casefile flame FILE (reads the file)", `${cli.toFixed(0)} ms`, rows[0][2], "", `${(Number(rows[0][2].split(" ")[0]) / cli).toFixed(2)}x` as never]);
await store.close();

console.log(`syscall-time flame graph, ${capture.events} events (${big})`);
console.log(["question", "casefile", "sysdig", "target", "ratio"].map((h, i) => h.padEnd([44, 26, 12, 12, 14][i])).join(""));
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd([44, 26, 12, 12, 14][i])).join(""));
