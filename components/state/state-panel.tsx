"use client";

// The state at the selected event: what sysdig's lsof, netstat and ps chisels print when run
// with `evt.num=N`, as a table (or, one click away, as the chisel's exact text). Answers are
// kept per (table, event), so stepping back and forth with j/k or switching tabs is instant;
// while a new answer loads, the old one stays on screen, dimmed and labelled with the event it
// belongs to, so the panel never shows one event's state under another's number.

import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import type { EventRow } from "../../server/api/store-types";
import { ApiRequestError, fetchState, type StateAnswer } from "../ui/api";
import { CopyButton } from "../ui/copy-button";
import { Failure, TableTextToggle } from "../ui/failure";
import { count } from "../ui/format";
import { STATE_KINDS, chiselCommand, type StateKind } from "../ui/view-url";
import { STATE_COLUMNS, STATE_NOUN } from "./state-columns";

interface Props {
  captureId: string;
  fileName: string;
  at: number;
  kind: StateKind;
  /** The selected event's row, when the table has it loaded. */
  event?: EventRow;
  onKind(kind: StateKind): void;
  onClose(): void;
}

interface Shown extends StateAnswer {
  kind: StateKind;
  at: number;
}

const CACHE_SIZE = 60;
/** Holding j down must not send a request per row it passes. */
const SETTLE_MS = 90;

export function StatePanel({ captureId, fileName, at, kind, event, onKind, onClose }: Props) {
  const cache = useRef(new Map<string, Shown>());
  const [shown, setShown] = useState<Shown>();
  const [failure, setFailure] = useState<{ kind: StateKind; at: number; message: string; final: boolean }>();
  const [attempt, setAttempt] = useState(0);
  const [asText, setAsText] = useState(false);
  const [find, setFind] = useState("");

  useEffect(() => {
    const key = `${kind}:${at}`;
    const hit = cache.current.get(key);
    if (hit) {
      setShown(hit);
      setFailure(undefined);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const answer = await fetchState(captureId, kind, at, ctl.signal);
        const s = { ...answer, kind, at };
        cache.current.set(key, s);
        if (cache.current.size > CACHE_SIZE) cache.current.delete(cache.current.keys().next().value!);
        setShown(s);
        setFailure(undefined);
      } catch (e) {
        if (ctl.signal.aborted) return;
        // A 4xx (no such event, say) will not change on a retry; a 5xx or a lost connection may.
        const final = e instanceof ApiRequestError && e.status >= 400 && e.status < 500;
        setFailure({ kind, at, message: e instanceof Error ? e.message : String(e), final });
      }
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [captureId, kind, at, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const current = shown && shown.kind === kind && shown.at === at;
  const failed = failure && failure.kind === kind && failure.at === at;
  // Another event's table of the same kind is still worth a look while this one loads.
  const stale = !current && !failed && shown && shown.kind === kind ? shown : undefined;
  const data = current ? shown : stale;
  const command = chiselCommand(fileName, kind, at);

  return (
    <aside className="state-dock" aria-label={`${kind} at evt.num ${at}`} data-testid="state-panel">
      <div className="dock-head">
        <div className="tabs" role="tablist" aria-label="state table">
          {STATE_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              className={`tab${k === kind ? " active" : ""}`}
              aria-selected={k === kind}
              aria-controls="state-body"
              data-testid={`state-tab-${k}`}
              onClick={() => onKind(k)}
            >
              {k}
            </button>
          ))}
        </div>
        <span className="dock-title">
          at evt.num <strong data-testid="state-at">{at}</strong>
          {event && (
            <span className="dock-event">
              {event.proc} ({event.tid}) {event.dir} {event.type}
            </span>
          )}
        </span>
        <span className="dock-tools">
          <input
            className="find-input"
            type="search"
            value={find}
            onChange={(e) => setFind(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                setFind("");
                e.currentTarget.blur();
              }
            }}
            placeholder="find in rows, e.g. curl or :80"
            aria-label="show only the rows containing this text"
            data-testid="state-find"
            spellCheck={false}
          />
          <span className="muted keys" aria-hidden="true">
            j/k move · Esc closes
          </span>
          <TableTextToggle asText={asText} onChange={setAsText} textTestId="state-as-text" />
          <button type="button" className="button close" onClick={onClose} aria-label="close the state panel (Esc)" title="close (Esc)">
            ×
          </button>
        </span>
      </div>
      <p className="hint command-hint">
        same as <code data-testid="state-command">{command}</code>
        <CopyButton text={command} />
      </p>
      <div id="state-body" className="dock-body" role="tabpanel" aria-busy={!current && !failed}>
        {failed ? (
          <Failure className="dock-message" testId="state-error" canRetry={!failure.final} onRetry={retry}>
            Could not get {kind} at evt.num {at}: {failure.message}
          </Failure>
        ) : !data ? (
          <p className="dock-message muted" data-testid="state-loading">
            Replaying the capture up to evt.num {at} for {kind}…
          </p>
        ) : (
          <StateBody kind={kind} at={at} data={data} stale={!!stale} asText={asText} find={find} tid={event?.tid} />
        )}
      </div>
    </aside>
  );
}

