import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_DECADE as SERVER_MAX_DECADE, decadeOf } from "../../server/core/analyses/spectrogram";
import { MAX_DECADE, cellText, decadeLabel, decadeRange, exitFilterFor, fractionDigits, summarize, timeTicks } from "./spectrogram-layout";

test("latency rows read as decades of time, in step with the server's decades", () => {
  assert.equal(MAX_DECADE, SERVER_MAX_DECADE);
  assert.deepEqual(
    Array.from({ length: 12 }, (_, l) => decadeLabel(l)),
    ["1ns", "10ns", "100ns", "1µs", "10µs", "100µs", "1ms", "10ms", "100ms", "1s", "10s", "100s"],
  );
  assert.equal(decadeRange(0), "under 10ns");
  assert.equal(decadeRange(decadeOf(4_500)), "1µs to 10µs");
  assert.equal(decadeRange(decadeOf(250_000_000)), "100ms to 1s");
  assert.equal(decadeRange(decadeOf(5e13)), "1000s or more");
});

test("time ticks fall on round wall-clock times and say as much as their step needs", () => {
  // falco_ping_sendto.scap: 17:13:46.999999999 UTC, 10 s.
  const first = 1553620426999999999n;
  const ticks = timeTicks(first, 10_000_000_000, 10);
  assert.deepEqual(ticks.map((t) => t.label), ["17:13:47", "17:13:48", "17:13:49", "17:13:50", "17:13:51", "17:13:52", "17:13:53", "17:13:54", "17:13:55", "17:13:56"]);
  assert.equal(ticks[1].offsetNs, 1_000_000_001);
  assert.deepEqual(timeTicks(first, 10_000_000_000, 2).map((t) => t.label), ["17:13:50", "17:13:55"]);
  assert.deepEqual(timeTicks(first, 3600e9, 5).map((t) => t.label), ["17:15:00", "17:30:00", "17:45:00", "18:00:00"]);
  assert.deepEqual(timeTicks(first, 1.5e9, 4).map((t) => t.label), ["17:13:47.0", "17:13:47.5", "17:13:48.0"]);
  assert.deepEqual(timeTicks(first, 3_000_000, 3).map((t) => t.label), ["17:13:47.000", "17:13:47.001", "17:13:47.002"]);
  assert.equal(fractionDigits(2e9), 0);
  assert.equal(fractionDigits(5e8), 1);
  assert.equal(fractionDigits(2e6), 3);
  assert.equal(fractionDigits(5e4), 5);
  assert.equal(fractionDigits(20), 9);
  assert.deepEqual(timeTicks(first, 0, 5), []);
});

test("a cell names its time bin to the nanosecond and its latencies", () => {
  const answer = { binNs: "500000001", startTs: "1553620426999999999" };
  assert.deepEqual(cellText(answer, 3, 5), { from: "17:13:48.500000002", to: "17:13:49.000000003", latency: "100µs to 1ms" });
});

test("the summary counts every call once and finds the slowest decade", () => {
  const s = summarize([
    { t: 0, l: 3, count: 5, example: 10 },
    { t: 1, l: 6, count: 2, example: 40 },
    { t: 2, l: 6, count: 1, example: 31 },
  ]);
  assert.equal(s.total, 8);
  assert.equal(s.maxCount, 5);
  assert.deepEqual(s.slowest, { l: 6, count: 3, example: 31 });
  assert.deepEqual(summarize([]), { total: 0, maxCount: 0, slowest: undefined, busiest: undefined });
});

test("an enter-only filter suggests the same filter on exits", () => {
  assert.equal(exitFilterFor("evt.type=sendmsg and evt.dir='>'"), "evt.type=sendmsg and evt.dir='<'");
  assert.equal(exitFilterFor("evt.dir=> and proc.name=ping"), "evt.dir=< and proc.name=ping");
  assert.equal(exitFilterFor("evt.type=sendmsg"), undefined);
});
