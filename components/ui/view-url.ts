// The capture page's view lives in its URL, so that a copied link reopens the same view:
// `/captures/ID?filter=F&from=N&at=N&state=lsof`. These helpers read and write that query string
// in one fixed order (people read and compare these links).

export const STATE_KINDS = ["lsof", "netstat", "ps"] as const;
export type StateKind = (typeof STATE_KINDS)[number];

export interface CaptureView {
  /** A sysdig filter; "" for none. */
  filter: string;
  /** The first evt.num the table starts at (0: the beginning). */
  from: number;
  /** The selected event, whose state the panel shows; null when nothing is selected. */
  at: number | null;
  state: StateKind;
}

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

export function readView(q: Query): CaptureView {
  const state = get(q, "state");
  const at = wholeNumber(get(q, "at"));
  return {
    filter: get(q, "filter") ?? "",
    from: wholeNumber(get(q, "from")) ?? 0,
    // evt.num starts at 1: 0 would name no event.
    at: at !== null && at > 0 ? at : null,
    state: STATE_KINDS.includes(state as StateKind) ? (state as StateKind) : "lsof",
  };
}

/** The query string of a view, `?` included ("" for the plain view). Parameters that are not
 *  part of the view (in `keep`) follow it unchanged. */
export function viewQuery(v: CaptureView, keep?: URLSearchParams): string {
  const q = new URLSearchParams();
  if (v.filter) q.set("filter", v.filter);
  if (v.from > 0) q.set("from", String(v.from));
  if (v.at !== null) {
    q.set("at", String(v.at));
    q.set("state", v.state);
  }
  keep?.forEach((value, key) => {
    if (!["filter", "from", "at", "state"].includes(key)) q.append(key, value);
  });
  const s = q.toString();
  return s ? `?${s}` : "";
}

export function viewHref(captureId: string, v: CaptureView): string {
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
  // Inside double quotes the shell still expands $, `, \ and "; single quotes are safer then.
  const quoted = /["$`\\!]/.test(filter) ? shellWord(filter) : `"${filter}"`;
  return `sysdig -r ${shellWord(file)} ${quoted}`;
}
