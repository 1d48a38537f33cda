// bench/overview: the overview tab on a ≥ 2-million-event capture (bench/big-capture.ts), run as
// the route runs it (Store.query in a query worker): the whole capture and a time range, which
// add up the ingest's per-bucket sums (capture-005), and a filter, which scans; beside the scan
// of the whole capture as it was before those sums (run in this process), and sysdig reading
// the same file once for the fields the tiles need (the least any sysdig-based overview costs;
// one run per tile's filter would cost 14 times that).
//   node --import tsx bench/overview.ts [--events N] [--smoke]
// Prints each figure, sysdig's, and the ratio. Never fails on time.

import { spawnSync } from "node:child_process";
import { benchCapture } from "./bench-server";
import { join } from "node:path";
import { openStore } from "../server/api/store";
import { overview } from "../server/api/overview";
import { OVERVIEW_TILES } from "../server/core/analyses/overview-tiles";
import { openDb } from "../db/open-db";

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
const ranged: number[] = [];
const filtered: number[] = [];
const scanned: number[] = [];
// A worker's first query opens the database: not counted.
await store.query("overview", [capture.id, 1, "evt.num=1"]);
const first = BigInt(capture.firstTs!), last = BigInt(capture.lastTs!);
// The middle third of the capture, bounds at odd nanoseconds.
const range = `evt.rawtime>=${first + (last - first) / 3n + 7n} and evt.rawtime<=${first + ((last - first) * 2n) / 3n - 11n}`;
const db = openDb(join(dataDir, "captures", `${capture.id}.db`), "capture", { readonly: true });
for (let r = 0; r < rounds; r++) {
  whole.push(await timed(() => store.query("overview", [capture.id, 60, ""])));
  ranged.push(await timed(() => store.query("overview", [capture.id, 60, range])));
  filtered.push(await timed(() => store.query("overview", [capture.id, 60, "proc.name=curl"])));
  scanned.push(await timed(async () => overview(db, 60, "", { scan: true })));
}
db.close();
await store.close();
const fields = "*%evt.rawtime %evt.type %evt.dir %fd.type %evt.rawres %evt.latency %proc.name %thread.tid %container.id";
const sysdig = [sysdigMs(`sysdig -r '${big}' -p "${fields}" > /dev/null`)];
if (!smoke) sysdig.push(sysdigMs(`sysdig -r '${big}' -p "${fields}" > /dev/null`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`capture: ${capture.events.toLocaleString("en-US")} events (${big}); sysdig: one pass printing ${fields}`);
console.log(`${`overview (${OVERVIEW_TILES.length} tiles, 60 steps)`.padEnd(44)} ${"casefile".padStart(11)} ${"sysdig".padStart(10)}   ratio`);
const rows: [string, number[]][] = [
  ["whole capture (ingest's sums; target 150 ms)", whole],
  ["middle third (ingest's sums)", ranged],
  ["with a filter (proc.name=curl: scan)", filtered],
  ["whole capture by the scan (before the sums)", scanned],
];
for (const [q, runs] of rows) {
  const ours = median(runs);
  console.log(`${q.padEnd(44)} ${ours.toFixed(ours < 10 ? 1 : 0).padStart(8)} ms ${median(sysdig).toFixed(0).padStart(7)} ms  ${(ours / median(sysdig)).toFixed(3)}   (runs: ${runs.map((x) => x.toFixed(0)).join(", ")} ms)`);
}
process.exit(0);
