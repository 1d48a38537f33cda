import { test } from "node:test";
import assert from "node:assert/strict";
import { ActivityCounter, GapFinder } from "./gaps";
import { formatDuration, parseDuration } from "./duration";

test("gaps longer than the minimum, with the events on both sides", () => {
  const f = new GapFinder(parseDuration("1.5s"));
  const times = [0, 1e9, 2e9, 7.002e9, 8e9, 9.6e9];
  times.forEach((t, i) => f.add(100 + i * 10, t));
  assert.deepEqual(f.gaps, [
    { num: 130, prevNum: 120, gapNs: 5.002e9 },
    { num: 150, prevNum: 140, gapNs: 1.6e9 },
  ]);
});

test("a gap exactly at the minimum is not longer than it", () => {
  const f = new GapFinder(1000);
  f.add(1, 0);
  f.add(2, 1000);
  assert.equal(f.gaps.length, 0);
});

test("durations parse and print", () => {
  assert.equal(parseDuration("5s"), 5e9);
  assert.equal(parseDuration("200ms"), 2e8);
  assert.equal(parseDuration("1.5us"), 1500);
  assert.equal(parseDuration("300"), 300);
  assert.throws(() => parseDuration("5 parsecs"), /not a duration/);
  assert.equal(formatDuration(5.002e9), "5.002s");
  assert.equal(formatDuration(12.5e6), "12.5ms");
  assert.equal(formatDuration(800), "800ns");
});

test("activity in a window, busiest first", () => {
  const a = new ActivityCounter();
  for (const [p, t] of [["kworker", "switch"], ["kworker", "switch"], ["sshd", "read"], ["kworker", "switch"], ["sshd", "write"]]) a.add(p, t);
  assert.deepEqual(a.rows(), [
    { proc: "kworker", type: "switch", count: 3 },
    { proc: "sshd", type: "read", count: 1 },
    { proc: "sshd", type: "write", count: 1 },
  ]);
});
