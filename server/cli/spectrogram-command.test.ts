// The spectrogram of a capture file against cells computed from sysdig's own evt.latency and
// evt.rawtime (`sysdig -D -r FILE -p ...`): the same events in the same (time bin, decade) cells.

import { test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { compileFilter } from "../core/filter/evaluate";
import { parseFilter } from "../core/filter/parser";
import { fixtureCapture, fixtureCaptures, outputLines, runSysdig } from "../testing/oracle";
import { fileSpectrogram } from "./spectrogram-command";

function sysdig(args: string[]): string[] {
  return outputLines(runSysdig(args).stdout).filter((l) => /^\d/.test(l));
}

/** Cells from sysdig with a few lines of plain code (not our SpectrogramBuilder): the span from
 *  every event's time, the counted events from the filter. The rule: `bins` equal bins of
 *  ceil((span + 1) / bins) ns from the first timed event; the decade is the latency's digit
 *  count minus one (0 for 0-9 ns), at most 12; a cell's example is its lowest evt.num. All in
 *  integers (bigint), where ours works in doubles. */
function sysdigCells(file: string, filter: string, bins: number) {
  let first = -1n, last = 0n;
  for (const l of sysdig(["-D", "-r", file, "-p", "%evt.rawtime"])) {
    const t = BigInt(l);
    if (t === 0n) continue;
    if (first < 0n) first = t;
    last = t;
  }
  const span = first < 0n ? 0n : last - first;
  const binNs = (span + BigInt(bins)) / BigInt(bins); // ceil((span + 1) / bins)
  const cells = new Map<string, { t: number; l: number; count: number; example: number }>();
  const f = filter ? `evt.dir='<' and (${filter})` : "evt.dir='<'";
  for (const line of sysdig(["-r", file, "-p", "%evt.num %evt.rawtime %evt.latency", f])) {
    const [num, raw, lat] = line.split(" ");
    if (!/^\d+$/.test(lat)) continue;
    const t = Number((BigInt(raw) - first) / binNs);
    const l = Math.min(12, lat.replace(/^0+(?=\d)/, "").length - 1);
    const key = `${t} ${l}`;
    const c = cells.get(key);
    if (!c) cells.set(key, { t, l, count: 1, example: Number(num) });
    else {
      c.count++;
      c.example = Math.min(c.example, Number(num));
    }
  }
  return { bins, binNs: Number(binNs), cells: [...cells.values()].sort((x, y) => x.t - y.t || x.l - y.l) };
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
