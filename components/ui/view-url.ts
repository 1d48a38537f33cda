// The capture page's view lives in its URL, so that a copied link reopens the same view:
// `/captures/ID?filter=F&view=gaps&min=500ms&gap=N`, `?filter=F&from=N&at=N&state=lsof`. These
// helpers read and write that query string in one fixed order (people read and compare these
// links). Only the parameters of the view shown are written: a link carries what it shows.

import type { StateChisel } from "../../server/core/filter/chisel-filter";
import { withTimeRange } from "../../server/core/filter/time-range";

export type StateKind = StateChisel;
export const STATE_KINDS: readonly StateKind[] = ["lsof", "netstat", "ps"];

/** The investigation views over one filter: the events as sysdig lists them, a latency
 *  spectrogram, the time gaps between matching events, and a chisel's summary table. */
export const VIEW_KINDS = ["overview", "events", "spectrogram", "gaps", "chisel", "flame"] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

export const DEFAULT_BINS = 100;
export const MAX_BINS = 1000;
export const DEFAULT_MIN_GAP = "1s";
export const DEFAULT_CHISEL = "topprocs_cpu";

/** A time range brushed on the timeline: ns since the epoch, as strings of digits (they do not
 *  fit a double), both ends included, as `evt.rawtime>=from and evt.rawtime<=to` says. */
export interface TimeRange {
  from: string;
  to: string;
}

export interface CaptureView {
  /** A sysdig filter; "" for none. Every view follows it. */
  filter: string;
  /** The timeline's range: every view follows it too (rangeFilter); null for the whole capture. */
  range: TimeRange | null;
  view: ViewKind;
  /** events: the first evt.num the table starts at (0: the beginning). */
  from: number;
  /** events: the selected event, whose state the panel shows; null when nothing is selected. */
  at: number | null;
  state: StateKind;
  /** spectrogram: the number of time bins. */
  bins: number;
  /** gaps: the shortest silence listed, as typed (`1s`, `500ms`, `50us`). */
  min: string;
  /** gaps: the selected gap, named by the evt.num after it; null for none. */
  gap: number | null;
  /** chisel: its name, and its argument (the field of fdbytes_by and the like; "" for none). */
  chisel: string;
  arg: string;
}

