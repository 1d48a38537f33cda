// The spectrogram of a capture file against cells computed from sysdig's own evt.latency and
// evt.rawtime (`sysdig -D -r FILE -p ...`) by plain code (testing/sysdig-analyses.ts, not our
// SpectrogramBuilder): the same events in the same (time bin, decade) cells.

import { test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { compileFilter } from "../core/filter/evaluate";
import { parseFilter } from "../core/filter/parser";
import { fixtureCapture, fixtureCaptures } from "../testing/oracle";
import { expectedSpectrogram, sysdigLatencies } from "../testing/sysdig-analyses";
import { fileSpectrogram } from "./spectrogram-command";

test("spectrogram cells equal those computed from sysdig's evt.latency, on every capture", async () => {
  const runs: [string, string, number][] = fixtureCaptures()
    .filter((f) => !f.endsWith("curl_google_comments.scap"))
    .map((f) => [f, "", 50]);
  const curl = fixtureCapture("curl_google.scap");
  runs.push([curl, "proc.name=curl", 7], [curl, "fd.type=ipv6 or evt.type=poll", 1000]);
  let events = 0;
  for (const [file, filter, bins] of runs) {
    const ours = await fileSpectrogram(file, filter ? compileFilter(parseFilter(filter)) : undefined, bins);
    assert.equal(ours.error, undefined);
    const theirs = expectedSpectrogram(sysdigLatencies(file, filter), bins);
    assert.deepEqual(ours.spectrogram, theirs, `${basename(file)} ${filter}`);
    events += theirs.cells.reduce((n, c) => n + c.count, 0);
  }
  assert.ok(events > 1000, `${events} exit events compared`);
});
