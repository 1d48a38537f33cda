"use client";

// A capture's events, as `sysdig -r` lists them, loaded page by page as the reader scrolls.
// The address bar follows the first row on screen (`?from=N`), so a copied link reopens the
// same view.

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTable } from "@tanstack/react-table";
import type { EventRow } from "../../server/api/store-types";
import { fetchEvents } from "../ui/api";
import { count } from "../ui/format";
import { columns, features } from "./columns";

const PAGE = 500;

interface Props {
  captureId: string;
  from: number;
}

export function EventsTable({ captureId, from }: Props) {
  const router = useRouter();
  const [rows, setRows] = useState<EventRow[]>([]);
  const [next, setNext] = useState<number | null>(from);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string>();
  const inFlight = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);

  const loadMore = useCallback(async () => {
    if (inFlight.current || next === null) return;
    inFlight.current = true;
    setLoading(true);
    try {
      const page = await fetchEvents(captureId, next, PAGE);
      setRows((r) => r.concat(page.events));
      setNext(page.next);
      setProblem(undefined);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [captureId, next]);

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

  const jump = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const n = Number(new FormData(e.currentTarget).get("num"));
    if (Number.isSafeInteger(n) && n >= 0) router.push(`/captures/${captureId}?from=${n}`);
  };

  const first = rows[0]?.num;
  const last = rows[rows.length - 1]?.num;
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
          <button className="button" type="button" onClick={() => router.push(`/captures/${captureId}`)}>
            back to the first event
          </button>
        )}
        <span className="muted" data-testid="events-range">
          {rows.length === 0 ? (loading ? "loading…" : "") : `showing evt.num ${count(first)}–${count(last)} (${count(rows.length)} rows${next === null ? "" : ", more below"})`}
        </span>
      </div>
      <table className="events-table" data-testid="events-table">
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
        <tbody ref={body}>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-num={row.original.num} className={row.original.dir === ">" ? "enter" : "exit"}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={`col-${cell.column.id}`}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div ref={sentinel} className="table-end">
        {problem ? (
          <p className="error-text" role="alert">
            Could not load events: {problem}{" "}
            <button className="button" type="button" onClick={() => void loadMore()}>retry</button>
          </p>
        ) : next !== null ? (
          <button className="button" type="button" onClick={() => void loadMore()} disabled={loading}>
            {loading ? "loading…" : "load more"}
          </button>
        ) : rows.length === 0 ? (
          <p className="muted">No events at or after evt.num {count(from)}.</p>
        ) : (
          <p className="muted">End of capture.</p>
        )}
      </div>
    </div>
  );
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
      // The header cells are sticky, not the thead, so they tell where the visible rows begin.
      const head = tbody.parentElement?.querySelector("thead th")?.getBoundingClientRect().bottom ?? 0;
      const top = Math.max(head, 0);
      const rows = tbody.rows;
      // Binary search: rows are laid out top to bottom.
      let lo = 0;
      let hi = rows.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid].getBoundingClientRect().bottom <= top + 1) lo = mid + 1;
        else hi = mid;
      }
      const num = rows[lo]?.dataset.num;
      if (!num) return;
      const url = new URL(window.location.href);
      const want = lo === 0 && window.scrollY === 0 ? url.searchParams.get("from") : num;
      if (want && url.searchParams.get("from") !== want) {
        url.searchParams.set("from", want);
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
