"use client";

// Time gaps: the silences longer than a minimum between consecutive events the filter keeps
// (the keepalived story: VRRP sendmsg calls due every second, and one 5 s hole). Each gap is
// listed with its length and the events on either side; selecting one shows what ran while
// the filtered events were silent, and opens those events in the events view.

import { useEffect, useMemo, useState, type FormEvent } from "react";
import { scaleLinear } from "d3";
import type { FilterStatus } from "../events-table/events-table";
import { fetchActivity, fetchGaps, type ActivityRow, type GapRow } from "../ui/api";
import { CopyButton } from "../ui/copy-button";
import { Failure } from "../ui/failure";
import { useAnalysis } from "../ui/use-analysis";
import { useBoxWidth } from "../ui/use-width";
import { count, durationNs, timeOfDayUtc } from "../ui/format";
import { gapsCommand, isDuration } from "../ui/view-url";
import { timeTicks } from "../spectrogram/spectrogram-layout";

interface Props {
  captureId: string;
  fileName: string;
  filter: string;
  /** The shortest gap listed, as typed (`1s`, `500ms`). */
  min: string;
  /** The selected gap (the evt.num after it), or null. */
  gap: number | null;
  /** The capture's span, for the overview strip (ns strings). */
  firstTs: string | null;
  lastTs: string | null;
  onMin(min: string): void;
  onGap(num: number | null): void;
  /** The events view over exactly the events of a gap, from its first one. */
  onShowGap(prevNum: number, num: number): void;
  /** The events view (with the filter) at this event, selected. */
  onOpenEvent(num: number): void;
  onFilterStatus(s: FilterStatus): void;
}

const PRESETS = ["100ms", "500ms", "1s", "5s"];
/** Rows listed; the count line says when there are more. */
const MAX_ROWS = 300;

