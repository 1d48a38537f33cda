// The timeline, the time range (evt.rawtime in SQL) and the bucket fast paths of the spectrogram
// and the gaps, against sysdig's answers on the same files (testing/sysdig-analyses.ts computes
// them from sysdig's -p output with plain code); and, on a capture large enough to fill many
// buckets, the bucket paths against the scans they stand in for.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openStore } from "./store";
import { openDb } from "../../db/open-db";
import { ALL, findGaps, spectrogram, spectrogramSpan } from "./analyses";
import { bucketGaps, bucketSpectrogram, hasBuckets, narrowToRange, timeline } from "./timeline";
import { renderStoredEvents } from "./stored-events";
import { filterCondition } from "./filter-condition";
import { fixtureCapture, fixtureCaptures, runCasefile, sysdigLines } from "../testing/oracle";
import { expectedSpectrogram, sysdigGaps, sysdigLatencies } from "../testing/sysdig-analyses";
import { makeBigCapture } from "../../bench/big-capture";
import type { Store } from "./store-types";
import { rangeFilter } from "../../components/ui/view-url";

process.env.TZ = "UTC";

const captures = fixtureCaptures().filter((f) => !/comments|empty/.test(f));

async function storeWith(files: string[]): Promise<{ store: Store; ids: string[]; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "casefile-timeline-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  const ids: string[] = [];
  for (const f of files) ids.push(await store.ingestFile(f, basename(f)));
  return { store, ids, dir };
}

/** evt.num and evt.rawtime of what `sysdig -r FILE FILTER` prints. */
function sysdigTimes(file: string, filter = ""): { num: number; ts: bigint; proc: string }[] {
  return sysdigLines(file, ["-p", "%evt.num %evt.rawtime %proc.name", ...(filter ? [filter] : [])])
    .filter((l) => /^\d/.test(l))
    .map((l) => {
      const [num, ts, proc] = l.split(" ");
      return { num: Number(num), ts: BigInt(ts), proc };
    });
}

test("a time range as evt.rawtime bounds selects in SQL the events sysdig selects", async () => {
  const { store, ids } = await storeWith(captures);
  try {
    let compared = 0;
    for (const [i, file] of captures.entries()) {
      const all = sysdigTimes(file);
      if (all.length < 3) continue;
      // A window from the third to the second-last third of the events, as the timeline's
      // brush writes it.
      const a = all[Math.floor(all.length / 3)].ts, b = all[Math.floor((2 * all.length) / 3)].ts;
      // What the views run (rangeFilter), sysdig reading exactly that text.
      const range = { from: String(a), to: String(b) };
      for (const filter of [rangeFilter("", range), rangeFilter("evt.type=read or evt.dir='<'", range), `evt.rawtime>${a} and evt.rawtime<${b} and evt.dir='<'`, `evt.rawtime<${a}`]) {
        const theirs = sysdigTimes(file, filter).map((e) => e.num);
        const ours: number[] = [];
        for (let from: number | null = 1; from !== null;) {
          const page = await store.events(ids[i], { filter, from, limit: 5000 });
          assert.ok(!page.replayed && !page.approximate, `${filter}: answered in SQL`);
          ours.push(...page.events.map((e) => e.num));
          from = page.next;
        }
        assert.deepEqual(ours, theirs, `${basename(file)} ${filter}`);
        compared += theirs.length;
      }
    }
    assert.ok(compared > 1000, `${compared} events compared`);
  } finally {
    await store.close();
  }
});

test("the spectrogram from the buckets, and the gaps, equal sysdig's on every capture", async () => {
  const { store, ids, dir } = await storeWith(captures);
  try {
    for (const [i, file] of captures.entries()) {
      const db = openDb(join(dir, "captures", `${ids[i]}.db`), "capture", { readonly: true });
      assert.ok(hasBuckets(db), "the ingest filled the buckets");
      const lat = sysdigLatencies(file);
      for (const bins of [1, 13, 100]) {
        const want = expectedSpectrogram(lat, bins);
        assert.deepEqual(bucketSpectrogram(db, bins, spectrogramSpan(db)), want, `${basename(file)} ${bins} bins (buckets)`);
        const s = (await store.spectrogram(ids[i], "", bins))!;
        assert.deepEqual(s.cells, want.cells, `${basename(file)} ${bins} bins (store)`);
      }
      const procs = [...new Set(sysdigTimes(file).map((e) => e.proc))].slice(0, 3);
      for (const filter of ["", ...procs.map((p) => `proc.name=${p}`)]) {
        for (const min of [1_000n, 1_000_000n, 100_000_000n]) {
          const theirs = sysdigGaps(file, filter, min).map((g) => [g.num, g.prevNum, g.gapNs]);
          const ours = bucketGaps(db, filterCondition(filter), Number(min));
          assert.ok(ours, `${filter}: answered from the buckets`);
          assert.deepEqual(ours.map((g) => [g.num, g.prevNum, BigInt(g.gapNs)]), theirs, `${basename(file)} ${filter} ${min}`);
        }
      }
      db.close();
    }
  } finally {
    await store.close();
  }
});

