// A smoke run of the fuzzer (npm run fuzz runs 10,000 cases per reader): a few hundred mutated
// captures of every class through the events path and, one in ten, through ingest; none may
// crash, break a promise (an error that names no offset, ingest keeping other events than the
// reader read) or take longer than the budget. The seed changes every run (printed, so that a
// failure is replayed with `npm run fuzz -- --seed S --target T --case I`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { caseRng, runCase, scratch, TARGETS, writeCase } from "./fuzz";

const CASES = 120;
const BUDGET_MS = 5000;

test("fuzz smoke run: every mutation class of every reader, no crash, no broken promise, no slow case", { timeout: 120_000 }, async () => {
  const seed = (Math.random() * 2 ** 32) >>> 0;
  const { dir, done } = scratch();
  try {
    for (const target of TARGETS) {
      const seen = new Set<string>();
      for (let i = 0; i < CASES; i++) {
        const c = target.make(seed, i);
        seen.add(c.mutation);
        const path = writeCase(dir, c);
        const t0 = performance.now();
        try {
          await runCase(path, { ingest: i % 10 === 0 ? join(dir, "ingest.sqlite") : undefined });
        } catch (e) {
          assert.fail(`npm run fuzz -- --seed ${seed} --target ${target.name} --case ${i} (${c.mutation} of ${c.seedName}): ${(e as Error).message}`);
        }
        const ms = performance.now() - t0;
        assert.ok(ms < BUDGET_MS, `--seed ${seed} --target ${target.name} --case ${i}: ${ms.toFixed(0)} ms`);
      }
      assert.deepEqual([...seen].sort(), [...target.mutations].sort(), `${target.name}: every mutation class ran`);
    }
  } finally {
    done();
  }
});

test("fuzz cases are reproducible from their seed and number", () => {
  for (const target of TARGETS) {
    for (const i of [0, 7, 9999]) {
      assert.deepEqual(target.make(42, i).file, target.make(42, i).file, `${target.name} case ${i}`);
    }
    assert.notDeepEqual(target.make(42, 3).file, target.make(43, 3).file);
  }
  assert.notEqual(caseRng(1, "scap", 1).next(), caseRng(1, "scap", 2).next());
});
