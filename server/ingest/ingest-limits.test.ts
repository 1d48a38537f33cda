// The ingest limits: read from the environment, and where a read stops at them (the same events
// sysdig numbers up to the limit, or up to the byte where the file is cut).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { DEFAULT_INGEST_LIMITS, IngestLimitError, LIMIT_MESSAGE_MARK, ingestCapture, ingestLimitsFromEnv } from "./ingest";
import { fixtureCapture, runSysdig } from "../testing/oracle";

test("limits come from the environment; a malformed one is an error, not a default", () => {
  const limits = (env: Record<string, string>) => ingestLimitsFromEnv(env as NodeJS.ProcessEnv);
  assert.deepEqual(limits({}), DEFAULT_INGEST_LIMITS);
  assert.deepEqual(limits({ CASEFILE_MAX_EVENTS: "10", CASEFILE_MAX_INFLATED: "2048", CASEFILE_OVER_LIMIT: "refuse" }), {
    maxEvents: 10, maxInflated: 2048, overLimit: "refuse",
  });
  assert.throws(() => limits({ CASEFILE_MAX_EVENTS: "1e3x" }), /CASEFILE_MAX_EVENTS must be a positive whole number/);
  assert.throws(() => limits({ CASEFILE_MAX_INFLATED: "0" }), /CASEFILE_MAX_INFLATED/);
  assert.throws(() => limits({ CASEFILE_OVER_LIMIT: "drop" }), /CASEFILE_OVER_LIMIT must be keep or refuse/);
});

/** The highest evt.num sysdig reads (with -D: hidden events are numbered too; -D also ignores
 *  filters, so none is given). */
function sysdigLastNum(file: string): number {
  const lines = runSysdig(["-D", "-r", file, "-p", "%evt.num"]).stdout.toString().trim().split("\n");
  return Number(lines[lines.length - 1]);
}

test("a read stops exactly at the event limit or the inflated-size limit, keeping what came before", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-limits-"));
  try {
    const file = fixtureCapture("falco_cat_write.scap");
    const raw = gunzipSync(readFileSync(file));
    const stored = (db: string) => {
      const d = new Database(db, { readonly: true });
      try {
        return d.prepare("SELECT count(*) FROM events").pluck().get() as number;
      } finally {
        d.close();
      }
    };
    const base = { maxEvents: Infinity, maxInflated: Infinity, overLimit: "keep" as const };

    const byEvents = await ingestCapture(join(dir, "e.db"), file, undefined, { worker: false, limits: { ...base, maxEvents: 200 } });
    assert.equal(byEvents.events, 200);
    assert.equal(stored(join(dir, "e.db")), 200);
    assert.ok(byEvents.limited);
    assert.ok(byEvents.error!.startsWith(`${LIMIT_MESSAGE_MARK}the capture holds more than 200 events (CASEFILE_MAX_EVENTS); the first 200 events were kept`));

    // The inflated bytes of a gzip: the events that end within the limit, as sysdig reads the
    // file cut there.
    const limit = Math.floor(raw.length * 0.9);
    const cut = join(dir, "cut.scap");
    writeFileSync(cut, raw.subarray(0, limit));
    const byBytes = await ingestCapture(join(dir, "b.db"), file, undefined, { worker: false, limits: { ...base, maxInflated: limit } });
    assert.equal(byBytes.events, sysdigLastNum(cut));
    assert.match(byBytes.error!, /inflates to more than \d+ bytes \(CASEFILE_MAX_INFLATED\)/);
    // Under the limits nothing is said.
    const whole = await ingestCapture(join(dir, "w.db"), file, undefined, { worker: false, limits: { ...base, maxEvents: 100_000 } });
    assert.equal(whole.events, sysdigLastNum(file));
    assert.equal(whole.error, undefined);

    await assert.rejects(
      ingestCapture(join(dir, "r.db"), file, undefined, { worker: false, limits: { ...base, maxEvents: 200, overLimit: "refuse" } }),
      (e: unknown) => e instanceof IngestLimitError && /the capture was refused \(CASEFILE_OVER_LIMIT=refuse\)/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
