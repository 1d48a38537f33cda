"use client";

// The flame graph view of a capture (its syscall time: container → process → thread → call →
// file or connection, by evt.latency) or of a profile (its stacks), with the same controls for both:
// click a frame to zoom (the path above it stays, full width), search with the matched share,
// flame or icicle order, alphabetical or left-heavy, a sandwich of one function (its callers
// above, its callees below), and a differential against a base: another capture or profile,
// another filter or another time range (Gregg's difffolded: widths are this side's, red grew,
// blue shrank). The state lives in the URL (flame-url.ts).

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { pathOf, sandwich, treeFromJson, type FlameTree } from "../../server/core/analyses/flame-tree";
import type { CaptureSummary, FlameAnswer } from "../../server/api/store-types";
import type { FilterStatus } from "../events-table/events-table";
import { apiCall, fetchCaptures } from "../ui/api";
import { Failure } from "../ui/failure";
import { count, durationNs } from "../ui/format";
import { useAnalysis } from "../ui/use-analysis";
import { useBoxWidth } from "../ui/use-width";
import { SYSCALL_LEVELS } from "./flame-url";
import { rangeFilter, shellWord, type TimeRange } from "../ui/view-url";
import { FlameCanvas } from "./flame-canvas";
import { nodeAtPath, searchMatches, searchTest, sortedChildren, type FlameOrder, type FlameSort } from "./flame-layout";
import { flameApiQuery, frameFilter, readFlame, writeFlame, type FlameBase, type FlameState } from "./flame-url";
import styles from "./flame.module.css";

interface Props {
  captureId: string;
  fileName: string;
  format: "scap" | "profile";
  /** The user's filter and the timeline's range (captures only). */
  filter: string;
  range: TimeRange | null;
  onFilterStatus(s: FilterStatus): void;
  /** Captures: opens the events view with this filter (a frame's events). */
  onShowEvents?(filter: string): void;
}

async function fetchFlame(id: string, q: URLSearchParams, signal: AbortSignal): Promise<FlameAnswer> {
  return apiCall<FlameAnswer>(`/api/captures/${encodeURIComponent(id)}/flame?${q}`, { signal });
}

/** The view's state, read from the URL (Next keeps useSearchParams in step with replaceState). */
function useFlameUrl(): [FlameState, (patch: Partial<FlameState>) => void] {
  const params = useSearchParams();
  const state = useMemo(() => readFlame(new URLSearchParams(params.toString())), [params]);
  const update = useCallback((patch: Partial<FlameState>) => {
    const url = new URL(window.location.href);
    const next = { ...readFlame(url.searchParams), ...patch };
    // Replaced, not pushed: zooming and searching are like scrolling.
    window.history.replaceState(null, "", `${url.pathname}?${writeFlame(url.searchParams, next)}`);
  }, []);
  return [state, update];
}

