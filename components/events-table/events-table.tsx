"use client";

// A capture's events, as `sysdig -r [FILTER]` lists them, loaded page by page as the reader
// scrolls. The address bar follows the first row on screen (`?from=N`), so a copied link reopens
// the same view. A row can be selected (click, Enter, j/k or the arrow keys); the page shows the
// state at the selected event.
//
// Every loaded row stays in the page (find-in-page, copying, and reading the whole answer keep
// working), so the cost of a new page must not grow with the rows already shown. Measured in
// Chromium's performance trace on a 2 M-event capture (bench/ui-profile.ts), one table of 500-row
// pages cost, per page, ~100 ms of React rendering every row again plus ~100 ms of style and
// layout, both growing with the rows above. So:
// - rows come in blocks of BLOCK, each block memoised (a new page renders its own rows only) and
//   added one per animation frame (the first with the page), so no task renders a whole page;
// - each block is its own fixed-layout <table> in a `content-visibility: auto` box: the browser
//   skips style, layout and paint of the blocks off screen. The columns line up because their
//   widths are set, not measured from the cells: from the widest value loaded so far, in `ch` of
//   the monospace font (columns.ts: widen), which is what the automatic layout gave, without the
//   browser walking every cell of every row to find it.
// The table's model is @tanstack/react-table's (columns.ts): its header groups, row model and
// cells (the column definitions' cell functions). Its Row objects are kept when a page is
// appended (appended-row-model.ts), and only then, so the blocks and rows are memoised on their
// Rows (row-blocks.tsx): a new page renders its own rows only, and other rows always render.

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent, type ReactElement } from "react";
import { FlexRender, useTable } from "@tanstack/react-table";
import type { EventRow } from "../../server/api/store-types";
import { ApiRequestError, fetchEvents } from "../ui/api";
import { count } from "../ui/format";
import { hasModifier, isTyping } from "../ui/keys";
import { readView, viewQuery } from "../ui/view-url";
import { HEADER_WIDTHS, columns, features, rowId, widen } from "./columns";
import { Columns, RowBlock } from "./row-blocks";

