// The overview's tiles counted while a capture is ingested, per power-of-two time bucket at a
// few levels (as the timeline's buckets, time-buckets.ts), so that the unfiltered overview of
// any time range adds up a few hundred bucket rows instead of evaluating every tile's filter on
// every event (seconds on a 2-million-event capture). Each tile's sysdig filter is compiled
// here into a test of the values the ingest stores for an event (type, res, latency, the fd's
// type letter): the same reading of each field as the SQL compiler's (filter/sql.ts), so the
// ingest-time numbers equal the scan's (server/api/overview.ts) and the tests check both
// against sysdig. Pure: the row builder feeds it, the writer adds what take() hands back to the
// stored rows (db/migrations/capture-005.sql).

import type { Comparison, FilterNode } from "../filter/ast";
import { stringTest } from "../filter/evaluate";
import { fromBinary, parseFilter } from "../filter/parser";
import { ERRNO_BY_NAME, FD_TYPE_BY_CHAR, typeIds } from "../filter/sql";
import { NUMERIC_TYPES, parseInteger } from "../filter/values";
import { isDistinctMeasure, OVERVIEW_TILES, type OverviewTile } from "./overview-tiles";

/** What the ingest knows of a stored event: the columns the scan's conditions read. */
export interface SumRow {
  type: number;
  /** the res column (NaN: NULL) */
  res: number;
  /** the latency column (NaN: NULL) */
  latency: number;
  /** whether the event has an fds row (fdref not NULL), and that row's type letter */
  hasFd: boolean;
  fdChar: string;
}

type RowTest = (r: SumRow) => boolean;

/** Levels of the stored buckets: bucket = floor(ts / 2^level). 2^20 ns (1 ms) is the finest: the
 *  ends of a bin finer than that are counted from their events (a few at most). */
export const OV_LEVELS: readonly number[] = [20, 25, 30, 35];
/** The level of the events without a time: one bucket (0), counted in totals only. */
export const OV_UNTIMED = -1;
export const OV_BUCKET_COLS = 4; // level, bucket, min_num, max_num, then the additive tiles' sums
export const OV_THREAD_COLS = 4; // tid, first_num, last_num, container (strings id)

const isDistinct = (t: OverviewTile) => isDistinctMeasure(t.measure);
/** The tiles whose measure adds up over buckets, and those that count different values. */
export const ADDITIVE_TILES: readonly OverviewTile[] = OVERVIEW_TILES.filter((t) => !isDistinct(t));
export const DISTINCT_TILES: readonly OverviewTile[] = OVERVIEW_TILES.filter(isDistinct);
/** What a capture's stored sums hold (meta 'overview'): a reader uses them only if this matches
 *  its own tiles (a capture ingested before a tile changed falls back to the scan). */
export const OVERVIEW_LAYOUT = JSON.stringify({
  // 2: members in their bucket's row (capture-007).
  version: 2,
  levels: OV_LEVELS,
  additive: ADDITIVE_TILES.map((t) => [t.key, t.filter, t.positive === true, t.measure]),
  distinct: DISTINCT_TILES.map((t) => [t.key, t.filter, t.measure]),
});

class Refused extends Error {}

function numbers(c: Comparison): number[] {
  const kind = NUMERIC_TYPES[c.field.type];
  if (!kind) throw new Refused(c.field.text);
  return c.values.map((v) => Number(parseInteger(fromBinary(v), kind.bits, kind.signed)));
}

function numericTest(c: Comparison): (v: number) => boolean {
  const vals = numbers(c);
  const x = vals[0];
  switch (c.op) {
    case "=": return (v) => v === x;
    case "!=": return (v) => v !== x;
    case "<": return (v) => v < x;
    case "<=": return (v) => v <= x;
    case ">": return (v) => v > x;
    case ">=": return (v) => v >= x;
    case "in": {
      const set = new Set(vals);
      return (v) => set.has(v);
    }
    default: throw new Refused(c.field.text);
  }
}

/** One comparison, read as filter/sql.ts reads the stored columns (a field it does not answer
 *  from them is refused here too). */