export function value(v: number, unit: "ns" | "samples"): string {
  if (unit === "ns") return durationNs(Math.round(v));
  return `${count(Math.round(v))} ${Math.round(v) === 1 ? "sample" : "samples"}`;
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 && x > 0 ? 3 : 1)}%`;

export function FlameView({ captureId, fileName, format, filter, range, onFilterStatus, onShowEvents }: Props) {
  const [s, update] = useFlameUrl();
  const whole = format === "scap" ? rangeFilter(filter, range) : "";
  const baseFilter = s.base && format === "scap" && (!s.base.id || s.base.id === captureId)
    ? rangeFilter(s.base.filter || filter, s.base.from && s.base.to ? { from: s.base.from, to: s.base.to } : range)
    : undefined;
  const q = flameApiQuery(s, whole, baseFilter);
  const key = `${captureId}?${q}`;
  const { data, current, failed, retry } = useAnalysis<FlameAnswer>(key, (signal) => fetchFlame(captureId, q, signal), onFilterStatus);

  const tree = useMemo(() => (data ? treeFromJson(data.tree) : undefined), [data]);
  const kids = useMemo(() => (tree ? sortedChildren(tree, s.sort) : undefined), [tree, s.sort]);
  const focus = useMemo(() => (tree && kids ? nodeAtPath(tree, kids, s.focus) : 0), [tree, kids, s.focus]);
  const test = useMemo(() => searchTest(s.search), [s.search]);
  const matches = useMemo(() => (tree && test ? searchMatches(tree, test, focus) : undefined), [tree, test, focus]);
  const [box, width] = useBoxWidth(320, 1100);
  const [hover, setHover] = useState<{ tree: FlameTree; node: number; x: number; y: number }>();
  const [search, setSearch] = useState(s.search);
  useEffect(() => setSearch(s.search), [s.search]);

  const unit = data?.unit ?? "ns";
  const onHover = (t: FlameTree) => (node: number, at: { x: number; y: number } | undefined) =>
    setHover(node >= 0 && at ? { tree: t, node, x: at.x, y: at.y } : undefined);

  const sw = useMemo(() => (tree && s.sandwich ? sandwich(tree, s.sandwich) : undefined), [tree, s.sandwich]);
  const swKids = useMemo(() => sw && { callers: sortedChildren(sw.callers, s.sort), callees: sortedChildren(sw.callees, s.sort) }, [sw, s.sort]);

  const rows = useMemo(() => {
    if (!tree || !kids) return [];
    return Array.from(kids[focus] ?? []).map((n) => ({ node: n, name: tree.names[tree.name[n]], total: tree.total[n], self: tree.self[n], base: tree.baseTotal?.[n] }))
      .sort((a, b) => b.total - a.total);
  }, [tree, kids, focus]);

  const command = format === "profile"
    ? `casefile flame ${shellWord(fileName)}${s.source ? ` --section ${shellWord(s.source)}` : ""}`
    : `casefile flame ${shellWord(fileName)}${filter ? ` --filter ${shellWord(filter)}` : ""}${range ? ` --from ${range.from} --to ${BigInt(range.to) + 1n}` : ""}`;

  return (
    <section ref={box} className="analysis flame" aria-label="flame graph" data-testid="flame-view">
      <div className="analysis-head">
        <p className="analysis-what">
          {format === "scap" ? (
            <>Where the time went: every call the filter keeps, by <strong>container → process → thread → call → file or connection</strong>, each as wide as its summed <strong>evt.latency</strong>.</>
          ) : (
            <>The profile&apos;s stacks, root at the bottom, each frame as wide as its {unit === "ns" ? "time" : "samples"}.</>
          )}{" "}
          Click a frame to zoom; hover for its total and self.
        </p>
      </div>
      <FlameControls s={s} update={update} data={data} captureId={captureId} format={format} search={search} setSearch={setSearch} matches={matches} unit={unit} tree={tree} focus={focus} />
      <p className="hint command-hint">
        same stacks as <code data-testid="flame-command">{command}</code>
      </p>
      {failed ? (
        failed.status === 400 && failed.where === "filter" ? (
          <p className="muted analysis-message" data-testid="flame-error">No flame graph: {failed.message}</p>
        ) : (
          <Failure className="analysis-message" testId="flame-error" canRetry={!failed.final} onRetry={retry}>
            Could not build the flame graph: {failed.message}
          </Failure>
        )
      ) : !tree || !kids ? (
        <p className="muted analysis-message" data-testid="flame-loading">Summing the stacks…</p>
      ) : (
        <div className={current ? undefined : "stale"}>
          {tree.total[0] === 0 ? (
            <p className="muted analysis-message" data-testid="flame-empty">Nothing to draw: no {format === "scap" ? "call with a latency" : "stack"} matches.</p>
          ) : (
            <>
              {s.focus.length > 0 && (
                <nav className={styles.crumbs} data-testid="flame-crumbs">
                  <button type="button" className="link-button" onClick={() => update({ focus: [] })}>all</button>
                  {pathOf(tree, focus).map((f, i, all) => (
                    <span key={i}>
                      {" › "}
                      <button type="button" className="link-button" onClick={() => update({ focus: all.slice(0, i + 1) })}>{f}</button>
                    </span>
                  ))}
                </nav>
              )}
              {tree.baseTotal && <DiffLegend data={data!} tree={tree} unit={unit} />}
              <div className={styles.box}>
                {sw && swKids ? (
                  <div data-testid="flame-sandwich">
                    <p className={styles.sandwichTitle}>
                      <strong>{s.sandwich}</strong>: {value(sw.total, unit)} total, {value(sw.self, unit)} self.{" "}
                      Callers above, callees below.{" "}
                      <button type="button" className="link-button" onClick={() => update({ sandwich: "" })} data-testid="flame-sandwich-close">close the sandwich</button>
                    </p>
                    <FlameCanvas tree={sw.callers} kids={swKids.callers} width={width} order="flame" sort={s.sort} focus={0} rootLabel={s.sandwich} onHover={onHover(sw.callers)} onClick={() => {}} testId="flame-callers" />
                    <FlameCanvas tree={sw.callees} kids={swKids.callees} width={width} order="icicle" sort={s.sort} focus={0} rootLabel={s.sandwich} onHover={onHover(sw.callees)} onClick={() => {}} testId="flame-callees" />
                  </div>
                ) : (
                  <FlameCanvas
                    tree={tree}
                    kids={kids}
                    width={width}
                    order={s.order}
                    sort={s.sort}
                    focus={focus}
                    matched={matches?.matched}
                    onHover={onHover(tree)}
                    onClick={(node) => update({ focus: node === 0 ? [] : pathOf(tree, node) })}
                    testId="flame-canvas"
                  />
                )}
              </div>
              {hover && <Tooltip hover={hover} unit={unit} rootTotal={tree.total[0]} />}
              <FrameTable rows={rows} unit={unit} parentTotal={tree.total[focus]} label={format === "scap" ? SYSCALL_LEVELS[pathOf(tree, focus).length] ?? "frame" : "frame"} diff={!!tree.baseTotal}
                onZoom={(node) => update({ focus: pathOf(tree, node) })} onSandwich={(name) => update({ sandwich: name })}
                onEvents={onShowEvents && !tree.baseTotal ? (node) => onShowEvents(frameFilter(pathOf(tree, node), filter)) : undefined} />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function FlameControls({ s, update, data, captureId, format, search, setSearch, matches, unit, tree, focus }: {
  s: FlameState; update(p: Partial<FlameState>): void; data: FlameAnswer | undefined; captureId: string; format: "scap" | "profile";
  search: string; setSearch(v: string): void; matches: { value: number; share: number } | undefined; unit: "ns" | "samples"; tree: FlameTree | undefined; focus: number;
}) {
  const [others, setOthers] = useState<CaptureSummary[]>();
  const [comparing, setComparing] = useState(false);
  useEffect(() => {
    if (!comparing && !s.base) return;
    fetchCaptures().then((c) => setOthers(c.filter((x) => x.status === "ready")), () => setOthers([]));
  }, [comparing, s.base]);
  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    update({ search });
  };
  return (
    <div className={styles.controls}>
      {data && data.sections.length > 1 && (
        <label className="inline-control">
          section{" "}
          <select value={data.source} onChange={(e) => update({ source: e.target.value, focus: [], sandwich: "" })} data-testid="flame-source">
            {data.sections.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </label>
      )}
      <form className={styles.search} onSubmit={submitSearch} role="search">
        <input
          type="search"
          value={search}
          placeholder="search frames (text or /regex/)"
          aria-label="search frames"
          onChange={(e) => setSearch(e.target.value)}
          onBlur={() => search !== s.search && update({ search })}
          data-testid="flame-search"
        />
        {s.search && matches && tree && (
          <span className={styles.matched} data-testid="flame-matched">
            matched {pct(matches.share)} ({value(matches.value, unit)} of {value(tree.total[focus], unit)})
          </span>
        )}
      </form>
      <span className="segmented" role="group" aria-label="order">
        {(["flame", "icicle"] as FlameOrder[]).map((o) => (
          <button key={o} type="button" className={s.order === o ? "on" : undefined} aria-pressed={s.order === o} onClick={() => update({ order: o })} data-testid={`flame-order-${o}`}>
            {o}
          </button>
        ))}
      </span>
      <span className="segmented" role="group" aria-label="children order">
        {([["alpha", "a–z"], ["heavy", "left-heavy"]] as [FlameSort, string][]).map(([o, l]) => (
          <button key={o} type="button" className={s.sort === o ? "on" : undefined} aria-pressed={s.sort === o} onClick={() => update({ sort: o })} data-testid={`flame-sort-${o}`}>
            {l}
          </button>
        ))}
      </span>
      {s.base ? (
        <button type="button" className="button" onClick={() => update({ base: null })} data-testid="flame-diff-off">stop comparing</button>
      ) : (
        <button type="button" className="button" onClick={() => setComparing((c) => !c)} aria-expanded={comparing} data-testid="flame-compare">compare…</button>
      )}
      {(comparing || s.base) && (
        <CompareForm base={s.base} others={others ?? []} captureId={captureId} format={format}
          onBase={(b) => { setComparing(false); update({ base: b, focus: [], sandwich: "" }); }} />
      )}
    </div>
  );
}

function CompareForm({ base, others, captureId, format, onBase }: {
  base: FlameBase | null; others: CaptureSummary[]; captureId: string; format: "scap" | "profile"; onBase(b: FlameBase): void;
}) {
  const [id, setId] = useState(base?.id || "");
  const [filter, setFilter] = useState(base?.filter ?? "");
  const [from, setFrom] = useState(base?.from ?? "");
  const [to, setTo] = useState(base?.to ?? "");
  const other = others.find((o) => o.id === id);
  const sameCapture = !id || id === captureId;
  return (
    <form
      className={styles.compare}
      data-testid="flame-compare-form"
      onSubmit={(e) => {
        e.preventDefault();
        onBase({ id: sameCapture ? "" : id, source: "", filter: sameCapture ? filter : "", from: sameCapture ? from : "", to: sameCapture ? to : "" });
      }}
    >
      <span className="muted">before (base):</span>
      <select value={id} onChange={(e) => setId(e.target.value)} aria-label="base capture or profile" data-testid="flame-base">
        {format === "scap" && <option value="">this capture</option>}
        {others.filter((o) => o.id !== captureId || format === "scap").map((o) => (
          <option key={o.id} value={o.id}>{o.name} ({o.format})</option>
        ))}
      </select>
      {sameCapture && format === "scap" && (
        <>
          <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="its filter (default: this one)" aria-label="base filter" data-testid="flame-base-filter" />
          <input value={from} onChange={(e) => setFrom(e.target.value.replace(/\D/g, ""))} placeholder="from (ns)" aria-label="base range start" size={20} data-testid="flame-base-from" />
          <input value={to} onChange={(e) => setTo(e.target.value.replace(/\D/g, ""))} placeholder="to (ns)" aria-label="base range end" size={20} data-testid="flame-base-to" />
        </>
      )}
      {other && other.format !== format && <span className="warning">a {other.format} counts {other.format === "profile" ? "samples" : "time"}: the server compares like with like</span>}
      <button type="submit" className="button" data-testid="flame-compare-go">compare</button>
    </form>
  );
}

function DiffLegend({ data, tree, unit }: { data: FlameAnswer; tree: FlameTree; unit: "ns" | "samples" }) {
  return (
    <p className={styles.legend} data-testid="flame-legend">
      <span className={styles.swatch} style={{ background: "rgb(255,60,60)" }} /> grew{" "}
      <span className={styles.swatch} style={{ background: "rgb(60,60,255)" }} /> shrank{" "}
      <span className={styles.swatch} style={{ background: "rgb(250,250,250)", border: "1px solid #ccc" }} /> unchanged{" "}
      <span className="muted">
        — widths are the second (after: {value(tree.total[0], unit)}); colours the change from the base (before: {value(data.baseTotal ?? 0, unit)}, scaled to the same total), deepest colour the largest change.
      </span>
    </p>
  );
}

function Tooltip({ hover, unit, rootTotal }: { hover: { tree: FlameTree; node: number; x: number; y: number }; unit: "ns" | "samples"; rootTotal: number }) {
  const t = hover.tree;
  const n = hover.node;
  const name = n === 0 ? "all" : t.names[t.name[n]];
  const total = t.total[n];
  const base = t.baseTotal?.[n];
  return (
    <div className={styles.tooltip} role="tooltip" data-testid="flame-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
      <div className={styles.tooltipName}>{name}</div>
      <div>total <strong data-testid="flame-tooltip-total">{value(total, unit)}</strong> ({pct(t.total[0] > 0 ? total / t.total[0] : 0)} of {t === hover.tree && t.total[0] === rootTotal ? "all" : "this half"})</div>
      <div>self {value(t.self[n], unit)}</div>
      {base !== undefined && (
        <div>
          before {value(base, unit)}, change{" "}
          <strong className={total >= base ? styles.grew : styles.shrank}>{total >= base ? "+" : "−"}{value(Math.abs(total - base), unit)}</strong>
        </div>
      )}
    </div>
  );
}

function FrameTable({ rows, unit, parentTotal, label, diff, onZoom, onSandwich, onEvents }: {
  rows: { node: number; name: string; total: number; self: number; base?: number }[]; unit: "ns" | "samples"; parentTotal: number;
  label: string; diff: boolean; onZoom(node: number): void; onSandwich(name: string): void; onEvents?(node: number): void;
}) {
  return (
    <table className={`table ${styles.table}`} data-testid="flame-table">
      <thead>
        <tr>
          <th>{label}</th>
          <th className="num">total</th>
          <th className="num">self</th>
          <th className="num">share</th>
          {diff && <th className="num">before</th>}
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, 200).map((r) => (
          <tr key={r.node} data-testid="flame-row" data-name={r.name} data-total={r.total}>
            <td><code>{r.name}</code></td>
            <td className="num">{value(r.total, unit)}</td>
            <td className="num">{value(r.self, unit)}</td>
            <td className="num">{pct(parentTotal > 0 ? r.total / parentTotal : 0)}</td>
            {diff && <td className="num">{value(r.base ?? 0, unit)}</td>}
            <td>
              <button type="button" className="link-button" onClick={() => onZoom(r.node)} data-testid="flame-row-zoom">zoom</button>{" "}
              <button type="button" className="link-button" onClick={() => onSandwich(r.name)} data-testid="flame-row-sandwich">sandwich</button>
              {onEvents && (
                <>
                  {" "}
                  <button type="button" className="link-button" onClick={() => onEvents(r.node)} title="the events behind this frame, in the events view" data-testid="flame-row-events">events</button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
