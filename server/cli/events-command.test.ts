// Differential test: `casefile events FILE` against `sysdig -r FILE` (sysdig 0.29.3, TZ=UTC) on
// every shared capture, line by line; and the errors for damaged and foreign input.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { fixtureCapture, fixtureCaptures, oracleFileFor, PROJECT_ROOT, runCasefile, runSysdig, sysdigLines } from "../testing/oracle";
import { eventPrinter } from "../core/events/printer";
import { readCaptureFile } from "../ingest/capture-stream";
import { compareLines } from "../testing/compare";

const casefile = (args: string[]) => runCasefile(args);

const lines = (s: string) => s.split("\n").filter((l) => l.length > 0);

for (const file of fixtureCaptures()) {
  const name = basename(file);
  const oracleFile = oracleFileFor(file);
  test(`casefile events ${name} is identical to sysdig -r`, () => {
    const ours = casefile(["events", file]);
    assert.equal(ours.status, 0, ours.stderr);
    const c = compareLines(lines(ours.stdout), sysdigLines(oracleFile));
    assert.equal(c.percent, 100, `${c.same}/${c.total} identical; first differences:\n${JSON.stringify(c.diffs, null, 1)}`);
  });
}

test("sysdig itself cannot read curl_google_comments.scap (why it is compared with curl_google.scap)", () => {
  const r = runSysdig(["-r", fixtureCapture("curl_google_comments.scap")]);
  assert.equal(r.stdout.length, 0);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.toString(), /truncated/);
});

test("a capture cut short: whole events kept, one-line error with the offset, exit status 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-"));
  const full = fixtureCapture("falco_cat_write.scap");
  const raw = gunzipSync(readFileSync(full));
  const cut = join(dir, "cut.scap");
  writeFileSync(cut, raw.subarray(0, raw.length - 100));
  const r = casefile(["events", cut]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^casefile: .*cut\.scap: capture cut short: \d+ bytes of an incomplete block at byte \d+\n$/);
  const expected = sysdigLines(full);
  const got = lines(r.stdout);
  assert.ok(got.length >= expected.length - 2 && got.length > 0);
  assert.deepEqual(got, expected.slice(0, got.length));
  // A gzip stream cut short: same promise. The fixture's own gzip stream holds its events in
  // its last 2 KB (its process list comes first), so the raw capture is compressed here and cut
  // where part of the events is inflated; sysdig reads the same cut file.
  const gzCut = join(dir, "cut.scap.gz");
  const gz = gzipSync(raw);
  writeFileSync(gzCut, gz.subarray(0, gz.length - 800));
  const g = casefile(["events", gzCut]);
  assert.equal(g.status, 2);
  assert.match(g.stderr, /^casefile: .*: gzip stream damaged or cut short .* at byte \d+ of the inflated data\n$/);
  const gzExpected = sysdigLines(gzCut);
  assert.ok(gzExpected.length > 0 && gzExpected.length < expected.length, `sysdig read ${gzExpected.length} of ${expected.length} events: the cut is not inside the events`);
  assert.deepEqual(lines(g.stdout), gzExpected);
});

test("a gzip whose trailer check fails (CRC-32, length): every event its data holds, as sysdig prints them before its error", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-"));
  // zlib drops the output of its last call along with the check's error: without the second
  // inflation the last chunk of events (here every one of them) was lost.
  const gz = Uint8Array.from(gzipSync(gunzipSync(readFileSync(fixtureCapture("falco_cat_write.scap")))));
  for (const [what, at] of [["crc", gz.length - 6], ["length", gz.length - 2]] as const) {
    const bad = gz.slice();
    bad[at] ^= 0x55;
    const file = join(dir, `${what}.scap.gz`);
    writeFileSync(file, bad);
    const r = casefile(["events", file]);
    assert.equal(r.status, 2, what);
    assert.match(r.stderr, /^casefile: .*: gzip stream damaged \(incorrect (data|length) check: .* at byte \d+ of the inflated data\n$/, what);
    const expected = sysdigLines(file);
    assert.ok(expected.length > 0, what);
    assert.deepEqual(lines(r.stdout), expected, what);
  }
});

test("not a capture, an empty file, a missing file: one line, exit status 2, no stack trace", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-"));
  const empty = join(dir, "empty.scap");
  writeFileSync(empty, "");
  const cases: [string, RegExp][] = [
    [join(PROJECT_ROOT, "package.json"), /not a scap capture \(no section header block\) at byte 0/],
    [empty, /empty input: not a scap capture at byte 0/],
    [join(dir, "missing.scap"), /no such file/],
  ];
  for (const [file, message] of cases) {
    const r = casefile(["events", file]);
    assert.equal(r.status, 2, file);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, message);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

for (const file of fixtureCaptures()) {
  test(`sysdig -D equality: hidden events keep their numbers and names: ${basename(file)}`, async () => {
    // In-process for speed: the printer with hidden events shown, against sysdig -D.
    const ours: string[] = [];
    const { error } = await readCaptureFile(file, eventPrinter((l) => ours.push(l), { showHidden: true }));
    assert.equal(error, undefined);
    const theirs = sysdigLines(oracleFileFor(file), ["-D"]);
    // Every fixture has events sysdig numbers (even falco_empty.scap, which prints none without -D).
    assert.ok(theirs.length > 0, "sysdig -D printed nothing");
    const c = compareLines(lines(ours.join("\n")), theirs);
    assert.equal(c.same, theirs.length, `${c.same}/${c.total} identical; first differences:\n${JSON.stringify(c.diffs, null, 1)}`);
    assert.equal(c.total, theirs.length);
  });
}