const PAGE = 500;
/** Rows rendered (and laid out) per frame while a page is being added. */
const BLOCK = 100;

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
  // The rows loaded, and how many of them are in the page: a page's first block comes with the
  // page (the reader is waiting for it), the rest a block per frame.
  const [loaded, setLoaded] = useState({ rows: [] as EventRow[], shown: 0 });
  const { rows, shown } = loaded;
  const [next, setNext] = useState<number | null>(from);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [badFilter, setBadFilter] = useState(false);
  const inFlight = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLDivElement>(null);
  const firstPage = useRef(true);
  // The column widths: the widest value of each column loaded so far, widened page by page.
  const [widths, setWidths] = useState(HEADER_WIDTHS);
  const caughtUp = shown >= rows.length;
  useEffect(() => {
    if (caughtUp) return;
    const frame = requestAnimationFrame(() => setLoaded((l) => ({ ...l, shown: Math.min(l.rows.length, l.shown + BLOCK) })));
    return () => cancelAnimationFrame(frame);
  }, [caughtUp, shown]);

  const loadMore = useCallback(async () => {
    if (inFlight.current || next === null) return;
    inFlight.current = true;
    setLoading(true);
    try {
      const page = await fetchEvents(captureId, next, PAGE, filter);
      setLoaded((l) => ({ rows: l.rows.concat(page.events), shown: l.shown + Math.min(BLOCK, page.events.length) }));
      setWidths((w) => widen(w, page.events));
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
    // Only once the rows already loaded are all in the page: the sentinel sits below them.
    if (!el || next === null || problem || !caughtUp) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: "800px" });
    io.observe(el);
    return () => io.disconnect();
  }, [loadMore, next, problem, caughtUp]);

  useFollowTopRow(table, captureId, shown > 0);

  // The row model changes when a page adds rows (`data` is a new array), not when a block is
  // added to the page.
  const model = useTable({ features, columns, data: rows, getRowId: rowId });
  const modelRows = model.getRowModel().rows;
  const leafColumns = model.getAllLeafColumns();
  const indexOf = useMemo(() => new Map(rows.map((r, i) => [r.num, i])), [rows]);

  useSelectionKeys(table, rows, indexOf, selected, onSelect);
  const selectedIndex = selected === null ? undefined : indexOf.get(selected);
  const selectedRow = selectedIndex === undefined ? undefined : rows[selectedIndex];
  useEffect(() => onSelectedRow?.(selectedRow), [onSelectedRow, selectedRow]);
  useKeepSelectionInView(table, selected, shown);

  const onRowClick = (e: MouseEvent<HTMLDivElement>) => {
    // A drag that selected text to copy is not a click on the row.
    if (!window.getSelection()?.isCollapsed) return;
    const tr = (e.target as HTMLElement).closest<HTMLTableRowElement>("tr[data-num]");
    if (tr) onSelect(Number(tr.dataset.num));
  };
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>) => {
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
  const blocks: ReactElement[] = [];
  for (let i = 0; i < shown; i += BLOCK) {
    const block = modelRows.slice(i, Math.min(i + BLOCK, shown));
    const holds = (num: number | null | undefined) => {
      const at = num == null ? undefined : indexOf.get(num);
      return at !== undefined && at >= i && at < i + block.length;
    };
    // Only the blocks that hold the selection or the tab stop see them: the others stay as they were.
    blocks.push(<RowBlock key={block[0].id} rows={block} columns={leafColumns} widths={widths} selected={holds(selected) ? selected : null} tabStop={holds(tabStop) ? tabStop! : null} />);
  }
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
      {/* One table to assistive technology; a header table and a table per block to the browser. */}
      <div className="events-table" data-testid="events-table" role="table" aria-label="events" ref={table} onClick={onRowClick} onKeyDown={onRowKey}>
        <table className="events-head" role="rowgroup">
          <Columns columns={leafColumns} widths={widths} />
          <thead>
            {model.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((h) => (
                  <th key={h.id} className={`col-${h.column.id}`}>
                    {h.isPlaceholder ? null : <FlexRender header={h} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
        </table>
        {blocks}
      </div>
      <div ref={sentinel} className="table-end">
        {badFilter ? (
          <p className="muted">No events: the server could not run this filter (see above).</p>
        ) : problem ? (
          <p className="error-text" role="alert">
            Could not load events: {problem}{" "}
            <button className="button" type="button" onClick={() => void loadMore()}>retry</button>
          </p>
        ) : next !== null || !caughtUp ? (
          <button className="button" type="button" onClick={() => void loadMore()} disabled={loading || !caughtUp}>
            {loading || !caughtUp ? "loading…" : "load more"}
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

/** The first row below the sticky header. Blocks and their rows are laid out top to bottom: the
 *  blocks are searched first, then the rows of one block (the position of a row inside a block
 *  off screen would make the browser lay that block out). */
function firstVisibleRow(table: HTMLElement): HTMLTableRowElement | undefined {
  const top = Math.max(table.querySelector("thead")?.getBoundingClientRect().bottom ?? 0, 0);
  const blocks = table.querySelectorAll<HTMLElement>(".events-block");
  const block = blocks[firstNotAbove(blocks.length, (i) => blocks[i].getBoundingClientRect().bottom <= top + 1)];
  const rows = block?.querySelector("tbody")?.rows;
  return rows?.[firstNotAbove(rows.length, (i) => rows[i].getBoundingClientRect().bottom <= top + 1)];
}

/** The first of n items laid out top to bottom for which `above` is false (the last if none). */
function firstNotAbove(n: number, above: (i: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (above(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** j / k and the arrow keys move the selection, Esc clears it. Arrows scroll the page as usual
 *  until something is selected. */
function useSelectionKeys(
  table: React.RefObject<HTMLDivElement | null>,
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
        const tr = table.current ? firstVisibleRow(table.current) : undefined;
        i = (tr && indexOf.get(Number(tr.dataset.num))) ?? 0;
      } else {
        i = Math.min(Math.max(at + (down ? 1 : -1), 0), rows.length - 1);
      }
      const num = rows[i].num;
      onSelect(num);
      table.current?.querySelector<HTMLElement>(`tr[data-num="${num}"]`)?.focus({ preventScroll: true });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [table, rows, indexOf, selected, onSelect]);
}

/** Brings a newly selected row on screen (once per selection, so that later pages loading do
 *  not pull the reader back to it): above the state panel, below the sticky header. */
function useKeepSelectionInView(table: React.RefObject<HTMLDivElement | null>, selected: number | null, rowCount: number) {
  const shownFor = useRef<number | null>(null);
  useEffect(() => {
    if (selected === null) {
      shownFor.current = null;
      return;
    }
    if (shownFor.current === selected) return;
    const tr = table.current?.querySelector<HTMLElement>(`tr[data-num="${selected}"]`);
    if (!tr) return;
    shownFor.current = selected;
    tr.scrollIntoView({ block: "nearest" });
  }, [table, selected, rowCount]);
}

/** Keeps `?from=` on the first row visible under the sticky header. The history entry is
 *  replaced, not pushed: scrolling is not navigation. */
function useFollowTopRow(table: React.RefObject<HTMLDivElement | null>, captureId: string, hasRows: boolean) {
  // Not renewed as rows are added (a block a frame while a page comes in): that would drop the
  // pending update of a scroll made meanwhile.
  useEffect(() => {
    if (!hasRows) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      const el = table.current;
      if (!el) return;
      const tr = firstVisibleRow(el);
      const num = tr?.dataset.num;
      if (!num) return;
      const url = new URL(window.location.href);
      const want = tr === el.querySelector("tbody tr") && window.scrollY === 0 ? url.searchParams.get("from") : num;
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
  }, [table, captureId, hasRows]);
}
