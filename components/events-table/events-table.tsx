"use client";

// A capture's events, as `sysdig -r [FILTER]` lists them, loaded page by page as the reader
// scrolls. The address bar follows the first row on screen (`?from=N`), so a copied link reopens
// the same view. A row can be selected (click, Enter, j/k or the arrow keys); the page shows the
// state at the selected event.

import { memo, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from "react";
import { FlexRender, useTable, type Row } from "@tanstack/react-table";
import type { EventRow } from "../../server/api/store-types";
import { ApiRequestError, fetchEvents } from "../ui/api";
import { count } from "../ui/format";
import { hasModifier, isTyping } from "../ui/keys";
import { readView, viewQuery } from "../ui/view-url";
import { columns, features } from "./columns";

const PAGE = 500;

export interface FilterStatus {
  /** The server's refusal of the filter (a 400 on `filter`). */
  error?: string;
  approximate?: string[];
  replayed?: boolean;
}

interface Props {
  captureId: string;
  from: number;
  filter: string;
  /** The selected evt.num, or null. */
  selected: number | null;
  onSelect(num: number | null): void;
  /** The selected event's row, once the table has it (for the state panel's title). */
  onSelectedRow?(row: EventRow | undefined): void;
  /** Called once the first page answers (or is refused) with what the server said of the filter. */
  onFilterStatus(s: FilterStatus): void;
  /** Starts the table at another event (a navigation: the URL's `from`). */
  onJump(from: number): void;
}

export function EventsTable({ captureId, from, filter, selected, onSelect, onSelectedRow, onFilterStatus, onJump }: Props) {
  const [rows, setRows] = useState<EventRow[]>([]);
  const [next, setNext] = useState<number | null>(from);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [badFilter, setBadFilter] = useState(false);
  const inFlight = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const firstPage = useRef(true);

  const loadMore = useCallback(async () => {
    if (inFlight.current || next === null) return;
    inFlight.current = true;
    setLoading(true);
    try {
      const page = await fetchEvents(captureId, next, PAGE, filter);
      setRows((r) => r.concat(page.events));
      setNext(page.next);
      setProblem(undefined);
      if (firstPage.current) onFilterStatus({ approximate: page.approximate, replayed: page.replayed });
      firstPage.current = false;
    } catch (e) {
      if (e instanceof ApiRequestError && e.status === 400 && e.where === "filter") {
        // Not something a retry mends: the filter bar shows it, where the filter can be fixed.
        setBadFilter(true);
        setNext(null);
        onFilterStatus({ error: e.message });
      } else {
        setProblem(e instanceof Error ? e.message : String(e));
      }
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [captureId, next, filter, onFilterStatus]);

  // The first page, and every page after it while the bottom of the table is near the screen.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || next === null || problem) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: "800px" });
    io.observe(el);
    return () => io.disconnect();
  }, [loadMore, next, problem]);

  useFollowTopRow(body, captureId, rows.length);

  const table = useTable({ features, columns, data: rows, getRowId: (r: EventRow) => String(r.num) });
  const modelRows = table.getRowModel().rows;
  const indexOf = useMemo(() => new Map(rows.map((r, i) => [r.num, i])), [rows]);

  useSelectionKeys(body, rows, indexOf, selected, onSelect);
  const selectedIndex = selected === null ? undefined : indexOf.get(selected);
  const selectedRow = selectedIndex === undefined ? undefined : rows[selectedIndex];
  useEffect(() => onSelectedRow?.(selectedRow), [onSelectedRow, selectedRow]);
  useKeepSelectionInView(body, selected, rows.length);

  const onRowClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    // A drag that selected text to copy is not a click on the row.
    if (!window.getSelection()?.isCollapsed) return;
    const tr = (e.target as HTMLElement).closest<HTMLTableRowElement>("tr[data-num]");
    if (tr) onSelect(Number(tr.dataset.num));
  };
  const onRowKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const tr = (e.target as HTMLElement).closest<HTMLTableRowElement>("tr[data-num]");
    if (!tr) return;
    e.preventDefault();
    onSelect(Number(tr.dataset.num));
  };

  const jump = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const n = Number(new FormData(e.currentTarget).get("num"));
    if (Number.isSafeInteger(n) && n >= 0) onJump(n);
  };

  const first = rows[0]?.num;
  const last = rows[rows.length - 1]?.num;
  // Keyboard users reach the table through one row: the selected one, or the first.
  const tabStop = selected !== null && indexOf.has(selected) ? selected : first;
  return (
    <div className="events">
      <div className="toolbar">
        <form onSubmit={jump} className="jump">
          <label>
            go to evt.num <input name="num" type="number" min={0} defaultValue={from || ""} inputMode="numeric" />
          </label>
          <button className="button" type="submit">go</button>
        </form>
        {from > 1 && (
          <button className="button" type="button" onClick={() => onJump(0)}>
            back to the first event
          </button>
        )}
        <span className="count-line">
          <span className="muted" data-testid="events-range">
            {rows.length === 0
              ? loading
                ? "loading…"
                : ""
              : `showing evt.num ${count(first)}–${count(last)} (${count(rows.length)} rows${next === null ? "" : ", more below"})`}
          </span>{" "}
          <span className="muted" data-testid="events-filter">
            {filter ? (
              <>
                {rows.length === 0 && !loading ? "filter " : "matching "}
                <code className="applied-filter">{filter}</code>
              </>
            ) : (
              `${rows.length ? "· " : ""}no filter: every event`
            )}
          </span>
        </span>
      </div>
      <table className="events-table" data-testid="events-table" aria-label="events">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => (
                <th key={h.id} className={`col-${h.column.id}`}>
                  {h.isPlaceholder ? null : <table.FlexRender header={h} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody ref={body} onClick={onRowClick} onKeyDown={onRowKey}>
          {modelRows.map((row) => (
            <EventTr
              key={row.id}
              row={row}
              selected={row.original.num === selected}
              tabStop={row.original.num === tabStop}
            />
          ))}
        </tbody>
      </table>
      <div ref={sentinel} className="table-end">
        {badFilter ? (
          <p className="muted">No events: the server could not run this filter (see above).</p>
        ) : problem ? (
          <p className="error-text" role="alert">
            Could not load events: {problem}{" "}
            <button className="button" type="button" onClick={() => void loadMore()}>retry</button>
          </p>
        ) : next !== null ? (
          <button className="button" type="button" onClick={() => void loadMore()} disabled={loading}>
            {loading ? "loading…" : "load more"}
          </button>
        ) : rows.length === 0 ? (
          <p className="muted" data-testid="events-none">
            {filter ? "No events match this filter" : "No events"}
            {from > 1 ? ` at or after evt.num ${count(from)}.` : "."}
          </p>
        ) : (
          <p className="muted">{filter ? "End of capture: no more matching events." : "End of capture."}</p>
        )}
      </div>
    </div>
  );
}

/** One row. Memoised: moving the selection re-renders two rows, not thousands. */
const EventTr = memo(function EventTr({ row, selected, tabStop }: { row: Row<typeof features, EventRow>; selected: boolean; tabStop: boolean }) {
  const e = row.original;
  return (
    <tr
      data-num={e.num}
      className={`${e.dir === ">" ? "enter" : "exit"}${selected ? " selected" : ""}`}
      aria-selected={selected}
      tabIndex={tabStop ? 0 : -1}
    >
      {row.getAllCells().map((cell) => (
        <td key={cell.id} className={`col-${cell.column.id}`}>
          <FlexRender cell={cell} />
        </td>
      ))}
    </tr>
  );
});

/** The index of the first row below the sticky header (rows are laid out top to bottom). */
function firstVisibleRow(tbody: HTMLTableSectionElement): number {
  // The header cells are sticky, not the thead, so they tell where the visible rows begin.
  const head = tbody.parentElement?.querySelector("thead th")?.getBoundingClientRect().bottom ?? 0;
  const top = Math.max(head, 0);
  const rows = tbody.rows;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].getBoundingClientRect().bottom <= top + 1) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** j / k and the arrow keys move the selection, Esc clears it. Arrows scroll the page as usual
 *  until something is selected. */
