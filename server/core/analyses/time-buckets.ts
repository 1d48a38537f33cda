// Pre-aggregated time buckets (Perfetto's mipmaps): counts of events per power-of-two time bucket
// at a few levels, built once while the capture is read, so that a timeline or spectrogram of
// any window reads a few thousand bucket rows instead of every event. Also the ends of each
// thread's events per run of 4096 evt.nums, which let the gaps of a process skip every run that
// cannot hold a gap. Pure: the ingest feeds it and stores what take() hands back
// (db/migrations/capture-002.sql); server/api/timeline.ts reads them.

import { decadeOf } from "./spectrogram";

/** Levels of the per-thread timeline buckets: bucket = floor(ts / 2^level), ts in ns since the
 *  capture's first timed event. 2^28 ns is 268 ms: a window narrower than (bins × 268 ms) is
 *  counted from its events directly (a few tens of thousands at most on a dense capture); finer
 *  levels would store nearly one row per burst of each thread. */
export const TL_LEVELS: readonly number[] = [28, 32, 36];
/** Levels of the spectrogram buckets (fewer keys: one per decade). 2^24 ns is 16.8 ms. */
export const SP_LEVELS: readonly number[] = [24, 28, 32, 36];
/** A run of evt.nums: chunk = num >> CHUNK_SHIFT. */
export const CHUNK_SHIFT = 12;

export const TL_COLS = 7; // level, bucket, proc, tid, count, min_num, max_num
export const SP_COLS = 6; // level, bucket, decade, count, min_num, max_num
export const CHUNK_COLS = 10; // chunk, proc, tid, count, first_num, first_ts, last_num, last_ts, min_ts, max_ts
export const STEP_COLS = 5; // scope, key, num, prev_num, gap
/** Silences longer than this (ns) are kept as steps: gaps at any threshold of at least this are
 *  read from them. */
export const STEP_MIN_NS = 2 ** 20;
/** Step scopes: every shown event, one process name, one thread. */
export const STEP_ALL = 0, STEP_PROC = 1, STEP_THREAD = 2;

/** Rows gathered since the last take(), flat (COLS values per row). Each key appears once per
 *  take; a later take may carry the same key again (its events since): the store adds them up
 *  (counts summed, num and ts ranges widened, see SqliteBatchWriter). */
export interface BucketRows {
  tl: number[];
  sp: number[];
  chunks: number[];
  steps: number[];
}

export function bucketOf(ts: number, level: number): number {
  return Math.floor(ts / 2 ** level);
}

// Multiplying by 2^-level is exact in binary floating point, and cheaper than a division by a
// power computed on every call (a third of the aggregation's time, measured).
const TL_INV = TL_LEVELS.map((l) => 2 ** -l);
const SP_INV = SP_LEVELS.map((l) => 2 ** -l);
// The same for the evt.num runs: `2 ** CHUNK_SHIFT` in the hot path was a Math.pow per event in
// an ES module (V8 does not fold the module's constant there): 3x the whole call, measured.
const CHUNK_INV = 2 ** -CHUNK_SHIFT;

interface Thread {
  proc: number;
  tid: number;
  /** Index into the per-level maps' keys. */
  idx: number;
}

/** The last event of a step scope. */
interface Last {
  num: number;
  ts: number;
}

// Keys fit a double exactly: bucket (< 2^25 at level 28 for a 104-day span) × 2^20 threads; past
// 2^33 buckets (2^61 ns) they do not, and two may then share an entry.
const THREADS = 2 ** 20;

