// Differential tests of the table chisels (topprocs_*, topfiles_*, topconns, topports_server,
// topscalls*, fdbytes_by, fdcount_by, fdtime_by) against sysdig 0.29.3's own Lua chisels:
// `sysdig [-pc] -r FILE -c NAME [ARG] [FILTER]` and ours through run.ts, line by line, on every
// shared capture, with and without -pc, with several key fields and user filters.
//
// Equal values: sysdig sorts with LuaJIT's (unstable) table.sort over the `pairs` order of its
// table. For number keys that order is the same in every run and we reproduce it, so those runs
// must be identical. For string keys LuaJIT seeds its string hash per process and sysdig's order
// of equal values changes from run to run (five runs, five orders): there the lines of each
// group of equal values are compared as sets, and where the top-N cut falls inside such a group
// (sysdig then shows a random part of it), sysdig's lines must be members of the whole group.
// Every other difference fails the test (the rule is testing/chisel-ties.ts, which the
// every-chisel test shares). The totals say how many lines were identical and how many matched
// only as members of their group.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { fixtureCaptures, runSysdigAsync } from "../../testing/oracle";
import { limited } from "../../testing/state-oracle";
import { readCaptureFile } from "../../ingest/capture-stream";
import type { Chisel, ChiselOutput } from "./chisel";
import { CHISELS } from "./index";
import { compareTies, KEY_FIRST, VALUE_FIRST, type TieVerdict } from "../../testing/chisel-ties";
import { chiselDriver } from "./run";
import { byKeyView, TABLE_VIEWS } from "./table-chisels";
import { tableRun, type TableView } from "./table-generator";

process.env.TZ = "UTC";

interface Case {
  chisel: string;
  args: string[];
  filter?: string;
  pc?: boolean;
}

const FIXED = Object.keys(TABLE_VIEWS);
const BY = ["fdbytes_by", "fdcount_by", "fdtime_by"] as const;
// String keys, number keys (whose order of equal values is sysdig's own), a two-field key.
const BY_KEYS = ["fd.name", "proc.name", "fd.type", "fd.num", "proc.pid"];
const FILTERS = ["proc.name=curl", "fd.type=ipv4", "evt.type=read or evt.type=write", "proc.name!=sysdig", "evt.dir=<"];
const FILTERED = ["topprocs_cpu", "topprocs_net", "topfiles_bytes", "topscalls", "topscalls_time", "fdcount_by fd.name", "fdbytes_by proc.pid", "fdtime_by fd.num"];

const CASES: Case[] = [
  ...FIXED.flatMap((chisel) => [{ chisel, args: [] }, { chisel, args: [], pc: true }]),
  ...BY.flatMap((chisel) => BY_KEYS.map((k) => ({ chisel, args: [k] }))),
  { chisel: "fdbytes_by", args: ["proc.name,fd.type"] },
  { chisel: "fdbytes_by", args: ["fd.sport"] },
  { chisel: "fdtime_by", args: ["evt.type"] },
  ...FILTERS.flatMap((filter) => FILTERED.map((c) => {
    const [chisel, ...args] = c.split(" ");
    return { chisel, args, filter };
  })),
];

const label = (c: Case) => `${c.pc ? "-pc " : ""}${[c.chisel, ...c.args].join(" ")}${c.filter ? ` "${c.filter}"` : ""}`;

function sysdig(file: string, c: Case): Promise<string[]> {
  const argv = [...(c.pc ? ["-pc"] : []), "-r", file, "-c", c.chisel, ...c.args, ...(c.filter ? [c.filter] : [])];
  return runSysdigAsync(argv).then(({ stdout }) => {
    const lines = stdout.toString("utf8").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines;
  });
}

async function run(file: string, chisel: Chisel, c: Case): Promise<ChiselOutput> {
  const d = chiselDriver(chisel, c.args, { filter: c.filter, printContainer: c.pc });
  const { error } = await readCaptureFile(file, d.handler);
  assert.equal(error, undefined);
  return d.finish();
}

/** The table_generator arguments of a case, when it has a top-N cut. */
function viewOf(c: Case): TableView | undefined {
  if (c.chisel === "fdcount_by") return undefined;
  if (c.chisel === "fdbytes_by" || c.chisel === "fdtime_by") return byKeyView(c.chisel, c.args[0]);
  const v = TABLE_VIEWS[c.chisel];
  return c.pc ? v.container : v.plain;
}

/** The same run without the top-N cut: every group of equal values whole. */
async function uncut(file: string, c: Case, view: TableView): Promise<ChiselOutput> {
  const all: Chisel = { name: c.chisel, description: "", args: [], start: () => tableRun({ ...view, top: 0 }) };
  return run(file, all, { ...c, args: [] });
}

async function compare(file: string, c: Case, theirs: string[]): Promise<TieVerdict> {
  const ours = await run(file, CHISELS.get(c.chisel)!, c);
  const shape = c.chisel === "fdcount_by" ? KEY_FIRST : VALUE_FIRST;
  const v = compareTies(ours, theirs, shape);
  if (v.identical || !ours.table) return v;
  // At the top-N cut, a group of equal values may go on below it: compare with the whole group.
  const view = viewOf(c);
  return view && view.top > 0 && ours.table.rows.length === view.top ? compareTies(ours, theirs, shape, await uncut(file, c, view)) : v;
}

const totals = { runs: 0, identical: 0, lines: 0, same: 0, tieOnly: 0, tieRuns: 0 };

for (const file of fixtureCaptures().filter((f) => !f.endsWith("/curl_google_comments.scap"))) {
  test(`table chisels on ${basename(file)} print what sysdig's print`, async (t) => {
    const theirs = await limited(4, CASES.map((c) => () => sysdig(file, c)));
    const problems: string[] = [];
    let identical = 0;
    let tieOnly = 0;
    for (let i = 0; i < CASES.length; i++) {
      const v = await compare(file, CASES[i], theirs[i]);
      totals.runs++;
      totals.lines += v.lines;
      totals.same += v.same;
      totals.tieOnly += v.tieOnly;
      if (v.identical) identical++;
      else if (!v.problem) totals.tieRuns++;
      tieOnly += v.tieOnly;
      if (v.problem) problems.push(`${label(CASES[i])}: ${v.problem}`);
    }
    totals.identical += identical;
    t.diagnostic(`${basename(file)}: ${identical}/${CASES.length} runs identical, ${tieOnly} lines equal only as members of their group of equal values`);
    assert.deepEqual(problems.slice(0, 5), []);
  });
}

after(() => {
  const { runs, identical, lines, same, tieOnly, tieRuns } = totals;
  console.log(
    `# table chisels: ${runs} runs, ${identical} identical, ${tieRuns} differing only in the order of equal values ` +
      `(string keys, random in sysdig); ${same}/${lines} lines identical, ${tieOnly} equal only as group members`,
  );
});
