// The timeline of a stored capture (event density per process or thread over a window), and
// the fast paths the capture-002 buckets give the spectrogram and the gaps. Every answer here
// equals what a scan of the events table gives (the tests compare them); the buckets only
// decide how much of the table has to be read. A capture ingested before the buckets existed
// (no meta 'aggregates') is scanned.

import type { Db } from "../../db/open-db";
import { HIDDEN_TYPES } from "../core/events/event-stream";
import { GapFinder, type Gap } from "../core/analyses/gaps";
import { binWidth, MAX_DECADE, SpectrogramBuilder, type Spectrogram, type SpectrogramCell } from "../core/analyses/spectrogram";
import { CHUNK_SHIFT, coverInterval, SP_LEVELS, STEP_ALL, STEP_MIN_NS, STEP_PROC, STEP_THREAD, TL_LEVELS } from "../core/analyses/time-buckets";
import type { Predicate } from "../core/filter/evaluate";
import { extractorFor } from "../core/filter/extract";
import { filteringHandler } from "../core/filter/filtered-printer";
import { fromBinary, parseFilter, resolveField } from "../core/filter/parser";
import { hostServices } from "../ingest/host-services";
import type { ScapHandler } from "../core/formats/scap/reader";
import { readCaptureFile } from "../ingest/capture-stream";
import type { SqlCondition } from "./analyses";
import type { ReplayOptions } from "./replayed-events";
import { firstShown } from "./capture-meta";

const VISIBLE = `e.type NOT IN (${[...HIDDEN_TYPES].join(",") || "-1"})`;

const withBuckets = new WeakMap<Db, boolean>();

/** Whether the ingest filled the capture-002 bucket tables for this capture. */
export function hasBuckets(db: Db): boolean {
  let v = withBuckets.get(db);
  if (v === undefined) {
    try {
      v = (db.prepare("SELECT value FROM meta WHERE key = 'aggregates'").pluck().get() as string | undefined) === "1";
    } catch {
      v = false;
    }
    withBuckets.set(db, v);
  }
  return v;
}

export type TimelineBy = "proc" | "thread";

export interface TimelineRequest {
  /** The window, ns since meta.base_ts: [from, to). */
  from: number;
  to: number;
  bins: number;
  by: TimelineBy;
  /** Rows shown before the rest are folded into one. */
  rows: number;
}

export interface TimelineRow {
  /** "proc:ID" or "thread:ID:TID": stable across windows, to expand or keep a row. */
  key: string;
  proc: string;
  tid: number | null;
  total: number;
  counts: number[];
}

export interface Timeline {
  binNs: number;
  bins: number;
  /** The busiest rows first. */
  rows: TimelineRow[];
  /** The rest, folded into one row (null when nothing was folded). */
  other: { rows: number; total: number; counts: number[] } | null;
  /** How the counts were made: from buckets of 2^level ns (each counted in the bin its start
   *  falls in), or from the events of the window themselves (exact per bin). */
  source: { level: number } | { scan: true } | { replay: true };
}

interface Tally {
  add(bin: number, proc: number | string, tid: number, n: number): void;
}

