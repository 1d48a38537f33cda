// A capture that grows: a live session's bytes appended to its kept file and ingested through
// the same pipeline as a file (server/ingest/live-ingest.ts), committed every COMMIT_MS so that
// queries see new events. Its catalog row says status "live" while it records; finish() makes
// it an ordinary capture (ready, or error with the events before the failure kept).

import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../../db/open-db";
import { LiveIngest } from "../ingest/live-ingest";

/** How often what arrived is committed: a query sees an event at most this late. */
export const COMMIT_MS = 200;

export class LiveCapture {
  private readonly ingest: LiveIngest;
  private readonly fd: number;
  private timer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  private dirty = false;
  private finished?: Promise<{ events: number; error?: string }>;
  /** Called after each commit with the events stored so far. */
  onCommit?: (events: number) => void;

  private constructor(readonly id: string, private readonly catalog: Db, dataDir: string) {
    this.fd = openSync(join(dataDir, "captures", `${id}.capture`), "w");
    this.ingest = new LiveIngest(join(dataDir, "captures", `${id}.db`));
  }

  /** A new capture in the catalog, status live. */
  static create(catalog: Db, dataDir: string, id: string, name: string): LiveCapture {
    const c = new LiveCapture(id, catalog, dataDir);
    catalog.prepare(
      "INSERT INTO captures (id, name, format, bytes, status, created_at) VALUES (?, ?, 'scap', 0, 'live', ?)",
    ).run(id, name, new Date().toISOString());
    c.timer = setInterval(() => void c.commit(), COMMIT_MS);
    return c;
  }

  /** Bytes of the scap stream, as they come (whole blocks: the kept file is read while it
   *  grows, and a reader must never meet half a block). */
  push(b: Uint8Array): void {
    if (this.finished) return;
    writeSync(this.fd, b);
    this.ingest.push(b);
    this.dirty = true;
  }

  get events(): number {
    return this.ingest.events;
  }

  /** Resolves once the SQLite writer can take more: the feeder pauses on it. */
  drain(): Promise<void> {
    return this.ingest.drain();
  }

  /** Commits what arrived; the catalog row follows (events, span, bytes of the kept file). */
  commit(): Promise<void> {
    if (this.committing || !this.dirty) return this.committing ?? Promise.resolve();
    this.dirty = false;
    this.committing = (async () => {
      try {
        await this.ingest.commit();
        this.catalog.prepare("UPDATE captures SET events = ?, first_ts = ?, last_ts = ?, bytes = ? WHERE id = ?")
          .run(this.ingest.events, this.ingest.firstTs?.toString() ?? null, this.ingest.lastTs?.toString() ?? null, this.ingest.bytes, this.id);
        this.onCommit?.(this.ingest.events);
      } finally {
        this.committing = undefined;
      }
    })();
    return this.committing;
  }

  /** The end of the recording: the database finished, the capture ready (or an error kept
   *  with its events when `failure` says the recording broke off). */
  finish(failure?: string): Promise<{ events: number; error?: string }> {
    this.finished ??= (async () => {
      clearInterval(this.timer);
      await this.committing;
      closeSync(this.fd);
      try {
        const r = await this.ingest.finish(failure);
        // A recording that broke off keeps what it recorded: ready, with the reason.
        const status = r.events === 0 && r.error ? "error" : "ready";
        this.catalog.prepare("UPDATE captures SET events = ?, first_ts = ?, last_ts = ?, bytes = ?, status = ?, error = ? WHERE id = ?")
          .run(r.events, r.firstTs?.toString() ?? null, r.lastTs?.toString() ?? null, this.ingest.bytes, status, r.error ?? null, this.id);
        return { events: r.events, error: r.error };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.catalog.prepare("UPDATE captures SET status = 'error', error = ? WHERE id = ?").run(message, this.id);
        return { events: this.ingest.events, error: message };
      }
    })();
    return this.finished;
  }
}
