// The overview tiles (server/core/analyses/overview-tiles.ts) over a stored capture: one scan of
// the events table computes every tile's total and its series over time (conditional sums
// grouped by time bucket), so that the overview costs one pass whatever the number of tiles.
// Each tile's condition is its sysdig filter compiled by the same compiler as every other view.

import type { Db } from "../../db/open-db";
import { HIDDEN_TYPES } from "../core/events/event-stream";
import { OVERVIEW_TILES, withinFilter, type Overview, type OverviewTile } from "../core/analyses/overview-tiles";
import { baseTs, firstShown } from "./capture-meta";
import { filterCondition } from "./filter-condition";
import { spectrogramSpan } from "./analyses";

const VISIBLE = `e.type NOT IN (${[...HIDDEN_TYPES].join(",") || "-1"})`;

export const DEFAULT_OVERVIEW_BUCKETS = 60;
export const MAX_OVERVIEW_BUCKETS = 1000;

/** The SQL expression a tile adds up per event, and its bound parameters in order. */
function tileExpr(tile: OverviewTile, filter: string): { sql: string; params: unknown[]; approximate: string[] } {
  const cond = filterCondition(withinFilter(filter, tile.filter));
  // count(DISTINCT) leaves out the NULLs of events the filter does not keep.
  if (tile.measure === "processes") return { sql: `CASE WHEN ${cond.sql} THEN e.proc END`, params: cond.params, approximate: cond.approximate };
  if (tile.measure === "threads") return { sql: `CASE WHEN ${cond.sql} THEN e.tid END`, params: cond.params, approximate: cond.approximate };
  // The res column keeps the return value of every exit whose first parameter is an errno, an
  // fd or a pid (read, write, send…, clone): byte counts and child ids are there.
  const where = tile.positive || tile.measure === "bytes" ? `(${cond.sql}) AND e.res > 0` : cond.sql;
  const value = tile.measure === "bytes" ? "e.res" : "1";
  return { sql: `CASE WHEN ${where} THEN ${value} ELSE 0 END`, params: cond.params, approximate: cond.approximate };
}

/** Every tile over the events `filter` keeps ("" for all). Throws FilterError for a filter the
 *  stored columns cannot answer (the message says which fields). */
export function overview(db: Db, buckets = DEFAULT_OVERVIEW_BUCKETS, filter = ""): Overview {
  const span = spectrogramSpan(db);
  // Whole nanoseconds, at least one: a capture of one instant still has one bucket.
  const binNs = Math.max(1, Math.ceil((span.hi - span.lo + 1) / buckets));
  const exprs = OVERVIEW_TILES.map((t) => tileExpr(t, filter));
  const columns = OVERVIEW_TILES.map((t, i) =>
    t.measure === "processes" || t.measure === "threads" ? `count(DISTINCT ${exprs[i].sql})` : `sum(${exprs[i].sql})`);
  // Events without a time (metadata written before the first timed one) count in the totals and
  // in no bucket (-1).
  const rows = db.prepare(
    `SELECT CASE WHEN e.ts IS NULL THEN -1 ELSE max(0, min(${buckets - 1}, CAST((e.ts - ?) / ? AS INTEGER))) END AS b, ${columns.join(", ")}
       FROM events e WHERE ${VISIBLE} AND e.num >= ? GROUP BY b`,
  ).raw().all(span.lo, binNs, ...exprs.flatMap((x) => x.params), span.firstNum) as number[][];
  const series = OVERVIEW_TILES.map(() => new Array<number>(buckets).fill(0));
  const totals = OVERVIEW_TILES.map(() => 0);
  for (const r of rows) {
    for (let i = 0; i < OVERVIEW_TILES.length; i++) {
      const v = r[i + 1] ?? 0;
      if (r[0] >= 0) series[i][r[0]] = v;
      totals[i] += v;
    }
  }
  // A distinct count does not add up over buckets: counted once over the whole capture.
  OVERVIEW_TILES.forEach((t, i) => {
    if (t.measure !== "processes" && t.measure !== "threads") return;
    totals[i] = (db.prepare(`SELECT count(DISTINCT ${exprs[i].sql}) FROM events e WHERE ${VISIBLE} AND e.num >= ?`)
      .pluck().get(...exprs[i].params, span.firstNum) as number);
  });
  return {
    buckets,
    startTs: String(baseTs(db) + BigInt(span.lo)),
    binNs: String(binNs),
    tiles: OVERVIEW_TILES.map((t, i) => ({ key: t.key, total: totals[i], series: series[i] })),
    approximate: [...new Set(exprs.flatMap((x) => x.approximate))],
  };
}
