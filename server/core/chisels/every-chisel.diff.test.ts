// Differential test: every chisel casefile runs under a sysdig name, against sysdig 0.29.3's own
// (`sysdig -r FILE [FLAG] -c NAME [ARG] [FILTER]`), with and without a filter, with each buffer
// flag where the chisel prints buffers, with -pc where the chisel has a container layout, on every capture of testing/writer-versions.ts (one per
// libscap writer layout) and on every fixture capture. The other chisel tests go deeper on fewer
// files; this one goes wide: every chisel on every writer's layout.
//
// A run passes when its lines are byte for byte sysdig's and it fails (a Lua error in sysdig's
// chisel) exactly when sysdig's does. The one exception is the order of equal values under
// string keys, which sysdig itself prints differently from one run to the next (LuaJIT seeds
// its string hash per process; testing/chisel-ties.ts): those lines are compared as groups, and
// counted apart. The table at the end says, per capture, how many runs were identical.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fixtureCaptures, oracleFileFor, runSysdigAsync } from "../../testing/oracle";
import { limited } from "../../testing/state-oracle";
import { compareTies, KEY_FIRST, orderIsRandom, VALUE_FIRST, type TieVerdict } from "../../testing/chisel-ties";
import { writerVersions } from "../../testing/writer-versions";
import { readCaptureFile } from "../../ingest/capture-stream";
import { ChiselError, type BufferFormat, type Chisel, type ChiselOutput } from "./chisel";
import { CHISELS } from "./index";
import { chiselDriver } from "./run";
import { byKeyView, TABLE_VIEWS } from "./table-chisels";
import { tableRun, type TableView } from "./table-generator";

process.env.TZ = "UTC";

interface Case {
  chisel: Chisel;
  args: string[];
  filter?: string;
  flag?: keyof typeof FLAGS;
  /** sysdig's -pc: the chisels that have a container layout use it. */
  pc?: boolean;
}

/** sysdig's buffer flags and ours. */
const FLAGS = { "-A": "ascii", "-x": "hex", "-X": "hexascii", "-b": "base64" } as const satisfies Record<string, BufferFormat>;
/** The chisels that print buffers (%evt.arg.data), which the flags change. */
const BUFFER_CHISELS = new Set(["echo_fds"]);
/** The chisels -pc changes (table_generator's fixed views have a container layout). */
const PC_CHISELS = new Set([...Object.keys(TABLE_VIEWS), "echo_fds", "spy_users"]);
/** A filter that reads the process table and event numbers, valid on every capture. */
const FILTER = "evt.num>10 and proc.name!=nginx";
/** Keys for the chisels that take one: a string key (ties in sysdig's random order), a number
 *  key (sysdig's order is fixed and ours must be it). */
const KEYS = ["fd.name", "proc.pid"];

/** The chisels that are sysdig's (casefile's own views have no sysdig chisel to compare with). */
const SYSDIG_CHISELS = [...CHISELS.values()].filter((c) => !c.casefileView);

const CASES: Case[] = SYSDIG_CHISELS.flatMap((chisel) => {
  const keyed = chisel.args.some((a) => !a.optional);
  const argSets = keyed ? KEYS.map((k) => [k]) : [[]];
  return [
    ...argSets.map((args) => ({ chisel, args })),
    { chisel, args: argSets[0], filter: FILTER },
    ...(BUFFER_CHISELS.has(chisel.name) ? (Object.keys(FLAGS) as (keyof typeof FLAGS)[]).map((flag) => ({ chisel, args: [], flag })) : []),
    ...(PC_CHISELS.has(chisel.name) ? [{ chisel, args: argSets[0], pc: true }] : []),
  ];
});

const label = (c: Case) => [c.pc && "-pc", c.flag, c.chisel.name, ...c.args, c.filter && JSON.stringify(c.filter)].filter(Boolean).join(" ");

interface Outcome {
  lines: string[];
  failed: boolean;
  output?: ChiselOutput;
}

