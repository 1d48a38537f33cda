// The store's queries in worker threads (Store.query), on a real store with real SQLite: the
// workers give the answers the store gives inline, errors keep their names, and a query past its
// budget or aborted stops (its SQLite statement interrupted, its replay ended) and frees its
// worker for the next query long before the slow statement would have ended by itself.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeBigCapture } from "../../bench/big-capture";
import { fixtureCapture } from "../testing/oracle";
import { openStore } from "./store";
import { QUERY_CANCEL_PATH } from "./query-pool";
import type { Store } from "./store-types";

process.env.TZ = "UTC";

/** 350 `contains` terms that match nothing: every row's process name tested against each, the
 *  slowest kind of filter under the API's 10,000-character cap. */
const SLOW_FILTER = Array.from({ length: 350 }, (_, i) => `proc.name contains zz${i}`).join(" or ");
/** The same on fd.name, which the columns cannot answer exactly: replayed over the kept file,
 *  each event tested against every term. */
const REPLAYED_FILTER = Array.from({ length: 350 }, (_, i) => `fd.name contains zz${i}`).join(" or ");

let dir: string;
let inline: Store;
let id: string;
/** How long the slow filters take when nothing stops them. */
const slowMs = new Map<string, number>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "casefile-query-pool-"));
  const big = join(dir, "big.scap");
  await makeBigCapture(fixtureCapture("curl_google.scap"), big, 200_000);
  inline = openStore(dir, { queries: { workers: 0 } });
  id = await inline.ingestFile(big, "big.scap");
  for (const filter of [SLOW_FILTER, REPLAYED_FILTER]) {
    const t0 = performance.now();
    const page = await inline.query("events", [id, { filter, limit: 10 }]);
    slowMs.set(filter, performance.now() - t0);
    assert.equal(page.replayed, filter === REPLAYED_FILTER ? true : undefined);
  }
});

after(() => {
  inline?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Asks until a worker has started (through tsx a start takes about a second, which a small
 *  budget would not cover). */
async function warm(store: Store): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await store.query("activity", [id, 1, 2]);
      return;
    } catch (e) {
      if (i > 50) throw e;
    }
  }
}

async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: Error }> {
  const t0 = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - t0, value };
  } catch (e) {
    return { ms: performance.now() - t0, error: e as Error };
  }
}

test("the extension that interrupts SQLite statements is built", () => {
  assert.ok(QUERY_CANCEL_PATH, "dist/query-cancel.so is missing: run scripts/build-cli.sh");
});

test("query workers answer what the store answers inline, errors included", async () => {
  const pooled = openStore(dir, { queries: { workers: 2 } });
  try {
    const asks: [string, () => Promise<unknown>, () => Promise<unknown>][] = [];
    const both = <K extends Parameters<Store["query"]>[0]>(name: K, args: Parameters<Store[K]>) =>
      asks.push([`${name} ${JSON.stringify(args).slice(0, 60)}`, () => inline.query(name, args), () => pooled.query(name, args)]);
    both("events", [id, { filter: "evt.type=connect", limit: 20 }]);
    both("events", [id, { filter: "fd.name contains /etc", limit: 20 }]);
    both("events", [id, { from: 50_000, limit: 5 }]);
    both("gaps", [id, "proc.name=curl", 1_000_000]);
    both("activity", [id, 1, 5000]);
    both("spectrogram", [id, "", 50]);
    both("top", [id, "", "process", 5]);
    both("state", [id, "lsof", 60_000, "proc.name=curl"]);
    both("chisel", [id, "topfiles_bytes", []]);
    both("events", [id, { filter: "proc.name=" }]);
    both("chisel", [id, "no_such_chisel", []]);
    for (const [what, here, there] of asks) {
      const [a, b] = await Promise.allSettled([here(), there()]);
      if (a.status === "fulfilled") {
        assert.equal(b.status, "fulfilled", what);
        assert.deepEqual((b as PromiseFulfilledResult<unknown>).value, a.value, what);
      } else {
        assert.equal(b.status, "rejected", what);
        const ea = a.reason as Error, eb = (b as PromiseRejectedResult).reason as Error;
        // The API tells errors apart by name, and a filter error keeps its position.
        assert.deepEqual([eb.name, eb.message, (eb as { position?: number }).position], [ea.name, ea.message, (ea as { position?: number }).position], what);
      }
    }
  } finally {
    pooled.close();
  }
});

test("started workers answer the first queries at once, with no worker start in their budget", async () => {
  // Through tsx a worker takes about a second to start: beyond this budget, so a query that
  // had to wait for one would be refused.
  const store = openStore(dir, { queries: { workers: 2, budgetMs: 500 } });
  try {
    await store.startQueryWorkers();
    const [activity, page] = await Promise.all([store.query("activity", [id, 1, 2]), store.query("events", [id, { limit: 10 }])]);
    assert.deepEqual(activity, await inline.query("activity", [id, 1, 2]));
    assert.deepEqual(page, await inline.query("events", [id, { limit: 10 }]));
  } finally {
    await store.close();
  }
});

