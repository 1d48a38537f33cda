// The analyses' expected answers computed from sysdig's own output with a few lines of plain
// code: gaps between matching events and latency spectrogram cells. They deliberately share no
// code with server/core/analyses (GapFinder, SpectrogramBuilder), so that a mistake in our rule
// cannot agree with itself; they work in bigint where ours works in doubles.

import { sysdigLines } from "./oracle";

export interface ExpectedGap {
  /** The matching event after the gap, and the one before it. */
  num: number;
  prevNum: number;
  gapNs: bigint;
}

/** Gaps longer than minNs between consecutive events that `sysdig -r FILE FILTER` matches
 *  (every event it shows with an empty filter). */
export function sysdigGaps(file: string, filter: string, minNs: bigint): ExpectedGap[] {
  const gaps: ExpectedGap[] = [];
  let prev: { num: number; ts: bigint } | undefined;
  for (const line of sysdigLines(file, ["-p", "%evt.num %evt.rawtime", ...(filter ? [filter] : [])])) {
    const [num, ts] = line.split(" ");
    const cur = { num: Number(num), ts: BigInt(ts) };
    if (prev && cur.ts - prev.ts > minNs) gaps.push({ num: cur.num, prevNum: prev.num, gapNs: cur.ts - prev.ts });
    prev = cur;
  }
  return gaps;
}

/** What sysdig says about a capture's exit events, read once and binned as often as needed. */
export interface SysdigLatencies {
  /** The first and last non-zero event times of the whole capture (hidden events too). */
  first: bigint;
  last: bigint;
  /** Exit events matching the filter that have an evt.latency: number, raw time, latency. */
  exits: { num: number; ts: bigint; latency: bigint }[];
}

const numbered = (lines: string[]) => lines.filter((l) => /^\d/.test(l));

export function sysdigLatencies(file: string, filter = ""): SysdigLatencies {
  let first = -1n, last = 0n;
  for (const l of numbered(sysdigLines(file, ["-D", "-p", "%evt.rawtime"]))) {
    const t = BigInt(l);
    if (t === 0n) continue;
    if (first < 0n) first = t;
    last = t;
  }
  const exits: SysdigLatencies["exits"] = [];
  const f = filter ? `evt.dir='<' and (${filter})` : "evt.dir='<'";
  for (const l of numbered(sysdigLines(file, ["-p", "%evt.num %evt.rawtime %evt.latency", f]))) {
    const [num, ts, latency] = l.split(" ");
    if (/^\d+$/.test(latency)) exits.push({ num: Number(num), ts: BigInt(ts), latency: BigInt(latency) });
  }
  return { first, last, exits };
}

/** The spectrogram rule, written out: `bins` equal bins of ceil((span + 1) / bins) ns from the
 *  first timed event; the decade is the latency's digit count minus one (0 for 0-9 ns), at most
 *  12; a cell's example is its lowest evt.num; cells by time bin, then decade. */
export function expectedSpectrogram(s: SysdigLatencies, bins: number) {
  const span = s.first < 0n ? 0n : s.last - s.first;
  const binNs = (span + BigInt(bins)) / BigInt(bins);
  const cells = new Map<string, { t: number; l: number; count: number; example: number }>();
  for (const e of s.exits) {
    const t = Number((e.ts - s.first) / binNs);
    const l = Math.min(12, e.latency.toString().length - 1);
    const key = `${t} ${l}`;
    const c = cells.get(key);
    if (!c) cells.set(key, { t, l, count: 1, example: e.num });
    else {
      c.count++;
      c.example = Math.min(c.example, e.num);
    }
  }
  return { bins, binNs: Number(binNs), cells: [...cells.values()].sort((x, y) => x.t - y.t || x.l - y.l) };
}