/** stdout as lines: split at each line end; the text after the last one, if any, is a line. */
function toLines(out: string): string[] {
  const lines = out.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function sysdig(file: string, c: Case): Promise<Outcome> {
  const argv = ["-r", file, ...(c.pc ? ["-pc"] : []), ...(c.flag ? [c.flag] : []), "-c", c.chisel.name, ...c.args, ...(c.filter ? [c.filter] : [])];
  // A chisel's Lua error makes sysdig exit non-zero: that is an answer (ours must fail too).
  return runSysdigAsync(argv).then((r) => ({ lines: toLines(r.stdout.toString("utf8")), failed: r.status !== 0 }));
}

/** The rule under a table chisel's header line: exactly one per table. */
const RULE = "-".repeat(80);
/** The chisels that print one table at the end and nothing else (table_generator's). */
const batchable = (c: Case) => !c.flag && (c.chisel.name in TABLE_VIEWS || c.chisel.name === "fdbytes_by" || c.chisel.name === "fdtime_by");

/** sysdig's answers for every case. Starting sysdig costs more than these small captures do,
 *  so the table chisels that share a filter run in one sysdig (`-c A -c B ARG ... FILTER`: each
 *  chisel has its own Lua state and filter, and they print at the end in the order given); the
 *  output is cut at each table's rule. When a batch fails or does not cut into as many tables,
 *  its chisels run one by one. */
async function sysdigAll(file: string): Promise<Outcome[]> {
  const out: Outcome[] = new Array(CASES.length);
  const batches = new Map<string, number[]>();
  const single: number[] = [];
  CASES.forEach((c, i) => {
    if (!batchable(c)) return void single.push(i);
    const key = JSON.stringify([c.pc === true, c.filter ?? ""]);
    batches.set(key, [...(batches.get(key) ?? []), i]);
  });
  const batch = async (key: string, idx: number[]) => {
    const [pc, filter] = JSON.parse(key) as [boolean, string];
    const argv = ["-r", file, ...(pc ? ["-pc"] : []), ...idx.flatMap((i) => ["-c", CASES[i].chisel.name, ...CASES[i].args]), ...(filter ? [filter] : [])];
    const r = await runSysdigAsync(argv);
    const lines = toLines(r.stdout.toString("utf8"));
    const starts = lines.flatMap((l, k) => (l === RULE && k > 0 ? [k - 1] : []));
    if (r.status !== 0 || starts.length !== idx.length || starts[0] !== 0) {
      for (const i of idx) out[i] = await sysdig(file, CASES[i]);
      return;
    }
    idx.forEach((i, k) => (out[i] = { lines: lines.slice(starts[k], starts[k + 1] ?? lines.length), failed: false }));
  };
  await limited(4, [
    ...[...batches].map(([key, idx]) => () => batch(key, idx)),
    ...single.map((i) => async () => void (out[i] = await sysdig(file, CASES[i]))),
  ]);
  return out;
}

/** Our run, through run.ts's driver, as the command line and the API run it. */
async function ours(file: string, chisel: Chisel, c: Case): Promise<Outcome> {
  const d = chiselDriver(chisel, c.args, { filter: c.filter, bufferFormat: c.flag && FLAGS[c.flag], printContainer: c.pc });
  try {
    const { error } = await readCaptureFile(file, d.handler);
    if (error) return { lines: d.finish().lines, failed: true };
  } catch (e) {
    if (e instanceof ChiselError) return { lines: e.lines, failed: true };
    throw e;
  }
  const output = d.finish();
  return { lines: output.lines, failed: false, output };
}

/** The table_generator view of a case, for the run without its top-N cut. */
function viewOf(c: Case): TableView | undefined {
  if (c.chisel.name === "fdbytes_by" || c.chisel.name === "fdtime_by") return byKeyView(c.chisel.name, c.args[0]);
  const v = TABLE_VIEWS[c.chisel.name];
  return c.pc ? v?.container : v?.plain;
}

/** The comparison, and whether sysdig's order of this run is random (ties under string keys). */
async function verdict(file: string, c: Case, mine: Outcome, theirs: Outcome): Promise<TieVerdict & { random: boolean }> {
  const n = Math.max(mine.lines.length, theirs.lines.length);
  if (mine.failed !== theirs.failed) {
    return { identical: false, random: false, lines: n, same: 0, tieOnly: 0, problem: `ours ${mine.failed ? "failed" : "succeeded"}, sysdig's ${theirs.failed ? "failed" : "succeeded"}` };
  }
  if (!mine.output?.table) {
    const same = mine.lines.filter((l, i) => l === theirs.lines[i]).length;
    return { identical: same === n, random: false, lines: n, same, tieOnly: 0, problem: same === n ? undefined : `the lines differ\n  ours:   ${JSON.stringify(mine.lines)}\n  sysdig: ${JSON.stringify(theirs.lines)}` };
  }
  const shape = c.chisel.name === "fdcount_by" ? KEY_FIRST : VALUE_FIRST;
  const view = viewOf(c);
  // At the top-N cut, a group of equal values may go on below it: look at the whole table.
  const whole = view && view.top > 0 && mine.output.table.rows.length === view.top
    ? (await ours(file, { name: c.chisel.name, description: "", args: [], start: () => tableRun({ ...view, top: 0 }) }, { ...c, args: [] })).output
    : undefined;
  return { ...compareTies(mine.output, theirs.lines, shape, whole), random: orderIsRandom(mine.output, shape, whole) };
}

const dir = mkdtempSync(join(tmpdir(), "casefile-every-chisel-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** [label, the file we read, the file sysdig reads]. */
const CAPTURES: [string, string, string][] = [
  ...writerVersions().map((v): [string, string, string] => {
    const f = join(dir, `${v.name}.scap`);
    writeFileSync(f, v.bytes);
    return [`writer ${v.name}`, f, f];
  }),
  ...fixtureCaptures().map((f): [string, string, string] => [basename(f), f, oracleFileFor(f)]),
];

/** Per capture: runs, identical runs; of those whose order sysdig fixes (no ties under string
 *  keys), how many and how many identical (must be all). */
const table: { capture: string; runs: number; identical: number; fixed: number; fixedIdentical: number; tieOnly: number }[] = [];

test("every sysdig chisel casefile lists is compared here, and there are some", () => {
  assert.ok(SYSDIG_CHISELS.length >= 19, `${SYSDIG_CHISELS.length} chisels`);
  assert.deepEqual([...new Set(CASES.map((c) => c.chisel.name))].sort(), SYSDIG_CHISELS.map((c) => c.name).sort());
  for (const b of BUFFER_CHISELS) assert.ok(CHISELS.has(b), b);
});

test("sysdig's own order of equal values under string keys changes from run to run (so it is compared as groups)", async () => {
  // If this ever fails, sysdig's order became fixed: compare those runs line by line instead.
  const [, file] = CAPTURES.find(([n]) => n === "writer pl-v1")!;
  const c: Case = { chisel: CHISELS.get("topscalls")!, args: [] };
  const runs = await limited(4, Array.from({ length: 8 }, () => () => sysdig(file, c)));
  const orders = new Set(runs.map((r) => r.lines.join("\n")));
  const sets = new Set(runs.map((r) => [...r.lines].sort().join("\n")));
  assert.equal(sets.size, 1, "the same lines every time");
  assert.ok(orders.size > 1, `one order in ${runs.length} runs`);
  const mine = await ours(file, c.chisel, c);
  assert.deepEqual([...mine.lines].sort(), [...runs[0].lines].sort());
});

for (const [name, file, oracleFile] of CAPTURES) {
  test(`every chisel on ${name} prints what sysdig 0.29.3's prints`, async () => {
    // sysdig's runs go on in other processes while ours run here.
    const pending = sysdigAll(oracleFile);
    const mine: Outcome[] = [];
    for (const c of CASES) mine.push(await ours(file, c.chisel, c));
    const theirs = await pending;
    const problems: string[] = [];
    const row = { capture: name, runs: 0, identical: 0, fixed: 0, fixedIdentical: 0, tieOnly: 0 };
    for (let i = 0; i < CASES.length; i++) {
      const v = await verdict(file, CASES[i], mine[i], theirs[i]);
      row.runs++;
      if (v.identical) row.identical++;
      if (!v.random) {
        row.fixed++;
        if (v.identical) row.fixedIdentical++;
        else if (!v.problem) problems.push(`${label(CASES[i])}: sysdig's order is fixed here, ours differs`);
      }
      if (!v.identical && !v.problem) row.tieOnly++;
      else if (v.problem) problems.push(`${label(CASES[i])}: ${v.problem}`);
    }
    table.push(row);
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} runs differ`);
  });
}

after(() => {
  const w = Math.max(...table.map((r) => r.capture.length));
  const sum = (k: keyof (typeof table)[number]) => table.reduce((s, r) => s + (r[k] as number), 0);
  const lines = table.map((r) => `# ${r.capture.padEnd(w)}  ${String(r.identical).padStart(2)}/${r.runs} identical; ` +
    `order fixed by sysdig: ${String(r.fixedIdentical).padStart(2)}/${r.fixed}; random ties: ${r.runs - r.fixed} (${r.tieOnly} in another order than sysdig's this time)`);
  console.log([`# every chisel (${CASES.length} runs per capture, ${table.length} captures):`, ...lines,
    `# total: ${sum("identical")}/${sum("runs")} runs identical; of the ${sum("fixed")} whose order sysdig fixes, ${sum("fixedIdentical")} identical; ` +
    `${sum("runs") - sum("fixed")} with ties under string keys (sysdig's order random: equal as groups, ${sum("tieOnly")} in another order this time)`].join("\n"));
});
