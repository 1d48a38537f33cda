"use client";

// The capture page's investigation view: the filter bar, the events table and the state panel.
// The URL is the source of truth (`?filter=…&from=N&at=N&state=lsof`): a copied link reopens
// the same view. A new filter or starting point is a navigation (pushed: Back undoes it);
// selecting an event or a state tab only replaces the current history entry, like scrolling.

import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { EventsTable, type FilterStatus } from "../events-table/events-table";
import { FilterBar } from "../filter-bar/filter-bar";
import { StatePanel } from "../state/state-panel";
import { readView, viewHref, viewQuery, type CaptureView as View, type StateKind } from "../ui/view-url";
import type { EventRow } from "../../server/api/store-types";

interface Props {
  captureId: string;
  fileName: string;
  /** The table's filter and first event, as the server rendered the page with them. */
  filter: string;
  from: number;
}

export function CaptureView({ captureId, fileName, filter, from }: Props) {
  const router = useRouter();
  // Selection lives only in the URL; Next keeps useSearchParams in step with replaceState.
  const view = readView(useSearchParams());
  const { at, state } = view;
  const [status, setStatus] = useState<FilterStatus & { filter: string }>();
  const [selectedRow, setSelectedRow] = useState<EventRow>();

  const replace = useCallback((patch: Partial<View>) => {
    const url = new URL(window.location.href);
    const next = { ...readView(url.searchParams), ...patch };
    // null state lets Next record the new URL, so its router and back/forward stay in step.
    window.history.replaceState(null, "", `${url.pathname}${viewQuery(next, url.searchParams)}`);
  }, []);

  const select = useCallback((num: number | null) => replace({ at: num }), [replace]);
  const onKind = useCallback((k: StateKind) => replace({ state: k }), [replace]);
  const close = useCallback(() => replace({ at: null }), [replace]);

  const apply = (f: string) => {
    // A new filter starts from the first matching event; the selected event stays selected
    // (its state does not depend on the filter).
    router.push(viewHref(captureId, { filter: f, from: 0, at, state }), { scroll: true });
  };
  const jump = (n: number) => router.push(viewHref(captureId, { filter, from: n, at, state }));

  const onFilterStatus = useCallback((s: FilterStatus) => setStatus({ ...s, filter }), [filter]);
  // What the server said about another filter means nothing for this one.
  const current = status?.filter === filter ? status : undefined;

  return (
    <div className={at !== null ? "with-dock" : undefined}>
      <FilterBar applied={filter} error={current?.error} approximate={current?.approximate} replayed={current?.replayed} fileName={fileName} onApply={apply} />
      {/* A new filter or `from` is a new view: start it fresh rather than splice pages together. */}
      <EventsTable
        key={`${captureId}:${filter}:${from}`}
        captureId={captureId}
        from={from}
        filter={filter}
        selected={at}
        onSelect={select}
        onSelectedRow={setSelectedRow}
        onFilterStatus={onFilterStatus}
        onJump={jump}
      />
      {at !== null && (
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