function useSelectionKeys(
  body: React.RefObject<HTMLTableSectionElement | null>,
  rows: EventRow[],
  indexOf: Map<number, number>,
  selected: number | null,
  onSelect: (num: number | null) => void,
) {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (hasModifier(e) || isTyping(e.target) || e.defaultPrevented) return;
      if (e.key === "Escape") {
        if (selected !== null) {
          e.preventDefault();
          onSelect(null);
        }
        return;
      }
      const down = e.key === "j" || e.key === "ArrowDown";
      const up = e.key === "k" || e.key === "ArrowUp";
      if ((!down && !up) || rows.length === 0) return;
      if (selected === null && (e.key === "ArrowDown" || e.key === "ArrowUp")) return;
      e.preventDefault();
      const at = selected === null ? undefined : indexOf.get(selected);
      let i: number;
      if (at === undefined) {
        // Nothing selected among these rows: start from the first one on screen.
        i = body.current ? firstVisibleRow(body.current) : 0;
      } else {
        i = Math.min(Math.max(at + (down ? 1 : -1), 0), rows.length - 1);
      }
      const num = rows[i].num;
      onSelect(num);
      body.current?.querySelector<HTMLElement>(`tr[data-num="${num}"]`)?.focus({ preventScroll: true });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [body, rows, indexOf, selected, onSelect]);
}

/** Brings a newly selected row on screen (once per selection, so that later pages loading do
 *  not pull the reader back to it): above the state panel, below the sticky header. */
function useKeepSelectionInView(body: React.RefObject<HTMLTableSectionElement | null>, selected: number | null, rowCount: number) {
  const shownFor = useRef<number | null>(null);
  useEffect(() => {
    if (selected === null) {
      shownFor.current = null;
      return;
    }
    if (shownFor.current === selected) return;
    const tr = body.current?.querySelector<HTMLElement>(`tr[data-num="${selected}"]`);
    if (!tr) return;
    shownFor.current = selected;
    tr.scrollIntoView({ block: "nearest" });
  }, [body, selected, rowCount]);
}

/** Keeps `?from=` on the first row visible under the sticky header. The history entry is
 *  replaced, not pushed: scrolling is not navigation. */
function useFollowTopRow(body: React.RefObject<HTMLTableSectionElement | null>, captureId: string, rowCount: number) {
  useEffect(() => {
    if (rowCount === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      const tbody = body.current;
      if (!tbody) return;
      const lo = firstVisibleRow(tbody);
      const num = tbody.rows[lo]?.dataset.num;
      if (!num) return;
      const url = new URL(window.location.href);
      const want = lo === 0 && window.scrollY === 0 ? url.searchParams.get("from") : num;
      if (want && url.searchParams.get("from") !== want) {
        url.search = viewQuery({ ...readView(url.searchParams), from: Number(want) }, url.searchParams);
        // null state lets Next record the new URL, so its router and back/forward stay in step.
        window.history.replaceState(null, "", url);
      }
    };
    const onScroll = () => {
      clearTimeout(timer);
      timer = setTimeout(update, 200);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener("scroll", onScroll);
    };
  }, [body, captureId, rowCount]);
}
