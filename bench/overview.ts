// bench/overview: the overview tab's scan on a ≥ 2-million-event capture (bench/big-capture.ts),
// run as the route runs it (Store.query in a query worker), beside sysdig reading the same file
// once for the fields the tiles need (the least any sysdig-based overview costs; one run per
// tile's filter would cost 14 times that). The route keeps each answer (overview-api.ts) and an
// upload warms it, so this scan is what a capture's first look would cost without them.
//   node --import tsx bench/overview.ts [--events N] [--smoke]
// Prints each figure, sysdig's, and the ratio. Never fails on time.

import { spawnSync } from "node:child_process";
import { benchCapture } from "./bench-server";
import { openStore } from "../server/api/store";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const minEvents = Number(args[args.indexOf("--events") + 1]) || (smoke ? 50_000 : 2_000_000);
const { file: big, dataDir } = await benchCapture(minEvents);

function sysdigMs(shell: string): number {
  const t0 = performance.now();
  spawnSync("sh", ["-c", shell], { stdio: "ignore", env: { ...process.env, TZ: "UTC" } });
  return performance.now() - t0;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const store = openStore(dataDir);
const [capture] = store.listCaptures();
const rounds = smoke ? 1 : 3;
const whole: number[] = [];
const filtered: number[] = [];
// A worker's first query opens the database: not counted.
await store.query("overview", [capture.id, 1, "evt.num=1"]);
for (let r = 0; r < rounds; r++) {
  whole.push(await timed(() => store.query("overview", [capture.id, 60, ""])));
  filtered.push(await timed(() => store.query("overview", [capture.id, 60, "proc.name=curl"])));
}
await store.close();
const fields = "*%evt.rawtime %evt.type %evt.dir %fd.type %evt.rawres %evt.latency %proc.name %thread.tid";
const sysdig = [sysdigMs(`sysdig -r '${big}' -p "${fields}" > /dev/null`)];
if (!smoke) sysdig.push(sysdigMs(`sysdig -r '${big}' -p "${fields}" > /dev/null`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`capture: ${capture.events.toLocaleString("en-US")} events (${big}); sysdig: one pass printing ${fields}`);
console.log(`${"overview (14 tiles, 60 steps)".padEnd(34)} ${"casefile".padStart(11)} ${"sysdig".padStart(10)}   ratio`);
for (const [q, ours] of [["whole capture", median(whole)], ["with a filter (proc.name=curl)", median(filtered)]] as const) {
  console.log(`${q.padEnd(34)} ${ours.toFixed(0).padStart(8)} ms ${median(sysdig).toFixed(0).padStart(7)} ms  ${(ours / median(sysdig)).toFixed(3)}   (runs: ${(q === "whole capture" ? whole : filtered).map((x) => x.toFixed(0)).join(", ")} ms)`);
}
process.exit(0);