test("a query over its budget is stopped with a clear error, and its worker takes the next query", async () => {
  // A quarter of the faster slow filter's time alone on this machine (a quiet one scans them in
  // under a second): the budget, not the scan, must end each. At least 100 ms, so that a plain
  // query fits in it; under a second, so that the message gives it in ms.
  const budgetMs = Math.min(900, Math.max(100, Math.floor(Math.min(...slowMs.values()) / 4)));
  for (const [filter, ms] of slowMs) assert.ok(ms > 2.5 * budgetMs, `${filter.slice(0, 30)}… should take well over the budget here (took ${ms.toFixed(0)} ms)`);
  const store = openStore(dir, { queries: { workers: 1, budgetMs } });
  try {
    await warm(store);
    for (const filter of [SLOW_FILTER, REPLAYED_FILTER]) {
      const slow = await timed(store.query("events", [id, { filter, limit: 10 }]));
      assert.equal(slow.error?.name, "QueryBudgetExceeded", `${filter.slice(0, 30)}: ${slow.error?.message}`);
      assert.match(slow.error!.message, new RegExp(`longer than the ${budgetMs} ms budget.*CASEFILE_QUERY_BUDGET_MS`));
      assert.ok(slow.ms < budgetMs + 300, `answered after ${slow.ms.toFixed(0)} ms`);
      // The one worker is free again well before the statement would have finished.
      const next = await timed(store.query("events", [id, { filter: "evt.type=connect", limit: 5 }]));
      assert.equal(next.error, undefined);
      assert.equal(next.value!.events.length, 5);
      assert.ok(next.ms < slowMs.get(filter)! / 2, `the next query took ${next.ms.toFixed(0)} ms (the slow one alone: ${slowMs.get(filter)!.toFixed(0)} ms)`);
    }
  } finally {
    store.close();
  }
});

test("an aborted query frees its worker: the next query runs", async () => {
  const store = openStore(dir, { queries: { workers: 1, budgetMs: 60_000 } });
  try {
    await warm(store);
    for (const filter of [SLOW_FILTER, REPLAYED_FILTER]) {
      const ac = new AbortController();
      const slow = timed(store.query("events", [id, { filter, limit: 10 }], { signal: ac.signal }));
      setTimeout(() => ac.abort(), 150);
      const stopped = await slow;
      assert.equal(stopped.error?.name, "QueryCancelled");
      const next = await timed(store.query("events", [id, { filter: "evt.type=connect", limit: 5 }]));
      assert.equal(next.error, undefined);
      assert.ok(next.ms < slowMs.get(filter)! / 2, `the next query took ${next.ms.toFixed(0)} ms (the slow one alone: ${slowMs.get(filter)!.toFixed(0)} ms)`);
    }
    // Aborted before it is asked: refused at once.
    await assert.rejects(store.query("activity", [id, 1, 2], { signal: AbortSignal.abort() }), { name: "QueryCancelled" });
  } finally {
    store.close();
  }
});

test("queries beyond the waiting limit are refused at once, not queued without end", async () => {
  const store = openStore(dir, { queries: { workers: 1, maxWaiting: 2, budgetMs: 60_000 } });
  try {
    await warm(store);
    const ac = new AbortController();
    const asked = [0, 1, 2, 3].map(() => store.query("events", [id, { filter: SLOW_FILTER, limit: 1 }], { signal: ac.signal }).catch((e: Error) => e.name));
    // One runs, two wait, the fourth is refused.
    assert.equal(await asked[3], "QueryQueueFull");
    ac.abort();
    assert.deepEqual(await Promise.all(asked.slice(0, 3)), ["QueryCancelled", "QueryCancelled", "QueryCancelled"]);
  } finally {
    store.close();
  }
});

test("closing the store while queries run stops them and ends the workers cleanly", async () => {
  const store = openStore(dir, { queries: { workers: 2 } });
  await warm(store);
  const running = [SLOW_FILTER, REPLAYED_FILTER].map((filter) => timed(store.query("events", [id, { filter, limit: 10 }])));
  await new Promise((r) => setTimeout(r, 300));
  // Interrupted, then ended once back from better-sqlite3: terminating a thread that is
  // raising SQLITE_INTERRUPT would abort this whole process.
  const t0 = performance.now();
  await store.close();
  const closeMs = performance.now() - t0;
  for (const r of await Promise.all(running)) assert.equal(r.error?.message, "the store is closed");
  // Both workers reported back (close waits 5 s at most before it terminates them anyway).
  assert.ok(closeMs < 5000, `close took ${closeMs.toFixed(0)} ms`);
});