function comparison(c: Comparison): RowTest {
  switch (c.field.field.name) {
    case "evt.type": {
      if (c.op === "exists") return () => true;
      const ids = typeIds(stringTest(c));
      if (!ids) throw new Refused(c.field.text);
      const set = new Set(ids);
      return (r) => set.has(r.type);
    }
    case "evt.dir": {
      if (c.op === "exists") return () => true;
      const t = stringTest(c);
      return (r) => t(r.type & 1 ? "<" : ">");
    }
    case "evt.latency": {
      if (c.op === "exists") return (r) => r.latency === r.latency;
      const t = numericTest(c);
      return (r) => r.latency === r.latency && t(r.latency);
    }
    case "evt.failed": {
      if (c.op !== "=" && c.op !== "!=" && c.op !== "in") throw new Refused(c.field.text);
      const wanted = new Set(c.values.map((v) => fromBinary(v) === "true"));
      const failed: RowTest = (r) => r.res === r.res && r.res < 0;
      const ok: RowTest = (r) => !(r.res < 0);
      if (c.op === "!=") return wanted.has(true) ? ok : failed;
      if (wanted.size === 2) return () => true;
      return wanted.has(true) ? failed : ok;
    }
    case "evt.rawres": {
      const vals = numbers(c);
      const onlyNegative =
        ((c.op === "=" || c.op === "in") && vals.every((v) => v < 0)) ||
        (c.op === "<" && vals[0] <= 0) || (c.op === "<=" && vals[0] < 0);
      if (!onlyNegative) throw new Refused(c.field.text);
      const t = numericTest(c);
      return (r) => r.res === r.res && t(r.res);
    }
    case "evt.res": {
      if (c.op !== "=" && c.op !== "in") throw new Refused(c.field.text);
      const codes = c.values.map((v) => ERRNO_BY_NAME.get(fromBinary(v)));
      if (codes.some((x) => x === undefined)) throw new Refused(c.field.text);
      const set = new Set(codes.map((x) => -x!));
      return (r) => set.has(r.res);
    }
    case "fd.type": {
      if (c.op === "exists") return (r) => r.hasFd;
      const t = stringTest(c);
      return (r) => r.hasFd && t(FD_TYPE_BY_CHAR[r.fdChar] ?? "<NA>");
    }
    default:
      throw new Refused(c.field.text);
  }
}

function compile(n: FilterNode): RowTest {
  switch (n.kind) {
    case "not": {
      const c = compile(n.child);
      return (r) => !c(r);
    }
    case "and": {
      const cs = n.children.map(compile);
      return (r) => {
        for (const c of cs) if (!c(r)) return false;
        return true;
      };
    }
    case "or": {
      const cs = n.children.map(compile);
      return (r) => {
        for (const c of cs) if (c(r)) return true;
        return false;
      };
    }
    case "cmp":
      return comparison(n);
  }
}

/** A tile's filter as a test of the stored values; throws naming the field it cannot read. */
export function tileRowTest(filter: string): RowTest {
  const root = parseFilter(filter).root;
  if (!root) return () => true;
  try {
    return compile(root);
  } catch (e) {
    if (e instanceof Refused) throw new Error(`the overview cannot count ${e.message} at ingest (filter: ${filter})`);
    throw e;
  }
}

/** A filter's top-level conjuncts on evt.type and evt.dir, per event type: false where one of
 *  them fails (the filter then keeps no event of that type, whatever its other values); and
 *  whether those conjuncts are the whole filter (the type then decides alone). */
function typeMask(filter: string): { mask: boolean[]; byTypeAlone: boolean } {
  const root = parseFilter(filter).root;
  const conjuncts = !root ? [] : root.kind === "and" ? root.children : [root];
  const typed = conjuncts.filter((c) => c.kind === "cmp" && (c.field.field.name === "evt.type" || c.field.field.name === "evt.dir"));
  const tests = typed.map((c) => comparison(c as Comparison));
  const row: SumRow = { type: 0, res: NaN, latency: NaN, hasFd: false, fdChar: "" };
  const mask = Array.from({ length: 1024 }, (_, type) => {
    row.type = type;
    return tests.every((t) => t(row));
  });
  return { mask, byTypeAlone: typed.length === conjuncts.length };
}

