// The flame view's own part of the capture page's URL, so that a copied link reopens the same
// graph: the source (a profile's section), the search, the order, the zoom (as a path of frame
// names: node numbers change with the data), the sandwich's function and the base of a
// differential (another capture or profile, a filter, a time range). Keys start with "f" and
// ride along the capture view's own keys (view-url.ts keeps parameters it does not know).

import type { FlameOrder, FlameSort } from "./flame-layout";

export interface FlameState {
  source: string;
  search: string;
  order: FlameOrder;
  sort: FlameSort;
  /** Frames from the root to the zoomed node; [] for none. */
  focus: string[];
  /** The function of the sandwich view; "" for none. */
  sandwich: string;
  /** A differential's base ("before"); null for a plain graph. */
  base: FlameBase | null;
}

export interface FlameBase {
  /** Another capture or profile; "" for this one. */
  id: string;
  source: string;
  filter: string;
  /** ns since the epoch, "" for open. */
  from: string;
  to: string;
}

export const FLAME_KEYS = ["fsrc", "fq", "ford", "fsort", "fz", "fsw", "fb", "fbs", "fbf", "fbt0", "fbt1"] as const;

const FOCUS_SEP = "\u001f";

export function readFlame(q: URLSearchParams): FlameState {
  const get = (k: string) => q.get(k) ?? "";
  const digits = (k: string) => (/^\d{1,20}$/.test(get(k)) ? get(k) : "");
  const hasBase = ["fb", "fbs", "fbf", "fbt0", "fbt1"].some((k) => q.has(k));
  return {
    source: get("fsrc").slice(0, 200),
    search: get("fq").slice(0, 500),
    order: get("ford") === "icicle" ? "icicle" : "flame",
    sort: get("fsort") === "heavy" ? "heavy" : "alpha",
    focus: get("fz") ? get("fz").split(FOCUS_SEP).slice(0, 500) : [],
    sandwich: get("fsw").slice(0, 1000),
    base: hasBase
      ? { id: /^[0-9a-f]{16}$/.test(get("fb")) ? get("fb") : "", source: get("fbs").slice(0, 200), filter: get("fbf").slice(0, 10_000), from: digits("fbt0"), to: digits("fbt1") }
      : null,
  };
}

/** `q` with the flame keys replaced by `s`'s (defaults left out). */
export function writeFlame(q: URLSearchParams, s: FlameState): URLSearchParams {
  const out = new URLSearchParams(q);
  for (const k of FLAME_KEYS) out.delete(k);
  if (s.source) out.set("fsrc", s.source);
  if (s.search) out.set("fq", s.search);
  if (s.order !== "flame") out.set("ford", s.order);
  if (s.sort !== "alpha") out.set("fsort", s.sort);
  if (s.focus.length) out.set("fz", s.focus.join(FOCUS_SEP));
  if (s.sandwich) out.set("fsw", s.sandwich);
  if (s.base) {
    out.set("fb", s.base.id);
    if (s.base.source) out.set("fbs", s.base.source);
    if (s.base.filter) out.set("fbf", s.base.filter);
    if (s.base.from) out.set("fbt0", s.base.from);
    if (s.base.to) out.set("fbt1", s.base.to);
  }
  return out;
}

/** The API query of a view: /api/captures/:id/flame?… `filter` is the view's whole filter (the
 *  user's and the timeline range's bounds, rangeFilter); `baseFilter` the base's, made the same
 *  way by the caller from the base's own filter and range (both default to this side's). */
export function flameApiQuery(s: FlameState, filter: string, baseFilter: string | undefined): URLSearchParams {
  const q = new URLSearchParams();
  if (s.source) q.set("source", s.source);
  if (filter) q.set("filter", filter);
  if (s.base) {
    if (s.base.id) q.set("baseId", s.base.id);
    if (s.base.source) q.set("baseSource", s.base.source);
    // Always sent, "" included: the base's filter is its own, never this side's by default.
    if (baseFilter !== undefined) q.set("baseFilter", baseFilter);
  }
  return q;
}

/** A filter value as the filter language reads it back: bare when it is one word, quoted
 *  otherwise (double quotes, or single ones when it holds a double quote). */
function filterValue(v: string): string {
  if (/^[\w.:/@+\-[\]>]+$/.test(v)) return v;
  return v.includes('"') ? `'${v}'` : `"${v}"`;
}

/** What each level of the syscall-time graph's frames is (server/api/flame-query.ts). */
export const SYSCALL_LEVELS = ["container", "process", "thread", "call", "file or connection"] as const;

/** The events behind a frame of the syscall-time graph (container → process → thread → call →
 *  fd), as a filter on top of the view's own: what the events view lists for it. A "<NA>"
 *  container or process (not known) adds no condition. */
export function frameFilter(path: readonly string[], filter: string): string {
  const parts: string[] = [];
  const [container, proc, tid, call, fd] = path;
  if (container !== undefined && container !== "<NA>") parts.push(`container.id=${filterValue(container)}`);
  if (proc !== undefined && proc !== "<NA>") parts.push(`proc.name=${filterValue(proc)}`);
  if (tid !== undefined && /^\d+$/.test(tid)) parts.push(`thread.tid=${tid}`);
  if (call !== undefined) parts.push(`evt.type=${filterValue(call)}`);
  if (fd !== undefined) parts.push(`fd.name=${filterValue(fd)}`);
  const own = parts.join(" and ");
  if (!own) return filter;
  return filter.trim() ? `(${filter.trim()}) and ${own}` : own;
}
