// Prints, per fixture capture and per chisel (lsof, netstat, ps), at how many probed event numbers
// our output equals sysdig's, and the first differences. Usage:
//   TZ=UTC npx tsx scripts/diff-state.ts [FILE...] [--all] [--every] [--at N,N...] [--filter=F]
// --every probes every event number sysdig -D shows (one sysdig run per number and chisel: slow,
// minutes per capture), instead of the default sample.
// (F: the chisels' argument, as for `sysdig -c lsof "F"`, e.g. --filter="'proc.name=nc and fd.num>2'")
process.env.TZ = "UTC";
import { basename } from "node:path";
import { fixtureCaptures, oracleFileFor } from "../server/testing/oracle";
import { compareLines } from "../server/testing/compare";
import {
  STATE_COMMANDS, everyEventNumber, limited, ourFilteredStateLines, ourStateLines, probeNumbers, sysdigChiselAsync,
} from "../server/testing/state-oracle";

const args = process.argv.slice(2);
const atArg = args.find((a) => a.startsWith("--at="));
const filterArg = args.find((a) => a.startsWith("--filter="))?.slice(9);
const files = args.filter((a) => !a.startsWith("-"));
const max = args.includes("--all") ? 1e9 : 3;
const totals: Record<string, [number, number]> = { lsof: [0, 0], netstat: [0, 0], ps: [0, 0] };
for (const file of files.length ? files : fixtureCaptures()) {
  const oracle = oracleFileFor(file);
  const nums = atArg ? atArg.slice(5).split(",").map(Number) : args.includes("--every") ? everyEventNumber(oracle) : probeNumbers(oracle);
  const ours = filterArg === undefined ? await ourStateLines(file, nums) : new Map(await Promise.all(nums.map(async (n) => {
    const r = await ourFilteredStateLines(file, n, STATE_COMMANDS.map((cmd) => ({ cmd, filter: filterArg })));
    const lines = r.map((x) => ("lines" in x ? x.lines : [`casefile: ${x.error}`]));
    return [n, { lsof: lines[0], netstat: lines[1], ps: lines[2] }] as const;
  })));
  const parts: string[] = [];
  const diffs: string[] = [];
  for (const cmd of STATE_COMMANDS) {
    let same = 0;
    const sysdigAt = await limited(3, nums.map((n) => () => sysdigChiselAsync(oracle, cmd, n, filterArg)));
    for (const [i, n] of nums.entries()) {
      const theirs = sysdigAt[i];
      const mine = ours.get(n)?.[cmd] ?? ["empty capture or no event matching the filter"];
      const c = compareLines(mine, theirs, max);
      if (c.same === c.total) same++;
      else if (diffs.length < max * 3) {
        diffs.push(`  ${cmd} @${n}: ${c.same}/${c.total} lines` +
          c.diffs.map((d) => `\n    #${d.index}\n     ours:   ${d.ours}\n     sysdig: ${d.theirs}`).join(""));
      }
    }
    totals[cmd][0] += same;
    totals[cmd][1] += nums.length;
    parts.push(`${cmd} ${same}/${nums.length}`);
  }
  console.log(`${basename(file)}: ${parts.join(", ")}`);
  for (const d of diffs) console.log(d);
}
console.log(`ALL: ${STATE_COMMANDS.map((c) => `${c} ${totals[c][0]}/${totals[c][1]}`).join(", ")}`);
