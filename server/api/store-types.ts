// The contract between the store (db/ + ingest) and its users (route handlers, CLI, WebSocket).

import type { ChiselOptions, ChiselOutput } from "../core/chisels/chisel";
import type { StateChisel } from "../core/filter/chisel-filter";
import type { Investigations } from "./investigations";
import type { Overview } from "../core/analyses/overview-tiles";
import type { ConversationRow, FindingRow, PacketDetail, PacketsPage } from "./packet-store";

/** live: a live session records into it (server/live/live-hub.ts); it grows until stopped. */
export type CaptureStatus = "ingesting" | "live" | "ready" | "error";

export interface CaptureSummary {
  id: string;
  name: string;
  /** "profile": a stack profile (folded, perf script, bpftrace, casefile profile), whose only
   *  view is its flame graph. */
  format: "scap" | "profile" | "pcap" | "pcapng";
  /** Events stored (hidden events included: they keep their evt.num). */
  events: number;
  /** Timestamps are strings of integer nanoseconds: they do not fit a double. */
  firstTs: string | null;
  lastTs: string | null;
  /** Size of the file as uploaded (compressed, if it was). */
  bytes: number;
  status: CaptureStatus;
  /** Set when status is "error", or when the file was damaged but its valid events were kept. */
  error?: string;
}

/** One row of the event table, as `sysdig -r` prints it. */
export interface EventRow {
  num: number;
  ts: string;
  cpu: number;
  proc: string;
  tid: number;
  dir: ">" | "<";
  type: string;
  info: string;
}

export interface EventsPage {
  events: EventRow[];
  next: number | null;
  /** The filter needed fields the index does not hold: answered by reading the capture file. */
  replayed?: boolean;
  /** Filter fields answered from the ingest's columns rather than exactly as sysdig would. */
  approximate?: string[];
}

/** lsof / netstat / ps at an event: the chisel's rows (column → value) and its lines exactly. */
export interface StateAnswer {
  rows: Record<string, string | number>[];
  lines: string[];
}

/** What ran between two events: counts by process and event type, busiest first. */
export interface ActivityRow {
  proc: string;
  type: string;
  count: number;
}

/** A chisel's output; `damaged`: the capture file is damaged and the output covers the events
 *  before the damage. */
export type ChiselAnswer = ChiselOutput & { damaged?: string };

export interface IngestProgress {
  captureId: string;
  bytesRead: number;
  bytesTotal: number;
  events: number;
  done: boolean;
  error?: string;
}

/** What the WebSocket says of an upload's ingest (the page picks its own out by uploadId): its
 *  progress, or its refusal before any capture exists (captureId null, done, error). */
export type IngestMessage = Omit<IngestProgress, "captureId"> & {
  type: "ingest";
  uploadId?: string;
  name?: string;
  captureId: string | null;
};

export interface GapRow {
  num: number;
  prevNum: number;
  /** ns, as a string of an integer like every time in the API. */
  gapNs: string;
  /** ns since the epoch of the event after the gap (num). */
  ts: string;
}

export interface SpectrogramAnswer {
  bins: number;
  binNs: string;
  /** ns since the epoch where bin 0 starts (the first event sysdig shows): bin t covers
   *  [startTs + t*binNs, startTs + (t+1)*binNs). */
  startTs: string;
  cells: { t: number; l: number; count: number; example: number }[];
  /** Filter fields answered from the ingest's columns rather than exactly (fd.*). */
  approximate?: string[];
  /** The filter needed fields the index does not hold: answered by reading the capture file. */
  replayed?: boolean;
}

/** Event density over a window, per process or thread (the timeline): times are ns strings. */
export interface TimelineAnswer {
  /** The window: [from, to), ns since the epoch. */
  from: string;
  to: string;
  binNs: string;
  bins: number;
  /** The busiest rows first; tid is null per process. */
  rows: { key: string; proc: string; tid: number | null; total: number; counts: number[] }[];
  /** The rest of the rows, folded into one. */
  other: { rows: number; total: number; counts: number[] } | null;
  /** buckets: pre-aggregated buckets of resolutionNs, each counted in the bin its start falls
   *  in; scan: the window's events, exact per bin; replay: the kept file read with the filter. */
  source: "buckets" | "scan" | "replay";
  resolutionNs?: string;
  approximate?: string[];
}

export interface TimelineQuery {
  /** ns since the epoch (strings); the capture's span when absent. */
  from?: string;
  to?: string;
  bins: number;
  by: "proc" | "thread";
  rows: number;
  filter: string;
}

