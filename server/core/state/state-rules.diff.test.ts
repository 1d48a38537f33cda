// Differential tests of the state-engine rules of issue 7 (unix socket names, datagram tuples
// and the fd list's names, IPv6 local sides, threads with no information, exits without their
// enter, parents missing from the process list, the fd list's connected sockets), on the
// synthetic captures of testing/state-rule-captures.ts. On each, sysdig 0.29.3 and we must agree
// on: every event line; the lsof, netstat and ps chisels at every event number, with and without
// the capture's filters; the events each filter selects; the value of each field at every event
// sysdig prints (`sysdig -p "*%evt.num=%FIELD"`, all of them compared); and whole chisel runs.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventPrinter } from "../events/printer";
import { compileFilter } from "../filter/evaluate";
import { displayValue, extractorFor } from "../filter/extract";
import { filteredEventPrinter, filteringHandler } from "../filter/filtered-printer";
import { parseFilter, resolveField } from "../filter/parser";
import { CHISELS } from "../chisels/index";
import { ChiselError } from "../chisels/chisel";
import { chiselDriver } from "../chisels/run";
import { readCaptureFile } from "../../ingest/capture-stream";
import { feedCapture, outputLines, runSysdigAsync } from "../../testing/oracle";
import { STATE_COMMANDS, limited, ourFilteredStateLines, ourStateLines, sysdigChiselAsync } from "../../testing/state-oracle";
import { stateRuleCaptures, type RuleCapture } from "../../testing/state-rule-captures";
import { compareLines } from "../../testing/compare";

process.env.TZ = "UTC";
const dir = mkdtempSync(join(tmpdir(), "casefile-state-rules-"));

interface Tally {
  what: string;
  same: number;
  total: number;
}
const tallies: Tally[] = [];
const count = (what: string, same: number, total: number) => {
  const t = tallies.find((x) => x.what === what) ?? (tallies.push({ what, same: 0, total: 0 }), tallies[tallies.length - 1]);
  t.same += same;
  t.total += total;
};

async function sysdig(args: string[], encoding: BufferEncoding = "latin1"): Promise<string[]> {
  return outputLines((await runSysdigAsync(args)).stdout, encoding);
}

/** Our lines for a filter (or every event without one), as `casefile events` prints them. */
function ourEvents(bytes: Uint8Array, filter?: string): string[] {
  const out: string[] = [];
  const emit = (line: string) => out.push(...line.split("\n").filter((l) => l.length > 0));
  feedCapture(bytes, filter ? filteredEventPrinter(emit, compileFilter(parseFilter(filter))) : eventPrinter(emit));
  return out;
}

/** Per field: the events where our value differs from sysdig's. `printed`: the numbers of the
 *  events `sysdig -r` printed, every one of which must be compared. */
async function fieldDiffs(file: string, bytes: Uint8Array, fields: string[], printed: number[]): Promise<string[]> {
  const theirs = await limited(2, fields.map((f) => async () => {
    const m = new Map<number, string>();
    let last: number | undefined;
    for (const l of await sysdig(["-r", file, "-p", `*%evt.num=%${f}`], "utf8")) {
      const head = /^(\d+)=/.exec(l);
      // A value with a newline goes on over the next line: it belongs to the event before.
      if (!head && last !== undefined) m.set(last, `${m.get(last)}\n${l}`);
      else if (head) m.set((last = Number(head[1])), l.slice(head[0].length));
      else assert.fail(`${f}: sysdig's line ${JSON.stringify(l)} names no event`);
    }
    return m;
  }));
  const refs = fields.map((f) => resolveField(f)!.ref);
  const ex = refs.map((r) => extractorFor(r)!);
  const diffs: string[] = [];
  const compared = fields.map(() => 0);
  const h = filteringHandler((ctx, _ev, num) => {
    fields.forEach((f, i) => {
      const t = theirs[i].get(num);
      if (t === undefined) return;
      compared[i]++;
      const o = displayValue(ex[i](ctx), refs[i].field.name);
      if (o !== t) diffs.push(`${f} #${num}: ours ${JSON.stringify(o)}, sysdig ${JSON.stringify(t)}`);
    });
  });
  feedCapture(bytes, h);
  // The check cannot pass by comparing nothing: "*" makes sysdig print a line for every event it
  // prints (<NA> where the field has no value), so each field has exactly the events of
  // `sysdig -r`, and each of them was compared (none that we skip or never reach).
  assert.ok(printed.length > 0, "sysdig printed no event");
  fields.forEach((f, i) => {
    assert.deepEqual([...theirs[i].keys()], printed, `${f}: the events of sysdig -p are not those of sysdig -r`);
    assert.equal(compared[i], printed.length, `${f}: ${compared[i]} events compared, sysdig printed ${printed.length}`);
  });
  const total = compared.reduce((a, b) => a + b, 0);
  count("field values", total - diffs.length, total);
  return diffs;
}