export function GapsView(props: Props) {
  const { captureId, fileName, filter, min, gap, onMin, onGap, onShowGap, onOpenEvent, onFilterStatus } = props;
  const key = `${captureId}|${filter}|${min}`;
  const { data: gaps, current, failed, retry } = useAnalysis<GapRow[]>(
    key, (signal) => fetchGaps(captureId, filter, min, signal), onFilterStatus);
  const [longestFirst, setLongestFirst] = useState(false);
  const shown = useMemo(() => {
    if (!gaps) return [];
    const list = longestFirst ? [...gaps].sort((a, b) => Number(BigInt(b.gapNs) - BigInt(a.gapNs)) || a.num - b.num) : gaps;
    return list.slice(0, MAX_ROWS);
  }, [gaps, longestFirst]);
  // Each gap carries the time of the event after it.
  const times = useMemo(() => new Map(shown.map((g) => [g.num, g.ts])), [shown]);
  const selected = gaps?.find((g) => g.num === gap);
  const longest = useMemo(() => (gaps ?? []).reduce((m, g) => Math.max(m, Number(g.gapNs)), 0), [gaps]);
  const command = gapsCommand(fileName, filter, min);

  return (
    <section className="analysis" aria-label="time gaps" data-testid="gaps-view">
      <div className="analysis-head">
        <p className="analysis-what">
          The silences between consecutive events {filter ? "the filter keeps" : "of the capture"}: each gap longer than the minimum, with the events on
          either side. Select one to see what ran meanwhile.
        </p>
        <MinForm min={min} onMin={onMin} error={failed?.where === "min" ? failed.message : undefined} />
      </div>
      <p className="hint command-hint">
        same gaps as <code>{command}</code>
        <CopyButton text={command} />
      </p>
      {failed && failed.where !== "min" ? (
        failed.where === "filter" ? (
          <p className="muted analysis-message">No gaps: the server could not run this filter (see above).</p>
        ) : (
          <Failure className="analysis-message" testId="gaps-error" canRetry={!failed.final} onRetry={retry}>
            Could not find the gaps: {failed.message}
          </Failure>
        )
      ) : !gaps ? (
        failed ? null : (
          <p className="muted analysis-message" data-testid="gaps-loading">
            Looking for gaps longer than {min}…
          </p>
        )
      ) : (
        <div className={current ? "" : "stale"} aria-busy={!current}>
          <div className="toolbar">
            <span className="analysis-caption" data-testid="gaps-count">
              <strong>{count(gaps.length)}</strong> {gaps.length === 1 ? "gap" : "gaps"} longer than {min}
              {filter ? (
                <>
                  {" "}
                  between events matching <code className="applied-filter">{filter}</code>
                </>
              ) : (
                " between any two events"
              )}
              {gaps.length > MAX_ROWS && ` · the ${longestFirst ? "longest" : "first"} ${MAX_ROWS} listed`}
              {!current && <span className="muted"> · updating…</span>}
            </span>
            {gaps.length > 1 && (
              <span className="segmented" role="group" aria-label="order">
                <button type="button" className={!longestFirst ? "on" : ""} aria-pressed={!longestFirst} onClick={() => setLongestFirst(false)}>
                  in time order
                </button>
                <button type="button" className={longestFirst ? "on" : ""} aria-pressed={longestFirst} onClick={() => setLongestFirst(true)}>
                  longest first
                </button>
              </span>
            )}
          </div>
          {gaps.length === 0 ? (
            <p className="muted analysis-message" data-testid="gaps-none">
              {filter ? "The matching events" : "The events"} never fall silent for longer than {min}. Try a shorter minimum.
            </p>
          ) : (
            <>
              <GapStrip firstTs={props.firstTs} lastTs={props.lastTs} gaps={shown} times={times} selected={gap} onGap={onGap} />
              <div className="gaps-layout">
                <table className="data-table gaps-table" data-testid="gaps-table">
                  <thead>
                    <tr>
                      <th className="num">gap</th>
                      <th aria-label="length, relative to the longest" />
                      <th>after</th>
                      <th>until</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((g) => {
                      const ts = times.get(g.num);
                      return (
                        <tr
                          key={g.num}
                          data-prev={g.prevNum}
                          data-num={g.num}
                          className={g.num === gap ? "selected" : undefined}
                          aria-selected={g.num === gap}
                          tabIndex={0}
                          onClick={(e) => {
                            if ((e.target as HTMLElement).closest("a, button")) return;
                            onGap(g.num === gap ? null : g.num);
                          }}
                          onKeyDown={(e) => {
                            if (e.key === "Enter" || e.key === " ") {
                              e.preventDefault();
                              onGap(g.num);
                            }
                          }}
                        >
                          <td className="num gap-len">{durationNs(g.gapNs)}</td>
                          <td className="gap-bar-cell">
                            <span className="gap-bar" style={{ width: `${Math.max(2, (100 * Number(g.gapNs)) / (longest || 1))}%` }} />
                          </td>
                          <td>
                            <EventRef num={g.prevNum} ts={ts && String(BigInt(ts) - BigInt(g.gapNs))} onOpen={onOpenEvent} />
                          </td>
                          <td>
                            <EventRef num={g.num} ts={ts} onOpen={onOpenEvent} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <GapDetail
                  captureId={captureId}
                  gap={selected}
                  missing={gap !== null && !selected ? gap : undefined}
                  ts={selected ? times.get(selected.num) : undefined}
                  onShowGap={onShowGap}
                />
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function MinForm({ min, onMin, error }: { min: string; onMin(min: string): void; error?: string }) {
  const [text, setText] = useState(min);
  useEffect(() => setText(min), [min]);
  const valid = isDuration(text.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) onMin(text.trim());
  };
  return (
    <form className="inline-control min-form" onSubmit={submit}>
      <label htmlFor="gaps-min">longer than</label>
      <input
        id="gaps-min"
        className={`min-input${valid && !error ? "" : " invalid"}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!valid || !!error}
        aria-describedby="gaps-min-help"
        data-testid="gaps-min"
      />
      <button className="button" type="submit" disabled={!valid || text.trim() === min}>
        find
      </button>
      <span className="presets" aria-label="common minimums">
        {PRESETS.map((p) => (
          <button key={p} type="button" className={`chip${p === min ? " on" : ""}`} onClick={() => onMin(p)} aria-pressed={p === min}>
            {p}
          </button>
        ))}
      </span>
      <span id="gaps-min-help" className={valid && !error ? "hint" : "error-text hint"}>
        {error ?? (valid ? "" : "a duration such as 1s, 500ms, 50us")}
      </span>
    </form>
  );
}

function EventRef({ num, ts, onOpen }: { num: number; ts?: string; onOpen(num: number): void }) {
  return (
    <span className="event-ref">
      <button type="button" className="link-button num-link" onClick={() => onOpen(num)} title={`open #${num} among the filtered events`}>
        #{num}
      </button>{" "}
      <span className="muted time">{ts ? timeOfDayUtc(ts) : "…"}</span>
    </span>
  );
}

/** What ran between the two events of the selected gap. */
function GapDetail({ captureId, gap, missing, ts, onShowGap }: {
  captureId: string; gap?: GapRow; missing?: number; ts?: string; onShowGap(prevNum: number, num: number): void;
}) {
  const [rows, setRows] = useState<{ num: number; rows: ActivityRow[] }>();
  const [failure, setFailure] = useState<{ num: number; message: string }>();
  useEffect(() => {
    if (!gap) return;
    const ctl = new AbortController();
    fetchActivity(captureId, gap.prevNum, gap.num, ctl.signal).then(
      (r) => setRows({ num: gap.num, rows: r }),
      (e: unknown) => !ctl.signal.aborted && setFailure({ num: gap.num, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => ctl.abort();
  }, [captureId, gap]);

  if (!gap) {
    return (
      <aside className="gap-detail empty" data-testid="gap-detail">
        <p className="muted">
          {missing !== undefined ? `No gap ends at #${missing} with this filter and minimum. ` : ""}
          Select a gap to see what ran while the filtered events were silent.
        </p>
      </aside>
    );
  }
  const mine = rows?.num === gap.num ? rows.rows : undefined;
  const failed = failure?.num === gap.num ? failure.message : undefined;
  const total = mine?.reduce((s, r) => s + r.count, 0) ?? 0;
  return (
    <aside className="gap-detail" data-testid="gap-detail" aria-live="polite">
      <h2>
        {durationNs(gap.gapNs)} between #{gap.prevNum} and #{gap.num}
      </h2>
      {ts && (
        <p className="muted time">
          {timeOfDayUtc(String(BigInt(ts) - BigInt(gap.gapNs)))} → {timeOfDayUtc(ts)} UTC
        </p>
      )}
      <p>
        <button className="button primary" type="button" onClick={() => onShowGap(gap.prevNum, gap.num)} data-testid="gap-show-events">
          show these events
        </button>{" "}
        <span className="hint">every event from #{gap.prevNum} to #{gap.num}, whatever the filter</span>
      </p>
      {failed ? (
        <p className="error-text" role="alert">
          Could not tell what ran: {failed}
        </p>
      ) : !mine ? (
        <p className="muted">Counting what ran…</p>
      ) : mine.length === 0 ? (
        <p className="muted" data-testid="gap-activity-none">
          Nothing else ran: no event between #{gap.prevNum} and #{gap.num} that sysdig shows.
        </p>
      ) : (
        <>
          <p className="analysis-caption">
            What ran meanwhile: <strong>{count(total)}</strong> {total === 1 ? "event" : "events"}, by process and type
          </p>
          <table className="data-table" data-testid="gap-activity">
            <thead>
              <tr>
                <th>process</th>
                <th>event type</th>
                <th className="num">events</th>
              </tr>
            </thead>
            <tbody>
              {mine.slice(0, 200).map((r) => (
                <tr key={`${r.proc}\u0000${r.type}`}>
                  <td>{r.proc}</td>
                  <td>{r.type}</td>
                  <td className="num">{count(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mine.length > 200 && <p className="hint">and {count(mine.length - 200)} more kinds</p>}
        </>
      )}
    </aside>
  );
}

/** The capture's span with the listed gaps on it: where in the capture the silences are. */
function GapStrip({ firstTs, lastTs, gaps, times, selected, onGap }: {
  firstTs: string | null; lastTs: string | null; gaps: GapRow[]; times: Map<number, string>; selected: number | null; onGap(num: number): void;
}) {
  const [box, width] = useBoxWidth();
  if (firstTs === null || lastTs === null) return null;
  const first = BigInt(firstTs);
  const span = Number(BigInt(lastTs) - first);
  if (!(span > 0)) return null;
  const pad = 10;
  const x = scaleLinear().domain([0, span]).range([pad, width - pad]);
  const ticks = timeTicks(first, span, Math.max(2, Math.floor(width / 120)));
  return (
    <div className="gap-strip" ref={box}>
      <svg width={width} height={44} role="img" aria-label="the gaps along the capture">
        <title>the listed gaps along the capture, from its first event to its last (UTC)</title>
        <rect className="strip-bg" x={pad} y={6} width={width - 2 * pad} height={16} />
        {gaps.map((g) => {
          const ts = times.get(g.num);
          if (!ts) return null;
          const end = Number(BigInt(ts) - first);
          const start = end - Number(g.gapNs);
          const x0 = x(start);
          return (
            <rect
              key={g.num}
              className={`strip-gap${g.num === selected ? " selected" : ""}`}
              x={x0}
              y={6}
              width={Math.max(2, x(end) - x0)}
              height={16}
              onClick={() => onGap(g.num)}
            >
              <title>
                {durationNs(g.gapNs)} after #{g.prevNum}
              </title>
            </rect>
          );
        })}
        {ticks.map((t) => (
          <g key={t.offsetNs} transform={`translate(${x(t.offsetNs)},22)`} className="strip-tick">
            <line y2={4} />
            <text y={16} textAnchor={x(t.offsetNs) < 40 ? "start" : x(t.offsetNs) > width - 40 ? "end" : "middle"}>
              {t.label}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
