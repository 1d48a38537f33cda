import { test } from "node:test";
import assert from "node:assert/strict";
import { bytes, dateTimeUtc, duration, durationNs, timeOfDayUtc } from "./format";

test("time of day keeps every nanosecond of a timestamp past 2^53", () => {
  // 131 16:17:57.881730713 0 cat (20072) < execve ... in falco_cat_write.scap (TZ=UTC sysdig -r)
  assert.equal(timeOfDayUtc("1565194677881730713"), "16:17:57.881730713");
  assert.equal(timeOfDayUtc("0"), "00:00:00.000000000");
  assert.equal(timeOfDayUtc("86399000000001"), "23:59:59.000000001");
});

test("dates, durations and sizes read naturally", () => {
  assert.equal(dateTimeUtc("1565194677881730713"), "2019-08-07 16:17:57.881 UTC");
  assert.equal(dateTimeUtc(null), "–");
  assert.equal(duration("1000000000", "3500000000"), "2.500 s");
  assert.equal(duration("0", "2500000"), "2.500 ms");
  assert.equal(bytes(512), "512 B");
  assert.equal(bytes(12532), "12 KiB");
  assert.equal(bytes(3 * 1024 * 1024 + 100), "3.0 MiB");
});

test("lengths of time in ns read in their own unit", () => {
  assert.equal(durationNs("1002120427"), "1.002 s");
  assert.equal(durationNs(5_000_000_000), "5 s");
  assert.equal(durationNs("12500000"), "12.5 ms");
  assert.equal(durationNs(850_000), "850 µs");
  assert.equal(durationNs(800), "800 ns");
  assert.equal(durationNs(600e9), "10 min 0 s");
});
