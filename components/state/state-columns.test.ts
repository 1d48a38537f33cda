import { test } from "node:test";
import assert from "node:assert/strict";
import { formatBytes } from "./state-columns";
import { formatBytes as chiselFormatBytes } from "../../server/core/state/tables";

test("the ps table's sizes read as the chisel prints them", () => {
  for (const kb of [0, 1, 4, 1000, 1024, 1025, 4096, 12345, 1048576, 1048577, 7654321, 2 ** 32 - 1]) {
    assert.equal(formatBytes(kb * 1024), chiselFormatBytes(kb * 1024), `${kb} KiB`);
  }
  assert.equal(formatBytes(1023), "1023B");
});
