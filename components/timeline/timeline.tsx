"use client";

// The timeline above every view of a capture: event density over time, one row per process (or
// thread), the busiest first and the rest folded into one row; the silences longer than the gaps
// view's threshold marked. Drag across it to set the range every view follows (it goes into the
// URL and into the filter as evt.rawtime bounds); click to open the nearest event; the wheel
// zooms around the cursor, shift+wheel (or a sideways wheel) pans, and the server sends buckets
// for the visible window only, pre-aggregated, never the events themselves.

import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from "react";
import { apiCall, fetchGaps, type GapRow } from "../ui/api";
import type { TimelineAnswer } from "../../server/api/store-types";
import { cssColor, useTheme } from "../ui/theme";
import { useBoxWidth } from "../ui/use-width";
import { count, durationNs, timeOfDayUtc } from "../ui/format";
import type { TimeRange } from "../ui/view-url";
import { binRects, brushRange, gapMarks, panWindow, rowsToDraw, ticks, timeAt, xOf, zoomWindow, type TimeWindow } from "./timeline-layout";

interface Props {
  captureId: string;
  /** The user's filter (not the range: the timeline shows the whole window around it). */
  filter: string;
  range: TimeRange | null;
  firstTs: string | null;
  lastTs: string | null;
  /** The gaps view's threshold: silences longer than this are marked. */
  minGap: string;
  onRange(range: TimeRange | null): void;
  /** Opens the events view at this event. */
  onPick(num: number): void;
}

const LABEL_W = 170;
const AXIS_H = 20;
const ROW_H = 18;
const FEW_ROWS = 6;
const MANY_ROWS = 40;

