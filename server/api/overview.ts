// The overview tiles (server/core/analyses/overview-tiles.ts) over a stored capture. Without a
// filter (or with only the timeline's evt.rawtime range) they are added up from the sums the
// ingest kept per time bucket (capture-005.sql): whole buckets at the coarsest level that fits
// each bin, and the events of the bin's ends finer than the finest level counted one by one, so
// the answer is exact, as the scan's. Otherwise (or for a capture ingested before those sums)
// one scan of the events table computes every tile's total and its series over time
// (conditional sums grouped by time bucket): one pass whatever the number of tiles. Each tile's
// condition is its sysdig filter compiled by the same compiler as every other view.

import type { Db } from "../../db/open-db";
import { HIDDEN_TYPES } from "../core/events/event-stream";
import { isDistinctMeasure, OVERVIEW_TILES, withinFilter, type Overview, type OverviewTile } from "../core/analyses/overview-tiles";
import { ADDITIVE_TILES, decodeMembers, DISTINCT_TILES, OV_LEVELS, OV_UNTIMED, OVERVIEW_LAYOUT } from "../core/analyses/overview-sums";
import { coverInterval } from "../core/analyses/time-buckets";
import { fromBinary, parseFilter } from "../core/filter/parser";
import { baseTs } from "./capture-meta";
import { filterCondition } from "./filter-condition";
import { spectrogramSpan } from "./analyses";
import { narrowToRange } from "./timeline";

const VISIBLE = `e.type NOT IN (${[...HIDDEN_TYPES].join(",") || "-1"})`;

export const DEFAULT_OVERVIEW_BUCKETS = 60;
export const MAX_OVERVIEW_BUCKETS = 1000;

/** The SQL expression a tile adds up per event, and its bound parameters in order. */
function tileExpr(tile: OverviewTile, filter: string, containers = true): { sql: string; params: unknown[]; approximate: string[] } {
  const cond = filterCondition(withinFilter(filter, tile.filter));
  if (tile.measure === "containers") {
    return { sql: containers ? `CASE WHEN ${cond.sql} THEN ${EVENT_CONTAINER} END` : "NULL", params: cond.params, approximate: cond.approximate };
  }
  // count(DISTINCT) leaves out the NULLs of events the filter does not keep.
  if (tile.measure === "processes") return { sql: `CASE WHEN ${cond.sql} THEN e.proc END`, params: cond.params, approximate: cond.approximate };
  if (tile.measure === "threads") return { sql: `CASE WHEN ${cond.sql} THEN e.tid END`, params: cond.params, approximate: cond.approximate };
  // The res column keeps the return value of every exit whose first parameter is an errno, an
  // fd or a pid (read, write, send…, clone): byte counts and child ids are there.
  const where = tile.positive || tile.measure === "bytes" ? `(${cond.sql}) AND e.res > 0` : cond.sql;
  const value = tile.measure === "bytes" ? "e.res" : "1";
  return { sql: `CASE WHEN ${where} THEN ${value} ELSE 0 END`, params: cond.params, approximate: cond.approximate };
}

/** The ts interval (ns since meta.base_ts, [lo, hi)) a filter of only evt.rawtime bounds keeps
 *  (the timeline's range), and whether the events without a time (rawtime 0) pass it;
 *  undefined for any other filter. */
function rangeOnly(db: Db, filter: string): { lo: number; hi: number; untimed: boolean } | undefined {
  const all = { lo: -Infinity, hi: Infinity, untimed: true };
  if (!filter.trim()) return all;
  let root;
  try {
    root = parseFilter(filter).root;
  } catch {
    return undefined; // the scan's compiler says what is wrong with it
  }
  if (!root) return all;
  const base = baseTs(db);
  let lo = -(2n ** 80n), hi = 2n ** 80n; // rawtime bounds, inclusive
  for (const t of root.kind === "and" ? root.children : [root]) {
    if (t.kind !== "cmp" || t.field.field.name !== "evt.rawtime" || t.values.length !== 1) return undefined;
    const raw = fromBinary(t.values[0]).trim();
    if (!/^\d{1,20}$/.test(raw)) return undefined;
    const v = BigInt(raw);
    if (t.op === ">=") lo = v > lo ? v : lo;
    else if (t.op === ">") lo = v + 1n > lo ? v + 1n : lo;
    else if (t.op === "<=") hi = v < hi ? v : hi;
    else if (t.op === "<") hi = v - 1n < hi ? v - 1n : hi;
    else return undefined;
  }
  return {
    lo: lo <= -(2n ** 80n) ? -Infinity : Number(lo - base),
    hi: hi >= 2n ** 80n ? Infinity : Number(hi - base) + 1,
    untimed: lo <= 0n && hi >= 0n,
  };
}

