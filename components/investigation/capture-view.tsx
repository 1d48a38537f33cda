"use client";

// The capture page's investigation view: the filter bar over four views of the events it keeps
// (the events themselves with the state panel, a latency spectrogram, the time gaps, a chisel's
// summary). The URL is the source of truth (`?filter=…&view=gaps&min=500ms`,
// `?filter=…&from=N&at=N&state=lsof`): a copied link reopens the same view. A new filter, view,
// range or starting point is a navigation (pushed: Back undoes it); selecting an event, a gap or
// a state tab only replaces the current history entry, like scrolling. Navigations stay in the
// browser (history.pushState, which Next's router follows): the server's part of the page
// depends on the capture alone, and a round trip for it delayed every brush of the timeline
// before the views could ask for their data.

import { useSearchParams } from "next/navigation";
import { startTransition, useCallback, useEffect, useState } from "react";
import { SummaryView } from "../chisels/summary-view";
import { EventsTable, type FilterStatus } from "../events-table/events-table";
import { FilterBar } from "../filter-bar/filter-bar";
import { FlameView } from "../flame/flame-view";
import { SpectrogramView } from "../spectrogram/spectrogram-view";
import { StatePanel } from "../state/state-panel";
import { GapsView } from "../timeline/gaps-view";
import { Timeline } from "../timeline/timeline";
import { InvestigationPanel } from "./investigation-panel";
import { OverviewView } from "../overview/overview-view";
import { tileFilter, withinFilter } from "../../server/core/analyses/overview-tiles";
import { hasModifier, isTyping } from "../ui/keys";
import { GoToPrompt } from "../ui/shortcuts";
import { VIEW_KINDS, rangeFilter, readView, viewHref, viewQuery, type CaptureView as View, type StateKind, type ViewKind } from "../ui/view-url";
import type { EventRow } from "../../server/api/store-types";

interface Props {
  captureId: string;
  fileName: string;
  /** The table's filter and first event, as the server rendered the page with them. */
  filter: string;
  from: number;
  /** The capture's span (ns strings), for the time axes. */
  firstTs: string | null;
  lastTs: string | null;
  /** Opened through a share link: read-only, with the link's investigation (or none). */
  shared?: { investigation: string | null };
}

const VIEW_LABELS: Record<ViewKind, { label: string; title: string }> = {
  overview: { label: "overview", title: "the capture at a glance: processes, errors, bytes, connections, forks, slow I/O, each over time; click a tile for the events behind it" },
  events: { label: "events", title: "the events, as sysdig -r lists them, and the state at any of them" },
  spectrogram: { label: "spectrogram", title: "calls by time and latency" },
  gaps: { label: "gaps", title: "silences between the events the filter keeps, and what ran in them" },
  chisel: { label: "summary", title: "a sysdig chisel's table: top processes, files, connections, system calls…" },
  flame: { label: "flame graph", title: "where the time went: syscall time by process, thread, call and file or connection, with search, zoom and differential" },
};

