// The spectrogram of a capture file against cells computed from sysdig's own evt.latency and
// evt.rawtime (`sysdig -D -r FILE -p ...`): the same events in the same (time bin, decade) cells.

import { test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { SpectrogramBuilder } from "../core/analyses/spectrogram";
import { compileFilter } from "../core/filter/evaluate";
import { parseFilter } from "../core/filter/parser";
import { fixtureCapture, fixtureCaptures, outputLines, runSysdig } from "../testing/oracle";
import { fileSpectrogram } from "./spectrogram-command";

function sysdig(args: string[]): string[] {
  return outputLines(runSysdig(args).stdout).filter((l) => /^\d/.test(l));
}

/** Cells from sysdig: the span from every event's time, the counted events from the filter. */
function sysdigCells(file: string, filter: string, bins: number) {
  let first = -1n, last = 0n;
  for (const l of sysdig(["-D", "-r", file, "-p", "%evt.rawtime"])) {
    const t = BigInt(l);
    if (t === 0n) continue;
    if (first < 0n) first = t;
    last = t;
  }
  const b = new SpectrogramBuilder();
  const f = filter ? `evt.dir='<' and (${filter})` : "evt.dir='<'";
  for (const l of sysdig(["-r", file, "-p", "%evt.num %evt.rawtime %evt.latency", f])) {
    const [num, raw, lat] = l.split(" ");
    if (!/^\d+$/.test(lat)) continue;
    b.add(Number(num), Number(BigInt(raw) - first), Number(lat));
  }
  return b.cells(first < 0n ? 0 : Number(last - first), bins);
}

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
    const theirs = sysdigCells(file, filter, bins);
    assert.deepEqual(ours.spectrogram, theirs, `${basename(file)} ${filter}`);
    events += theirs.cells.reduce((n, c) => n + c.count, 0);
  }
  assert.ok(events > 1000, `${events} exit events compared`);
});
