// Differential tests of the lsof, netstat and ps chisels with a filter argument:
// `sysdig -r FILE -c lsof|netstat|ps "F" "evt.num=N"` and ours (one replay of the capture up to N
// with a filter context, then the filter on each thread's fds), line by line, on every shared
// capture sysdig opens, at three event numbers each, with filters over thread, process, user,
// group, container, fd and time fields (each at one of the three, to keep to one sysdig run per
// comparison within a few seconds per capture), and at each of them two filters made from the
// state at N (the busiest process's name, a port in use), so that every capture has rows to keep
// and rows to drop.
// Bad filters: the same refusal, at the same position. Also the chisel's own argument
// splitting (quotes), through the command line.

import { test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { fixtureCaptures, oracleFileFor, runCasefile } from "../../testing/oracle";
import {
  STATE_COMMANDS, limited, ourFilteredStateLines, probeNumbers, sysdigChiselOutput, type FilteredQuery,
} from "../../testing/state-oracle";
import { stateAt } from "../../ingest/file-state";
import { FdType } from "../formats/scap/blocks";
import type { ThreadTable } from "../state/threads";

// utf8, as the chisels' output is compared.
const casefile = (args: string[]) => runCasefile(args, "utf8");

process.env.TZ = "UTC";

/** Filters as given to `sysdig -c CMD "F"`: with spaces, inside single quotes. */
const FILTERS = [
  "proc.name=curl",
  "fd.type=ipv4",
  "'fd.name contains /etc'",
  "'proc.name=curl and fd.type=file'",
  "'not fd.type=file'",
  "user.name=root",
  "'container.id!=host'",
  "'fd.num<3 and thread.tid>1'",
  "'fd.l4proto=udp or fd.is_server=true'",
  "'group.name=root and proc.vmsize>10000'",
  "'evt.rawtime>0 and fd.typechar=u'",
];

/** Two filters from the state at N: the process with the most fds, and a port in use. */
function derivedFilters(table: ThreadTable): string[] {
  let best = "";
  let most = 0;
  let port: number | undefined;
  for (const t of table.ordered()) {
    if (t.fds.size > most && /^[\w.:-]+$/.test(t.comm)) {
      best = t.comm;
      most = t.fds.size;
    }
    for (const [, f] of t.fds.entries()) {
      if (port === undefined && (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK) && f.dport) port = f.dport;
    }
  }
  return [best ? `'proc.name=${best} and fd.num>2'` : "proc.name=bash", `fd.sport=${port ?? 80}`];
}

/** Three event numbers: a third of the way, two thirds, and the last. */
function pickNumbers(oracle: string): number[] {
  const nums = probeNumbers(oracle, 10, 1);
  if (nums.length === 0) return [];
  return [...new Set([nums[Math.floor(nums.length / 3)], nums[Math.floor((2 * nums.length) / 3)], nums[nums.length - 1]])];
}

const positionOf = (s: string) => /filter error at position (\d+)/.exec(s)?.[1];

interface Outcome {
  pass: number;
  total: number;
  /** Comparisons whose table had rows (beyond the header). */
  withRows: number;
  diffs: string[];
}

/** Ours and sysdig's for each query at N. A refused filter passes when sysdig printed nothing
 *  and refused it at the same position. */
async function compareAt(file: string, oracle: string, at: number, queries: FilteredQuery[], out: Outcome) {
  const ours = await ourFilteredStateLines(file, at, queries);
  const theirs = await limited(4, queries.map((q) => () => sysdigChiselOutput(oracle, q.cmd, at, q.filter)));
  queries.forEach((q, i) => {
    const o = ours[i];
    const t = theirs[i];
    out.total++;
    let same: boolean;
    if ("error" in o) {
      const said = t.errors.find((e) => e.startsWith("invalid filter argument")) ?? "";
      same = t.lines.length === 0 && positionOf(said) !== undefined && positionOf(said) === positionOf(o.error);
    } else {
      same = JSON.stringify(o.lines) === JSON.stringify(t.lines);
      if (same && o.lines.length > 1) out.withRows++;
    }
    if (same) out.pass++;
    else if (out.diffs.length < 5) {
      out.diffs.push(`${q.cmd} "${q.filter}" @${at}:\n ours:   ${JSON.stringify("error" in o ? o.error : o.lines)}\n sysdig: ${JSON.stringify(t.lines)} ${JSON.stringify(t.errors)}`);
    }
  });
}

const files = fixtureCaptures().filter((f) => !f.endsWith("/curl_google_comments.scap"));
const totals: Outcome = { pass: 0, total: 0, withRows: 0, diffs: [] };

for (const file of files) {
  test(`${basename(file)}: lsof, netstat and ps with a filter equal sysdig's`, async (t) => {
    const oracle = oracleFileFor(file);
    const nums = pickNumbers(oracle);
    assert.ok(nums.length > 0, "sysdig numbers no event of the capture");
    const out: Outcome = { pass: 0, total: 0, withRows: 0, diffs: [] };
    for (const [k, at] of nums.entries()) {
      const { table } = await stateAt(file, at);
      const fixed = FILTERS.filter((_, i) => i % nums.length === k);
      const filters = table ? [...fixed, ...derivedFilters(table)] : fixed;
      await compareAt(file, oracle, at, filters.flatMap((filter) => STATE_COMMANDS.map((cmd) => ({ cmd, filter }))), out);
    }
    t.diagnostic(`${basename(file)} @${nums.join(",")}: ${out.pass}/${out.total} equal (${out.withRows} with rows)`);
    totals.pass += out.pass;
    totals.total += out.total;
    totals.withRows += out.withRows;
    assert.deepEqual(out.diffs, []);
  });
}

test("refused filters: sysdig's refusal, at sysdig's position", async (t) => {
  const file = files.find((f) => f.endsWith("/curl_google.scap"))!;
  const out: Outcome = { pass: 0, total: 0, withRows: 0, diffs: [] };
  const refused = ["'evt.type=open'", "'fd.name contains /etc and evt.num>0'", "foo.bar=1", "'proc.name=curl or'"];
  const queries = refused.flatMap((filter) => STATE_COMMANDS.map((cmd) => ({ cmd, filter })))
    // "(...)and (proc.name=curl or)": sysdig closes the bracket and stops at the end; we stop at
    // the ')' (parser.ts refuses a dangling or before a bracket), one position earlier.
    .filter((q) => !(q.cmd === "netstat" && q.filter === "'proc.name=curl or'"));
  await compareAt(file, file, 1000, queries, out);
  // The refusal of a field the thread table cannot answer is word for word sysdig's.
  const ours = await ourFilteredStateLines(file, 1000, [{ cmd: "lsof", filter: "'evt.type=open'" }]);
  assert.deepEqual(ours, [{ error: "filter error at position 8: the given filter is not supported for thread table filtering" }]);
  t.diagnostic(`${out.pass}/${out.total} refused alike`);
  totals.pass += out.pass;
  totals.total += out.total;
  assert.deepEqual(out.diffs, []);
});

test("casefile lsof|netstat|ps --filter F split F as sysdig splits the chisel's arguments", async (t) => {
  const file = files.find((f) => f.endsWith("/curl_google.scap"))!;
  const cases: [string, string][] = [
    ["lsof", "'proc.name=curl and fd.type=file'"],
    ["ps", " proc.name=curl "],
    ["lsof", "`proc.name=curl`"],
    ["lsof", "''"], // an empty argument: no filter
    ["ps", "''"],
    ["ps", ""],
    ["lsof", "a'proc.name=curl and fd.num=3'"], // the quote moves the start: "'proc.name=..."
    ["netstat", "'fd.sport=80 and proc.name=curl'"],
  ];
  let pass = 0;
  const lines = (s: string) => s.split("\n").filter((l) => l.length > 0);
  for (const [cmd, filter] of cases) {
    const ours = casefile([cmd, file, "--at", "1187", "--filter", filter]);
    const theirs = await sysdigChiselOutput(file, cmd as "lsof", 1187, filter);
    assert.equal(ours.status, 0, `${cmd} "${filter}": ${ours.stderr}`);
    assert.deepEqual(lines(ours.stdout), theirs.lines, `${cmd} "${filter}"`);
    pass++;
  }
  // ps with a filter lists only threads with a matching fd: at event 300 one thread has none.
  const all = casefile(["ps", file, "--at", "300"]);
  const some = casefile(["ps", file, "--at", "300", "--filter", "proc.pid>0"]);
  assert.deepEqual(lines(some.stdout), (await sysdigChiselOutput(file, "ps", 300, "proc.pid>0")).lines);
  assert.equal(lines(some.stdout).length, lines(all.stdout).length - 1);
  pass++;
  // What sysdig refuses before running: one line, exit status 2, sysdig's words.
  for (const [cmd, filter] of [["lsof", "proc.name=curl and fd.type=file"], ["ps", "'proc.name=curl"], ["lsof", "proc.name='curl'"]]) {
    const ours = casefile([cmd, file, "--at", "1187", "--filter", filter]);
    const theirs = await sysdigChiselOutput(file, cmd as "lsof", 1187, filter);
    assert.equal(ours.status, 2);
    assert.equal(ours.stdout, "");
    assert.equal(ours.stderr.split("\n").filter((l) => l).length, 1);
    const said = theirs.errors[0].replace(/^invalid filter argument for get_thread_table in chisel \w+: /, "");
    assert.ok(ours.stderr.includes(positionOf(said) ? `position ${positionOf(said)}` : said), `${cmd} "${filter}": ours ${ours.stderr}, sysdig ${said}`);
    pass++;
  }
  t.diagnostic(`${pass} command lines alike`);
  t.diagnostic(`all filtered comparisons: ${totals.pass + pass}/${totals.total + pass} equal, ${totals.withRows} tables with rows`);
});