export function CaptureView({ captureId, fileName, filter: firstFilter, from: firstFrom, firstTs, lastTs, shared }: Props) {
  // The table's filter and first event: the server's, then each navigation's. Not read from the
  // URL at every render: scrolling the table rewrites `from` there, which must not restart it.
  const [nav, setNav] = useState({ filter: firstFilter, from: firstFrom });
  const { filter, from } = nav;
  useEffect(() => {
    // Back and Forward: the entry's own view.
    const onPop = () => {
      const v = readView(new URL(window.location.href).searchParams);
      setNav({ filter: v.filter, from: v.from });
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  // Selection lives only in the URL; Next keeps useSearchParams in step with replaceState.
  const current = readView(useSearchParams());
  const { at, state, view } = current;
  const [status, setStatus] = useState<FilterStatus & { filter: string; view: ViewKind }>();
  const [selectedRow, setSelectedRow] = useState<EventRow>();
  // A shared investigation is what the colleague was sent to read: open from the start.
  const [notesOpen, setNotesOpen] = useState(shared?.investigation != null);
  // `i` opens and closes the investigation panel (the `?` list names every key).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "i" || hasModifier(e) || isTyping(e.target) || e.defaultPrevented) return;
      e.preventDefault();
      setNotesOpen((o) => !o);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const replace = useCallback((patch: Partial<View>) => {
    const url = new URL(window.location.href);
    const next = { ...readView(url.searchParams), ...patch };
    // null state lets Next record the new URL, so its router and back/forward stay in step.
    window.history.replaceState(null, "", `${url.pathname}${viewQuery(next, url.searchParams)}`);
  }, []);
  /** A new view: pushed, so that Back returns to this one. */
  const go = (patch: Partial<View>) => {
    const next = { ...current, filter, ...patch };
    // null state lets Next record the new URL, so its router, useSearchParams and back/forward
    // stay in step.
    window.history.pushState(null, "", viewHref(captureId, next));
    // In a transition, as Next applies the new URL: both render together, so that no render
    // sees the new filter with the old range (a table started and thrown away).
    startTransition(() => setNav({ filter: next.filter, from: next.from }));
    // A new view starts at the top of the page, as a navigation does.
    if (window.scrollY > 0) window.scrollTo(0, 0);
  };

  const select = useCallback((num: number | null) => replace({ at: num }), [replace]);
  const onKind = useCallback((k: StateKind) => replace({ state: k }), [replace]);
  const close = useCallback(() => replace({ at: null }), [replace]);
  const selectGap = useCallback((num: number | null) => replace({ gap: num }), [replace]);

  // A new filter starts the table from the first matching event; the selected event stays
  // selected (its state does not depend on the filter); a selected gap belonged to the old one.
  const apply = (f: string) => go({ filter: f, from: 0, gap: null });
  const jump = (n: number) => go({ from: n });
  /** The events view, with the filter, at this event and with its state open. */
  const openEvent = (num: number) => go({ view: "events", from: num, at: num });

  const onFilterStatus = useCallback((s: FilterStatus) => setStatus({ ...s, filter, view }), [filter, view]);
  // What the server said about another filter (or for another view) means nothing here.
  const shownStatus = status?.filter === filter && status.view === view ? status : undefined;
  const docked = view === "events" && at !== null;
  // What every view runs: the filter, and the timeline's range as evt.rawtime bounds.
  const shownFilter = rangeFilter(filter, current.range);

  return (
    <div className={[docked ? "with-dock" : "", notesOpen ? "with-notes" : ""].join(" ").trim() || undefined}>
      <FilterBar
        applied={filter}
        error={shownStatus?.error}
        approximate={shownStatus?.approximate}
        replayed={shownStatus?.replayed}
        fileName={fileName}
        showCommand={view === "events"}
        commandFilter={shownFilter}
        onApply={apply}
      />
      <Timeline
        captureId={captureId}
        filter={filter}
        range={current.range}
        firstTs={firstTs}
        lastTs={lastTs}
        minGap={current.min}
        onRange={(range) => go({ range, from: 0, gap: null })}
        onPick={openEvent}
      />
      <nav className="view-tabs" role="tablist" aria-label="investigation view">
        {VIEW_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            className={`tab${k === view ? " active" : ""}`}
            aria-selected={k === view}
            title={VIEW_LABELS[k].title}
            data-testid={`view-tab-${k}`}
            onClick={() => k !== view && go({ view: k })}
          >
            {VIEW_LABELS[k].label}
          </button>
        ))}
        {shownFilter && view !== "events" && (
          <span className="view-tabs-note muted">
            of the events matching <code className="applied-filter">{shownFilter}</code>
          </span>
        )}
        <button
          type="button"
          className={`tab notes-toggle${notesOpen ? " active" : ""}`}
          aria-pressed={notesOpen}
          onClick={() => setNotesOpen((o) => !o)}
          title="notes, pinned events and share links"
          data-testid="investigation-toggle"
        >
          {shared ? "shared notes" : "investigation · share"}
        </button>
      </nav>
      {view === "events" && (
        /* A new filter or `from` is a new view: start it fresh rather than splice pages together. */
        <EventsTable
          key={`${captureId}:${shownFilter}:${from}`}
          captureId={captureId}
          from={from}
          filter={shownFilter}
          selected={at}
          onSelect={select}
          onSelectedRow={setSelectedRow}
          onFilterStatus={onFilterStatus}
          onJump={jump}
        />
      )}
      {view === "spectrogram" && (
        <SpectrogramView
          captureId={captureId}
          fileName={fileName}
          filter={filter}
          range={current.range}
          bins={current.bins}
          onBins={(bins) => go({ bins })}
          onPick={openEvent}
          onFilter={apply}
          onFilterStatus={onFilterStatus}
        />
      )}
      {view === "gaps" && (
        <GapsView
          captureId={captureId}
          fileName={fileName}
          filter={shownFilter}
          min={current.min}
          gap={current.gap}
          firstTs={firstTs}
          lastTs={lastTs}
          onMin={(min) => go({ min })}
          onGap={selectGap}
          onShowGap={(prevNum, num) => go({ view: "events", filter: `evt.num>=${prevNum} and evt.num<=${num}`, from: prevNum, at: prevNum })}
          onOpenEvent={openEvent}
          onFilterStatus={onFilterStatus}
        />
      )}
      {view === "chisel" && (
        <SummaryView
          captureId={captureId}
          fileName={fileName}
          filter={shownFilter}
          chisel={current.chisel}
          arg={current.arg}
          onChisel={(chisel, arg) => go({ chisel, arg })}
          onOpenEvent={openEvent}
          onFilterStatus={onFilterStatus}
        />
      )}
      {view === "flame" && (
        <FlameView captureId={captureId} fileName={fileName} format="scap" filter={filter} range={current.range} onFilterStatus={onFilterStatus}
          onShowEvents={(f) => go({ view: "events", filter: f, from: 0, gap: null })} />
      )}
      {view === "overview" && (
        <OverviewView
          captureId={captureId}
          filter={shownFilter}
          onOpen={(tile) => go({
            view: tile.open.view,
            filter: withinFilter(filter, tile.open.filter ?? tileFilter(tile)),
            chisel: tile.open.chisel ?? current.chisel,
            arg: tile.open.arg ?? "",
            from: 0,
            at: null,
            gap: null,
          })}
          onFilterStatus={onFilterStatus}
        />
      )}
      <GoToPrompt onGo={openEvent} />
      {notesOpen && (
        <InvestigationPanel captureId={captureId} at={at} onOpenEvent={openEvent} shared={shared} onClose={() => setNotesOpen(false)} />
      )}
      {docked && (
        <StatePanel
          captureId={captureId}
          fileName={fileName}
          at={at}
          kind={state}
          event={selectedRow?.num === at ? selectedRow : undefined}
          onKind={onKind}
          onClose={close}
        />
      )}
    </div>
  );
}