/** One side of a flame graph: a capture's syscall time (source "syscalls", with a filter and
 *  a range of ns since the epoch) or a profile's section (source: its name; "" the first). */
export interface FlameSide {
  id: string;
  source?: string;
  filter?: string;
  from?: string;
  to?: string;
}

/** A flame graph; with `base`, the differential of base (before) and this (after). */
export interface FlameQuery extends FlameSide {
  base?: Partial<FlameSide>;
}

export interface FlameAnswer {
  /** The tree (server/core/analyses/flame-tree.ts FlameTreeJson): names, then per node
   *  [name, parent, total, self(, baseTotal, baseSelf)]. */
  tree: { unit: "ns" | "samples"; names: string[]; nodes: number[]; diff?: boolean };
  unit: "ns" | "samples";
  /** The section shown, and every section the source has. */
  source: string;
  sections: string[];
  /** Differential: the base's own total, before normalisation. */
  baseTotal?: number;
  replayed?: boolean;
  approximate?: string[];
}

export interface TopAnswerRow {
  key: string;
  count: number;
  timeNs: string;
  errors: number;
}

export interface Store {
  /** Investigations and share links, kept in the catalog. */
  investigations: Investigations;
  listCaptures(): CaptureSummary[];
  getCapture(id: string): CaptureSummary | undefined;
  /** Removes the capture's database and catalog row; false if there was no such capture. */
  deleteCapture(id: string): boolean;
  /** Ingests a capture file already on disk. Resolves with the capture id once ingest is
   *  finished (status ready, or error with the valid events kept). */
  ingestFile(path: string, name: string, onProgress?: (p: IngestProgress) => void, opts?: { move?: boolean }): Promise<string>;
  /** Events with num >= from, in order, at most limit (hidden procinfo events excluded, as
   *  sysdig does); next is the num to ask for next, or null at the end. */
  /** With a filter: only matching events. A filter the event columns cannot answer exactly is
   *  answered by replaying the kept capture file (`replayed`); without the file, from the ingest
   *  columns where they stand in (`approximate` lists those fields; see filter-condition.ts). */
  events(id: string, opts: { from?: number; limit?: number; filter?: string }): Promise<EventsPage>;
  /** Matching events that follow a gap longer than minNs since the previous matching one (a
   *  filter SQL cannot answer exactly is replayed over the kept file, as for events). */
  gaps(id: string, filter: string, minNs: number): Promise<GapRow[] | undefined>;
  /** A packet capture's list (pcap, pcapng): packets with num >= from matching a packet filter
   *  (packet-filter.ts); undefined for no such packet capture. */
  packets(id: string, q: { from?: number; limit?: number; filter?: string }): Promise<PacketsPage | undefined>;
  /** One packet's layers and bytes, decoded again from the kept file. */
  packet(id: string, num: number): Promise<PacketDetail | undefined>;
  /** Conversations per 5-tuple, and the findings (Wireshark's expert info), of a packet capture. */
  conversations(id: string): Promise<ConversationRow[] | undefined>;
  findings(id: string, kind?: string): Promise<FindingRow[] | undefined>;
  /** Matching packets per time bucket over the capture's span. */
  packetTimeline(id: string, filter: string, bins: number): Promise<{ startTs: string; binNs: string; counts: number[] } | undefined>;
  /** What ran between two events: counts by process and event type. */
  activity(id: string, fromNum: number, toNum: number): ActivityRow[] | undefined;
  /** A filter SQL cannot answer exactly is replayed over the kept file, as for events. */
  /** `window` (the timeline's range, ns since the epoch, both ends included): the bins span it
   *  instead of the capture, and only its events count (the filter gets its evt.rawtime bounds). */
  spectrogram(id: string, filter: string, bins: number, window?: { from: string; to: string }): Promise<SpectrogramAnswer | undefined>;
  top(id: string, filter: string, by: "syscall" | "process", limit: number): TopAnswerRow[] | undefined;
  /** The overview tiles (overview-tiles.ts): each tile's number and its series over `buckets`
   *  time buckets, in one scan. */
  overview(id: string, buckets: number, filter?: string): Overview | undefined;
  /** A flame graph (flame-store.ts): undefined when a capture named is not there. */
  flame(q: FlameQuery): Promise<FlameAnswer | undefined>;
  /** Event density per process or thread over a window (the timeline), from the pre-aggregated
   *  buckets where they answer; a filter is scanned, or replayed over the kept file. */
  timeline(id: string, q: TimelineQuery): Promise<TimelineAnswer | undefined>;
  /** The matching event whose time is nearest `ts` (ns since the epoch): the timeline's click. */
  nearest(id: string, ts: string, filter: string): Promise<{ num: number; ts: string } | null | undefined>;
  /** The lsof / netstat / ps table once event `at` has been applied: the chisel's rows and
   *  its exact text lines, with the rows a filter keeps (the chisel's filter argument, as
   *  `sysdig -c lsof "'F'"` gets it: F itself, no quotes needed). Undefined when there is no
   *  such capture or event; throws FilterError for a filter sysdig refuses. Fields the
   *  checkpoints do not keep are answered by replaying the kept file up to the event. */
  state(id: string, kind: StateChisel, at: number, filter?: string): Promise<StateAnswer | undefined>;
  /** What `sysdig -r FILE -c NAME ARGS FILTER` prints for the capture, replayed from the file
   *  kept at ingest (`move`: the store may take the ingested file instead of copying it).
   *  Undefined when there is no such capture; throws UnknownChisel, FilterError (parser's),
   *  ChiselArgError, ChiselError, or CaptureFileMissing. `damaged`: the file is damaged and the
   *  output covers the events before the damage. */
  chisel(id: string, name: string, args: readonly string[], opts?: { filter?: string } & ChiselOptions): Promise<ChiselAnswer | undefined>;
  /** One of the questions above, asked off the event loop: in a query worker (a pool started on
   *  the first query), so that a slow one holds up no other request, page or WebSocket message.
   *  Rejects with QueryBudgetExceeded past the time budget, QueryCancelled once `signal` aborts,
   *  QueryQueueFull when too many are waiting; either way the query stops. A store opened
   *  with `workers: 0` (or inside a worker) answers inline. */
  query<K extends QueryName>(name: K, args: QueryArgs<K>, opts?: { signal?: AbortSignal }): Promise<QueryAnswer<K>>;
  /** Starts the query workers now (a server, so that its first page does not wait for them),
   *  resolved once they have started; a store that answers inline has none to start. */
  startQueryWorkers(): Promise<void>;
  /** Closes the databases and stops the query workers: resolved once they have ended (a worker
   *  running a query is stopped first; see query-pool.ts). */
  close(): Promise<void>;
}

