// The store: a catalog database listing the captures, and one SQLite database per capture.
// Everything that touches the files of the data folder goes through here.

import { randomBytes } from "node:crypto";
import { constants, mkdirSync, rmSync, statSync, existsSync } from "node:fs";
import { copyFile, link, rename } from "node:fs/promises";
import { join } from "node:path";
import { openDb, type Db } from "../../db/open-db";
import { openInvestigations } from "./investigations";
import { overview } from "./overview";
import { ingestCapture } from "../ingest/ingest";
import { renderStoredEvents } from "./stored-events";
import type { CaptureSummary, IngestProgress, QueryAnswer, QueryArgs, QueryName, SpectrogramAnswer, Store } from "./store-types";
import { QueryPool, queryPoolOptionsFromEnv, type QueryPoolOptions } from "./query-pool";
import { activityBetween, findGaps, spectrogram, spectrogramSpan, top } from "./analyses";
import { FilterError, filterCondition, planFilter } from "./filter-condition";
import { replayEvents, replayGaps, type ReplayOptions } from "./replayed-events";
import { storedRowFilter, storedStateAt, unanswerableStateFields } from "./state-at";
import { stateTable } from "../core/state/tables";
import { CHISELS } from "../core/chisels/index";
import { chiselDriver } from "../core/chisels/run";
import { readCaptureFile } from "../ingest/capture-stream";
import { CaptureFileMissing, QueryCancelled, UnknownChisel } from "./store-types";
import { FilterError as ParseError } from "../core/filter/parser";
import { compileChiselFilter, rowFilter, type ChiselFilter } from "../core/filter/chisel-filter";
import { stateAt } from "../ingest/file-state";
import { hostServices } from "../ingest/host-services";
import type { FdPredicate } from "../core/state/tables";
import type { ThreadTable } from "../core/state/threads";
import { baseTs } from "./capture-meta";
import { captureKind, contentHead, isPacketKind } from "../ingest/capture-kind";
import { decodeForIngest, ingestPacketCapture } from "../ingest/packet-ingest";
import { ingestLimitsFromEnv } from "../ingest/ingest";
import { conversationRows, findingRows, packetBuckets, packetDetail, packetGaps, packetsPage } from "./packet-store";
import { withTimeRange } from "../core/filter/time-range";
import { answerFlame, checkProfileFile, inflateProfile, sniffProfileFile } from "./flame-store";
import { bucketGaps, bucketSpectrogram, narrowToRange, nearestEvent, replayNearest, replaySpectrogram, replayTimeline, timeline, type Timeline } from "./timeline";
import type { TimelineAnswer } from "./store-types";

interface CaptureRecord {
  id: string;
  name: string;
  format: string;
  events: number;
  first_ts: string | null;
  last_ts: string | null;
  bytes: number;
  status: string;
  error: string | null;
}

function summary(r: CaptureRecord): CaptureSummary {
  const s: CaptureSummary = {
    id: r.id, name: r.name, format: r.format === "profile" || r.format === "pcap" || r.format === "pcapng" ? r.format : "scap", events: r.events, firstTs: r.first_ts,
    lastTs: r.last_ts, bytes: r.bytes, status: r.status as CaptureSummary["status"],
  };
  if (r.error) s.error = r.error;
  return s;
}

const ID_PATTERN = /^[0-9a-f]{16}$/;


export interface StoreOptions {
  /** A reader's store (a query worker's): opens every database read-only, changes nothing. */
  readonly?: boolean;
  /** The query workers (Store.query): how many at most (0: queries run inline, on the caller's
   *  thread), the time budget, the waiting limit. Default: from the environment
   *  (queryPoolOptionsFromEnv). */
  queries?: Partial<QueryPoolOptions>;
  /** Called with each capture database once opened (a query worker loads its SQLite extension). */
  onOpenCapture?: (db: Db) => void;
  /** Called between chunks of a kept file being replayed; throwing stops the replay (a query
   *  worker stopping a query). */
  afterChunk?: () => Promise<void>;
}