/** The caption and the rows (all, or those containing the find text). The rows and the text
 *  lines correspond one to one (line 0 is the chisel's header), so both views filter alike. */
function StateBody({ kind, at, data, stale, asText, find, tid }: {
  kind: StateKind; at: number; data: Shown; stale: boolean; asText: boolean; find: string;
  /** The selected event's thread: its rows are marked. */
  tid?: number;
}) {
  const needle = find.trim().toLowerCase();
  const picked = useMemo(() => {
    const all = data.rows.map((_, i) => i);
    if (!needle) return all;
    // The line has what the chisel shows (ps sizes as "5.84M", netstat's "tid/pid/name"); the
    // row has what the line cuts short (commands past 19 characters).
    return all.filter((i) => (data.lines[i + 1] ?? "").toLowerCase().includes(needle)
      || Object.values(data.rows[i]).some((v) => String(v).toLowerCase().includes(needle)));
  }, [data, needle]);
  const noun = STATE_NOUN[kind];
  const showThread = (e: MouseEvent<HTMLElement>) =>
    e.currentTarget.closest(".dock-body")?.querySelector("tr.event-thread")?.scrollIntoView({ block: "center" });
  return (
    <>
      <p className={`dock-caption${stale ? " stale" : ""}`} data-testid="state-caption">
        {stale ? (
          <>
            loading evt.num {at}… showing evt.num <strong>{data.at}</strong> until then
          </>
        ) : (
          <>
            {needle ? `${count(picked.length)} of ${count(data.rows.length)} ${noun} contain “${find.trim()}”` : `${count(data.rows.length)} ${noun}`} once
            evt.num <strong data-testid="state-shown-at">{data.at}</strong> has happened, in the chisel&apos;s order
            {tid !== undefined && data.rows.some((r) => r.tid === tid) && (
              <>
                {" · "}
                <button type="button" className="link-button thread-key" onClick={showThread} title="scroll to the first marked row">
                  the event&apos;s thread ({tid}) is marked
                </button>
              </>
            )}
          </>
        )}
      </p>
      <div className={stale ? "stale" : ""} data-testid={stale ? "state-stale" : "state-current"}>
        {asText ? (
          <pre className="state-text" data-testid="state-text">
            {(needle ? [data.lines[0], ...picked.map((i) => data.lines[i + 1])] : data.lines).join("\n")}
          </pre>
        ) : (
          <StateTable kind={kind} rows={needle ? picked.map((i) => data.rows[i]) : data.rows} tid={tid} empty={needle ? `No ${noun} contain “${find.trim()}”.` : undefined} />
        )}
      </div>
    </>
  );
}

function StateTable({ kind, rows, tid, empty }: { kind: StateKind; rows: StateAnswer["rows"]; tid?: number; empty?: string }) {
  const cols = STATE_COLUMNS[kind];
  if (rows.length === 0) return <p className="dock-message muted">{empty ?? `No ${STATE_NOUN[kind]} at this event.`}</p>;
  return (
    <table className="state-table" data-testid="state-table">
      <thead>
        <tr>
          {cols.map((c) => (
            <th key={c.key} className={c.numeric ? "num" : undefined} title={c.title}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className={tid !== undefined && r.tid === tid ? "event-thread" : undefined} title={tid !== undefined && r.tid === tid ? "the selected event's thread" : undefined}>
            {cols.map((c) => (
              <td key={c.key} className={c.numeric ? "num" : undefined}>
                {c.text ? c.text(r) : String(r[c.key] ?? "")}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
