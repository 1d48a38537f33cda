import { test } from "node:test";
import assert from "node:assert/strict";
import { bucketOf, coverInterval, TimeBuckets, TL_LEVELS, SP_LEVELS, CHUNK_SHIFT, TL_COLS, SP_COLS, CHUNK_COLS, STEP_COLS, STEP_MIN_NS } from "./time-buckets";
import { decadeOf } from "./spectrogram";

test("coverInterval covers every ts of [from, to) exactly once, with whole aligned buckets", () => {
  const levels = [2, 4, 6];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (let k = 0; k < 2000; k++) {
    const from = rnd(400) - 100;
    const to = from + rnd(300);
    const hits = new Map<number, number>();
    for (const p of coverInterval(from, to, levels)) {
      if (p.level === undefined) {
        // A raw stretch lies inside one bucket of the finest level.
        assert.equal(bucketOf(p.from, levels[0]), bucketOf(p.to - 1, levels[0]), JSON.stringify(p));
        for (let t = p.from; t < p.to; t++) hits.set(t, (hits.get(t) ?? 0) + 1);
      } else {
        assert.ok(p.hi >= p.lo);
        for (let t = p.lo * 2 ** p.level; t < (p.hi + 1) * 2 ** p.level; t++) hits.set(t, (hits.get(t) ?? 0) + 1);
      }
    }
    for (let t = from - 70; t < to + 70; t++) assert.equal(hits.get(t) ?? 0, t >= from && t < to ? 1 : 0, `[${from}, ${to}) at ${t}`);
    // Parts are few: at most two raw stretches and, per level, 2 × (level ratio - 1) runs.
    assert.ok(coverInterval(from, to, levels).length <= 2 + 2 * levels.length, `[${from}, ${to})`);
  }
});

test("TimeBuckets: counts, num ranges and chunk ends agree with the events fed, across takes", () => {
  const b = new TimeBuckets();
  const events: { num: number; ts: number; proc: number; tid: number; lat: number }[] = [];
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  let ts = 5e9;
  for (let num = 1; num <= 20_000; num++) {
    ts += rnd(3) === 0 ? rnd(2 ** 30) : rnd(1000);
    // Out of order now and then, and before the first timed event, as multi-CPU captures are.
    const t = rnd(50) === 0 ? ts - rnd(2 ** 29) - 6e9 : ts;
    events.push({ num, ts: t, proc: 1 + rnd(3), tid: 100 + rnd(4), lat: rnd(10 ** (1 + rnd(8))) });
  }
  const tl = new Map<string, number[]>(), sp = new Map<string, number[]>(), ch = new Map<string, number[]>();
  const steps: number[][] = [];
  const merge = (rows: ReturnType<TimeBuckets["take"]>) => {
    for (let i = 0; i < rows.steps.length; i += STEP_COLS) steps.push(rows.steps.slice(i, i + STEP_COLS));
    for (let i = 0; i < rows.tl.length; i += TL_COLS) {
      const [level, bucket, proc, tid, count, min, max] = rows.tl.slice(i, i + TL_COLS);
      const k = `${level}/${bucket}/${proc}/${tid}`, e = tl.get(k);
      tl.set(k, e ? [e[0] + count, Math.min(e[1], min), Math.max(e[2], max)] : [count, min, max]);
    }
    for (let i = 0; i < rows.sp.length; i += SP_COLS) {
      const [level, bucket, d, count, min, max] = rows.sp.slice(i, i + SP_COLS);
      const k = `${level}/${bucket}/${d}`, e = sp.get(k);
      sp.set(k, e ? [e[0] + count, Math.min(e[1], min), Math.max(e[2], max)] : [count, min, max]);
    }
    for (let i = 0; i < rows.chunks.length; i += CHUNK_COLS) {
      const [chunk, proc, tid, count, fn, fts, ln, lts, mn, mx] = rows.chunks.slice(i, i + CHUNK_COLS);
      const k = `${chunk}/${proc}/${tid}`, e = ch.get(k);
      ch.set(k, e ? [e[0] + count, e[1], e[2], ln, lts, Math.min(e[5], mn), Math.max(e[6], mx)] : [count, fn, fts, ln, lts, mn, mx]);
    }
  };
  for (const e of events) {
    b.addVisible(e.num, e.ts, e.proc, e.tid);
    if (e.num % 2 === 1) b.addLatency(e.num, e.ts, e.lat);
    if (e.num % 3000 === 0) merge(b.take());
  }
  merge(b.take());
  // The expected rows, from the events themselves.
  const want = new Map<string, number[]>();
  for (const e of events) for (const level of TL_LEVELS) {
    const k = `${level}/${Math.floor(e.ts / 2 ** level)}/${e.proc}/${e.tid}`, w = want.get(k);
    want.set(k, w ? [w[0] + 1, w[1], e.num] : [1, e.num, e.num]);
  }
  assert.deepEqual(new Map([...tl].sort()), new Map([...want].sort()));
  const wantSp = new Map<string, number[]>();
  for (const e of events) if (e.num % 2 === 1) for (const level of SP_LEVELS) {
    const k = `${level}/${Math.floor(e.ts / 2 ** level)}/${decadeOf(e.lat)}`, w = wantSp.get(k);
    wantSp.set(k, w ? [w[0] + 1, w[1], e.num] : [1, e.num, e.num]);
  }
  assert.deepEqual(new Map([...sp].sort()), new Map([...wantSp].sort()));
  const wantCh = new Map<string, number[]>();
  for (const e of events) {
    const k = `${e.num >> CHUNK_SHIFT}/${e.proc}/${e.tid}`, w = wantCh.get(k);
    wantCh.set(k, w ? [w[0] + 1, w[1], w[2], e.num, e.ts, Math.min(w[5], e.ts), Math.max(w[6], e.ts)] : [1, e.num, e.ts, e.num, e.ts, e.ts, e.ts]);
  }
  assert.deepEqual(new Map([...ch].sort()), new Map([...wantCh].sort()));
  // Steps: per scope, each event more than STEP_MIN_NS after the scope's previous one.
  const wantSteps: number[][] = [];
  const last = new Map<string, { num: number; ts: number }>();
  for (const e of events) {
    for (const [scope, key] of [[0, 0], [1, e.proc], [2, e.tid]]) {
      const p = last.get(`${scope}/${key}`);
      if (p && e.ts - p.ts > STEP_MIN_NS) wantSteps.push([scope, key, e.num, p.num, e.ts - p.ts]);
      last.set(`${scope}/${key}`, e);
    }
  }
  const order = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  assert.ok(wantSteps.length > 100);
  assert.deepEqual(steps.sort(order), wantSteps.sort(order));
});