export class TimeBuckets {
  private readonly threads = new Map<string, Thread>();
  private readonly threadList: Thread[] = [];
  private last: Thread | undefined;
  private lastProc = -1;
  private lastTid = -1;
  /** Per timeline level: key → [count, min, max, bucket, thread index]. */
  private tl = TL_LEVELS.map(() => new Map<number, number[]>());
  private sp = SP_LEVELS.map(() => new Map<number, number[]>());
  private chunks = new Map<number, number[]>();
  /** The last event of each step scope. */
  private lastAll: Last | undefined;
  private readonly lastOfProc = new Map<number, Last>();
  private readonly lastOfTid = new Map<number, Last>();
  private steps: number[] = [];
  /** Events come in runs of one thread in one bucket: the entries the last event went to, per
   *  level, are tried before the maps (2M map lookups with keys past 2^31 cost seconds). */
  private readonly tlKeys = TL_LEVELS.map(() => NaN);
  private readonly tlHits: number[][] = TL_LEVELS.map(() => []);
  private readonly spKeys = SP_LEVELS.map(() => NaN);
  private readonly spHits: number[][] = SP_LEVELS.map(() => []);
  private chunkKey = NaN;
  private chunkHit: number[] = [];
  private tlFine = NaN;
  private tlIdx = -1;
  private lastProcScope: Last | undefined;
  private lastProcKey = -1;
  private lastTidScope: Last | undefined;
  private lastTidKey = -1;

  /** Records a step of a scope and moves its last event (created when first seen). */
  private step(scope: number, key: number, last: Last | undefined, num: number, ts: number): Last {
    if (!last) return { num, ts };
    if (ts - last.ts > STEP_MIN_NS) this.steps.push(scope, key, num, last.num, ts - last.ts);
    last.num = num;
    last.ts = ts;
    return last;
  }

  private thread(proc: number, tid: number): Thread {
    if (proc === this.lastProc && tid === this.lastTid) return this.last!;
    const key = `${proc}:${tid}`;
    let t = this.threads.get(key);
    if (!t) {
      if (this.threadList.length >= THREADS) throw new Error(`more than ${THREADS} (command, thread) pairs: the time buckets cannot key them`);
      t = { proc, tid, idx: this.threadList.length };
      this.threads.set(key, t);
      this.threadList.push(t);
    }
    this.last = t;
    this.lastProc = proc;
    this.lastTid = tid;
    return t;
  }

  /** An event sysdig prints, with a timestamp (ts: ns since the first timed event). */
  addVisible(num: number, ts: number, proc: number, tid: number): void {
    const t = this.thread(proc, tid);
    this.lastAll = this.step(STEP_ALL, 0, this.lastAll, num, ts);
    if (proc !== this.lastProcKey) {
      this.lastProcKey = proc;
      this.lastProcScope = this.lastOfProc.get(proc);
    }
    const p = this.step(STEP_PROC, proc, this.lastProcScope, num, ts);
    if (p !== this.lastProcScope) this.lastOfProc.set(proc, (this.lastProcScope = p));
    if (tid !== this.lastTidKey) {
      this.lastTidKey = tid;
      this.lastTidScope = this.lastOfTid.get(tid);
    }
    const q = this.step(STEP_THREAD, tid, this.lastTidScope, num, ts);
    if (q !== this.lastTidScope) this.lastOfTid.set(tid, (this.lastTidScope = q));
    // The same finest bucket and thread as the last event: the same entry at every level.
    const fine = Math.floor(ts * TL_INV[0]);
    if (fine === this.tlFine && t.idx === this.tlIdx) {
      for (const e of this.tlHits) {
        e[0]++;
        e[2] = num;
      }
    } else for (let i = 0; i < TL_LEVELS.length; i++) {
      const key = Math.floor(ts * TL_INV[i]) * THREADS + t.idx;
      let e = key === this.tlKeys[i] ? this.tlHits[i] : this.tl[i].get(key);
      if (e) {
        e[0]++;
        e[2] = num; // nums come in order: the last one is the largest
      } else this.tl[i].set(key, (e = [1, num, num, Math.floor(ts * TL_INV[i]), t.idx]));
      this.tlKeys[i] = key;
      this.tlHits[i] = e;
      this.tlFine = fine;
      this.tlIdx = t.idx;
    }
    const ckey = Math.floor(num * CHUNK_INV) * THREADS + t.idx;
    let c = ckey === this.chunkKey ? this.chunkHit : this.chunks.get(ckey);
    this.chunkKey = ckey;
    if (c) {
      // count, first_num, first_ts, last_num, last_ts, min_ts, max_ts
      c[0]++;
      c[3] = num;
      c[4] = ts;
      if (ts < c[5]) c[5] = ts;
      if (ts > c[6]) c[6] = ts;
    } else this.chunks.set(ckey, (c = [1, num, ts, num, ts, ts, ts]));
    this.chunkHit = c;
  }