// Far past any capture's ts (a 104-day span is 2^53 ns), and aligned to every level.
const FAR = 2 ** 50;

/** The overview from the ingest's sums (see the top of this file), or undefined when the
 *  capture has none for these tiles or the filter is more than a time range. */
/** The container of event `e`'s thread, as the strings id of its container.id: its run in
 *  capture-006's ov_threads; NULL on the host (threads on the host have no run, so most events
 *  skip the lookup). Known only when hasOverviewSums() says the ingest followed containers. */
export const EVENT_CONTAINER = `(CASE WHEN e.tid IN (SELECT tid FROM ov_threads) THEN
  (SELECT c.container FROM ov_threads c WHERE c.tid = e.tid AND c.first_num <= e.num AND c.last_num >= e.num) END)`;

/** Whether the capture holds the ingest's sums for these tiles (and so its container runs). */
export function hasOverviewSums(db: Db): boolean {
  return (db.prepare("SELECT value FROM meta WHERE key = 'overview'").pluck().get() as string | undefined) === OVERVIEW_LAYOUT;
}

export function overviewFromSums(db: Db, buckets: number, filter: string): Overview | undefined {
  if (!hasOverviewSums(db)) return undefined;
  const range = rangeOnly(db, filter);
  if (!range) return undefined;
  const span = spectrogramSpan(db);
  const binNs = Math.max(1, Math.ceil((span.hi - span.lo + 1) / buckets));
  const na = ADDITIVE_TILES.length;
  const series = ADDITIVE_TILES.map(() => new Array<number>(buckets).fill(0));
  const totals = new Array<number>(na).fill(0);
  const seen = DISTINCT_TILES.map(() => new Set<number>());
  const seenIn = DISTINCT_TILES.map(() => Array.from({ length: buckets }, () => new Set<number>()));
  const sumsOf = db.prepare("SELECT sums, members FROM ov_buckets WHERE level = ? AND bucket BETWEEN ? AND ?").raw();
  const numsOf = db.prepare("SELECT min(min_num), max(max_num) FROM ov_buckets WHERE level = ? AND bucket BETWEEN ? AND ?").raw();
  // The ends finer than the finest level: their events, each tile's value for each.
  const exprs = OVERVIEW_TILES.map((t) => tileExpr(t, ""));
  const additive = OVERVIEW_TILES.map((t, i) => [t, i] as const).filter(([t]) => ADDITIVE_TILES.includes(t)).map(([, i]) => i);
  const distinct = OVERVIEW_TILES.map((t, i) => [t, i] as const).filter(([t]) => DISTINCT_TILES.includes(t)).map(([, i]) => i);
  const order = [...additive, ...distinct];
  const eventsIn = db.prepare(
    `SELECT ${order.map((i) => exprs[i].sql).join(", ")} FROM events e
      WHERE ${VISIBLE} AND e.num BETWEEN ? AND ? AND e.ts >= ? AND e.ts < ?`,
  ).raw();
  const params = order.flatMap((i) => exprs[i].params);
  const add = (b: number, [sums, members]: [Buffer, Buffer | null], timed: boolean) => {
    const v = new Float64Array(new Uint8Array(sums).buffer);
    for (let k = 0; k < na; k++) {
      if (timed) series[k][b] += v[k];
      totals[k] += v[k];
    }
    if (!members) return;
    const m = new Float64Array(new Uint8Array(members).buffer);
    decodeMembers(m, seen);
    if (timed) decodeMembers(m, seenIn.map((x) => x[b]));
  };
  const addMember = (b: number, tile: number, member: number, timed: boolean) => {
    seen[tile].add(member);
    if (timed) seenIn[tile][b].add(member);
  };
  for (let b = 0; b < buckets; b++) {
    // The scan puts an event before the first bin's start in it, and one past the last's end
    // in that one.
    const from = Math.max(b === 0 ? -FAR : span.lo + b * binNs, range.lo);
    const to = Math.min(b === buckets - 1 ? FAR : span.lo + (b + 1) * binNs, range.hi);
    for (const part of coverInterval(from, to, OV_LEVELS)) {
      if (part.level !== undefined) {
        for (const r of sumsOf.iterate(part.level, part.lo, part.hi) as IterableIterator<[Buffer, Buffer | null]>) add(b, r, true);
        continue;
      }
      const w = 2 ** OV_LEVELS[0];
      const [first, last] = numsOf.get(OV_LEVELS[0], Math.floor(part.from / w), Math.floor((part.to - 1) / w)) as [number | null, number | null];
      if (first === null) continue;
      for (const r of eventsIn.iterate(...params, first, last, part.from, part.to) as IterableIterator<(number | null)[]>) {
        for (let k = 0; k < na; k++) {
          series[k][b] += r[k] as number;
          totals[k] += r[k] as number;
        }
        for (let k = 0; k < distinct.length; k++) if (r[na + k] !== null) addMember(b, k, r[na + k]!, true);
      }
    }
  }
  if (range.untimed) {
    for (const r of sumsOf.iterate(OV_UNTIMED, 0, 0) as IterableIterator<[Buffer, Buffer | null]>) add(0, r, false);
  }
  const answers = new Map<OverviewTile, { total: number; series: number[] }>();
  ADDITIVE_TILES.forEach((t, k) => answers.set(t, { total: totals[k], series: series[k] }));
  DISTINCT_TILES.forEach((t, k) => answers.set(t, { total: seen[k].size, series: seenIn[k].map((s) => s.size) }));
  return {
    buckets,
    startTs: String(baseTs(db) + BigInt(span.lo)),
    binNs: String(binNs),
    tiles: OVERVIEW_TILES.map((t) => ({ key: t.key, ...answers.get(t)! })),
    approximate: [...new Set(exprs.flatMap((x) => x.approximate))],
  };
}

