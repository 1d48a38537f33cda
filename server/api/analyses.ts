// Analyses over a stored capture, answered by SQL over the events table (no replay): time gaps
// between matching events and what ran in them, the latency spectrogram, and the top-N views.
// `where` is a parameterised SQL condition on the events table (alias e), from the filter
// compiler; values only ever travel as bound parameters.

import type { Db } from "../../db/open-db";
import { EVENTS } from "../core/events/event-table";
import { HIDDEN_TYPES } from "../core/events/event-stream";
import { ActivityCounter, GapFinder, type ActivityRow, type Gap } from "../core/analyses/gaps";
import { binWidth, MAX_DECADE, type Spectrogram, type SpectrogramCell } from "../core/analyses/spectrogram";
import { firstShown } from "./capture-meta";

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export const ALL: SqlCondition = { sql: "1", params: [] };

const VISIBLE = `e.type NOT IN (${[...HIDDEN_TYPES].join(",") || "-1"})`;

function typeName(type: number): string {
  return EVENTS[type]?.name ?? "<unknown>";
}

/** Every matching event that follows a gap longer than minNs since the previous matching one. */
export function findGaps(db: Db, where: SqlCondition, minNs: number): Gap[] {
  const finder = new GapFinder(minNs);
  const rows = db.prepare(
    `SELECT e.num AS num, e.ts AS ts FROM events e WHERE e.ts IS NOT NULL AND ${VISIBLE} AND (${where.sql}) ORDER BY e.num`,
  ).raw().iterate(...where.params) as IterableIterator<[number, number]>;
  for (const [num, ts] of rows) finder.add(num, ts);
  return finder.gaps;
}

/** What ran between two events (exclusive): events counted by process and type. */
export function activityBetween(db: Db, fromNum: number, toNum: number): ActivityRow[] {
  const counter = new ActivityCounter();
  const rows = db.prepare(
    `SELECT s.s AS proc, e.type AS type, count(*) AS n FROM events e JOIN strings s ON s.id = e.proc
      WHERE e.num > ? AND e.num < ? AND ${VISIBLE} GROUP BY e.proc, e.type`,
  ).all(fromNum, toNum) as { proc: string; type: number; n: number }[];
  for (const r of rows) for (let i = 0; i < r.n; i++) counter.add(r.proc || "<NA>", typeName(r.type));
  return counter.rows();
}

/** floor(log10(latency)) as the number of its digits less one (a whole-capture scan takes
 *  half the time of a CASE chain, and a fifth of log10()); below 10 ns, negative ones too, 0. */
const DECADE = `(CASE WHEN e.latency < 10 THEN 0 ELSE min(length(e.latency) - 1, ${MAX_DECADE}) END)`;

/** Exit events: the direction bit of the packed kind (the virtual type column would be
 *  computed first, which a whole-capture scan feels). */
const EXIT = "(e.kind & 1)";

/** Exit events with a latency, counted per (time bin, decade of latency). */
/** The time the spectrogram's bins span: from the first event sysdig shows (not the container
 *  events a capture may start with; firstNum) to the last, by evt.num (as the file's
 *  spectrogram reads them); ns since meta.base_ts. */
export function spectrogramSpan(db: Db): { lo: number; hi: number; firstNum: number } {
  const firstNum = firstShown(db);
  const ts = (sql: string, ...p: number[]) => (db.prepare(sql).get(...p) as { ts: number } | undefined)?.ts ?? 0;
  return {
    lo: ts("SELECT ts FROM events WHERE num >= ? AND ts IS NOT NULL ORDER BY num LIMIT 1", firstNum),
    hi: ts("SELECT ts FROM events WHERE ts IS NOT NULL ORDER BY num DESC LIMIT 1"),
    firstNum,
  };
}

export function spectrogram(db: Db, where: SqlCondition, bins: number, span = spectrogramSpan(db)): Spectrogram {
  const binNs = binWidth(span.hi - span.lo, bins);
  const cells = db.prepare(
    `SELECT CAST((e.ts - ?) / ? AS INTEGER) AS t, ${DECADE} AS l,
            count(*) AS count, min(e.num) AS example
       FROM events e WHERE ${EXIT} AND e.latency IS NOT NULL AND e.num >= ? AND (${where.sql}) GROUP BY t, l ORDER BY t, l`,
  ).all(span.lo, binNs, span.firstNum, ...where.params) as SpectrogramCell[];
  return { bins, binNs, cells };
}

export interface TopRow {
  key: string;
  count: number;
  /** Summed latency of the exit events, ns. */
  timeNs: number;
  errors: number;
}

export type TopBy = "syscall" | "process";

/** topscalls / topscalls_time / topprocs_errors-like counts: per syscall or per process, the
 *  number of calls (exit events), their summed latency and how many failed. */
export function top(db: Db, where: SqlCondition, by: TopBy, limit: number): TopRow[] {
  const exitOnly = EXIT;
  const keyCol = by === "syscall" ? "e.type" : "e.proc";
  const rows = db.prepare(
    `SELECT ${keyCol} AS k, count(*) AS count, coalesce(sum(e.latency), 0) AS timeNs,
            sum(CASE WHEN e.res < 0 THEN 1 ELSE 0 END) AS errors
       FROM events e WHERE ${exitOnly} AND ${VISIBLE} AND (${where.sql})
      GROUP BY ${keyCol} ORDER BY count DESC LIMIT ?`,
  ).all(...where.params, limit) as { k: number; count: number; timeNs: number; errors: number }[];
  const names = by === "process" ? db.prepare("SELECT s FROM strings WHERE id = ?") : undefined;
  return rows.map((r) => ({
    key: by === "syscall" ? typeName(r.k) : ((names!.get(r.k) as { s: string } | undefined)?.s || "<NA>"),
    count: r.count, timeNs: r.timeNs, errors: r.errors,
  }));
}
