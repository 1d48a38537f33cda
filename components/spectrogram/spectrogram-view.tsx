"use client";

// The latency spectrogram of the events the filter keeps: every call counted once, at its exit
// event, by time (x, wall-clock UTC) and by the decade of its evt.latency (y, 1ns at the bottom
// to 1000s at the top); the colour is the count, on a log scale. Hovering a cell says what it
// covers; clicking it opens the events view at the cell's first event, with its state.

import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { axisBottom, axisLeft, interpolateYlOrRd, scaleBand, scaleLinear, scaleSequentialLog, select } from "d3";
import type { FilterStatus } from "../events-table/events-table";
import { fetchSpectrogram, type SpectrogramAnswer } from "../ui/api";
import { CopyButton } from "../ui/copy-button";
import { Failure } from "../ui/failure";
import { useAnalysis } from "../ui/use-analysis";
import { useBoxWidth } from "../ui/use-width";
import { count, durationNs } from "../ui/format";
import { rangeFilter, spectrogramCommand, type TimeRange } from "../ui/view-url";
import { DECADES, cellText, decadeLabel, decadeRange, exitFilterFor, summarize, timeTicks } from "./spectrogram-layout";

interface Props {
  captureId: string;
  fileName: string;
  /** The user's filter; the timeline's range goes apart (`range`): the bins span it. */
  filter: string;
  range: TimeRange | null;
  bins: number;
  onBins(bins: number): void;
  /** Opens the events view at this event, selected. */
  onPick(num: number): void;
  /** Applies another filter (the exit-event form of an enter-only one). */
  onFilter(filter: string): void;
  onFilterStatus(s: FilterStatus): void;
}

type Cell = SpectrogramAnswer["cells"][number];

const BIN_CHOICES = [25, 50, 100, 200, 400, 1000];
const MARGIN = { top: 10, right: 18, bottom: 30, left: 62 };
const ROW_H = 22;