test("timeline: per process, every event sysdig prints is counted once; the nearest event is the nearest by time", async () => {
  const { store, ids } = await storeWith(captures);
  try {
    for (const [i, file] of captures.entries()) {
      const events = sysdigTimes(file);
      if (!events.length) continue;
      // Container events: sysdig names their process container:ID, the proc column keeps their
      // thread's name (as sql.test.ts notes); they are counted, under another name.
      const named = (p: string) => !p.startsWith("container:") && p !== "<NA>";
      const want = new Map<string, number>();
      for (const e of events) if (named(e.proc)) want.set(e.proc, (want.get(e.proc) ?? 0) + 1);
      for (const by of ["proc", "thread"] as const) {
        const t = (await store.timeline(ids[i], { bins: 50, by, rows: 200, filter: "" }))!;
        const got = new Map<string, number>();
        for (const r of t.rows) {
          assert.equal(r.counts.reduce((a, b) => a + b, 0), r.total);
          if (named(r.proc)) got.set(r.proc, (got.get(r.proc) ?? 0) + r.total);
        }
        assert.equal(t.rows.reduce((n, r) => n + r.total, 0), events.length, `${basename(file)} by ${by}: every event`);
        assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()), `${basename(file)} by ${by}`);
        // Busiest first.
        t.rows.forEach((r, k) => k && assert.ok(r.total <= t.rows[k - 1].total));
      }
      // Folding: the rest adds up.
      const folded = (await store.timeline(ids[i], { bins: 50, by: "thread", rows: 1, filter: "" }))!;
      assert.equal(folded.rows[0].total + (folded.other?.total ?? 0), events.length, basename(file));
      // A window of a third of the span, scanned exactly: the events sysdig prints in it.
      const a = events[Math.floor(events.length / 3)].ts, b = events[Math.floor((2 * events.length) / 3)].ts;
      const w = (await store.timeline(ids[i], { from: String(a), to: String(b + 1n), bins: 10, by: "proc", rows: 200, filter: "" }))!;
      const inWindow = events.filter((e) => e.ts >= a && e.ts <= b).length;
      assert.equal(w.rows.reduce((n, r) => n + r.total, 0), inWindow, `${basename(file)} window`);
      // The nearest event to a few instants, by sysdig's times (the lowest evt.num on a tie).
      for (const k of [0, 0.25, 0.5, 0.9]) {
        const at = events[0].ts + BigInt(Math.floor(Number(events[events.length - 1].ts - events[0].ts) * k)) + 777n;
        const abs = (x: bigint) => (x < 0n ? -x : x);
        const best = events.reduce((p, e) => (abs(e.ts - at) < abs(p.ts - at) ? e : p));
        const got = await store.nearest(ids[i], String(at), "");
        assert.equal(got?.num, best.num, `${basename(file)} nearest ${at}`);
      }
    }
  } finally {
    await store.close();
  }
});

test("a filter only a replay answers (evt.buffer): spectrogram, timeline and nearest event equal sysdig's", async () => {
  const file = fixtureCapture("curl_google.scap");
  const { store, ids } = await storeWith([file]);
  try {
    for (const filter of ["evt.buffer contains google", "fd.name contains 443 or evt.buffer contains HTTP"]) {
      const s = (await store.spectrogram(ids[0], filter, 20))!;
      assert.equal(s.replayed, true);
      const want = expectedSpectrogram(sysdigLatencies(file, filter), 20);
      assert.ok(want.cells.length > 0, filter);
      assert.deepEqual(s.cells, want.cells, filter);
      const t = (await store.timeline(ids[0], { bins: 20, by: "thread", rows: 50, filter }))!;
      assert.equal(t.source, "replay");
      assert.equal(t.rows.reduce((n, r) => n + r.total, 0), sysdigTimes(file, filter).length, filter);
      // The timeline's click under that filter: the nearest of sysdig's matching events.
      const evs = sysdigTimes(file, filter);
      for (const k of [0, 0.5, 1]) {
        const at = evs[Math.min(evs.length - 1, Math.floor(k * evs.length))].ts + 12_345n;
        const abs = (x: bigint) => (x < 0n ? -x : x);
        const best = evs.reduce((p, e) => (abs(e.ts - at) < abs(p.ts - at) ? e : p));
        assert.equal((await store.nearest(ids[0], String(at), filter))?.num, best.num, `${filter} nearest`);
      }
    }
  } finally {
    await store.close();
  }
});