export function Timeline({ captureId, filter, range: rangeProp, firstTs, lastTs, minGap, onRange, onPick }: Props) {
  // The page reads the range from its URL at every render (a new object each time): keep one
  // per value, so that scrolling the table (which rewrites the URL) does not redraw the canvas.
  const range = useMemo(() => rangeProp, [rangeProp?.from, rangeProp?.to]); // eslint-disable-line react-hooks/exhaustive-deps
  const span = useMemo<TimeWindow | undefined>(
    () => (firstTs && lastTs ? { from: BigInt(firstTs), to: BigInt(lastTs) + 1n } : undefined), [firstTs, lastTs]);
  const [view, setView] = useState<TimeWindow | undefined>(span);
  const [by, setBy] = useState<"proc" | "thread">("proc");
  const [expanded, setExpanded] = useState(false);
  const [box, boxWidth] = useBoxWidth(480, 1000);
  const plotW = Math.max(100, boxWidth - LABEL_W);
  const bins = Math.max(50, Math.min(2000, Math.floor(plotW / 2)));
  const [data, setData] = useState<{ key: string; answer: TimelineAnswer }>();
  const [error, setError] = useState<string>();
  const [gaps, setGaps] = useState<GapRow[]>([]);
  const [drag, setDrag] = useState<{ x0: number; x1: number; pan?: boolean; from?: TimeWindow }>();
  const [hover, setHover] = useState<{ x: number; row: number }>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useTheme();

  useEffect(() => setView(span), [span]);

  const key = view ? `${captureId}|${filter}|${view.from}|${view.to}|${bins}|${by}|${expanded}` : "";
  useEffect(() => {
    if (!view) return;
    const ctl = new AbortController();
    // Wheel zooms come in bursts: ask once the burst is over. The first answer is part of the
    // page's first view: asked at once.
    const timer = setTimeout(() => {
      const q = new URLSearchParams({ from: String(view.from), to: String(view.to), bins: String(bins), by, rows: String(expanded ? MANY_ROWS : FEW_ROWS) });
      if (filter) q.set("filter", filter);
      apiCall<TimelineAnswer>(`/api/captures/${encodeURIComponent(captureId)}/timeline?${q}`, { signal: ctl.signal }).then(
        (answer) => { setData({ key, answer }); setError(undefined); },
        (e: unknown) => { if (!ctl.signal.aborted) setError(e instanceof Error ? e.message : String(e)); },
      );
    }, data ? 60 : 0);
    return () => { clearTimeout(timer); ctl.abort(); };
    // key names everything the request depends on.
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  // The gap marks once the density is drawn: unfiltered, the gaps are a scan of every event
  // (the whole capture database read from disk on a first visit), which must not compete with
  // the page's first rows and buckets for the server's cores.
  const drawnOnce = data !== undefined;
  useEffect(() => {
    if (!drawnOnce) return;
    const ctl = new AbortController();
    fetchGaps(captureId, filter, minGap, ctl.signal).then(setGaps, () => setGaps([]));
    return () => ctl.abort();
  }, [captureId, filter, minGap, drawnOnce]);

  const answer = data?.answer;
  const rows = useMemo(() => (answer ? rowsToDraw(answer.rows, answer.other) : []), [answer]);
  // The answer's own window: the one the bins were counted over (the view may have moved on).
  const drawn = useMemo<TimeWindow | undefined>(() => (answer ? { from: BigInt(answer.from), to: BigInt(answer.to) } : undefined), [answer]);
  const height = AXIS_H + Math.max(1, rows.length) * ROW_H + 4;
  const marks = useMemo(() => {
    if (!view) return [];
    return gapMarks(gaps.map((g) => ({ startTs: BigInt(g.ts) - BigInt(g.gapNs), endTs: BigInt(g.ts), num: g.num })), view, plotW);
  }, [gaps, view, plotW]);

  // Drawing: the rows' density, the gap marks, the range, the brush.
  useEffect(() => {
    const c = canvas.current;
    if (!c || !view) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(boxWidth * dpr);
    c.height = Math.round(height * dpr);
    const g = c.getContext("2d")!;
    // The theme's colours, read once a drawing: each read is a getComputedStyle, and a drawing
    // has a rectangle per bin and row (thousands), redrawn on every mouse move.
    const color = {
      plotBg: cssColor("--plot-bg", "#fbfcfd"),
      muted: cssColor("--muted", "#5f6b7a"),
      axis: cssColor("--axis", "#b9c1cc"),
      gapFill: cssColor("--gap-fill", "#f3c9a8"),
      gapStroke: cssColor("--gap-stroke", "#c77b3f"),
      accent: cssColor("--accent", "#2357c6"),
      text: cssColor("--text", "#1d2330"),
    };
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, boxWidth, height);
    g.fillStyle = color.plotBg;
    g.fillRect(LABEL_W, AXIS_H, plotW, height - AXIS_H);
    g.font = `11px ${cssColor("--mono", "monospace")}`;
    g.textBaseline = "middle";
    // Axis.
    g.fillStyle = color.muted;
    g.strokeStyle = color.axis;
    for (const t of ticks(view, Math.max(3, Math.floor(plotW / 140)))) {
      const x = LABEL_W + xOf(view, plotW, t);
      g.beginPath();
      g.moveTo(x + 0.5, AXIS_H - 4);
      g.lineTo(x + 0.5, height);
      g.globalAlpha = 0.35;
      g.stroke();
      g.globalAlpha = 1;
      g.fillText(timeOfDayUtc(String(t)).replace(/0+$/, "").replace(/\.$/, ""), x + 3, AXIS_H / 2);
    }
    // Gap marks: a band under the axis for each silence, and a faint shade across the rows (a
    // filter with a silence every second would otherwise paint the whole plot).
    for (const m of marks) {
      const w = Math.max(2, m.x1 - m.x0);
      g.globalAlpha = 0.3;
      g.fillStyle = color.gapFill;
      g.fillRect(LABEL_W + m.x0, AXIS_H, w, height - AXIS_H);
      g.globalAlpha = 1;
      g.fillStyle = color.gapStroke;
      g.fillRect(LABEL_W + m.x0 + (w > 4 ? 1 : 0), AXIS_H - 4, Math.max(2, w - (w > 4 ? 2 : 0)), 3);
    }
    // Rows: labels and density.
    if (drawn && answer) {
      const rects = binRects(rows, answer.bins, plotW * (Number(drawn.to - drawn.from) / Number(view.to - view.from)), ROW_H, AXIS_H);
      const shift = xOf(view, plotW, drawn.from);
      g.save();
      g.beginPath();
      g.rect(LABEL_W, AXIS_H, plotW, height - AXIS_H);
      g.clip();
      for (const r of rects) {
        g.globalAlpha = r.level;
        g.fillStyle = rows[r.row].folded ? color.muted : color.accent;
        g.fillRect(LABEL_W + shift + r.x, r.y + 1, r.w, r.h - 1);
      }
      g.restore();
      g.globalAlpha = 1;
      rows.forEach((r, i) => {
        const y = AXIS_H + i * ROW_H + ROW_H / 2;
        g.fillStyle = r.folded ? color.accent : color.text;
        const label = `${r.label}`;
        g.fillText(label.length > 19 ? `${label.slice(0, 18)}…` : label, 4, y);
        g.fillStyle = color.muted;
        g.textAlign = "right";
        g.fillText(count(r.total), LABEL_W - 6, y);
        g.textAlign = "left";
      });
    }
    // The range every view follows, and the brush being drawn.
    const shade = (x0: number, x1: number, alpha: number) => {
      g.globalAlpha = alpha;
      g.fillStyle = color.accent;
      g.fillRect(LABEL_W + Math.min(x0, x1), AXIS_H, Math.max(1, Math.abs(x1 - x0)), height - AXIS_H);
      g.globalAlpha = 1;
      g.strokeStyle = color.accent;
      g.strokeRect(LABEL_W + Math.min(x0, x1) + 0.5, AXIS_H + 0.5, Math.max(1, Math.abs(x1 - x0)), height - AXIS_H - 1);
    };
    if (range) {
      const x0 = Math.max(-2, xOf(view, plotW, BigInt(range.from))), x1 = Math.min(plotW + 2, xOf(view, plotW, BigInt(range.to)));
      if (x1 >= 0 && x0 <= plotW) shade(x0, x1, 0.12);
    }
    if (drag && !drag.pan) shade(drag.x0, drag.x1, 0.2);
    if (hover && !drag) {
      g.strokeStyle = color.text;
      g.globalAlpha = 0.5;
      g.beginPath();
      g.moveTo(LABEL_W + hover.x + 0.5, AXIS_H);
      g.lineTo(LABEL_W + hover.x + 0.5, height);
      g.stroke();
      g.globalAlpha = 1;
    }
  }, [view, drawn, answer, rows, marks, range, drag, hover, boxWidth, plotW, height, theme]);

  // The wheel: zoom around the cursor; shift or a sideways wheel pans. Not passive: the page
  // must not scroll while the timeline zooms.
  useEffect(() => {
    const c = canvas.current;
    if (!c || !span) return;
    const onWheel = (e: WheelEvent) => {
      const x = e.offsetX - LABEL_W;
      if (x < 0) return;
      e.preventDefault();
      setView((v) => {
        if (!v) return v;
        if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) return panWindow(v, plotW, e.shiftKey ? e.deltaY : e.deltaX, span);
        return zoomWindow(v, plotW, x, Math.exp(e.deltaY * 0.0015), span);
      });
    };
    c.addEventListener("wheel", onWheel, { passive: false });
    return () => c.removeEventListener("wheel", onWheel);
  }, [span, plotW]);

  const plotX = (e: ReactMouseEvent) => e.nativeEvent.offsetX - LABEL_W;
  const onDown = (e: ReactMouseEvent<HTMLCanvasElement>) => {
    const x = plotX(e);
    if (e.button !== 0) return;
    if (x < 0) {
      // The labels: the folded row expands, any other folds back.
      const row = Math.floor((e.nativeEvent.offsetY - AXIS_H) / ROW_H);
      if (row >= 0 && row < rows.length && (rows[row].folded || expanded)) setExpanded(!!rows[row].folded);
      return;
    }
    e.preventDefault();
    setDrag({ x0: x, x1: x, pan: e.altKey, from: view });
  };
  const onMove = (e: ReactMouseEvent<HTMLCanvasElement>) => {
    const x = plotX(e);
    setHover(x >= 0 ? { x, row: Math.floor((e.nativeEvent.offsetY - AXIS_H) / ROW_H) } : undefined);
    if (!drag) return;
    if (drag.pan && drag.from && span) setView(panWindow(drag.from, plotW, drag.x0 - x, span));
    setDrag({ ...drag, x1: Math.max(0, Math.min(plotW, x)) });
  };
  const onUp = useCallback(async () => {
    if (!drag || !view) return;
    setDrag(undefined);
    if (drag.pan) return;
    const r = brushRange(view, plotW, drag.x0, drag.x1);
    if (r) {
      onRange(r);
      return;
    }
    // A click: the nearest matching event.
    const at = timeAt(view, plotW, drag.x0);
    const q = new URLSearchParams({ nearest: String(at) });
    if (filter) q.set("filter", filter);
    try {
      const { event } = await apiCall<{ event: { num: number } | null }>(`/api/captures/${encodeURIComponent(captureId)}/timeline?${q}`);
      if (event) onPick(event.num);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [drag, view, plotW, onRange, onPick, captureId, filter]);

  if (!span || !view) return null;
  const hoverInfo = (() => {
    if (!hover || !answer || !drawn) return undefined;
    const t = timeAt(view, plotW, hover.x);
    const bin = Math.floor(Number(t - drawn.from) / Number(answer.binNs));
    const r = rows[hover.row];
    if (!r || bin < 0 || bin >= answer.bins) return `${timeOfDayUtc(String(t))}`;
    return `${timeOfDayUtc(String(t))} · ${r.label}: ${count(r.counts[bin])} events in ${durationNs(answer.binNs)}`;
  })();
  const whole = view.from === span.from && view.to === span.to;

  return (
    <section className="timeline" aria-label="timeline" data-testid="timeline">
      <div className="timeline-head">
        <span className="timeline-title">
          <strong>timeline</strong>{" "}
          <span className="muted" data-testid="timeline-window">
            {timeOfDayUtc(String(view.from))} – {timeOfDayUtc(String(view.to))} ({durationNs(String(view.to - view.from))})
          </span>
        </span>
        <label className="inline-control">
          rows per{" "}
          <select value={by} onChange={(e) => setBy(e.target.value as "proc" | "thread")} data-testid="timeline-by">
            <option value="proc">process</option>
            <option value="thread">thread</option>
          </select>
        </label>
        {!whole && (
          <button type="button" className="link-button" onClick={() => setView(span)} data-testid="timeline-reset">
            whole capture
          </button>
        )}
        {range && (
          <>
            <button type="button" className="link-button" onClick={() => setView({ from: BigInt(range.from), to: BigInt(range.to) + 1n })} data-testid="timeline-zoom-range">
              zoom to range
            </button>
            <span className="timeline-range" data-testid="timeline-range">
              range {timeOfDayUtc(range.from)} – {timeOfDayUtc(range.to)} ({durationNs(String(BigInt(range.to) - BigInt(range.from)))})
            </span>
            <button type="button" className="link-button" onClick={() => onRange(null)} data-testid="timeline-clear-range">
              clear range
            </button>
          </>
        )}
        <span className="muted timeline-hint">
          {hoverInfo ?? (marks.length ? `drag: range · click: nearest event · wheel: zoom · shaded: ${marks.length} gap${marks.length === 1 ? "" : "s"} > ${minGap}` : "drag: range · click: nearest event · wheel: zoom, shift+wheel: pan")}
        </span>
      </div>
      <div ref={box} className={`timeline-plot${data?.key === key ? "" : " stale"}`}>
        <canvas
          ref={canvas}
          style={{ width: boxWidth, height }}
          data-testid="timeline-canvas"
          data-source={answer?.source}
          data-bins={answer?.bins}
          onMouseDown={onDown}
          onMouseMove={onMove}
          onMouseUp={onUp}
          onMouseLeave={() => { setHover(undefined); if (drag) void onUp(); }}
        />
      </div>
      {error && <p className="error timeline-error" data-testid="timeline-error">{error}</p>}
    </section>
  );
}