/** A chisel's lines (or its failure) from us, through run.ts as the CLI runs it. */
async function ourChisel(file: string, name: string, args: string[]): Promise<string[]> {
  const d = chiselDriver(CHISELS.get(name)!, args);
  try {
    await readCaptureFile(file, d.handler);
  } catch (e) {
    if (e instanceof ChiselError) return [...e.lines, "(failed)"];
    throw e;
  }
  return d.finish().lines;
}

function check(what: string, ours: string[], theirs: string[], failures: string[]): void {
  const c = compareLines(ours, theirs, 2);
  count(what, c.same, c.total);
  if (c.same !== c.total) failures.push(`${what}: ${c.same}/${c.total} lines; ${JSON.stringify(c.diffs)}`);
}

const captures = stateRuleCaptures();

for (const cap of captures) {
  const file = join(dir, `${cap.name.replace(/\W+/g, "-")}.scap`);
  writeFileSync(file, cap.bytes);

  test(`${cap.name} (rule ${cap.rule}): events, lsof/netstat/ps at every event, filters, fields and chisels are sysdig's`, async () => {
    const failures: string[] = [];
    const theirEvents = await sysdig(["-r", file]);
    assert.ok(theirEvents.length > 0, "sysdig printed no event");
    check("event lines", ourEvents(cap.bytes), theirEvents, failures);

    // The state chisels after every event.
    const nums = theirEvents.map((l) => Number(l.slice(0, l.indexOf(" "))));
    const ours = await ourStateLines(file, nums);
    const jobs = nums.flatMap((n) => STATE_COMMANDS.map((cmd) => async () => ({ n, cmd, lines: await sysdigChiselAsync(file, cmd, n) })));
    for (const { n, cmd, lines } of await limited(2, jobs)) {
      const mine = ours.get(n)?.[cmd] ?? [];
      const same = JSON.stringify(mine) === JSON.stringify(lines);
      count(`${cmd} at every event`, same ? 1 : 0, 1);
      if (!same && failures.length < 20) failures.push(`${cmd} at ${n}: ours ${JSON.stringify(mine)} sysdig ${JSON.stringify(lines)}`);
    }

    // ...and with a filter, where the capture asks for it; each query must select rows at some
    // event, or it proves nothing.
    for (const q of cap.stateFilters ?? []) {
      const theirs = await limited(2, nums.map((n) => () => sysdigChiselAsync(file, q.cmd, n, q.filter)));
      let rows = 0;
      for (const [k, n] of nums.entries()) {
        const [r] = await ourFilteredStateLines(file, n, [q]);
        const mine = "lines" in r ? r.lines : [`(error) ${r.error}`];
        const same = JSON.stringify(mine) === JSON.stringify(theirs[k]);
        rows += Math.max(0, theirs[k].length - 1);
        count(`${q.cmd} ${q.filter} at every event`, same ? 1 : 0, 1);
        if (!same && failures.length < 20) failures.push(`${q.cmd} ${q.filter} at ${n}: ours ${JSON.stringify(mine)} sysdig ${JSON.stringify(theirs[k])}`);
      }
      assert.ok(rows > 0, `${q.cmd} ${q.filter}: sysdig shows no row at any event`);
    }

    const theirFiltered = await limited(2, cap.filters.map((f) => () => sysdig(["-r", file, f])));
    cap.filters.forEach((f, i) => {
      const mine = ourEvents(cap.bytes, f);
      const same = JSON.stringify(mine) === JSON.stringify(theirFiltered[i]);
      count("filters", same ? 1 : 0, 1);
      if (!same) failures.push(`filter ${f}: ${JSON.stringify(compareLines(mine, theirFiltered[i], 2).diffs)}`);
    });

    failures.push(...await fieldDiffs(file, cap.bytes, cap.fields, nums));

    for (const [name, ...args] of cap.chisels) {
      const theirs = await sysdig(["-r", file, "-c", name, ...args], "utf8");
      const mine = await ourChisel(file, name, args);
      // The table chisels order rows of equal value by LuaJIT's per-process string hash
      // (table-chisels.diff.test.ts checks that order): here their rows are compared as sets.
      const table = /^(top|fd)/.test(name);
      check(`chisel ${name}`, table ? [...mine].sort() : mine, table ? [...theirs].sort() : theirs, failures);
    }
    assert.deepEqual(failures, []);
  });
}

after(() => {
  // The figures, for the report: how much was compared and how much was identical.
  for (const t of tallies) console.log(`# state rules: ${t.what}: ${t.same}/${t.total} identical`);
});