/** Per additive tile: the value an event adds (0 when its filter does not keep it). */
const ADDERS: ((r: SumRow) => number)[] = ADDITIVE_TILES.map((t) => {
  const test = tileRowTest(t.filter);
  // As the scan: bytes are positive return values; a `positive` tile counts those only.
  if (t.measure === "bytes") return (r) => (r.res > 0 && test(r) ? r.res : 0);
  if (t.positive) return (r) => (r.res > 0 && test(r) ? 1 : 0);
  return (r) => (test(r) ? 1 : 0);
});
const DISTINCT_TESTS: RowTest[] = DISTINCT_TILES.map((t) => tileRowTest(t.filter));

const NA = ADDITIVE_TILES.length;
const ND = DISTINCT_TILES.length;
/** What a distinct tile counts: 0 the process name, 1 the thread, 2 the container. */
const WHAT = DISTINCT_TILES.map((t) => (t.measure === "processes" ? 0 : t.measure === "threads" ? 1 : 2));
// Per event type, the tiles whose filter may keep an event of it: those the type alone decides
// add 1 without a test (most tiles are a few types' exits: most events test none of them).
const MASKS = ADDITIVE_TILES.map((t) => typeMask(t.filter));
const DMASKS = DISTINCT_TILES.map((t) => typeMask(t.filter));
const TESTED: number[][] = [];
const ONES: number[][] = [];
const DTESTED: number[][] = [];
for (let type = 0; type < 1024; type++) {
  TESTED.push([]);
  ONES.push([]);
  DTESTED.push([]);
  ADDITIVE_TILES.forEach((t, i) => {
    if (!MASKS[i].mask[type]) return;
    if (MASKS[i].byTypeAlone && t.measure === "count" && !t.positive) ONES[type].push(i);
    else TESTED[type].push(i);
  });
  DISTINCT_TILES.forEach((_, i) => {
    if (DMASKS[i].mask[type]) DTESTED[type].push(i);
  });
}
// 2^-level of the finest level: exact, and a multiplication instead of a division per event.
const INV0 = 2 ** -OV_LEVELS[0];

/** A bucket's members as stored: per distinct tile, how many, then those. */
export function encodeMembers(sets: readonly Set<number>[]): Float64Array {
  let n = sets.length;
  for (const s of sets) n += s.size;
  const out = new Float64Array(n);
  let o = 0;
  for (const s of sets) {
    out[o++] = s.size;
    for (const x of s) out[o++] = x;
  }
  return out;
}

/** Adds stored members (encodeMembers) to one set per distinct tile. */
export function decodeMembers(a: Float64Array, into: Set<number>[]): void {
  let o = 0;
  for (let t = 0; t < into.length && o < a.length; t++) {
    const n = a[o++];
    for (let i = 0; i < n; i++) into[t].add(a[o++]);
  }
}

/** One bucket's gathered values: min_num, max_num, then the additive sums; and its members. */
interface Entry {
  v: Float64Array;
  members: Set<number>[];
}

export class OverviewSums {
  /** The events without a time (level OV_UNTIMED), and per bucket of the finest level; the
   *  coarser levels are summed from these when taken. */
  private untimed: Entry | undefined;
  private fine = new Map<number, Entry>();
  private lastKey = NaN;
  private last: Entry | undefined;
  /** The members the last event added to `last` (events come in runs of one thread). */
  private lastProc = NaN;
  private lastTid = NaN;
  private lastContainer = NaN;
  /** Per thread in a container: its current run of events in that container (first_num,
   *  last_num, container); closed runs wait for take(). */
  private readonly runs = new Map<number, number[]>();
  private closedRuns: number[] = [];
  private lastRunTid = NaN;
  private lastRun: number[] | undefined;

  private static newEntry(num: number): Entry {
    const v = new Float64Array(2 + NA);
    v[0] = num;
    v[1] = num;
    return { v, members: DISTINCT_TILES.map(() => new Set<number>()) };
  }

  /** Follows which container a thread's events are in (runs of evt.nums per thread: a filtered
   *  count of containers reads which of a container's runs hold a kept event). */
  private follow(num: number, tid: number, container: number): void {
    let run = tid === this.lastRunTid ? this.lastRun : this.runs.get(tid);
    if (run && run[2] === container) {
      run[1] = num;
      return;
    }
    if (run) {
      this.closedRuns.push(tid, ...run);
      this.runs.delete(tid);
      run = undefined;
    }
    if (container === container) this.runs.set(tid, (run = [num, num, container]));
    this.lastRunTid = tid;
    this.lastRun = run;
  }

