// The spectrogram's geometry and words, without a canvas: which rows the latency decades take,
// where the time ticks fall and what they read, what a cell covers. Timestamps are strings of
// integer nanoseconds (they need 61 bits); offsets within one capture fit a double exactly.

import { tickStep, ticks, utcTicks } from "d3";
import type { SpectrogramAnswer } from "../../server/api/store-types";
import { timeOfDayUtc } from "../ui/format";

/** The server's last decade (server/core/analyses/spectrogram.ts MAX_DECADE): 12 holds every
 *  latency of 1000 s or more. */
export const MAX_DECADE = 12;
export const DECADES = Array.from({ length: MAX_DECADE + 1 }, (_, l) => l);

const UNITS = ["ns", "µs", "ms", "s"] as const;

/** A power of ten of nanoseconds in its own unit: 0 → "1ns", 4 → "10µs", 11 → "100s". */
export function decadeLabel(l: number): string {
  const unit = Math.min(Math.floor(l / 3), UNITS.length - 1);
  return `${10 ** (l - unit * 3)}${UNITS[unit]}`;
}

/** The latencies a row counts (floor(log10(ns)) = l; row 0 also holds 0 ns, the last row
 *  everything above). */
export function decadeRange(l: number): string {
  if (l <= 0) return "under 10ns";
  if (l >= MAX_DECADE) return `${decadeLabel(MAX_DECADE)} or more`;
  return `${decadeLabel(l)} to ${decadeLabel(l + 1)}`;
}

/** Digits after the seconds that tell ticks `stepNs` apart. */
export function fractionDigits(stepNs: number): number {
  if (stepNs >= 1e9) return 0;
  if (stepNs >= 1e6) return Math.min(3, Math.ceil(9 - Math.log10(stepNs) - 1e-9));
  if (stepNs >= 1e3) return Math.min(6, Math.ceil(9 - Math.log10(stepNs) - 1e-9));
  return 9;
}

/** `HH:MM:SS[.fff]` (UTC) of a timestamp, cut to `digits` decimals. */
export function clockLabel(ts: bigint, digits: number): string {
  const full = timeOfDayUtc(String(ts));
  return digits === 0 ? full.slice(0, 8) : full.slice(0, 9 + digits);
}

export interface TimeTick {
  /** ns after `firstTs`. */
  offsetNs: number;
  label: string;
}

/** Round wall-clock times between firstTs and firstTs + spanNs, about `count` of them, so that
 *  they read 17:13:48, 17:13:50… rather than offsets. Spans of seconds and more use d3's UTC
 *  time intervals (whole seconds, minutes, hours); shorter ones nice steps of nanoseconds
 *  counted from the whole second before firstTs. */
export function timeTicks(firstTs: bigint, spanNs: number, count: number): TimeTick[] {
  if (!(spanNs > 0)) return [];
  if (spanNs >= 2e9) {
    const firstMs = Number(firstTs / 1_000_000n);
    const dates = utcTicks(new Date(firstMs), new Date(firstMs + Math.floor(spanNs / 1e6)), count);
    return dates
      .map((d) => BigInt(d.getTime()) * 1_000_000n)
      .filter((ts) => ts >= firstTs && ts <= firstTs + BigInt(Math.floor(spanNs)))
      .map((ts) => ({ offsetNs: Number(ts - firstTs), label: clockLabel(ts, 0) }));
  }
  const second = firstTs - (firstTs % 1_000_000_000n);
  const lead = Number(firstTs - second);
  const step = tickStep(lead, lead + spanNs, count);
  const digits = fractionDigits(step);
  return ticks(lead, lead + spanNs, count)
    .filter((v) => v >= lead && v <= lead + spanNs)
    .map((v) => ({ offsetNs: v - lead, label: clockLabel(second + BigInt(Math.round(v)), digits) }));
}

export interface CellText {
  from: string;
  to: string;
  latency: string;
}

/** What a cell covers: the wall-clock span of its time bin (UTC, to the ns) and its latencies. */
export function cellText(answer: Pick<SpectrogramAnswer, "binNs" | "startTs">, t: number, l: number): CellText {
  const first = BigInt(answer.startTs);
  const bin = BigInt(answer.binNs);
  return {
    from: timeOfDayUtc(String(first + BigInt(t) * bin)),
    to: timeOfDayUtc(String(first + BigInt(t + 1) * bin)),
    latency: decadeRange(l),
  };
}

export interface SpectrogramSummary {
  /** Calls counted: exit events with a latency. */
  total: number;
  maxCount: number;
  /** The slowest decade with calls, and its first example. */
  slowest?: { l: number; count: number; example: number };
  /** The busiest cell. */
  busiest?: SpectrogramAnswer["cells"][number];
}

export function summarize(cells: SpectrogramAnswer["cells"]): SpectrogramSummary {
  let total = 0;
  let maxCount = 0;
  let busiest: SpectrogramAnswer["cells"][number] | undefined;
  const byDecade = new Map<number, { count: number; example: number }>();
  for (const c of cells) {
    total += c.count;
    if (c.count > maxCount) {
      maxCount = c.count;
      busiest = c;
    }
    const d = byDecade.get(c.l);
    if (d) {
      d.count += c.count;
      d.example = Math.min(d.example, c.example);
    } else byDecade.set(c.l, { count: c.count, example: c.example });
  }
  const top = Math.max(-1, ...byDecade.keys());
  const slowest = top >= 0 ? { l: top, ...byDecade.get(top)! } : undefined;
  return { total, maxCount, slowest, busiest };
}

/** A filter that keeps only enter events leaves the spectrogram nothing to count (latency is
 *  an exit event's); the same filter on exits is what the user most likely meant. */
export function exitFilterFor(filter: string): string | undefined {
  const enter = /evt\.dir\s*=\s*(['"]?)>\1/;
  if (!enter.test(filter)) return undefined;
  return filter.replace(enter, (_m, q: string) => `evt.dir=${q}<${q}`);
}
