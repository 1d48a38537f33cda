// The ingest when its writer thread dies: the ingest rejects with an error that says so, within
// seconds, whether the thread dies while batches are in flight or after the last one, when it
// is asked to commit (it used to wait for ever for an answer).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildScenario } from "../testing/scap-scenario";
import { ScapWriter } from "../core/formats/scap/writer";
import { ingestCapture } from "./ingest";

const dir = mkdtempSync(join(tmpdir(), "casefile-ingest-"));

/** A capture of `events` close calls: several batches' worth when large. */
function capture(name: string, events: number): string {
  const { bytes } = buildScenario({
    name,
    writer: () => new ScapWriter().procs([{ tid: 100, pid: 100, ptid: 1, comm: "app" }]),
    events: (ev) => {
      for (let i = 0; i < events; i++) ev(100, "close", i % 2 ? "<" : ">", [i % 2 ? 0 : 3]);
    },
  });
  const file = join(dir, `${name}.scap`);
  writeFileSync(file, bytes);
  return file;
}

/** The ingest's outcome, or a failure if it has none after `ms`. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ingest had no outcome after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const worker = (name: string) => new URL(`../testing/${name}`, import.meta.url);

test("the real writer thread stores the capture (the baseline of the tests below)", async () => {
  const file = capture("whole", 50_000);
  const r = await within(20_000, ingestCapture(join(dir, "whole.db"), file, undefined, { workerFile: worker("../ingest/sqlite-writer-worker.mjs") }));
  assert.equal(r.events, 50_000);
});

for (const events of [10, 50_000]) {
  test(`a writer thread that dies after the last batch fails the ingest (${events} events)`, async () => {
    const file = capture(`dies-at-finish-${events}`, events);
    const t0 = Date.now();
    await assert.rejects(
      within(5_000, ingestCapture(join(dir, `dies-at-finish-${events}.db`), file, undefined, { workerFile: worker("writer-worker-dies-at-finish.mjs") })),
      /writing the capture database: the writer thread stopped \(exit code 3\) before the capture was stored whole/,
    );
    assert.ok(Date.now() - t0 < 5_000);
  });

  test(`a writer thread that throws at its first batch fails the ingest with its error (${events} events)`, async () => {
    const file = capture(`throws-${events}`, events);
    await assert.rejects(
      within(5_000, ingestCapture(join(dir, `throws-${events}.db`), file, undefined, { workerFile: worker("writer-worker-throws.mjs") })),
      /writing the capture database: injected failure in the writer thread/,
    );
  });
}