/** Every tile over the events `filter` keeps ("" for all). Throws FilterError for a filter the
 *  stored columns cannot answer (the message says which fields). opts.scan: count from the
 *  events even where the ingest's sums could answer (tests compare the two; the bench times
 *  both). */
export function overview(db: Db, buckets = DEFAULT_OVERVIEW_BUCKETS, filter = "", opts: { scan?: boolean } = {}): Overview {
  if (!opts.scan) {
    const fast = overviewFromSums(db, buckets, filter);
    if (fast) return fast;
  }
  const span = spectrogramSpan(db);
  // Whole nanoseconds, at least one: a capture of one instant still has one bucket.
  const binNs = Math.max(1, Math.ceil((span.hi - span.lo + 1) / buckets));
  // The user's filter once, in the WHERE (SQLite skips the events it drops before evaluating
  // 14 tiles on them; its time range reads only the range's evt.nums), and each tile's own
  // condition per kept event: (F) and (T), as the click applies it.
  const filterWhere = filterCondition(filter);
  const where = narrowToRange(db, filter, filterWhere);
  // The containers of a capture ingested before they were followed are not known.
  const containers = hasOverviewSums(db);
  const exprs = OVERVIEW_TILES.map((t) => tileExpr(t, "", containers));
  const distinct = (t: OverviewTile) => isDistinctMeasure(t.measure);
  const columns = OVERVIEW_TILES.map((t, i) => (distinct(t) ? `count(DISTINCT ${exprs[i].sql})` : `sum(${exprs[i].sql})`));
  // Events without a time (metadata written before the first timed one) count in the totals and
  // in no bucket (-1).
  const rows = db.prepare(
    `SELECT CASE WHEN e.ts IS NULL THEN -1 ELSE max(0, min(${buckets - 1}, CAST((e.ts - ?) / ? AS INTEGER))) END AS b, ${columns.join(", ")}
       FROM events e WHERE ${VISIBLE} AND e.num >= ? AND (${where.sql}) GROUP BY b`,
  ).raw().all(span.lo, binNs, ...exprs.flatMap((x) => x.params), span.firstNum, ...where.params) as number[][];
  const series = OVERVIEW_TILES.map(() => new Array<number>(buckets).fill(0));
  const totals = OVERVIEW_TILES.map(() => 0);
  for (const r of rows) {
    for (let i = 0; i < OVERVIEW_TILES.length; i++) {
      const v = r[i + 1] ?? 0;
      if (r[0] >= 0) series[i][r[0]] = v;
      totals[i] += v;
    }
  }
  // A distinct count does not add up over buckets: counted over the whole of it, every distinct
  // tile in one more pass.
  const counted = OVERVIEW_TILES.map((t, i) => i).filter((i) => distinct(OVERVIEW_TILES[i]));
  if (counted.length) {
    const all = db.prepare(`SELECT ${counted.map((i) => `count(DISTINCT ${exprs[i].sql})`).join(", ")}
      FROM events e WHERE ${VISIBLE} AND e.num >= ? AND (${where.sql})`)
      .raw().get(...counted.flatMap((i) => exprs[i].params), span.firstNum, ...where.params) as number[];
    counted.forEach((i, k) => (totals[i] = all[k]));
  }
  return {
    buckets,
    startTs: String(baseTs(db) + BigInt(span.lo)),
    binNs: String(binNs),
    tiles: OVERVIEW_TILES.map((t, i) => ({
      key: t.key, total: totals[i], series: series[i],
      ...(t.measure === "containers" && !containers ? { unanswered: "this capture was ingested before casefile followed containers: ingest it again to count them" } : {}),
    })),
    approximate: [...new Set([...filterWhere.approximate, ...exprs.flatMap((x) => x.approximate)])],
  };
}