test("a spectrogram of a range: bins over the range, its cells sysdig's for the range's filter (store and command line)", async () => {
  const files = [fixtureCapture("curl_google.scap"), fixtureCapture("falco_ping_sendto.scap")];
  const { store, ids } = await storeWith(files);
  try {
    for (const [i, file] of files.entries()) {
      const events = sysdigTimes(file);
      const range = { from: String(events[Math.floor(events.length / 4)].ts), to: String(events[Math.floor((3 * events.length) / 4)].ts) };
      for (const filter of ["", "evt.type=sendmsg or proc.name=curl", "evt.buffer contains . or evt.type=sendmsg"]) {
        const shown = rangeFilter(filter, range);
        const want = expectedSpectrogram({ ...sysdigLatencies(file, shown), first: BigInt(range.from), last: BigInt(range.to) }, 40);
        assert.ok(want.cells.length > 0, `${basename(file)} ${shown}`);
        const s = (await store.spectrogram(ids[i], filter, 40, range))!;
        assert.equal(s.startTs, range.from);
        assert.deepEqual({ binNs: Number(s.binNs), cells: s.cells }, { binNs: want.binNs, cells: want.cells }, `${basename(file)} ${shown}`);
        // The command line the view prints gives the same cells.
        const out = runCasefile(["spectrogram", file, "--filter", shown, "--bins", "40", "--from", range.from, "--to", range.to]);
        assert.equal(out.status, 0, out.stderr);
        const lines = out.stdout.trim().split("\n").slice(2).map((l) => l.trim().split(/\s+/));
        assert.deepEqual(lines.map((l) => [Number(l[0]), Number(l[3]), Number(l[4])]), want.cells.map((c) => [c.t, c.count, c.example]), `command line: ${shown}`);
      }
    }
  } finally {
    await store.close();
  }
});

test("on a capture of many buckets, the bucket paths equal the scans they replace", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-timeline-big-"));
  const big = join(dir, "big.scap");
  await makeBigCapture(fixtureCapture("curl_google.scap"), big, 60_000);
  const { store, ids, dir: data } = await storeWith([big]);
  try {
    const db = openDb(join(data, "captures", `${ids[0]}.db`), "capture", { readonly: true });
    const span = spectrogramSpan(db);
    for (const bins of [1, 3, 64, 200, 999, 4000]) {
      assert.deepEqual(bucketSpectrogram(db, bins, span), spectrogram(db, ALL, bins, span), `${bins} bins`);
    }
    // A window: from the buckets, as the scan with its evt.rawtime bounds answers.
    const base = BigInt(db.prepare("SELECT value FROM meta WHERE key = 'base_ts'").pluck().get() as string);
    for (const [a, b] of [[0.1, 0.2], [0.33, 0.9], [0.5, 0.5001]]) {
      const lo = Math.floor(span.lo + a * (span.hi - span.lo)), hi = Math.floor(span.lo + b * (span.hi - span.lo));
      const w = { ...span, lo, hi };
      const where = filterCondition(rangeFilter("", { from: String(base + BigInt(lo)), to: String(base + BigInt(hi)) }));
      for (const bins of [1, 50, 333]) assert.deepEqual(bucketSpectrogram(db, bins, w, true), spectrogram(db, where, bins, w), `window ${a}-${b}, ${bins} bins`);
    }
    // A range in the filter reads only its buckets' events: the same events and gaps as the
    // whole scan.
    for (const [a, b] of [[0.2, 0.21], [0.5, 0.8], [0.999, 1]]) {
      const at = (f: number) => String(base + BigInt(Math.floor(span.lo + f * (span.hi - span.lo))));
      for (const f of ["", "evt.type=read or evt.type=write", "not proc.name=curl"]) {
        const filter = rangeFilter(f, { from: at(a), to: at(b) });
        const where = filterCondition(filter);
        const narrowed = narrowToRange(db, filter, where);
        assert.notEqual(narrowed.sql, where.sql, "narrowed");
        assert.deepEqual(renderStoredEvents(db, 1, 3000, narrowed), renderStoredEvents(db, 1, 3000, where), filter);
        assert.deepEqual(findGaps(db, narrowed, 1e6), findGaps(db, where, 1e6), filter);
      }
    }
    for (const filter of ["", "proc.name=curl", "thread.tid=17498", "proc.name=nothing"]) {
      for (const min of [1e3, 1e6, 3e8, 2e9]) {
        assert.deepEqual(bucketGaps(db, filterCondition(filter), min), findGaps(db, filterCondition(filter), min), `${filter} ${min}`);
      }
    }
    // Not from the buckets: conditions on other columns.
    assert.equal(bucketGaps(db, filterCondition("evt.type=read"), 1e6), undefined);
    // The whole capture from the buckets, a narrow window from its events: totals agree.
    const whole = timeline(db, { from: span.lo, to: span.hi + 1, bins: 10, by: "thread", rows: 50 });
    assert.ok("level" in whole.source);
    const scanned = timeline(db, { from: span.lo, to: span.hi + 1, bins: 10, by: "thread", rows: 50 }, ALL);
    assert.ok("scan" in scanned.source);
    assert.deepEqual(whole.rows.map((r) => [r.key, r.total]), scanned.rows.map((r) => [r.key, r.total]));
    db.close();
  } finally {
    await store.close();
  }
});
