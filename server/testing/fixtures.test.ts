// The fixtures the tests read are documented: every capture has its row (origin, licence) in
// test/fixtures/captures/README.md and every row names a file that is there; the pcaps README
// gives their number and origin. A fixture added without saying where it came from fails here.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CAPTURES_DIR, PCAPS_DIR, fixtureCaptures, fixturePcaps } from "./oracle";

test("every fixture capture has a row naming its origin and licence, and every row a file", () => {
  const readme = readFileSync(join(CAPTURES_DIR, "README.md"), "utf8");
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    const m = /^\| ([\w.-]+\.scap) \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  const files = fixtureCaptures().map((f) => basename(f));
  assert.deepEqual([...rows.keys()].sort(), files);
  for (const [name, row] of rows) {
    assert.match(row, /falcosecurity\/(libs|falco)|derived from/, `${name}: origin`);
    assert.match(row, /Apache-2\.0/, `${name}: licence`);
  }
});

test("the pcaps README gives their number, origin and licence", () => {
  const readme = readFileSync(join(PCAPS_DIR, "README.md"), "utf8");
  assert.match(readme, new RegExp(`^${fixturePcaps().length} pcap and pcapng files from the test suite of tcpdump`, "m"));
  assert.match(readme, /the-tcpdump-group\/tcpdump/);
  assert.match(readme, /39b50f76672bca4af7d7eb52604c5b692c6b6b2c/);
  assert.match(readme, /BSD/);
});

test("every recorded packet capture has a row naming the script that recorded it, and every row a file", () => {
  const dir = join(PCAPS_DIR, "../recorded");
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    const m = /^\| ([\w.-]+\.pcap(?:ng)?) \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  const files = readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
  assert.deepEqual([...rows.keys()].sort(), files);
  for (const [name, row] of rows) {
    const script = /`(scripts\/seeds\/[\w.-]+)`/.exec(row)?.[1];
    assert.ok(script && existsSync(join(PCAPS_DIR, "../../..", script)), `${name}: the script that recorded it`);
  }
});