export function SpectrogramView({ captureId, fileName, filter, range, bins, onBins, onPick, onFilter, onFilterStatus }: Props) {
  const key = `${captureId}|${filter}|${bins}|${range?.from}|${range?.to}`;
  const { data, current, failed, retry } = useAnalysis<SpectrogramAnswer>(
    key, (signal) => fetchSpectrogram(captureId, filter, bins, signal, range), onFilterStatus);
  const summary = useMemo(() => summarize(data?.cells ?? []), [data]);
  const command = spectrogramCommand(fileName, rangeFilter(filter, range), bins, range);
  const exits = exitFilterFor(filter);

  return (
    <section className="analysis" aria-label="latency spectrogram" data-testid="spectrogram-view">
      <div className="analysis-head">
        <p className="analysis-what">
          Every call the filter keeps, counted once at its exit event, by <strong>time</strong> and by the <strong>decade of its latency</strong>{" "}
          (evt.latency). Hover a cell for what it holds; click it to open its first event.
        </p>
        <label className="inline-control">
          time bins{" "}
          <select value={bins} onChange={(e) => onBins(Number(e.target.value))} data-testid="spectrogram-bins">
            {[...new Set([...BIN_CHOICES, bins])].sort((a, b) => a - b).map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint command-hint">
        same cells as <code>{command}</code>
        <CopyButton text={command} />
      </p>
      {failed ? (
        failed.status === 400 && failed.where === "filter" ? (
          <p className="muted analysis-message">No spectrogram: the server could not run this filter (see above).</p>
        ) : (
          <Failure className="analysis-message" testId="spectrogram-error" canRetry={!failed.final} onRetry={retry}>
            Could not count the calls: {failed.message}
          </Failure>
        )
      ) : !data ? (
        <p className="muted analysis-message" data-testid="spectrogram-loading">
          Counting calls by latency…
        </p>
      ) : summary.total === 0 && current ? (
        <div className="analysis-message" data-testid="spectrogram-empty">
          {exits ? (
            <>
              <p>
                Nothing to count: this filter keeps only <strong>enter</strong> events (<code>evt.dir=&apos;&gt;&apos;</code>), and a call&apos;s latency
                belongs to its exit event.
              </p>
              <p>
                <button className="button" type="button" onClick={() => onFilter(exits)} data-testid="spectrogram-use-exits">
                  count the exits instead
                </button>{" "}
                <code className="applied-filter">{exits}</code>
              </p>
            </>
          ) : (
            <p>
              {filter
                ? "No calls to count: no exit event with a latency matches this filter."
                : "No calls to count: this capture has no exit events with a latency."}
            </p>
          )}
        </div>
      ) : (
        <div className={current ? "" : "stale"} aria-busy={!current}>
          <p className="analysis-caption" data-testid="spectrogram-caption">
            <strong data-testid="spectrogram-total">{count(summary.total)}</strong> {summary.total === 1 ? "call" : "calls"} in{" "}
            {count(data.cells.length)} {data.cells.length === 1 ? "cell" : "cells"} · {data.bins} bins of {durationNs(data.binNs)}
            {summary.slowest && (
              <>
                {" · slowest: "}
                <button type="button" className="link-button" onClick={() => onPick(summary.slowest!.example)} title={`open #${summary.slowest.example}`}>
                  {decadeRange(summary.slowest.l)} ({count(summary.slowest.count)} {summary.slowest.count === 1 ? "call" : "calls"}, first #{summary.slowest.example})
                </button>
              </>
            )}
            {!current && <span className="muted"> · updating…</span>}
          </p>
          <Heatmap data={data} maxCount={summary.maxCount} onPick={onPick} />
        </div>
      )}
    </section>
  );
}

function Heatmap({ data, maxCount, onPick }: { data: SpectrogramAnswer; maxCount: number; onPick(num: number): void }) {
  const [box, width] = useBoxWidth();
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const [hover, setHover] = useState<Cell>();

  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = DECADES.length * ROW_H;
  const x = useMemo(() => scaleLinear().domain([0, data.bins]).range([0, innerW]), [data.bins, innerW]);
  const y = useMemo(() => scaleBand<number>().domain([...DECADES].reverse()).range([0, innerH]), [innerH]);
  // Log counts: a cell of 1 call must still show next to one of 10,000.
  const color = useMemo(
    () => scaleSequentialLog((t: number) => interpolateYlOrRd(0.3 + 0.7 * t)).domain([1, Math.max(2, maxCount)]),
    [maxCount],
  );
  const binNs = Number(data.binNs);
  const ticks = useMemo(
    () => timeTicks(BigInt(data.startTs), data.bins * binNs, Math.max(2, Math.floor(innerW / 110))),
    [data.startTs, data.bins, binNs, innerW],
  );

  useEffect(() => {
    if (!gx.current || !gy.current) return;
    select(gx.current).call(
      axisBottom(x)
        .tickValues(ticks.map((t) => t.offsetNs / binNs))
        .tickFormat((_, i) => ticks[i]?.label ?? "")
        .tickSizeOuter(0),
    );
    select(gy.current).call(axisLeft(y).tickFormat(decadeLabel).tickSizeOuter(0));
  }, [x, y, ticks, binNs]);

  const onLeave = useCallback(() => setHover(undefined), []);
  const cellOf = (e: MouseEvent<SVGGElement>): Cell | undefined => {
    const i = (e.target as SVGElement).dataset?.i;
    return i === undefined ? undefined : data.cells[Number(i)];
  };

  const text = hover ? cellText(data, hover.t, hover.l) : undefined;
  const tipX = hover ? MARGIN.left + x(hover.t + 0.5) : 0;
  const tipY = hover ? MARGIN.top + (y(hover.l) ?? 0) : 0;
  return (
    <div className="heatmap" ref={box}>
      <svg
        width={width}
        height={innerH + MARGIN.top + MARGIN.bottom}
        role="img"
        aria-label={`latency spectrogram: ${data.cells.length} cells`}
        data-testid="spectrogram-svg"
      >
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          {DECADES.map((l) => (
            <rect key={l} className={`heatmap-row${l % 3 === 0 ? " unit" : ""}`} x={0} y={y(l)} width={innerW} height={y.bandwidth()} />
          ))}
          <g
            onMouseOver={(e) => setHover(cellOf(e))}
            onMouseLeave={onLeave}
            onClick={(e) => {
              const c = cellOf(e);
              if (c) onPick(c.example);
            }}
          >
            {data.cells.map((c, i) => {
              const x0 = x(c.t);
              const w = Math.max(1.5, x(c.t + 1) - x0 - (innerW / data.bins > 4 ? 1 : 0));
              return (
                <rect
                  key={`${c.t}:${c.l}`}
                  className={`heatmap-cell${hover === c ? " hover" : ""}`}
                  data-i={i}
                  data-count={c.count}
                  data-example={c.example}
                  x={x0}
                  y={(y(c.l) ?? 0) + 1}
                  width={w}
                  height={y.bandwidth() - 2}
                  fill={color(c.count)}
                />
              );
            })}
          </g>
          <g ref={gx} className="axis" transform={`translate(0,${innerH})`} />
          <g ref={gy} className="axis" />
        </g>
      </svg>
      {hover && text && (
        <div
          className={`heatmap-tip${tipX > width - 260 ? " left" : ""}`}
          style={{ left: tipX, top: tipY }}
          data-testid="spectrogram-tip"
          role="status"
        >
          <div>
            <strong>{count(hover.count)}</strong> {hover.count === 1 ? "call" : "calls"} taking {text.latency}
          </div>
          <div className="muted">
            ended {text.from} – {text.to} UTC
          </div>
          <div className="muted">click: open #{hover.example}{hover.count > 1 ? ", the first of them" : ""}</div>
        </div>
      )}
      <Legend color={color} maxCount={maxCount} />
    </div>
  );
}

function Legend({ color, maxCount }: { color: (n: number) => string; maxCount: number }) {
  const top = Math.max(2, maxCount);
  const stops = Array.from({ length: 11 }, (_, i) => 10 ** ((Math.log10(top) * i) / 10));
  const marks = [...new Set([1, Math.round(Math.sqrt(top)), top])].filter((n) => n <= top);
  return (
    <div className="heatmap-legend" aria-label="colour: calls per cell, on a log scale">
      <span className="muted">calls per cell</span>
      <svg width={180} height={28}>
        <defs>
          <linearGradient id="spectrogram-legend">
            {stops.map((n, i) => (
              <stop key={i} offset={`${i * 10}%`} stopColor={color(n)} />
            ))}
          </linearGradient>
        </defs>
        <rect x={4} y={2} width={172} height={10} fill="url(#spectrogram-legend)" />
        {marks.map((n) => {
          const px = 4 + (172 * Math.log10(n)) / Math.log10(top);
          return (
            <text key={n} x={px} y={25} textAnchor={n === 1 ? "start" : n === top ? "end" : "middle"}>
              {count(n)}
            </text>
          );
        })}
      </svg>
      <span className="muted">(log scale{maxCount < 2 ? "; every cell holds one call" : ""})</span>
    </div>
  );
}