export class UnknownChisel extends Error {
  override name = "UnknownChisel";
  constructor(readonly chisel: string) {
    super(`no chisel named ${JSON.stringify(chisel)}`);
  }
}

/** The capture's original file is not in the store: captures ingested before the store kept
 *  them, or one still being ingested. */
export class CaptureFileMissing extends Error {
  override name = "CaptureFileMissing";
  constructor(readonly ingesting: boolean) {
    super(ingesting
      ? "the capture is still being ingested"
      : "the original file of this capture is missing or has changed since it was ingested: upload it again to run chisels on it");
  }
}

/** The store's questions that may take long on a big capture: they run off the event loop, in
 *  the query workers (Store.query), each with its own read-only SQLite connections. */
export type QueryName = "packets" | "packet" | "conversations" | "findings" | "packetTimeline" | "events" | "gaps" | "activity" | "spectrogram" | "top" | "state" | "chisel" | "flame" | "timeline" | "nearest" | "overview";
export type QueryArgs<K extends QueryName> = Parameters<Store[K]>;
export type QueryAnswer<K extends QueryName> = Awaited<ReturnType<Store[K]>>;

/** The query had no answer within its time budget: stopped (its worker is replaced). */
export class QueryBudgetExceeded extends Error {
  override name = "QueryBudgetExceeded";
  constructor(readonly budgetMs: number, readonly waitedMs: number) {
    super(`the query took longer than the ${formatMs(budgetMs)} budget${waitedMs >= 100 ? ` (${formatMs(waitedMs)} of it waiting for a free query worker)` : ""} and was stopped; narrow the filter or the range, or raise CASEFILE_QUERY_BUDGET_MS`);
  }
}

/** The client went away (request aborted) before the answer: the query is stopped. */
export class QueryCancelled extends Error {
  override name = "QueryCancelled";
  constructor() {
    super("the query was cancelled: its request was aborted");
  }
}

/** Too many queries already waiting for a worker: refused at once rather than queued without
 *  end (a client may retry after a moment). */
export class QueryQueueFull extends Error {
  override name = "QueryQueueFull";
  constructor(readonly waiting: number) {
    super(`the server is busy: ${waiting} queries are already waiting for a query worker; try again in a moment`);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
