"use client";

// The captures in the store, newest first.

import Link from "next/link";
import type { CaptureSummary } from "../../server/api/store-types";
import { bytes, count, dateTimeUtc, duration } from "../ui/format";
import type { IngestMessage } from "../upload/upload-panel";

interface Props {
  captures: CaptureSummary[];
  /** The latest ingest progress per capture id, for captures still being read. */
  progress: Record<string, IngestMessage>;
  onDelete(c: CaptureSummary): void;
}

export function CapturesList({ captures, progress, onDelete }: Props) {
  if (captures.length === 0) {
    return (
      <p className="empty" data-testid="captures-empty">
        No captures yet. Add one above: any file written by <code>sysdig -w</code> or Falco.
      </p>
    );
  }
  return (
    <table className="captures" data-testid="captures">
      <thead>
        <tr>
          <th>name</th>
          <th className="num">events</th>
          <th>first event (UTC)</th>
          <th>last event (UTC)</th>
          <th className="num">span</th>
          <th className="num">size</th>
          <th>status</th>
          <th aria-label="actions" />
        </tr>
      </thead>
      <tbody>
        {captures.map((c) => {
          const openable = c.status === "ready";
          return (
            <tr key={c.id} data-capture-id={c.id} className={`status-${c.status}`}>
              <td className="name">
                {openable ? <Link href={`/captures/${c.id}`}>{c.name}</Link> : c.name}
                {c.error && <div className={c.status === "error" ? "error-text" : "warning"}>{c.error}</div>}
              </td>
              <td className="num" data-testid="capture-events">{count(c.events)}</td>
              <td className="time">{dateTimeUtc(c.firstTs)}</td>
              <td className="time">{dateTimeUtc(c.lastTs)}</td>
              <td className="num">{duration(c.firstTs, c.lastTs)}</td>
              <td className="num">{bytes(c.bytes)}</td>
              <td>
                <span className={`badge ${c.status}`}>{c.status}</span>
                {c.status === "ingesting" && progress[c.id] && <span className="muted"> {count(progress[c.id].events ?? 0)} events</span>}
              </td>
              <td className="actions">
                {openable && <Link className="button" href={`/captures/${c.id}`}>open</Link>}
                <button type="button" className="button danger" onClick={() => onDelete(c)} disabled={c.status === "ingesting" || c.status === "live"}>
                  delete
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