export function openStore(dataDir: string, opts: StoreOptions = {}): Store {
  const readonly = opts.readonly === true;
  // Replays of the kept file read it in 64 KiB chunks (no slower than 1 MiB ones, measured), so
  // that a query stopped between two chunks ends within milliseconds whatever its filter costs.
  const replay: ReplayOptions = { afterChunk: opts.afterChunk, chunkSize: 1 << 16 };
  if (!readonly) mkdirSync(join(dataDir, "captures"), { recursive: true });
  const catalog = openDb(join(dataDir, "catalog.db"), "catalog", { readonly });
  const captureDbs = new Map<string, Db>();
  const dbPath = (id: string) => join(dataDir, "captures", `${id}.db`);
  // The capture file itself, kept for what only a replay of the original answers exactly
  // (the chisels, which read every field sysdig has, not only the stored columns).
  const filePath = (id: string) => join(dataDir, "captures", `${id}.capture`);

  /** The capture's kept file, unless it is gone or no longer the size it had (the user
   *  rewrote the file the store links to). */
  function keptFile(id: string): string | undefined {
    const c = catalog.prepare("SELECT bytes, status FROM captures WHERE id = ?").get(id) as { bytes: number; status: string } | undefined;
    const file = filePath(id);
    // A live capture's file grows past the size last committed (whole blocks are appended:
    // a replay reads what is there).
    return c && existsSync(file) && (c.status === "live" ? statSync(file).size >= c.bytes : statSync(file).size === c.bytes) ? file : undefined;
  }

  // A capture left "ingesting" by a process that died is not coming back.
  if (!readonly) catalog.prepare("UPDATE captures SET status = 'error', error = 'ingest was interrupted' WHERE status = 'ingesting'").run();

  function captureDb(id: string): Db | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    // Asked every time: a query worker's store learns of a deletion only from the catalog.
    const row = catalog.prepare("SELECT status, format FROM captures WHERE id = ?").get(id) as { status: string; format: string } | undefined;
    let db = captureDbs.get(id);
    // A profile has no events database: its kept file is all there is. A packet capture's is
    // packetDb's.
    if (!row || row.status === "ingesting" || row.format === "profile" || isPacketKind(row.format)) {
      db?.close();
      captureDbs.delete(id);
      return undefined;
    }
    if (!db) {
      db = openDb(dbPath(id), "capture", { readonly: true });
      opts.onOpenCapture?.(db);
      captureDbs.set(id, db);
    }
    return db;
  }

  /** A packet capture's database (packets schema); undefined for any other capture. */
  function packetDb(id: string): Db | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    const row = catalog.prepare("SELECT status, format FROM captures WHERE id = ?").get(id) as { status: string; format: string } | undefined;
    let db = captureDbs.get(id);
    if (!row || row.status === "ingesting" || !isPacketKind(row.format)) {
      if (row?.status === "ingesting") { db?.close(); captureDbs.delete(id); }
      return undefined;
    }
    if (!db) {
      db = openDb(dbPath(id), "packets", { readonly: true });
      captureDbs.set(id, db);
    }
    return db;
  }

  /** A packet capture (pcap, pcapng, gzip of either; told by content): its packets, their
   *  conversations and findings into a packets database, the file kept for the bytes. */
  async function ingestPackets(id: string, path: string, name: string, onProgress: ((p: IngestProgress) => void) | undefined, move: boolean): Promise<string> {
    const bytes = statSync(path).size;
    catalog.prepare(
      "INSERT INTO captures (id, name, format, bytes, status, created_at) VALUES (?, ?, 'pcap', ?, 'ingesting', ?)",
    ).run(id, name, bytes, new Date().toISOString());
    try {
      const r = await ingestPacketCapture(dbPath(id), path, decodeForIngest,
        (p) => onProgress?.({ captureId: id, bytesRead: p.bytesRead, bytesTotal: bytes, events: p.packets, done: false }),
        ingestLimitsFromEnv());
      // A file with no whole packet is an error; a damaged file keeps its valid packets.
      const status = r.packets === 0 && r.error ? "error" : "ready";
      if (status === "ready") await keepFile(path, filePath(id), move);
      catalog.prepare(
        "UPDATE captures SET format = ?, events = ?, first_ts = ?, last_ts = ?, status = ?, error = ? WHERE id = ?",
      ).run(r.format, r.packets, r.firstTs?.toString() ?? null, r.lastTs?.toString() ?? null, status, r.error ?? null, id);
      onProgress?.({ captureId: id, bytesRead: bytes, bytesTotal: bytes, events: r.packets, done: true, error: r.error });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      catalog.prepare("UPDATE captures SET status = 'error', error = ? WHERE id = ?").run(message, id);
      onProgress?.({ captureId: id, bytesRead: bytes, bytesTotal: bytes, events: 0, done: true, error: message });
    }
    return id;
  }

  /** A text profile (told by content) is kept as it is: checked whole by its importer (an
   *  error names the line), then listed with format "profile" and no events database. */
  async function importProfile(id: string, path: string, name: string, onProgress: ((p: IngestProgress) => void) | undefined, move: boolean): Promise<string> {
    const bytes = statSync(path).size;
    catalog.prepare(
      "INSERT INTO captures (id, name, format, bytes, status, created_at) VALUES (?, ?, 'profile', ?, 'ingesting', ?)",
    ).run(id, name, bytes, new Date().toISOString());
    try {
      // A gzip-compressed profile is kept inflated: the kept file of a profile is its text (and
      // bytes, which keptFile checks it against, its size).
      let stacks: number;
      if ((await contentHead(path)).gzip) {
        await inflateProfile(path, filePath(id));
        try {
          stacks = (await checkProfileFile(filePath(id))).stacks;
        } catch (e) {
          rmSync(filePath(id), { force: true });
          throw e;
        }
        if (move) rmSync(path, { force: true });
      } else {
        stacks = (await checkProfileFile(path)).stacks;
        await keepFile(path, filePath(id), move);
      }
      catalog.prepare("UPDATE captures SET events = ?, bytes = ?, status = 'ready' WHERE id = ?").run(stacks, statSync(filePath(id)).size, id);
      onProgress?.({ captureId: id, bytesRead: bytes, bytesTotal: bytes, events: stacks, done: true });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      catalog.prepare("UPDATE captures SET status = 'error', error = ? WHERE id = ?").run(message, id);
      onProgress?.({ captureId: id, bytesRead: bytes, bytesTotal: bytes, events: 0, done: true, error: message });
    }
    return id;
  }

  const poolOptions = { ...queryPoolOptionsFromEnv(), ...opts.queries };
  let pool: QueryPool | undefined;

  return {
    investigations: openInvestigations(catalog),

    listCaptures(): CaptureSummary[] {
      return (catalog.prepare("SELECT * FROM captures ORDER BY created_at DESC").all() as CaptureRecord[]).map(summary);
    },

    getCapture(id: string): CaptureSummary | undefined {
      const r = catalog.prepare("SELECT * FROM captures WHERE id = ?").get(id) as CaptureRecord | undefined;
      return r && summary(r);
    },

    deleteCapture(id: string): boolean {
      // What belongs to the capture goes with it: the profiles recorded beside it (parent_id,
      // catalog-003) mean nothing without it, and nothing would list them any more.
      const gone = catalog.transaction(() => {
        const children = catalog.prepare("SELECT id FROM captures WHERE parent_id = ?").pluck().all(id) as string[];
        if (catalog.prepare("DELETE FROM captures WHERE id = ?").run(id).changes === 0) return [];
        catalog.prepare("DELETE FROM captures WHERE parent_id = ?").run(id);
        return [id, ...children];
      })();
      for (const g of gone) {
        captureDbs.get(g)?.close();
        captureDbs.delete(g);
        for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath(g) + suffix, { force: true });
        rmSync(filePath(g), { force: true });
      }
      return gone.length > 0;
    },

    async ingestFile(path: string, name: string, onProgress?: (p: IngestProgress) => void, opts: { move?: boolean } = {}): Promise<string> {
      const id = randomBytes(8).toString("hex");
      if (await sniffProfileFile(path)) return importProfile(id, path, name, onProgress, opts.move === true);
      if (isPacketKind(await captureKind(path))) return ingestPackets(id, path, name, onProgress, opts.move === true);
      const bytes = statSync(path).size;
      catalog.prepare(
        "INSERT INTO captures (id, name, format, bytes, status, created_at) VALUES (?, ?, 'scap', ?, 'ingesting', ?)",
      ).run(id, name, bytes, new Date().toISOString());
      try {
        const r = await ingestCapture(dbPath(id), path, (p) =>
          onProgress?.({ captureId: id, bytesRead: p.bytesRead, bytesTotal: bytes, events: p.events, done: false }));
        // A file with no whole event is an error; a damaged file keeps its valid events.
        const status = r.events === 0 && r.error ? "error" : "ready";
        if (status === "ready") await keepFile(path, filePath(id), opts.move === true);
        catalog.prepare(
          "UPDATE captures SET events = ?, first_ts = ?, last_ts = ?, status = ?, error = ? WHERE id = ?",
        ).run(r.events, r.firstTs?.toString() ?? null, r.lastTs?.toString() ?? null, status, r.error ?? null, id);
        onProgress?.({ captureId: id, bytesRead: bytes, bytesTotal: bytes, events: r.events, done: true, error: r.error });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        catalog.prepare("UPDATE captures SET status = 'error', error = ? WHERE id = ?").run(message, id);
        onProgress?.({ captureId: id, bytesRead: bytes, bytesTotal: bytes, events: 0, done: true, error: message });
      }
      return id;
    },

    async events(id: string, opts: { from?: number; limit?: number; filter?: string }) {
      const plan = planFilter(opts.filter); // a bad filter is refused whatever the capture
      const db = captureDb(id);
      if (!db) return { events: [], next: null };
      const from = opts.from ?? 1;
      const limit = Math.min(Math.max(opts.limit ?? 200, 1), 5000);
      if (plan.sql) return renderStoredEvents(db, from, limit, narrowToRange(db, opts.filter ?? "", plan.sql));
      // Fields the columns cannot answer exactly: sysdig's own way, over the kept file.
      const file = keptFile(id);
      if (file) {
        const { events, next } = await replayEvents(file, plan.predicate, from, limit, replay);
        return { events, next, replayed: true };
      }
      if (!plan.approximate) {
        throw new FilterError(`a stored capture cannot answer ${plan.unanswerable.join(", ")} without its capture file; use casefile events FILE FILTER on the file`);
      }
      return { ...renderStoredEvents(db, from, limit, plan.approximate), approximate: plan.unanswerable };
    },

    async gaps(id, filter, minNs) {
      const pdb = packetDb(id);
      if (pdb) return packetGaps(pdb, filter, minNs);
      const plan = planFilter(filter);
      const db = captureDb(id);
      if (!db) return undefined;
      const file = plan.sql ? undefined : keptFile(id);
      const gaps = plan.sql ? (bucketGaps(db, plan.sql, minNs) ?? findGaps(db, narrowToRange(db, filter, plan.sql), minNs))
        : file ? await replayGaps(file, plan.predicate, minNs, replay)
        : findGaps(db, filterCondition(filter), minNs);
      const base = baseTs(db);
      const tsOf = db.prepare("SELECT ts FROM events WHERE num = ?").pluck();
      return gaps.map((g) => ({ num: g.num, prevNum: g.prevNum, gapNs: String(g.gapNs), ts: String(base + BigInt(tsOf.get(g.num) as number)) }));
    },

    async packets(id, q) {
      const db = packetDb(id);
      return db && packetsPage(db, q);
    },

    async packet(id, num) {
      const db = packetDb(id);
      return db && packetDetail(db, keptFile(id), num);
    },

    async conversations(id) {
      const db = packetDb(id);
      return db && conversationRows(db);
    },

    async findings(id, kind) {
      const db = packetDb(id);
      return db && findingRows(db, kind);
    },

    async packetTimeline(id, filter, bins) {
      const db = packetDb(id);
      return db && packetBuckets(db, filter, bins);
    },

    activity(id, fromNum, toNum) {
      const db = captureDb(id);
      return db && activityBetween(db, fromNum, toNum);
    },

    async spectrogram(id, userFilter, bins, window) {
      const filter = withTimeRange(userFilter, window);
      const plan = planFilter(filter);
      const db = captureDb(id);
      if (!db) return undefined;
      const whole = spectrogramSpan(db);
      // A window: its bins span it (its ends ns since base), and only its events count.
      const span = window ? { ...whole, lo: Number(BigInt(window.from) - baseTs(db)), hi: Number(BigInt(window.to) - baseTs(db)) } : whole;
      const startTs = String(baseTs(db) + BigInt(span.lo));
      const answer = (s: { bins: number; binNs: number; cells: SpectrogramAnswer["cells"] }): SpectrogramAnswer =>
        ({ bins: s.bins, binNs: String(s.binNs), startTs, cells: s.cells });
      if (plan.sql) {
        // Unfiltered: from the pre-aggregated buckets (same cells), else a scan.
        const fast = !userFilter.trim() ? bucketSpectrogram(db, bins, span, window !== undefined) : undefined;
        return answer(fast ?? spectrogram(db, plan.sql, bins, span));
      }
      // Fields the columns cannot answer exactly: sysdig's own way, over the kept file.
      const file = keptFile(id);
      if (file) return { ...answer(await replaySpectrogram(file, plan.predicate, bins, span, baseTs(db), replay)), replayed: true };
      const where = filterCondition(filter);
      return { ...answer(spectrogram(db, where, bins, span)), approximate: where.approximate };
    },

    async timeline(id, q) {
      const plan = planFilter(q.filter);
      const db = captureDb(id);
      if (!db) return undefined;
      const base = baseTs(db);
      const c = this.getCapture(id)!;
      // The window, ns since base (exact as doubles for 104 days); the capture's span by default.
      const rel = (s: string | undefined, dflt: bigint) => Number((s === undefined ? dflt : BigInt(s)) - base);
      const from = rel(q.from, BigInt(c.firstTs ?? base));
      const to = Math.max(from + 1, rel(q.to, BigInt(c.lastTs ?? base) + 1n));
      const req = { from, to, bins: q.bins, by: q.by, rows: q.rows };
      let t: Timeline;
      let approximate: string[] | undefined;
      if (plan.sql) t = timeline(db, req, plan.sql.sql === "1" ? undefined : plan.sql);
      else {
        const file = keptFile(id);
        if (file) t = await replayTimeline(file, plan.predicate, req, base, replay);
        else {
          const where = filterCondition(q.filter);
          approximate = where.approximate;
          t = timeline(db, req, where);
        }
      }
      const a: TimelineAnswer = {
        from: String(base + BigInt(from)), to: String(base + BigInt(to)), binNs: String(t.binNs), bins: t.bins,
        rows: t.rows, other: t.other,
        source: "level" in t.source ? "buckets" : "scan" in t.source ? "scan" : "replay",
      };
      if ("level" in t.source) a.resolutionNs = String(2 ** t.source.level);
      if (approximate?.length) a.approximate = approximate;
      return a;
    },

    async nearest(id, ts, filter) {
      const plan = planFilter(filter);
      const db = captureDb(id);
      if (!db) return undefined;
      const base = baseTs(db);
      const at = Number(BigInt(ts) - base);
      // A filter only a replay answers: the kept file, as for events.
      const file = plan.sql ? undefined : keptFile(id);
      if (file) {
        const e = await replayNearest(file, plan.predicate!, BigInt(ts), replay);
        return e ? { num: e.num, ts: String(e.ts) } : null;
      }
      const where = plan.sql ?? filterCondition(filter);
      const e = nearestEvent(db, at, where.sql === "1" ? undefined : where);
      return e ? { num: e.num, ts: String(base + BigInt(e.ts)) } : null;
    },

    flame(q) {
      return answerFlame({ getCapture: (x) => this.getCapture(x), captureDb, keptFile, replay }, q);
    },

    overview(id, buckets, filter) {
      const db = captureDb(id);
      return db && overview(db, buckets, filter);
    },

    top(id, filter, by, limit) {
      const db = captureDb(id);
      return db && top(db, filterCondition(filter), by, limit).map((r) => ({ ...r, timeNs: String(r.timeNs) }));
    },

    async state(id, kind, at, filter) {
      // The filter is the chisel's filter argument (what `sysdig -c lsof "'F'"` hands the
      // chisel): checked first, whether or not the event exists.
      let compiled: ChiselFilter | undefined;
      try {
        // No filter, an empty one or blanks: all rows (netstat: its own filter only).
        compiled = compileChiselFilter(kind, filter?.trim() ? filter : undefined, hostServices());
      } catch (e) {
        if (e instanceof ParseError) throw new FilterError(e.message, e.position);
        throw e;
      }
      const db = captureDb(id);
      if (!db) return undefined;
      let table: ThreadTable | undefined;
      let keep: FdPredicate | undefined;
      const unanswerable = compiled ? unanswerableStateFields(compiled) : [];
      if (!unanswerable.length) {
        // From the nearest checkpoint.
        table = storedStateAt(db, at);
        keep = table && compiled && storedRowFilter(db, table, at, compiled);
      } else {
        // Fields the checkpoints do not keep (containers, ttys, interfaces): the kept file
        // replayed up to the event, as the command line does.
        const file = keptFile(id);
        if (!file) {
          throw new FilterError(`a stored capture cannot answer ${unanswerable.join(", ")} in a ${kind} filter without its capture file; use casefile ${kind} FILE --at N --filter F on the file`);
        }
        const s = await stateAt(file, at, { withContext: true, ...replay });
        table = s.table;
        keep = table && compiled && rowFilter(compiled, s.context!, s.tsHi, s.tsLo);
      }
      return table && stateTable(kind, table, keep);
    },

    async chisel(id, name, args, opts = {}) {
      const c = ID_PATTERN.test(id) ? this.getCapture(id) : undefined;
      if (!c || c.status === "error") return undefined;
      const chisel = CHISELS.get(name);
      if (!chisel) throw new UnknownChisel(name);
      // Arguments and filter are checked before the file is looked at.
      const driver = chiselDriver(chisel, args, { ...opts, services: hostServices() });
      const file = c.status === "ingesting" ? undefined : keptFile(id);
      if (!file) throw new CaptureFileMissing(c.status === "ingesting");
      const { error } = await readCaptureFile(file, driver.handler, replay);
      // A damaged file: what the events before the damage give, as sysdig does.
      return { ...driver.finish(), ...(error ? { damaged: error.message } : {}) };
    },

    query<K extends QueryName>(name: K, args: QueryArgs<K>, qopts: { signal?: AbortSignal } = {}): Promise<QueryAnswer<K>> {
      if (readonly || poolOptions.workers === 0) {
        if (qopts.signal?.aborted) return Promise.reject(new QueryCancelled());
        const method = this[name] as (...a: unknown[]) => unknown;
        return Promise.resolve().then(() => method.apply(this, args)) as Promise<QueryAnswer<K>>;
      }
      // Started on the first query (a server starts it at once: startQueryWorkers): the command
      // line's ingest never needs it.
      pool ??= new QueryPool(dataDir, poolOptions);
      return pool.run(name, args, qopts.signal) as Promise<QueryAnswer<K>>;
    },

    startQueryWorkers(): Promise<void> {
      if (readonly || poolOptions.workers === 0) return Promise.resolve();
      pool ??= new QueryPool(dataDir, poolOptions);
      return pool.start();
    },

    close(): Promise<void> {
      const stopping = pool?.close() ?? Promise.resolve();
      pool = undefined;
      for (const db of captureDbs.values()) db.close();
      captureDbs.clear();
      catalog.close();
      return stopping;
    },
  };
}

/** Keeps the ingested file as the capture's own: moved when it is ours to take (an upload's
 *  temp file), copied otherwise (a file the user named on the command line). */
async function keepFile(src: string, dest: string, move: boolean): Promise<void> {
  if (move) {
    try {
      await rename(src, dest);
      return;
    } catch (e) {
      // Another file system: copy instead.
      if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    }
  }
  // A hard link costs nothing (a copy of a 100 MB capture would add a tenth to the ingest); the
  // chisels check the size before they trust it (see chisel()). Across file systems, a
  // copy-on-write clone where there are clones, else a copy.
  try {
    await link(src, dest);
  } catch {
    await copyFile(src, dest, constants.COPYFILE_FICLONE);
  }
}
