// Prints, per shared capture, how many `casefile events` lines equal `sysdig -r`'s (TZ=UTC),
// and the first differences. Usage: npx tsx scripts/diff-events.ts [FILE...] [--all]
process.env.TZ = "UTC";
import { basename } from "node:path";
import { eventPrinter } from "../server/core/events/printer";
import { readCaptureFile } from "../server/ingest/capture-stream";
import { fixtureCaptures, oracleFileFor, sysdigLines } from "../server/testing/oracle";
import { compareLines } from "../server/testing/compare";

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith("-"));
const max = args.includes("--all") ? 1e9 : 5;
const hidden = args.includes("-D");
let totalSame = 0, total = 0;
for (const file of files.length ? files : fixtureCaptures()) {
  const ours: string[] = [];
  const { error } = await readCaptureFile(file, eventPrinter((l) => ours.push(l), { showHidden: hidden }));
  const theirs = sysdigLines(oracleFileFor(file), hidden ? ["-D"] : []);
  const c = compareLines(ours.join("\n").split("\n").filter((l) => l.length > 0), theirs, max);
  totalSame += c.same; total += c.total;
  console.log(`${basename(file)}: ${c.same}/${c.total} identical (${c.percent.toFixed(2)}%)${error ? `  [our error: ${error.message}]` : ""}`);
  for (const d of c.diffs) console.log(`  #${d.index}\n   ours:   ${d.ours}\n   sysdig: ${d.theirs}`);
}
console.log(`ALL: ${totalSame}/${total} (${((100 * totalSame) / total).toFixed(2)}%)`);
