// The server's side of live sessions (collector/PROTOCOL.md): the collectors connected (one per
// host), the sessions they record into growing captures, and the browsers subscribed to them.
// A session is a capture (status live) fed by the collector's binary frames; stopping it, the
// collector ending it, or the collector going away finishes the capture and tells every
// subscriber at once. Rows for subscribers come from the store's own events query (same rows,
// same filter semantics as GET /api/captures/:id/events), asked after each commit.

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { WebSocket } from "ws";
import { openDb, type Db } from "../../db/open-db";
import type { EventRow, Store } from "../api/store-types";
import type { HostProcess } from "../../collector/proc-snapshot";
import { LiveCapture } from "./live-capture";
import { LivePackets, type LivePacketsInfo } from "./live-packets";
import { ProfileRequests, type ProfileArgs, type ProfileResult } from "./profile-requests";

export interface HostInfo {
  host: string;
  bootId: string;
  kernel: string;
  version: string;
  pid: number;
  connectedAt: string;
  processes: HostProcess[];
}

export type SessionStatus = "starting" | "live" | "stopping" | "ready" | "error";

export interface SessionInfo {
  id: string;
  host: string;
  filter: string;
  pid: number | null;
  status: SessionStatus;
  /** Events stored so far (the last evt.num). */
  stored: number;
  /** The collector's counts: events its source delivered, drops, the rate. */
  events: number;
  drops: number;
  eventsPerSec: number;
  /** The events the collector says it sent (known once it ended). */
  written: number | null;
  kernel?: { pids?: number[]; comms?: string[]; cgroups?: string[] };
  startedAt: string;
  error?: string;
  /** Packets recorded beside the syscalls (`packets` at the start): a packet capture made at
   *  the end, in one investigation with this one. */
  packets?: LivePacketsInfo;
}

interface Collector {
  ws: WebSocket;
  info: HostInfo;
  paused?: boolean;
}

interface Subscriber {
  filter: string;
  /** The next evt.num to look from. */
  from: number;
  /** The query loop running for it, if any. */
  pump?: Promise<void>;
  again: boolean;
}

interface Session {
  info: SessionInfo;
  capture: LiveCapture;
  collector: Collector;
  subscribers: Map<WebSocket, Subscriber>;
  started: { ok: () => void; ko: (e: Error) => void } | undefined;
  ended?: Promise<SessionInfo>;
  endedBy?: () => void;
  finishing?: boolean;
  packets?: LivePackets;
}

/** Errors the API answers with their status (by name: route handlers are bundled apart). */
export class LiveError extends Error {
  override name = "LiveError";
  constructor(readonly status: number, message: string, readonly where: string) {
    super(message);
  }
}

/** Rows sent to a subscriber per commit, at most: a browser shows a screenful, the store keeps
 *  everything. When more arrive, the subscriber skips ahead (told how many it skipped). */
const ROWS_PER_PUSH = 500;
/** How long stop waits for the collector's `ended` before finishing without it. */
const STOP_WAIT_MS = 5000;
const START_WAIT_MS = 15000;

export class LiveHub {
  private readonly catalog: Db;
  private readonly collectors = new Map<string, Collector>();
  private readonly sessions = new Map<string, Session>();
  private readonly browsers = new Set<WebSocket>();
  /** Profiles asked of each collector, waiting for its profile-result. */
  private readonly profiling = new WeakMap<Collector, ProfileRequests>();

  constructor(private readonly dataDir: string, private readonly store: Store) {
    this.catalog = openDb(join(dataDir, "catalog.db"), "catalog");
    // A recording whose server died: what was committed stays, as a capture that says so.
    this.catalog.prepare("UPDATE captures SET status = 'ready', error = 'the recording was cut off: the server stopped while it recorded' WHERE status = 'live'").run();
    LivePackets.removeStale(dataDir);
  }

  // --- collectors ----------------------------------------------------------------------------