export const DEFAULT_VIEW: CaptureView = {
  filter: "",
  range: null,
  view: "events",
  from: 0,
  at: null,
  state: "lsof",
  bins: DEFAULT_BINS,
  min: DEFAULT_MIN_GAP,
  gap: null,
  chisel: DEFAULT_CHISEL,
  arg: "",
};

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function get(q: Query, key: string): string | undefined {
  if (q instanceof URLSearchParams) return q.get(key) ?? undefined;
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

function wholeNumber(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/** A duration as the server's gaps call takes it: `5s`, `200ms`, `1.5us`, `300ns`. */
export function isDuration(s: string): boolean {
  return /^\d+(\.\d+)?(ns|us|µs|ms|s|m|min|h)?$/.test(s);
}

/** ns since the epoch: up to 20 digits, below 2^64. */
function instant(raw: string | undefined): string | null {
  if (raw === undefined || !/^\d{1,20}$/.test(raw) || BigInt(raw) >= 2n ** 64n) return null;
  return String(BigInt(raw));
}

function readRange(q: Query): TimeRange | null {
  const from = instant(get(q, "t0")), to = instant(get(q, "t1"));
  return from !== null && to !== null && BigInt(to) >= BigInt(from) ? { from, to } : null;
}

/** The filter every view runs: the user's filter and the range's evt.rawtime bounds, which
 *  sysdig 0.29.3 reads as they are written here (timeline.test.ts runs it). */
export function rangeFilter(filter: string, range: TimeRange | null): string {
  return withTimeRange(filter, range);
}

export function readView(q: Query): CaptureView {
  const state = get(q, "state");
  const view = get(q, "view");
  const at = wholeNumber(get(q, "at"));
  const gap = wholeNumber(get(q, "gap"));
  const bins = wholeNumber(get(q, "bins"));
  const min = get(q, "min")?.trim();
  const chisel = get(q, "chisel");
  return {
    filter: get(q, "filter") ?? "",
    range: readRange(q),
    view: VIEW_KINDS.includes(view as ViewKind) ? (view as ViewKind) : "events",
    from: wholeNumber(get(q, "from")) ?? 0,
    // evt.num starts at 1: 0 would name no event.
    at: at !== null && at > 0 ? at : null,
    state: STATE_KINDS.includes(state as StateKind) ? (state as StateKind) : "lsof",
    bins: bins !== null && bins >= 1 && bins <= MAX_BINS ? bins : DEFAULT_BINS,
    min: min && isDuration(min) ? min : DEFAULT_MIN_GAP,
    gap: gap !== null && gap > 0 ? gap : null,
    chisel: chisel && /^[a-z_]{1,40}$/.test(chisel) ? chisel : DEFAULT_CHISEL,
    arg: (get(q, "arg") ?? "").slice(0, 200),
  };
}

const VIEW_KEYS = ["filter", "t0", "t1", "view", "bins", "min", "gap", "chisel", "arg", "from", "at", "state"];

/** The query string of a view, `?` included ("" for the plain view). Parameters that are not
 *  part of the view (in `keep`) follow it unchanged. */
export function viewQuery(view: Partial<CaptureView>, keep?: URLSearchParams): string {
  const v = { ...DEFAULT_VIEW, ...view };
  const q = new URLSearchParams();
  if (v.filter) q.set("filter", v.filter);
  // Every view follows the range: it stays in the link whatever the view.
  if (v.range) {
    q.set("t0", v.range.from);
    q.set("t1", v.range.to);
  }
  if (v.view !== "events") q.set("view", v.view);
  if (v.view === "spectrogram" && v.bins !== DEFAULT_BINS) q.set("bins", String(v.bins));
  if (v.view === "gaps") {
    if (v.min !== DEFAULT_MIN_GAP) q.set("min", v.min);
    if (v.gap !== null) q.set("gap", String(v.gap));
  }
  if (v.view === "chisel") {
    q.set("chisel", v.chisel);
    if (v.arg) q.set("arg", v.arg);
  }
  if (v.view === "events") {
    if (v.from > 0) q.set("from", String(v.from));
    if (v.at !== null) {
      q.set("at", String(v.at));
      q.set("state", v.state);
    }
  }
  keep?.forEach((value, key) => {
    if (!VIEW_KEYS.includes(key)) q.append(key, value);
  });
  const s = q.toString();
  return s ? `?${s}` : "";
}

export function viewHref(captureId: string, v: Partial<CaptureView>): string {
  return `/captures/${encodeURIComponent(captureId)}${viewQuery(v)}`;
}

/** A word for a POSIX shell: as is when that is safe, else in single quotes. */
export function shellWord(s: string): string {
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The sysdig command line that prints what the panel shows. The filter and the evt.num go in
 *  double quotes, as sysdig's documentation writes them. */
export function chiselCommand(file: string, kind: StateKind, at: number): string {
  return `sysdig -r ${shellWord(file)} -c ${kind} "" "evt.num=${at}"`;
}

/** The sysdig command line that lists what the table shows. */
export function eventsCommand(file: string, filter: string): string {
  if (!filter) return `sysdig -r ${shellWord(file)}`;
  return `sysdig -r ${shellWord(file)} ${filterWord(filter)}`;
}

/** A filter as the last word of a sysdig command line: in double quotes, as sysdig's
 *  documentation writes it, unless the shell would expand something in them ($, `, \\ and "
 *  inside double quotes; single quotes are safer then). */
function filterWord(filter: string): string {
  return /["$`\\!]/.test(filter) ? shellWord(filter) : `"${filter}"`;
}

/** The sysdig command line that prints a chisel's table (casefile's own chisels, such as
 *  `errors`, which sysdig does not have, run with casefile's command line instead). */
export function summaryCommand(file: string, chisel: string, arg: string, filter: string, sysdigHasIt = true): string {
  if (!sysdigHasIt) {
    return `casefile chisel ${chisel} ${shellWord(file)}${arg ? ` ${shellWord(arg)}` : ""}${filter ? ` --filter ${filterWord(filter)}` : ""}`;
  }
  return `sysdig -r ${shellWord(file)} -c ${chisel}${arg ? ` ${shellWord(arg)}` : ""}${filter ? ` ${filterWord(filter)}` : ""}`;
}

/** casefile's command line for the gaps list. */
export function gapsCommand(file: string, filter: string, min: string): string {
  return `casefile gaps ${shellWord(file)} --filter ${filter ? filterWord(filter) : '""'} --min ${shellWord(min)}`;
}

/** casefile's command line for the spectrogram's cells (a range: its bins span it). */
export function spectrogramCommand(file: string, filter: string, bins: number, range: TimeRange | null = null): string {
  return `casefile spectrogram ${shellWord(file)}${filter ? ` --filter ${filterWord(filter)}` : ""} --bins ${bins}${range ? ` --from ${range.from} --to ${range.to}` : ""}`;
}
