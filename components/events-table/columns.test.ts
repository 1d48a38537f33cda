import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventRow } from "../../server/api/store-types";
import { EVENT_COLUMNS, HEADER_WIDTHS, widen } from "./columns";

const row = (o: Partial<EventRow>): EventRow => ({ num: 1, ts: "1534527348514632619", cpu: 0, proc: "curl", tid: 17497, dir: ">", type: "brk", info: "", ...o });
const col = (key: keyof EventRow) => EVENT_COLUMNS.findIndex((c) => c.key === key);

test("each column is as wide as its header until a value is wider; info has no width (it takes the rest)", () => {
  assert.equal(HEADER_WIDTHS.length, EVENT_COLUMNS.length - 1);
  assert.equal(EVENT_COLUMNS[EVENT_COLUMNS.length - 1].key, "info");
  assert.equal(HEADER_WIDTHS[col("num")], "evt.num".length);
  assert.equal(HEADER_WIDTHS[col("ts")], "time (UTC)".length);
  const w = widen(HEADER_WIDTHS, [row({ num: 2_001_408_123, proc: "systemd-journald", type: "set_robust_list", tid: 4194304 })]);
  assert.equal(w[col("num")], 10);
  assert.equal(w[col("proc")], 16);
  assert.equal(w[col("type")], 15);
  assert.equal(w[col("tid")], 7);
  assert.equal(w[col("cpu")], 3, "the header is wider than a one-digit cpu");
  assert.equal(w[col("ts")], "17:35:48.514632619".length, "the time as the table prints it");
  assert.deepEqual(HEADER_WIDTHS, EVENT_COLUMNS.slice(0, -1).map((c) => c.header.length), "the widths given are not changed");
});

test("a page with nothing wider gives back the same widths (no block renders again)", () => {
  const w = widen(HEADER_WIDTHS, [row({ proc: "systemd-journald" })]);
  assert.equal(widen(w, [row({ proc: "cat" }), row({ proc: "systemd-journal" })]), w);
  assert.notEqual(widen(w, [row({ proc: "a-much-longer-name" })]), w);
});