  acceptCollector(ws: WebSocket): void {
    let me: Collector | undefined;
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        if (me) this.onFrame(me, data as Buffer);
        return;
      }
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (m.type === "hello") {
        const host = typeof m.host === "string" && m.host ? m.host.slice(0, 255) : "unnamed";
        me = {
          ws,
          info: {
            host, bootId: String(m.bootId ?? ""), kernel: String(m.kernel ?? ""), version: String(m.version ?? ""),
            pid: Number(m.pid ?? 0), connectedAt: new Date().toISOString(),
            processes: Array.isArray(m.processes) ? (m.processes as HostProcess[]) : [],
          },
        };
        const old = this.collectors.get(host);
        this.collectors.set(host, me);
        if (old && old.ws !== ws) old.ws.close(4000, "replaced by a new collector for this host");
        this.broadcast({ type: "live-hosts" });
        return;
      }
      if (!me) return;
      this.onCollectorMessage(me, m);
    });
    const gone = () => {
      if (!me) return;
      if (this.collectors.get(me.info.host) === me) this.collectors.delete(me.info.host);
      this.profiling.get(me)?.failAll(`the collector of host ${me.info.host} disconnected`);
      for (const s of this.sessions.values()) {
        if (s.collector === me && !isOver(s.info.status)) {
          void this.finishSession(s, `the collector of host ${me.info.host} disconnected`);
        }
      }
      this.broadcast({ type: "live-hosts" });
    };
    ws.on("close", gone);
    ws.on("error", () => ws.terminate());
  }

  private onCollectorMessage(c: Collector, m: Record<string, unknown>): void {
    if (m.type === "profile-result") {
      this.profiling.get(c)?.result(m);
      return;
    }
    if (m.type === "processes" && Array.isArray(m.processes)) {
      c.info.processes = m.processes as HostProcess[];
      return;
    }
    const s = typeof m.session === "string" ? this.sessions.get(m.session) : undefined;
    if (!s || s.collector !== c) return;
    if (m.type === "started") {
      s.info.status = "live";
      s.info.kernel = m.kernel as SessionInfo["kernel"];
      s.started?.ok();
      s.started = undefined;
      this.sessionChanged(s);
    } else if (m.type === "stats") {
      s.info.events = Number(m.events ?? 0);
      s.info.drops = Number(m.drops ?? 0);
      s.info.eventsPerSec = Number(m.eventsPerSec ?? 0);
      this.statsToSubscribers(s);
    } else if (m.type === "ended") {
      s.info.written = Number(m.written ?? 0);
      s.info.events = Number(m.events ?? s.info.events);
      s.info.drops = Number(m.drops ?? s.info.drops);
      s.packets?.totals(m.packets);
      const failure = typeof m.failure === "string" ? m.failure : undefined;
      if (s.started) {
        s.started.ko(new LiveError(422, failure ?? "the collector ended the session before it started", "collector"));
        s.started = undefined;
      }
      void this.finishSession(s, failure);
    }
  }

  private onFrame(c: Collector, frame: Buffer): void {
    const n = frame[0];
    const id = frame.subarray(1, 1 + n).toString("ascii");
    // `SESSION.pcap`: the session's packets (session ids have no dot).
    if (id.endsWith(".pcap")) {
      const s = this.sessions.get(id.slice(0, -5));
      if (s && s.collector === c && !isOver(s.info.status) && !s.finishing) s.packets?.push(frame.subarray(1 + n));
      return;
    }
    const s = this.sessions.get(id);
    // While stopping the last frames still come, before `ended`.
    if (!s || s.collector !== c || isOver(s.info.status)) return;
    s.capture.push(frame.subarray(1 + n));
    // SQLite behind: stop reading the socket until it catches up. TCP holds the collector
    // back, whose frames past its buffer limit are dropped and counted as drops.
    if (!c.paused) {
      c.paused = true;
      c.ws.pause();
      void s.capture.drain().catch(() => {}).finally(() => {
        c.paused = false;
        c.ws.resume();
      });
    }
  }

  // --- sessions ------------------------------------------------------------------------------

  /** A CPU profile recorded by a host's collector (collector/PROTOCOL.md `profile`). */
  profile(host: string, args: ProfileArgs): Promise<ProfileResult> {
    const c = this.collectors.get(host);
    if (!c) return Promise.reject(new LiveError(404, `no collector for host ${JSON.stringify(host)} is connected`, "host"));
    let r = this.profiling.get(c);
    if (!r) this.profiling.set(c, (r = new ProfileRequests()));
    return r.request((m) => c.ws.send(JSON.stringify(m)), args);
  }

  hosts(): HostInfo[] {
    return [...this.collectors.values()].map((c) => c.info);
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => ({ ...s.info, stored: s.capture.events }));
  }

  get(id: string): SessionInfo | undefined {
    const s = this.sessions.get(id);
    return s && { ...s.info, stored: s.capture.events };
  }

  /** Starts a session on a host; resolves once the collector's source runs. */
  async start(req: { host?: string; filter?: string; pid?: number; snaplen?: number; packets?: { iface?: string; filter?: string } }): Promise<SessionInfo> {
    const c = req.host ? this.collectors.get(req.host) : this.collectors.size === 1 ? [...this.collectors.values()][0] : undefined;
    if (!c) {
      throw new LiveError(req.host ? 404 : 400, req.host ? `no collector for host ${JSON.stringify(req.host)} is connected` : this.collectors.size ? "name the host: several collectors are connected" : "no collector is connected", "host");
    }
    const id = randomBytes(8).toString("hex");
    const filter = req.filter?.trim() ?? "";
    const what = req.pid !== undefined ? `pid ${req.pid}` : filter || "everything";
    const capture = LiveCapture.create(this.catalog, this.dataDir, id, `live ${c.info.host} ${what}`.slice(0, 200));
    const s: Session = {
      info: {
        id, host: c.info.host, filter, pid: req.pid ?? null, status: "starting", stored: 0, events: 0, drops: 0,
        eventsPerSec: 0, written: null, startedAt: new Date().toISOString(),
      },
      capture, collector: c, subscribers: new Map(), started: undefined,
    };
    if (req.packets) {
      s.packets = new LivePackets(this.dataDir, id, req.packets.iface || "any", req.packets.filter?.trim() ?? "");
      s.info.packets = s.packets.info;
    }
    capture.onCommit = () => {
      // The stored count moves with each commit, not only with the collector's stats.
      this.statsToSubscribers(s);
      this.pushRows(s);
    };
    this.sessions.set(id, s);
    const started = new Promise<void>((ok, ko) => (s.started = { ok, ko }));
    c.ws.send(JSON.stringify({
      type: "start", session: id, filter: filter || undefined, pid: req.pid, snaplen: req.snaplen,
      packets: s.packets ? { iface: s.packets.info.iface, filter: s.packets.info.filter || undefined } : undefined,
    }));
    const timer = setTimeout(() => s.started?.ko(new LiveError(504, `the collector of ${c.info.host} did not start the session within ${START_WAIT_MS / 1000} s`, "collector")), START_WAIT_MS);
    try {
      await started;
    } catch (e) {
      await this.finishSession(s, (e as Error).message);
      throw e;
    } finally {
      clearTimeout(timer);
    }
    this.broadcast({ type: "live-session", session: { ...s.info, stored: capture.events } });
    return { ...s.info, stored: capture.events };
  }

  /** Stops a session: the collector sends what it has left and `ended`; the capture is
   *  finished. Resolves with the session as it ended. */
  async stop(id: string): Promise<SessionInfo> {
    const s = this.sessions.get(id);
    if (!s) throw new LiveError(404, `no live session ${JSON.stringify(id)}`, "id");
    if (!isOver(s.info.status) && s.info.status !== "stopping") {
      s.info.status = "stopping";
      this.sessionChanged(s);
      s.collector.ws.send(JSON.stringify({ type: "stop", session: id }));
      const ended = this.whenEnded(s);
      const timer = setTimeout(() => void this.finishSession(s, `the collector did not end the session within ${STOP_WAIT_MS / 1000} s of the stop`), STOP_WAIT_MS);
      await ended;
      clearTimeout(timer);
    }
    return this.whenEnded(s);
  }

  private whenEnded(s: Session): Promise<SessionInfo> {
    s.ended ??= new Promise((r) => (s.endedBy = () => r({ ...s.info, stored: s.capture.events })));
    return s.ended;
  }

  private async finishSession(s: Session, failure?: string): Promise<void> {
    if (isOver(s.info.status) || s.finishing) return;
    s.finishing = true;
    s.started?.ko(new LiveError(502, failure ?? "the session ended before it started", "collector"));
    s.started = undefined;
    // Subscribers hear of a failure before the database is finished (that may take a moment).
    if (failure) for (const ws of s.subscribers.keys()) send(ws, { type: "live-failed", session: s.info.id, error: failure });
    const r = await s.capture.finish(failure);
    // The packet capture is made before the session says it is over: whoever waits for the
    // end finds both captures and their investigation.
    if (s.packets) await s.packets.finish(this.store, s.info.id, `live ${s.info.host} packets on ${s.packets.info.iface}`);
    s.info.status = r.events === 0 && r.error ? "error" : "ready";
    if (r.error) s.info.error = r.error;
    s.info.stored = r.events;
    await this.pushRowsNow(s);
    for (const ws of s.subscribers.keys()) send(ws, { type: "live-ended", session: s.info.id, status: s.info.status, events: r.events, written: s.info.written, drops: s.info.drops, error: r.error });
    this.broadcast({ type: "live-session", session: { ...s.info } });
    this.whenEnded(s);
    s.endedBy?.();
  }

  // --- browsers ------------------------------------------------------------------------------

  browserConnected(ws: WebSocket): void {
    this.browsers.add(ws);
  }

  browserMessage(ws: WebSocket, data: unknown): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(String(data));
    } catch {
      return;
    }
    const s = typeof m.session === "string" ? this.sessions.get(m.session) : undefined;
    if (m.type === "subscribe") {
      if (!s) return send(ws, { type: "live-error", session: m.session, error: "no such live session" });
      const filter = typeof m.filter === "string" ? m.filter.slice(0, 10_000) : "";
      // From the start: a browser that comes late sees the recording from its first event.
      const from = typeof m.from === "number" && m.from > 0 ? m.from : 1;
      s.subscribers.set(ws, { filter, from, again: false });
      send(ws, { type: "live-stats", session: s.info.id, ...this.counters(s) });
      if (isOver(s.info.status)) send(ws, { type: "live-ended", session: s.info.id, status: s.info.status, events: s.capture.events, written: s.info.written, drops: s.info.drops, error: s.info.error });
      void this.pushTo(s, ws);
    } else if (m.type === "unsubscribe" && s) {
      s.subscribers.delete(ws);
    }
  }

  browserClosed(ws: WebSocket): void {
    this.browsers.delete(ws);
    for (const s of this.sessions.values()) s.subscribers.delete(ws);
  }

  private counters(s: Session) {
    return { status: s.info.status, stored: s.capture.events, events: s.info.events, drops: s.info.drops, eventsPerSec: s.info.eventsPerSec };
  }

  private statsToSubscribers(s: Session): void {
    for (const ws of s.subscribers.keys()) send(ws, { type: "live-stats", session: s.info.id, ...this.counters(s) });
  }

  private sessionChanged(s: Session): void {
    this.statsToSubscribers(s);
    this.broadcast({ type: "live-session", session: { ...s.info, stored: s.capture.events } });
  }

  private pushRows(s: Session): void {
    for (const ws of s.subscribers.keys()) void this.pushTo(s, ws);
  }

  private async pushRowsNow(s: Session): Promise<void> {
    await Promise.all([...s.subscribers.keys()].map((ws) => this.pushTo(s, ws)));
  }

  /** New rows for one subscriber: one query at a time per subscriber (a commit while one runs
   *  asks again after it); resolves once the subscriber has every committed row. */
  private pushTo(s: Session, ws: WebSocket): Promise<void> {
    const sub = s.subscribers.get(ws);
    if (!sub) return Promise.resolve();
    if (sub.pump) {
      sub.again = true;
      return sub.pump;
    }
    sub.pump = this.pump(s, ws, sub).finally(() => (sub.pump = undefined));
    return sub.pump;
  }

  private async pump(s: Session, ws: WebSocket, sub: Subscriber): Promise<void> {
    do {
      sub.again = false;
      const stored = s.capture.events;
      if (sub.from > stored) break;
      // Far behind (a fast recording): skip ahead to the last screenful; the store has all.
      let skipped = 0;
      if (stored - sub.from > 20 * ROWS_PER_PUSH && !sub.filter) {
        skipped = stored - ROWS_PER_PUSH + 1 - sub.from;
        sub.from = stored - ROWS_PER_PUSH + 1;
      }
      let page: { events: EventRow[]; next: number | null };
      try {
        page = await this.store.query("events", [s.info.id, { from: sub.from, limit: ROWS_PER_PUSH, filter: sub.filter }]);
      } catch (e) {
        send(ws, { type: "live-error", session: s.info.id, error: e instanceof Error ? e.message : String(e) });
        s.subscribers.delete(ws);
        return;
      }
      if (!s.subscribers.has(ws)) return;
      // Rows up to what was committed when asked (a replay of the kept file may read
      // further); `next` says where the next ones start.
      const last = page.events.length ? page.events[page.events.length - 1].num : 0;
      sub.from = page.next ?? Math.max(stored, last) + 1;
      if (page.events.length || skipped) send(ws, { type: "live-rows", session: s.info.id, events: page.events, skipped });
      if (page.next !== null) sub.again = true;
    } while (sub.again && ws.readyState === WebSocket.OPEN);
  }

  private broadcast(m: object): void {
    for (const ws of this.browsers) send(ws, m);
  }

  /** Stops every session (finished as captures) and closes the catalog connection. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].filter((s) => !isOver(s.info.status)).map((s) => this.stop(s.info.id).catch(() => {})));
    for (const c of this.collectors.values()) c.ws.close(1001, "the server is stopping");
    this.catalog.close();
  }
}

function isOver(status: SessionStatus): boolean {
  return status === "ready" || status === "error";
}

function send(ws: WebSocket, m: object): void {
  // A browser that cannot keep up misses rows, not the recording: the store keeps every event.
  if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 8 << 20) ws.send(JSON.stringify(m));
}