  /** An exit event with a latency, from the first event sysdig shows on, with a timestamp. */
  addLatency(num: number, ts: number, latencyNs: number): void {
    const d = decadeOf(latencyNs);
    const fine = Math.floor(ts * SP_INV[0]) * 16 + d;
    if (fine === this.spKeys[0]) {
      for (const e of this.spHits) {
        e[0]++;
        e[2] = num;
      }
      return;
    }
    for (let i = 0; i < SP_LEVELS.length; i++) {
      const key = Math.floor(ts * SP_INV[i]) * 16 + d;
      let e = key === this.spKeys[i] ? this.spHits[i] : this.sp[i].get(key);
      if (e) {
        e[0]++;
        e[2] = num;
      } else this.sp[i].set(key, (e = [1, num, num]));
      this.spKeys[i] = key;
      this.spHits[i] = e;
    }
  }

  /** The rows gathered since the last call; starts gathering afresh. */
  take(): BucketRows {
    // The maps are emptied: entries cached from them are no longer theirs.
    this.tlKeys.fill(NaN);
    this.tlFine = NaN;
    this.spKeys.fill(NaN);
    this.chunkKey = NaN;
    const tl: number[] = [];
    this.tl.forEach((m, i) => {
      // The bucket and thread from the entry, not taken apart from the key: a timestamp past
      // ±2^61 ns of the first (a damaged one: the fuzzer's) makes a key no double holds exactly.
      for (const [count, min, max, bucket, idx] of m.values()) {
        const t = this.threadList[idx];
        tl.push(TL_LEVELS[i], bucket, t.proc, t.tid, count, min, max);
      }
      m.clear();
    });
    const sp: number[] = [];
    this.sp.forEach((m, i) => {
      for (const [key, [count, min, max]] of m) {
        const d = ((key % 16) + 16) % 16;
        sp.push(SP_LEVELS[i], (key - d) / 16, d, count, min, max);
      }
      m.clear();
    });
    const chunks: number[] = [];
    for (const [key, v] of this.chunks) {
      const idx = ((key % THREADS) + THREADS) % THREADS;
      const t = this.threadList[idx];
      chunks.push((key - idx) / THREADS, t.proc, t.tid, ...v);
    }
    this.chunks.clear();
    const steps = this.steps;
    this.steps = [];
    return { tl, sp, chunks, steps };
  }
}

/** A part of a time interval: whole buckets lo..hi (inclusive) of a level, or a raw stretch of
 *  ts [from, to) inside one bucket of the finest level, whose events must be read. */
export type IntervalPart =
  | { level: number; lo: number; hi: number; from?: undefined; to?: undefined }
  | { level?: undefined; lo?: undefined; hi?: undefined; from: number; to: number };

/** Splits the ts interval [from, to) into whole buckets, as coarse as alignment allows (a
 *  segment tree's cover), and at most two raw stretches at its ends finer than the finest
 *  level. levels: ascending. */
export function coverInterval(from: number, to: number, levels: readonly number[]): IntervalPart[] {
  const parts: IntervalPart[] = [];
  if (!(to > from)) return parts;
  const w0 = 2 ** levels[0];
  let a = Math.ceil(from / w0) * w0;
  let b = Math.floor(to / w0) * w0;
  if (a >= b) return [{ from, to }];
  if (from < a) parts.push({ from, to: a });
  const tail: IntervalPart[] = [];
  if (b < to) tail.push({ from: b, to });
  for (let i = 0; i < levels.length; i++) {
    const w = 2 ** levels[i];
    const up = i + 1 < levels.length ? 2 ** levels[i + 1] : Infinity;
    // Grow a up to the next level's alignment, b down to it, with this level's buckets.
    const a2 = up === Infinity ? b : Math.min(b, Math.ceil(a / up) * up);
    const b2 = up === Infinity ? b : Math.max(a2, Math.floor(b / up) * up);
    if (a2 > a) parts.push({ level: levels[i], lo: a / w, hi: a2 / w - 1 });
    if (b > b2 && b2 >= a2) tail.unshift({ level: levels[i], lo: b2 / w, hi: b / w - 1 });
    a = a2;
    b = b2;
    if (a >= b) break;
  }
  return [...parts, ...tail];
}
