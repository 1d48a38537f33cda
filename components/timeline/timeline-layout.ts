// The timeline's geometry, apart from any canvas: which window of the capture is visible, how
// its bins become rectangles per row, how a brush in pixels becomes a range of nanoseconds, how
// the wheel zooms and pans. Times are ns since the epoch as bigint (they need 61 bits); within a
// window, offsets from its start are plain numbers (exact for 104 days).

/** The visible window: [from, to) in ns since the epoch. */
export interface TimeWindow {
  from: bigint;
  to: bigint;
}

/** The smallest window the wheel zooms to: 1 µs. */
export const MIN_WINDOW_NS = 1000n;

export function windowNs(w: TimeWindow): number {
  return Number(w.to - w.from);
}

/** The instant at pixel x of a window drawn `width` pixels wide. */
export function timeAt(w: TimeWindow, width: number, x: number): bigint {
  const f = Math.min(1, Math.max(0, x / width));
  return w.from + BigInt(Math.round(f * windowNs(w)));
}

/** The pixel of an instant (may lie outside 0..width). */
export function xOf(w: TimeWindow, width: number, t: bigint): number {
  return (Number(t - w.from) / windowNs(w)) * width;
}

/** A brush from pixel a to pixel b (either order) as a range, both ends included. Shorter than
 *  minPx pixels is a click, not a brush: undefined. */
export function brushRange(w: TimeWindow, width: number, a: number, b: number, minPx = 3): { from: string; to: string } | undefined {
  if (Math.abs(a - b) < minPx) return undefined;
  const lo = timeAt(w, width, Math.min(a, b)), hi = timeAt(w, width, Math.max(a, b));
  return { from: String(lo), to: String(hi) };
}

/** The window zoomed by `factor` (< 1 in, > 1 out) around pixel x, kept inside the capture's
 *  span and no narrower than MIN_WINDOW_NS. */
export function zoomWindow(w: TimeWindow, width: number, x: number, factor: number, span: TimeWindow): TimeWindow {
  const at = timeAt(w, width, x);
  const f = Math.min(1, Math.max(0, x / width));
  let len = BigInt(Math.round(windowNs(w) * factor));
  if (len < MIN_WINDOW_NS) len = MIN_WINDOW_NS;
  const spanLen = span.to - span.from;
  if (len >= spanLen) return { ...span };
  const from = at - BigInt(Math.round(f * Number(len)));
  return clampWindow({ from, to: from + len }, span);
}

/** The window moved by dx pixels (positive: later), inside the capture's span. */
export function panWindow(w: TimeWindow, width: number, dx: number, span: TimeWindow): TimeWindow {
  const shift = BigInt(Math.round((dx / width) * windowNs(w)));
  return clampWindow({ from: w.from + shift, to: w.to + shift }, span);
}

function clampWindow(w: TimeWindow, span: TimeWindow): TimeWindow {
  const len = w.to - w.from;
  if (w.from < span.from) return { from: span.from, to: span.from + len };
  if (w.to > span.to) return { from: span.to - len, to: span.to };
  return w;
}

export interface TimelineRowData {
  key: string;
  label: string;
  total: number;
  counts: number[];
  /** The folded rest ("n more"). */
  folded?: number;
}

/** The rows to draw: the busiest ones the server sent, then the rest folded into one row. */
export function rowsToDraw(
  rows: { key: string; proc: string; tid: number | null; total: number; counts: number[] }[],
  other: { rows: number; total: number; counts: number[] } | null,
): TimelineRowData[] {
  const out: TimelineRowData[] = rows.map((r) => ({ key: r.key, label: r.tid === null ? r.proc : `${r.proc} (${r.tid})`, total: r.total, counts: r.counts }));
  if (other) out.push({ key: "other", label: `${other.rows} more`, total: other.total, counts: other.counts, folded: other.rows });
  return out;
}

export interface BinRect {
  row: number;
  bin: number;
  x: number;
  y: number;
  w: number;
  h: number;
  count: number;
  /** 0 (empty) .. 1 (the busiest bin of the row): log-scaled, so a lone event still shows. */
  level: number;
}

/** One rectangle per non-empty bin: x from the bin's place in the window, height the row's; the
 *  level is the count against the row's busiest bin on a log scale. */
export function binRects(rows: TimelineRowData[], bins: number, width: number, rowH: number, top = 0): BinRect[] {
  const out: BinRect[] = [];
  const bw = width / bins;
  rows.forEach((r, row) => {
    const max = Math.max(0, ...r.counts);
    if (max === 0) return;
    const denom = Math.log1p(max);
    r.counts.forEach((count, bin) => {
      if (count <= 0) return;
      out.push({ row, bin, x: bin * bw, y: top + row * rowH, w: Math.max(1, bw), h: rowH - 1, count, level: 0.15 + 0.85 * (Math.log1p(count) / denom) });
    });
  });
  return out;
}

/** Gap markers: the x of each gap's start and end (clipped to the window), for those inside. */
export function gapMarks(gaps: { startTs: bigint; endTs: bigint; num: number }[], w: TimeWindow, width: number): { x0: number; x1: number; num: number }[] {
  return gaps
    .filter((g) => g.endTs >= w.from && g.startTs <= w.to)
    .map((g) => ({ x0: Math.max(0, xOf(w, width, g.startTs)), x1: Math.min(width, xOf(w, width, g.endTs)), num: g.num }));
}

/** Tick instants for the axis: 5 to 10 round steps (1, 2, 5 × a power of ten of ns) across the
 *  window. */
export function ticks(w: TimeWindow, target = 8): bigint[] {
  const len = windowNs(w);
  const raw = len / target;
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  const step = BigInt([1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p);
  const out: bigint[] = [];
  for (let t = ((w.from + step - 1n) / step) * step; t <= w.to; t += step) out.push(t);
  return out;
}
