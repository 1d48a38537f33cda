// Comparing a table chisel's output with sysdig's where sysdig's own order is not fixed.
//
// sysdig's table chisels sort with LuaJIT's (unstable) table.sort over the `pairs` order of a
// Lua table. For keys that are all 32-bit integers that order is the same in every run and
// lua-sort.ts reproduces it: such runs must be identical. For string keys LuaJIT 2.1 seeds its
// string hash from a random number per process, so `pairs`, and with it the order of equal
// values after the sort, changes from one sysdig run to the next (the same command printed four
// orders in four runs): no program can print "sysdig's" order there. Such lines can only be
// checked as a group: each group of equal values must hold the same lines as sysdig's, and
// where the top-N cut falls inside a group (sysdig then shows a random part of it), sysdig's
// lines must be members of the whole group. Every other difference is a real one.

import type { ChiselOutput } from "../core/chisels/chisel";
import { orderIsExact, type LuaKey } from "../core/chisels/lua-sort";

export interface TieVerdict {
  /** Byte for byte the same lines. */
  identical: boolean;
  lines: number;
  /** Lines equal at their place. */
  same: number;
  /** Lines that differ only by the order of equal values (string keys). */
  tieOnly: number;
  /** What differs otherwise (undefined when the run is identical or differs only in ties). */
  problem?: string;
}

function multiset(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

function within(part: readonly string[], whole: readonly string[]): boolean {
  const m = multiset(whole);
  for (const l of part) {
    const n = m.get(l) ?? 0;
    if (n === 0) return false;
    m.set(l, n - 1);
  }
  return true;
}

/** How a run's rows name their sort value and key (fdcount_by prints the key first). */
export interface RowShape {
  keyOf(row: readonly (string | number)[]): LuaKey;
  valueOf(row: readonly (string | number)[]): string | number;
}

export const VALUE_FIRST: RowShape = { keyOf: (r) => r[1], valueOf: (r) => r[0] };
export const KEY_FIRST: RowShape = { keyOf: (r) => r[0], valueOf: (r) => r[1] };

/** Compares our run (`ours`, with its table) with sysdig's lines. `whole` is our run without
 *  the top-N cut, when the cut was reached (for groups of equal values cut in two). */
export function compareTies(ours: ChiselOutput, theirs: readonly string[], shape: RowShape, whole?: ChiselOutput): TieVerdict {
  const lines = Math.max(ours.lines.length, theirs.length);
  let same = 0;
  for (let i = 0; i < lines; i++) if (ours.lines[i] === theirs[i]) same++;
  const v: TieVerdict = { identical: same === lines, lines, same, tieOnly: 0 };
  if (v.identical) return v;
  const fail = (problem: string): TieVerdict => ({ ...v, problem: `${problem}\n  ours:   ${JSON.stringify(ours.lines)}\n  sysdig: ${JSON.stringify(theirs)}` });
  if (!ours.table) return fail("the lines differ");
  if (ours.lines.length !== theirs.length) return fail("line counts differ");
  const rows = ours.table.rows;
  const head = ours.lines.length - rows.length;
  if (head < 0) return fail("a key printed on several lines");
  for (let i = 0; i < head; i++) if (ours.lines[i] !== theirs[i]) return fail("headers differ");
  if (rows.length > 0 && rows.every((r) => r.length === 2) && orderIsExact(rows.map(shape.keyOf))) {
    return fail("number keys: the order is sysdig's own and must be identical");
  }
  const all = whole ?? ours;
  const wholeRows = all.table!.rows;
  const wholeHead = all.lines.length - wholeRows.length;
  let tieOnly = 0;
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && shape.valueOf(rows[j]) === shape.valueOf(rows[i])) j++;
    const mine = ours.lines.slice(head + i, head + j);
    const them = theirs.slice(head + i, head + j);
    const group = wholeRows.flatMap((r, k) => (shape.valueOf(r) === shape.valueOf(rows[i]) ? [all.lines[wholeHead + k]] : []));
    const cut = group.length > j - i;
    if (cut ? !within(them, group) : !within(them, mine)) {
      return fail(`lines ${head + i}..${head + j - 1}: sysdig's are not the ${cut ? "members of the group cut at the top" : "same set"} of equal values`);
    }
    for (let k = i; k < j; k++) if (ours.lines[head + k] !== theirs[head + k]) tieOnly++;
    i = j;
  }
  return { ...v, tieOnly };
}

/** Whether sysdig's order of this output is random: a table under keys that are not all
 *  32-bit integers with two rows of equal value somewhere (or a cut at the top that may fall
 *  inside such a group: `whole` is then the run without the cut). */
export function orderIsRandom(ours: ChiselOutput, shape: RowShape, whole?: ChiselOutput): boolean {
  const rows = (whole ?? ours).table?.rows;
  if (!rows || rows.length < 2) return false;
  if (rows.every((r) => r.length === 2) && orderIsExact(rows.map(shape.keyOf))) return false;
  const seen = new Set<string | number>();
  for (const r of rows) {
    const v = shape.valueOf(r);
    if (seen.has(v)) return true;
    seen.add(v);
  }
  return false;
}
