// The Lua-side pieces of the table chisels, checked against LuaJIT itself (the luajit binary of
// the same Debian LuaJIT 2.1 that sysdig 0.29.3 links): pairs + table.sort order for number keys
// with many equal values, string.format's %.2f and %u, and common.lua's formatting.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { extendString, formatBytes, formatTimeInterval, luaFixed, luaHead } from "./lua-format";
import { luaSort, sortedKeys } from "./lua-sort";
import { runLuajit } from "../../testing/oracle";

const luajit = runLuajit;

/** A small deterministic PRNG (tests must not depend on Math.random). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test("number keys: pairs order and table.sort as LuaJIT's pairs_top_by_val gives them", () => {
  const next = rng(7);
  const cases: [number, number][][] = [];
  for (let c = 0; c < 40; c++) {
    const n = 1 + Math.floor(next() * 60);
    const seen = new Set<number>();
    const entries: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      // Ports, pids, fd numbers (some negative), with few distinct values: many ties.
      const k = [() => Math.floor(next() * 70000), () => Math.floor(next() * 40) - 3, () => Math.floor(next() * 5000)][c % 3]();
      if (seen.has(k)) continue;
      seen.add(k);
      entries.push([k, Math.floor(next() * 4) * 832]);
    }
    cases.push(entries);
  }
  const lua = cases.map((entries) =>
    `do local t = {} ${entries.map(([k, v]) => `t[${k}] = ${v}`).join(" ")}
     local keys = {} for k in pairs(t) do keys[#keys+1] = k end
     table.sort(keys, function(a, b) return t[b] < t[a] end)
     print(table.concat(keys, " ")) end`).join("\n");
  const theirs = luajit(lua).trimEnd().split("\n");
  cases.forEach((entries, i) => {
    const t = new Map(entries);
    const ours = sortedKeys([...t.keys()], (a, b) => t.get(b)! < t.get(a)!);
    assert.equal(ours.join(" "), theirs[i], `case ${i}`);
  });
});

test("luaSort is LuaJIT's table.sort on an array given in order", () => {
  const next = rng(3);
  const arrays = Array.from({ length: 30 }, () => Array.from({ length: Math.floor(next() * 50) }, () => Math.floor(next() * 6)));
  // Sort indices by value descending: equal values end up in LuaJIT's (unstable) order.
  const lua = arrays.map((a) =>
    `do local v = {${a.join(",")}} local ix = {} for i = 1, #v do ix[i] = i end
     table.sort(ix, function(x, y) return v[y] < v[x] end) print(table.concat(ix, " ")) end`).join("\n");
  const theirs = luajit(lua).split("\n");
  arrays.forEach((a, i) => {
    const ix = a.map((_, j) => j + 1);
    luaSort(ix, (x, y) => a[y - 1] < a[x - 1]);
    assert.equal(ix.join(" "), theirs[i], `array ${i}`);
  });
});

test("%.2f rounds the exact binary value, ties away from zero, as LuaJIT's string.format does (not glibc's)", () => {
  const xs = [0.125, 0.375, 0.625, 0.875, 1.005, 2.675, 1152 / 1024, 0, 99.995, 12.5 / 3, 1e-7, 123456.785, 1 / 3, -0.125, -2.675, 1e21 / 3];
  const theirs = luajit(`for _, x in ipairs({${xs.map((x) => x.toPrecision(17)).join(",")}}) do print(string.format("%.2f", x)) end`).trimEnd().split("\n");
  assert.deepEqual(xs.map((x) => luaFixed(x, 2)), theirs);
});

test("format_time_interval, as common.lua prints it", () => {
  const vals = [0, 1, 999, 1000, 1005, 3070, 9999, 10000, 21999, 999999, 1000000, 1234567, 9999999, 10000000, 80123456, 999999999, 1e9, 1100000000, 1999999999, 123456789012];
  const common = readFileSync("/usr/share/sysdig/chisels/common.lua", "latin1");
  const fn = common.slice(common.indexOf("ONE_S_IN_NS="), common.indexOf("--[[", common.indexOf("function format_time_interval")));
  const theirs = luajit(`${fn}\nfor _, v in ipairs({${vals.join(",")}}) do print(format_time_interval(v)) end`).trimEnd().split("\n");
  assert.deepEqual(vals.map(formatTimeInterval), theirs);
});

test("extend_string and string.sub count bytes", () => {
  assert.equal(extendString("abc", 5), "abc  ");
  assert.equal(extendString("abcdef", 5), "abcd ");
  assert.equal(extendString("é", 4), "é  "); // two bytes, two spaces
  assert.equal(luaHead("aé", 2), "a\ufffd");
});

test("format_bytes: strictly above each unit, the exact quotient with ties up; extend_string counts bytes", () => {
  assert.equal(formatBytes(1023), "1023B");
  assert.equal(formatBytes(1024), "1024B");
  assert.equal(formatBytes(1025), "1.00KB");
  assert.equal(formatBytes(1152), "1.13KB", "1.125 KiB: LuaJIT rounds the tie up, C's printf would not");
  assert.equal(formatBytes(1024 ** 2 + 1), "1.00M");
  assert.equal(formatBytes(7654321 * 1024), "7.30G");
  assert.equal(extendString("é", 3), "é ", "2 bytes + 1 space");
  assert.equal(extendString("abcdef", 4), "abc ");
  assert.equal(extendString("", 200).length, 167, "the padding literal holds 167 spaces");
});