function tally(req: TimelineRequest): { t: Tally; finish(procName: (id: number | string) => string, source: Timeline["source"], binNs: number): Timeline } {
  const rows = new Map<string, TimelineRow & { procId: number | string }>();
  return {
    t: {
      add(bin, proc, tid, n) {
        if (bin < 0 || bin >= req.bins) return;
        const key = req.by === "proc" ? `proc:${proc}` : `thread:${proc}:${tid}`;
        let r = rows.get(key);
        if (!r) rows.set(key, (r = { key, proc: "", procId: proc, tid: req.by === "thread" ? tid : null, total: 0, counts: new Array(req.bins).fill(0) }));
        r.counts[bin] += n;
        r.total += n;
      },
    },
    finish(procName, source, binNs) {
      const all = [...rows.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
      const shown = all.slice(0, req.rows).map(({ procId, ...r }) => ({ ...r, proc: procName(procId) }));
      const rest = all.slice(req.rows);
      const other = rest.length
        ? { rows: rest.length, total: rest.reduce((s, r) => s + r.total, 0), counts: rest.reduce((c, r) => c.map((v, i) => v + r.counts[i]), new Array(req.bins).fill(0)) }
        : null;
      return { binNs, bins: req.bins, rows: shown, other, source };
    },
  };
}

function procNamer(db: Db): (id: number | string) => string {
  const get = db.prepare("SELECT s FROM strings WHERE id = ?").pluck();
  return (id) => (typeof id === "string" ? id : ((get.get(id) as string | undefined) || "<NA>"));
}

/** The evt.num range holding every visible event whose ts is in [from, to), from the coarsest
 *  level's buckets; undefined when no event is there. */
function numRange(db: Db, from: number, to: number): [number, number] | undefined {
  const level = TL_LEVELS[0];
  const r = db.prepare("SELECT min(min_num) AS lo, max(max_num) AS hi FROM tl_buckets WHERE level = ? AND bucket BETWEEN ? AND ?")
    .get(level, Math.floor(from / 2 ** level), Math.floor((to - 1) / 2 ** level)) as { lo: number | null; hi: number | null };
  return r.lo === null ? undefined : [r.lo, r.hi!];
}

/** Event density per process or thread over [from, to), in `bins` bins. */
export function timeline(db: Db, req: TimelineRequest, where?: SqlCondition): Timeline {
  const binNs = Math.max(1, Math.ceil((req.to - req.from) / req.bins));
  const { t, finish } = tally(req);
  const buckets = hasBuckets(db);
  // The coarsest level no wider than a bin: each bucket falls in one bin, within its width.
  const level = [...TL_LEVELS].reverse().find((l) => 2 ** l <= binNs);
  if (buckets && !where && level !== undefined) {
    const w = 2 ** level;
    const rows = db.prepare(
      `SELECT bucket, proc, tid, count FROM tl_buckets WHERE level = ? AND bucket BETWEEN ? AND ?`,
    ).raw().iterate(level, Math.floor(req.from / w), Math.floor((req.to - 1) / w)) as IterableIterator<[number, number, number, number]>;
    for (const [bucket, proc, tid, count] of rows) {
      t.add(Math.max(0, Math.floor((bucket * w - req.from) / binNs)), proc, tid, count);
    }
    return finish(procNamer(db), { level }, binNs);
  }
  // The events of the window: within the num range the buckets give, or all of them.
  const range = buckets ? numRange(db, req.from, req.to) : [firstShown(db), Number.MAX_SAFE_INTEGER];
  if (range) {
    const rows = db.prepare(
      `SELECT CAST((e.ts - ?) / ? AS INTEGER) AS bin, e.proc, e.tid, count(*) FROM events e
        WHERE e.num BETWEEN ? AND ? AND e.ts >= ? AND e.ts < ? AND ${VISIBLE} AND (${where?.sql ?? "1"})
        GROUP BY bin, e.proc, e.tid`,
    ).raw().iterate(req.from, binNs, range[0], range[1], req.from, req.to, ...(where?.params ?? [])) as IterableIterator<[number, number, number, number]>;
    for (const [bin, proc, tid, count] of rows) t.add(bin, proc, tid, count);
  }
  return finish(procNamer(db), { scan: true }, binNs);
}

/** The same, for a filter only a replay of the kept file answers (fd.*, evt.buffer...).
 *  from/to: ns since the epoch; base: meta.base_ts. */
export async function replayTimeline(
  file: string, predicate: Predicate, req: TimelineRequest, base: bigint, replay: ReplayOptions = {},
): Promise<Timeline> {
  const binNs = Math.max(1, Math.ceil((req.to - req.from) / req.bins));
  const { t, finish } = tally(req);
  const baseHi = Number(base >> 32n), baseLo = Number(base & 0xffffffffn);
  const handler = filteringHandler((_ctx, ev, _num, thread) => {
    if (ev.tsHi === 0 && ev.tsLo === 0) return;
    const ts = (ev.tsHi - baseHi) * 4294967296 + (ev.tsLo - baseLo);
    if (ts < req.from || ts >= req.to) return;
    t.add(Math.floor((ts - req.from) / binNs), thread.comm || "<NA>", ev.tid, 1);
  }, predicate);
  await readCaptureFile(file, handler, replay);
  return finish((id) => String(id), { replay: true }, binNs);
}

/** The visible event whose ts is nearest `at` (ns since meta.base_ts), matching `where`. */
export function nearestEvent(db: Db, at: number, where?: SqlCondition): { num: number; ts: number } | undefined {
  const q = (lo: number, hi: number, from: number, to: number) => db.prepare(
    `SELECT e.num AS num, e.ts AS ts FROM events e WHERE e.num BETWEEN ? AND ? AND e.ts >= ? AND e.ts <= ? AND ${VISIBLE}
       AND (${where?.sql ?? "1"}) ORDER BY abs(e.ts - ?), e.num LIMIT 1`,
  ).get(lo, hi, from, to, ...(where?.params ?? []), at) as { num: number; ts: number } | undefined;
  if (!hasBuckets(db)) return q(firstShown(db), Number.MAX_SAFE_INTEGER, -Infinity, Infinity);
  const w = 2 ** TL_LEVELS[0];
  const [first, last] = db.prepare("SELECT min(bucket), max(bucket) FROM tl_buckets WHERE level = ?").raw().get(TL_LEVELS[0]) as [number | null, number | null];
  if (first === null) return undefined;
  // Widen a window around `at` until it holds a matching event: whatever lies outside the
  // window is farther than what is inside.
  for (let half = w; ; half *= 4) {
    const range = numRange(db, at - half, at + half + 1);
    const found = range && q(range[0], range[1], at - half, at + half);
    if (found) return found;
    if (at - half <= first * w && at + half >= (last! + 1) * w) return undefined;
  }
}

/** nearestEvent for a filter only a replay answers: the kept file read through the predicate.
 *  at: ns since the epoch. The lowest evt.num wins a tie, as in nearestEvent. */
export async function replayNearest(file: string, predicate: Predicate, at: bigint, replay: ReplayOptions = {}): Promise<{ num: number; ts: bigint } | undefined> {
  let best: { num: number; ts: bigint; d: bigint } | undefined;
  const handler = filteringHandler((_ctx, ev, num) => {
    if (ev.tsHi === 0 && ev.tsLo === 0) return;
    const ts = (BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo);
    const d = ts > at ? ts - at : at - ts;
    if (!best || d < best.d) best = { num, ts, d };
  }, predicate);
  await readCaptureFile(file, handler, replay);
  return best && { num: best.num, ts: best.ts };
}

/** The timeline's range in a filter: the evt.rawtime bounds its top-level `and` holds (what
 *  rangeFilter writes), as [lowest, highest] ns since the epoch (undefined: no such bound). */
export function rawtimeBounds(filter: string): { lo?: bigint; hi?: bigint } | undefined {
  let root;
  try {
    root = parseFilter(filter, { services: hostServices() }).root;
  } catch {
    return undefined; // the compilers say what is wrong with it
  }
  if (!root) return undefined;
  const terms = root.kind === "and" ? root.children : [root];
  let lo: bigint | undefined, hi: bigint | undefined;
  for (const t of terms) {
    if (t.kind !== "cmp" || t.field.field.name !== "evt.rawtime" || t.values.length !== 1) continue;
    const raw = fromBinary(t.values[0]).trim();
    if (!/^\d{1,20}$/.test(raw)) continue;
    const v = BigInt(raw);
    if (t.op === ">=" || t.op === ">") lo = lo === undefined || v > lo ? v : lo;
    if (t.op === "<=" || t.op === "<") hi = hi === undefined || v < hi ? v : hi;
  }
  return lo === undefined && hi === undefined ? undefined : { lo, hi };
}

/** The filter's condition narrowed to the evt.num range that can hold its shown events: a
 *  filter with evt.rawtime bounds (the timeline's range) then reads only the events of the
 *  range's buckets rather than every event before it. Exact for the questions over events
 *  sysdig shows (visible, from the first shown on: the buckets count those), whatever else the
 *  filter says: every such event in the range lies in those buckets. */
export function narrowToRange(db: Db, filter: string, where: SqlCondition): SqlCondition {
  if (!hasBuckets(db)) return where;
  const b = rawtimeBounds(filter);
  // A lower bound above 0 also keeps out the events without a time (their rawtime is 0), which
  // the buckets do not hold.
  if (!b || b.lo === undefined || b.lo <= 0n) return where;
  const base = BigInt((db.prepare("SELECT value FROM meta WHERE key = 'base_ts'").pluck().get() as string | undefined) ?? "0");
  const w = 2 ** TL_LEVELS[0];
  const lo = b.lo === undefined ? -(2 ** 60) : Math.floor(Number(b.lo - base) / w);
  const hi = b.hi === undefined ? 2 ** 60 : Math.floor(Number(b.hi - base) / w);
  const r = db.prepare("SELECT min(min_num), max(max_num) FROM tl_buckets WHERE level = ? AND bucket BETWEEN ? AND ?").raw()
    .get(TL_LEVELS[0], lo, hi) as [number | null, number | null];
  // No shown event in the range: an empty range of numbers.
  const [first, last] = r[0] === null ? [1, 0] : [r[0], r[1]!];
  return { sql: `(${where.sql}) AND e.num BETWEEN ? AND ?`, params: [...where.params, first, last] };
}

/** The gaps of every shown event, of one process name or of one thread, from the capture-004
 *  steps, when the threads a condition selects are exactly one of those scopes and the
 *  threshold is at least STEP_MIN_NS; undefined otherwise. */
function stepGaps(db: Db, selected: [number, number][], minNs: number): Gap[] | undefined {
  if (minNs < STEP_MIN_NS) return undefined;
  let steps: string | undefined;
  try {
    steps = db.prepare("SELECT value FROM meta WHERE key = 'steps'").pluck().get() as string | undefined;
  } catch {
    return undefined;
  }
  if (steps !== "1") return undefined;
  const all = db.prepare("SELECT DISTINCT proc, tid FROM tl_chunks").raw().all() as [number, number][];
  const key = (p: number, t: number) => `${p}:${t}`;
  const chosen = new Set(selected.map(([p, t]) => key(p, t)));
  const same = (pick: (p: number, t: number) => boolean) => {
    const want = all.filter(([p, t]) => pick(p, t));
    return want.length === chosen.size && want.every(([p, t]) => chosen.has(key(p, t)));
  };
  let scope: number, k: number;
  if (same(() => true)) [scope, k] = [STEP_ALL, 0];
  else if (same((p) => p === selected[0][0])) [scope, k] = [STEP_PROC, selected[0][0]];
  else if (same((_p, t) => t === selected[0][1])) [scope, k] = [STEP_THREAD, selected[0][1]];
  else return undefined;
  return (db.prepare("SELECT num, prev_num, gap FROM tl_steps WHERE scope = ? AND key = ? AND gap > ? ORDER BY num").raw()
    .all(scope, k, minNs) as [number, number, number][]).map(([num, prevNum, gapNs]) => ({ num, prevNum, gapNs }));
}

const DECADE = `(CASE WHEN e.latency < 10 THEN 0 ELSE min(length(e.latency) - 1, ${MAX_DECADE}) END)`;

/** The unfiltered spectrogram (analyses.ts spectrogram(), same cells) from the sp_buckets:
 *  each bin's interval is covered by whole buckets as coarse as alignment allows, and the
 *  events of the few stretches finer than the finest bucket are read. Undefined without the
 *  buckets, or when events lie outside the bins (out-of-order timestamps before the first
 *  shown event): the caller scans then. */
export function bucketSpectrogram(db: Db, bins: number, span: { lo: number; hi: number; firstNum: number }, windowed = false): Spectrogram | undefined {
  if (!hasBuckets(db)) return undefined;
  const binNs = binWidth(span.hi - span.lo, bins);
  // Bin t holds ts with trunc((ts - lo) / binNs) = t: bin 0 also takes (lo - binNs, lo). A
  // window (evt.rawtime>=lo and evt.rawtime<=hi) keeps only [lo, hi].
  const start = windowed ? span.lo : span.lo - binNs + 1, end = windowed ? span.hi + 1 : span.lo + bins * binNs;
  const top = SP_LEVELS[SP_LEVELS.length - 1];
  const outside = windowed ? 0 : db.prepare(`SELECT count(*) FROM sp_buckets WHERE level = ? AND (bucket < ? OR bucket > ?)`).pluck()
    .get(top, Math.floor(start / 2 ** top), Math.floor((end - 1) / 2 ** top)) as number;
  if (outside > 0) return undefined;
  const parts: [number, number, number, number][] = []; // level, lo, hi, bin
  const raw: [number, number, number][] = []; // from, to, bin
  for (let t = 0; t < bins; t++) {
    const a = t === 0 ? start : span.lo + t * binNs;
    const b = Math.min(end, span.lo + (t + 1) * binNs);
    if (b <= a) break;
    for (const p of coverInterval(a, b, SP_LEVELS)) {
      if (p.level !== undefined) parts.push([p.level, p.lo, p.hi, t]);
      else raw.push([p.from, p.to, t]);
    }
  }
  const cells = new Map<number, SpectrogramCell>();
  const add = (t: number, l: number, count: number, example: number) => {
    const key = t * (MAX_DECADE + 1) + l;
    const c = cells.get(key);
    if (c) {
      c.count += count;
      if (example < c.example) c.example = example;
    } else cells.set(key, { t, l, count, example });
  };
  const fromBuckets = db.prepare(
    `SELECT j.value ->> 3 AS t, s.decade, sum(s.count), min(s.min_num) FROM json_each(?) j
       JOIN sp_buckets s ON s.level = j.value ->> 0 AND s.bucket BETWEEN j.value ->> 1 AND j.value ->> 2
      GROUP BY 1, 2`,
  ).raw();
  for (const [t, l, count, example] of fromBuckets.iterate(JSON.stringify(parts)) as IterableIterator<number[]>) add(t, l, count, example);
  // Raw stretches lie inside one finest bucket: its num range bounds the events to read.
  const fine = SP_LEVELS[0];
  const range = db.prepare("SELECT min(min_num), max(max_num) FROM sp_buckets WHERE level = ? AND bucket = ?").raw();
  const read = db.prepare(
    `SELECT ${DECADE}, count(*), min(e.num) FROM events e
      WHERE e.num BETWEEN ? AND ? AND e.ts >= ? AND e.ts < ? AND (e.kind & 1) AND e.latency IS NOT NULL AND e.num >= ? GROUP BY 1`,
  ).raw();
  for (const [from, to, t] of raw) {
    const [lo, hi] = range.get(fine, Math.floor(from / 2 ** fine)) as [number | null, number | null];
    if (lo === null) continue;
    for (const [l, count, example] of read.iterate(lo, hi, from, to, span.firstNum) as IterableIterator<number[]>) add(t, l, count, example);
  }
  return { bins, binNs, cells: [...cells.values()].sort((a, b) => a.t - b.t || a.l - b.l) };
}

/** The spectrogram for a filter only a replay answers; the bins span the capture as
 *  spectrogram() does (lo, hi: ns since base). */
export async function replaySpectrogram(
  file: string, predicate: Predicate, bins: number, span: { lo: number; hi: number }, base: bigint, replay: ReplayOptions = {},
): Promise<Spectrogram> {
  const latency = extractorFor(resolveField("evt.latency")!.ref)!;
  const builder = new SpectrogramBuilder();
  const baseHi = Number(base >> 32n), baseLo = Number(base & 0xffffffffn);
  const handler: ScapHandler = filteringHandler((ctx, ev, num) => {
    if (ev.type % 2 === 0) return;
    const l = latency(ctx);
    if (typeof l === "number") builder.add(num, (ev.tsHi - baseHi) * 4294967296 + (ev.tsLo - baseLo) - span.lo, l);
  }, predicate);
  await readCaptureFile(file, handler, replay);
  return builder.cells(span.hi - span.lo, bins);
}

/** findGaps (analyses.ts) from the tl_chunks, for a condition on the process and thread alone
 *  (proc.name, thread.tid: it compiles to e.proc and e.tid): a run of 4096 evt.nums whose
 *  matching events' timestamps spread no more than minNs holds no gap inside, so only its first
 *  and last event count; the other runs are read. Undefined when the condition needs other
 *  columns, or without the buckets. */
export function bucketGaps(db: Db, where: SqlCondition, minNs: number): Gap[] | undefined {
  if (!hasBuckets(db)) return undefined;
  let threads: [number, number][];
  try {
    threads = db.prepare(`SELECT e.proc, e.tid FROM (SELECT DISTINCT proc, tid FROM tl_chunks) e WHERE (${where.sql})`)
      .raw().all(...where.params) as [number, number][];
  } catch {
    return undefined; // the condition reads another column of the events: scan
  }
  const finder = new GapFinder(minNs);
  if (!threads.length) return finder.gaps;
  const fromSteps = stepGaps(db, threads, minNs);
  if (fromSteps) return fromSteps;
  const runs = db.prepare(
    `SELECT c.chunk, c.first_num, c.first_ts, c.last_num, c.last_ts, c.min_ts, c.max_ts FROM tl_chunks c
       JOIN json_each(?) j ON c.proc = j.value ->> 0 AND c.tid = j.value ->> 1 ORDER BY c.chunk`,
  ).raw().iterate(JSON.stringify(threads)) as IterableIterator<number[]>;
  const read = db.prepare(
    `SELECT e.num, e.ts FROM events e WHERE e.num BETWEEN ? AND ? AND e.ts IS NOT NULL AND ${VISIBLE} AND (${where.sql}) ORDER BY e.num`,
  ).raw();
  // Not the leading container events sysdig never shows (the buckets leave them out too).
  const shown = firstShown(db);
  // A chunk's rows (one per thread) merged: the first and last event, the ts spread.
  let chunk = -1, fNum = 0, fTs = 0, lNum = 0, lTs = 0, minTs = 0, maxTs = 0;
  const flush = () => {
    if (chunk < 0) return;
    if (maxTs - minTs <= minNs) {
      finder.add(fNum, fTs);
      if (lNum !== fNum) finder.add(lNum, lTs);
    } else {
      const lo = chunk * 2 ** CHUNK_SHIFT;
      for (const [num, ts] of read.iterate(Math.max(lo, shown), lo + 2 ** CHUNK_SHIFT - 1, ...where.params) as IterableIterator<[number, number]>) finder.add(num, ts);
    }
  };
  for (const [c, fn, fts, ln, lts, mn, mx] of runs) {
    if (c !== chunk) {
      flush();
      chunk = c; fNum = fn; fTs = fts; lNum = ln; lTs = lts; minTs = mn; maxTs = mx;
    } else {
      if (fn < fNum) { fNum = fn; fTs = fts; }
      if (ln > lNum) { lNum = ln; lTs = lts; }
      minTs = Math.min(minTs, mn);
      maxTs = Math.max(maxTs, mx);
    }
  }
  flush();
  return finder.gaps;
}