  /** An event the overview counts (shown by sysdig: visible, from the first shown on); ts: ns
   *  since meta.base_ts, NaN for none; proc: its strings id; container: the strings id of its
   *  thread's container.id, NaN for the host. */
  add(num: number, ts: number, proc: number, tid: number, row: SumRow, container: number): void {
    if (container === container || (tid === this.lastRunTid ? this.lastRun : this.runs.size && this.runs.get(tid))) this.follow(num, tid, container);
    let e: Entry;
    if (ts === ts) {
      const key = Math.floor(ts * INV0);
      if (key === this.lastKey) e = this.last!;
      else {
        let f = this.fine.get(key);
        if (!f) this.fine.set(key, (f = OverviewSums.newEntry(num)));
        e = f;
        this.lastKey = key;
        this.last = e;
        this.lastProc = NaN;
      }
    } else {
      e = this.untimed ??= OverviewSums.newEntry(num);
      this.lastKey = NaN;
      this.lastProc = NaN;
    }
    const v = e.v;
    if (num < v[0]) v[0] = num;
    if (num > v[1]) v[1] = num;
    const type = row.type;
    for (const i of ONES[type]) v[2 + i]++;
    for (const i of TESTED[type]) v[2 + i] += ADDERS[i](row);
    // The same thread (name, container) in the same bucket as the last event: its members are in.
    // A host thread's container is NaN, which `===` never finds equal: compared as the same id,
    // or the host's events (most of a capture) missed this and added their members each time.
    const sameContainer = container === this.lastContainer || (container !== container && this.lastContainer !== this.lastContainer);
    if (proc === this.lastProc && tid === this.lastTid && sameContainer && DTESTED[type].length === ND) return;
    let all = true;
    for (const i of DTESTED[type]) {
      if (!DISTINCT_TESTS[i](row)) {
        all = false;
        continue;
      }
      const m = WHAT[i] === 0 ? proc : WHAT[i] === 1 ? tid : container;
      if (m === m) e.members[i].add(m);
    }
    if (all && DTESTED[type].length === ND && e === this.last) {
      this.lastProc = proc;
      this.lastTid = tid;
      this.lastContainer = container;
    }
  }

  /** The rows gathered since the last call, flat: buckets (OV_BUCKET_COLS + the additive
   *  tiles' sums each) and each one's members (encodeMembers), every level's (the coarser ones summed
   *  from the finest), and the container runs (OV_THREAD_COLS each). A later take may carry a
   *  bucket or a run again: the store adds them up. */
  take(): { buckets: number[]; members: Float64Array[]; runs: number[] } {
    const buckets: number[] = [];
    const members: Float64Array[] = [];
    const emit = (level: number, bucket: number, e: Entry) => {
      buckets.push(level, bucket, ...e.v);
      members.push(encodeMembers(e.members));
    };
    if (this.untimed) emit(OV_UNTIMED, 0, this.untimed);
    // Each level from the one below, once that one is written out: its entries (values copied
    // out, members encoded) become the coarser level's, no copy.
    let m = this.fine;
    OV_LEVELS.forEach((level, l) => {
      if (l > 0) {
        const below = m;
        m = new Map<number, Entry>();
        const shift = 2 ** -(level - OV_LEVELS[l - 1]);
        for (const [key, f] of below) {
          const up = Math.floor(key * shift);
          const c = m.get(up);
          if (!c) {
            m.set(up, f);
            continue;
          }
          if (f.v[0] < c.v[0]) c.v[0] = f.v[0];
          if (f.v[1] > c.v[1]) c.v[1] = f.v[1];
          for (let i = 2; i < c.v.length; i++) c.v[i] += f.v[i];
          f.members.forEach((s, t) => {
            for (const x of s) c.members[t].add(x);
          });
        }
      }
      for (const [bucket, e] of m) emit(level, bucket, e);
    });
    this.fine = new Map();
    this.untimed = undefined;
    this.lastKey = NaN;
    this.last = undefined;
    this.lastProc = NaN;
    // Runs still open go too: the store widens a run it has (same tid and first_num).
    const runs = this.closedRuns;
    this.closedRuns = [];
    for (const [tid, run] of this.runs) runs.push(tid, ...run);
    return { buckets, members, runs };
  }
}
