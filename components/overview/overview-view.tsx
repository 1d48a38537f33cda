"use client";

// The overview of a capture, as sysdig Inspect opens one: a tile per question an investigation
// starts with, its number over the events the filter (and the timeline's range) keeps, a
// sparkline of it over time, and a click that opens the view and filter behind it (errors → the
// events with evt.failed=true). The tiles and their filters: server/core/analyses/overview-tiles.ts.

import { useCallback } from "react";
import type { FilterStatus } from "../events-table/events-table";
import { isDistinctMeasure, OVERVIEW_TILES, tileFilter, withinFilter, type Overview, type OverviewTile } from "../../server/core/analyses/overview-tiles";
import { apiCall } from "../ui/api";
import { Failure } from "../ui/failure";
import { bytes, count, durationNs } from "../ui/format";
import { useAnalysis } from "../ui/use-analysis";

const BUCKETS = 60;

interface Props {
  captureId: string;
  /** What the view counts within: the user's filter and the timeline's range. */
  filter: string;
  onOpen(tile: OverviewTile): void;
  onFilterStatus(s: FilterStatus): void;
}

async function fetchOverview(id: string, filter: string, signal: AbortSignal): Promise<Overview> {
  const q = new URLSearchParams({ buckets: String(BUCKETS) });
  if (filter) q.set("filter", filter);
  return apiCall<Overview>(`/api/captures/${encodeURIComponent(id)}/overview?${q}`, { signal });
}

export function OverviewView({ captureId, filter, onOpen, onFilterStatus }: Props) {
  const fetcher = useCallback((signal: AbortSignal) => fetchOverview(captureId, filter, signal), [captureId, filter]);
  const { data, current, failed, retry } = useAnalysis(`${captureId}\n${filter}`, fetcher, onFilterStatus);

  if (failed) {
    return (
      <Failure className="analysis-message" testId="overview-error" canRetry={!failed.final} onRetry={retry}>
        {failed.message}
      </Failure>
    );
  }
  if (!data) return <p className="analysis-message muted" data-testid="overview-loading">counting…</p>;
  const byKey = new Map(data.tiles.map((t) => [t.key, t]));
  return (
    <section className={`overview${current ? "" : " stale"}`} data-testid="overview" aria-busy={!current}>
      <p className="analysis-caption muted">
        Each tile is a sysdig filter{filter ? " within yours" : ""}: click one to open the events (or the summary) behind it.
        Sparklines: {data.buckets} steps of {durationNs(data.binNs)}.
        {data.approximate.length > 0 && <> fd.type is read from the ingest&apos;s fd columns.</>}
      </p>
      <div className="overview-grid">
        {OVERVIEW_TILES.map((tile) => {
          const t = byKey.get(tile.key);
          if (!t) return null;
          // A tile this capture cannot answer (ingested before it existed) says so, not 0.
          const shown = t.unanswered ? "—" : tile.measure === "bytes" ? bytes(t.total) : count(t.total);
          const f = withinFilter(filter, tile.open.filter ?? tileFilter(tile));
          return (
            <button
              key={tile.key}
              type="button"
              className={`overview-tile${t.total === 0 ? " zero" : ""}`}
              onClick={() => onOpen(tile)}
              title={`${tile.title}\n${f || "every event"}\nclick: ${tile.open.view === "chisel" ? `the ${tile.open.chisel} summary` : "the events"}${t.unanswered ? `\n${t.unanswered}` : ""}`}
              data-testid={`tile-${tile.key}`}
            >
              <span className="tile-label">{tile.label}</span>
              <span className="tile-value" data-testid={`tile-${tile.key}-value`} data-value={t.total}>
                {shown}
              </span>
              {isDistinctMeasure(tile.measure) ? (
                <span className="tile-spark muted">{t.series.filter((v) => v > 0).length} of {data.buckets} steps active</span>
              ) : (
                <Sparkline series={t.series} />
              )}
              <code className="tile-filter">{tile.open.filter ?? (tileFilter(tile) || "all events")}</code>
            </button>
          );
        })}
      </div>
    </section>
  );
}

/** Bars, one per bucket, scaled to the tile's own largest (SVG: colours from the theme's CSS). */
function Sparkline({ series }: { series: number[] }) {
  const max = Math.max(1, ...series);
  const w = 180;
  const h = 28;
  const bw = w / series.length;
  return (
    <svg className="tile-spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true">
      <line x1={0} x2={w} y1={h - 0.5} y2={h - 0.5} className="spark-base" />
      {series.map((v, i) =>
        v > 0 ? <rect key={i} x={i * bw} width={Math.max(1, bw - 0.5)} y={h - 1 - Math.max(1, (v / max) * (h - 2))} height={Math.max(1, (v / max) * (h - 2))} className="spark-bar" /> : null,
      )}
    </svg>
  );
}
