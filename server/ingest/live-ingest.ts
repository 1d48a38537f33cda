// Ingest of a capture that is still being recorded (a live session): the same reader, state
// engine, row builder and SQLite writer thread as a file's ingest (ingest.ts), fed bytes as
// they arrive instead of a file's chunks. commit() makes what was fed visible to readers (the
// query workers' read-only WAL connections); finish() ends it as an ordinary capture database.

import { existsSync } from "node:fs";
import { ScapError, ScapReader } from "../core/formats/scap/reader";
import { openDb } from "../../db/open-db";
import { RowBuilder, WORKER_FILE, workerSink, type BatchSink, type IngestResult } from "./ingest";

export class LiveIngest {
  private readonly reader: ScapReader;
  private readonly builder: RowBuilder;
  private readonly sink: BatchSink;
  private error?: ScapError;
  /** The sink's drain takes one waiter at a time: every wait goes through this chain. */
  private drained: Promise<void> = Promise.resolve();
  bytes = 0;

  constructor(dbPath: string) {
    if (!existsSync(WORKER_FILE)) throw new Error(`the SQLite writer thread's module is missing: ${WORKER_FILE}`);
    // Created (migrations, WAL) before anyone may open it read-only.
    const db = openDb(dbPath, "capture");
    db.pragma("journal_mode = WAL");
    db.close();
    this.sink = workerSink(dbPath, WORKER_FILE, { live: true });
    this.builder = new RowBuilder(this.sink);
    this.reader = new ScapReader(this.builder);
  }

  /** Feeds bytes of the scap stream (any split). Bytes after damage are ignored: the damage
   *  is kept and reported by finish(), as a damaged file's ingest does. */
  push(b: Uint8Array): void {
    if (this.error) return;
    this.bytes += b.length;
    try {
      this.reader.push(b);
    } catch (e) {
      if (e instanceof ScapError) this.error = e;
      else throw e;
    }
  }

  /** Damage met in the stream (the bytes after it are ignored), if any. */
  get damage(): string | undefined {
    return this.error?.message;
  }

  /** Events read so far (the last evt.num). */
  get events(): number {
    return this.builder.events;
  }

  get firstTs(): bigint | null {
    return this.builder.firstTs;
  }

  get lastTs(): bigint | null {
    return this.builder.lastTs;
  }

  /** Commits what was fed; resolves once the writer has caught up enough to take more. */
  async commit(): Promise<void> {
    await this.builder.commitLive();
    await this.drain();
  }

  /** Resolves once the writer thread has few enough batches waiting (at once if it has):
   *  what feeds the stream waits on it, so memory stays bounded when SQLite is slower. */
  drain(): Promise<void> {
    this.drained = this.drained.then(() => this.sink.drain());
    return this.drained;
  }

  /** The end of the stream: the capture database is finished (WAL, meta) and closed. */
  async finish(failure?: string): Promise<IngestResult> {
    if (!this.error) {
      try {
        this.reader.end();
      } catch (e) {
        if (e instanceof ScapError) this.error = e;
        else throw e;
      }
    }
    const { meta, lastTs } = this.builder.end();
    const error = failure ?? this.error?.message;
    await this.sink.finish(error ? { ...meta, error } : meta);
    return { events: this.builder.events, firstTs: this.builder.firstTs, lastTs, error, errorOffset: this.error?.offset };
  }
}
