// The collector's side of collector/PROTOCOL.md: one WebSocket to the server, the host's hello
// and process list, and a Recording per session whose bytes go out as binary frames (whole
// blocks, batched every ~50 ms or 256 KiB), with stats every second and `ended` at the end.

import { readFileSync } from "node:fs";
import { hostname, release } from "node:os";
import WebSocket from "ws";
import { hostServices } from "../server/ingest/host-services";
import { EVENT_BLOCK_LAYOUT } from "../server/core/formats/scap/blocks";
import { listProcesses } from "./proc-snapshot";
import { Recording } from "./recording";
import type { CaptureSource, KernelFilter } from "./sources";
import { IFACE_PATTERN, PacketRecorder, type PacketTotals } from "./packet-recorder";

export const COLLECTOR_VERSION = "0.1.0";
/** Frames go out this often, or sooner once FRAME_BYTES wait. */
const FRAME_MS = 50;
const FRAME_BYTES = 256 * 1024;
/** Past this much unsent, the sessions' sources are paused (the loader's ring then holds the
 *  events, and counts as drops what it cannot), until the socket is down to RESUME_BUFFERED:
 *  a server that is behind slows the collector instead of losing what the loader gave it. */
const PAUSE_BUFFERED = 8 * 1024 * 1024;
const RESUME_BUFFERED = 1024 * 1024;
/** How often a paused collector looks at the socket's backlog (ws has no drain event). */
const BACKLOG_POLL_MS = 5;
/** Past this much unsent, frames are dropped (and their events counted as drops) rather than
 *  held in memory without bound: only a source that goes on while paused gets here. */
const MAX_BUFFERED = 64 * 1024 * 1024;
const PROCESSES_EVERY_MS = 3000;

export interface CollectorOptions {
  server: string;
  token: string;
  host?: string;
  /** Pids never traced, besides the collector's own (the server's). */
  excludePids?: number[];
  /** Another source than the eBPF loader (tests, demos): made for each session. */
  source?: (kernel: KernelFilter) => CaptureSource;
  /** Connect again after a lost connection (default true). */
  reconnect?: boolean;
  log?: (line: string) => void;
}

interface Session {
  id: string;
  rec: Recording;
  parts: Buffer[];
  bytes: number;
  timer?: NodeJS.Timeout;
  statsTimer?: NodeJS.Timeout;
  sendDrops: number;
  ended: boolean;
  /** tcpdump beside the syscalls (`start` with `packets`), its bytes waiting to be sent. */
  packets?: PacketRecorder;
  packetParts: Buffer[];
  packetFailure?: string;
}

export type ProfileHandler = (msg: Record<string, unknown>, reply: (answer: Record<string, unknown>) => void) => void;

export class CollectorClient {
  private ws?: WebSocket;
  private readonly sessions = new Map<string, Session>();
  private closed = false;
  private procTimer?: NodeJS.Timeout;
  /** Set while the sources are paused for the socket's backlog. */
  private backlogTimer?: NodeJS.Timeout;
  private connected?: () => void;
  /** The profile helper's hook (PROTOCOL.md, `profile`). */
  onProfile?: ProfileHandler;
  readonly host: string;

  constructor(private readonly opts: CollectorOptions) {
    this.host = opts.host ?? hostname();
  }

  /** Connects (and keeps connecting); resolves after the first hello was sent. */
  start(): Promise<void> {
    return new Promise((ok) => {
      this.connected = ok;
      this.connect();
    });
  }

  private log(line: string): void {
    (this.opts.log ?? ((l) => process.stderr.write(`collector: ${l}\n`)))(line);
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.opts.server, { headers: { Authorization: `Bearer ${this.opts.token}` }, maxPayload: 16 * 1024 * 1024 });
    this.ws = ws;
    ws.on("open", () => {
      this.send({
        type: "hello", host: this.host, bootId: bootId(), kernel: release(), version: COLLECTOR_VERSION,
        pid: process.pid, processes: listProcesses(),
      });
      this.procTimer = setInterval(() => this.send({ type: "processes", processes: listProcesses() }), PROCESSES_EVERY_MS);
      this.log(`connected to ${this.opts.server} as host ${this.host}`);
      this.connected?.();
      this.connected = undefined;
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(data.toString());
      } catch {
        return;
      }
      void this.onMessage(m);
    });
    ws.on("error", (e) => this.log(`connection: ${e.message}`));
    ws.on("unexpected-response", (_req, res) => {
      this.log(`the server refused the connection: HTTP ${res.statusCode}${res.statusCode === 401 ? " (wrong or missing CASEFILE_TOKEN)" : ""}`);
    });
    ws.on("close", () => {
      clearInterval(this.procTimer);
      // Without the server nobody receives the sessions: they stop.
      for (const s of [...this.sessions.values()]) void this.stopSession(s, "the connection to the server was lost");
      if (!this.closed && this.opts.reconnect !== false) setTimeout(() => this.connect(), 1000);
    });
  }

  private send(m: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }

  private async onMessage(m: Record<string, unknown>): Promise<void> {
    const session = typeof m.session === "string" ? m.session : "";
    if (m.type === "start" && /^[\w-]{1,64}$/.test(session)) await this.startSession(session, m);
    else if (m.type === "stop") {
      const s = this.sessions.get(session);
      if (s) await this.stopSession(s);
      else this.send({ type: "ended", session, written: 0, events: 0, drops: 0, failure: "no such session on this collector" });
    } else if (m.type === "profile") {
      const reply = (a: Record<string, unknown>) => this.send({ type: "profile-result", request: m.request, ...a });
      if (this.onProfile) this.onProfile(m, reply);
      else reply({ error: "this collector does not take profiles" });
    }
  }

  private async startSession(id: string, m: Record<string, unknown>): Promise<void> {
    if (this.sessions.has(id)) return;
    const filter = typeof m.filter === "string" ? m.filter : undefined;
    const pid = typeof m.pid === "number" && Number.isSafeInteger(m.pid) && m.pid > 0 ? m.pid : undefined;
    const snaplen = typeof m.snaplen === "number" ? m.snaplen : undefined;
    const pk = m.packets && typeof m.packets === "object" ? (m.packets as Record<string, unknown>) : undefined;
    let s: Session;
    try {
      const rec: Recording = new Recording({
        filter, parse: { services: hostServices() }, snaplen,
        kernel: pid !== undefined ? { pids: [pid] } : undefined,
        excludePids: [process.pid, ...(this.opts.excludePids ?? [])],
        source: this.opts.source,
        write: (b) => this.queue(s, b),
        onEnd: (failure) => void this.stopSession(s, failure, true),
      });
      s = { id, rec, parts: [], bytes: 0, sendDrops: 0, ended: false, packetParts: [] };
      this.sessions.set(id, s);
      // Packets first, so that every connection the syscalls show has its packets.
      if (pk) {
        const iface = typeof pk.iface === "string" && pk.iface ? pk.iface : undefined;
        if (iface !== undefined && !IFACE_PATTERN.test(iface)) throw new Error(`not an interface name: ${JSON.stringify(iface)}`);
        s.packets = new PacketRecorder({
          iface, filter: typeof pk.filter === "string" ? pk.filter : undefined, exclude: serverEndpoint(this.opts.server),
          write: (b) => this.queuePackets(s, b),
          onEnd: (why) => (s.packetFailure = why),
        });
        await s.packets.start();
      }
      await rec.start();
    } catch (e) {
      await this.sessions.get(id)?.packets?.stop();
      this.sessions.delete(id);
      this.send({ type: "ended", session: id, written: 0, events: 0, drops: 0, failure: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.send({ type: "started", session: id, kernel: { pids: s.rec.kernel.pids, comms: s.rec.kernel.comms, cgroups: s.rec.kernel.cgroups } });
    s.statsTimer = setInterval(() => {
      const st = s.rec.stats;
      this.send({ type: "stats", session: id, events: st.events, drops: st.drops + s.sendDrops, written: s.rec.written, eventsPerSec: st.eventsPerSec });
    }, 1000);
  }

  private queue(s: Session, b: Uint8Array): void {
    s.parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    s.bytes += b.length;
    if (s.bytes >= FRAME_BYTES) this.flush(s);
    else s.timer ??= setTimeout(() => this.flush(s), FRAME_MS);
  }

  private queuePackets(s: Session, b: Buffer): void {
    s.packetParts.push(b);
    s.timer ??= setTimeout(() => this.flush(s), FRAME_MS);
  }

  /** The packets' bytes as one frame under the stream id `SESSION.pcap`. A byte stream cannot
   *  lose a piece and stay readable: past the socket's limit the packet recording stops
   *  instead (what was sent stays a valid capture up to there). */
  private flushPackets(s: Session): void {
    if (!s.packetParts.length) return;
    const id = Buffer.from(`${s.id}.pcap`, "ascii");
    const frame = Buffer.concat([Buffer.of(id.length), id, ...s.packetParts]);
    s.packetParts = [];
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED) {
      if (!s.packetFailure) {
        s.packetFailure = "packets stopped: the server could not take them fast enough";
        void s.packets?.stop();
      }
      return;
    }
    ws.send(frame);
  }

  private flush(s: Session): void {
    clearTimeout(s.timer);
    s.timer = undefined;
    this.flushPackets(s);
    if (!s.parts.length) return;
    const id = Buffer.from(s.id, "ascii");
    const frame = Buffer.concat([Buffer.of(id.length), id, ...s.parts]);
    s.parts = [];
    s.bytes = 0;
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED) {
      // Whole blocks are dropped, so the stream stays readable; every event in them counts.
      s.sendDrops += countEvents(frame, 1 + id.length);
      return;
    }
    ws.send(frame);
    if (ws.bufferedAmount > PAUSE_BUFFERED && !this.backlogTimer) this.holdBack(ws);
  }

  /** Pauses every session's source until the socket's backlog is small again (or the socket
   *  is gone: the sessions stop then anyway). */
  private holdBack(ws: WebSocket): void {
    for (const s of this.sessions.values()) s.rec.pause();
    this.backlogTimer = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > RESUME_BUFFERED) return;
      clearInterval(this.backlogTimer);
      this.backlogTimer = undefined;
      for (const s of this.sessions.values()) s.rec.resume();
    }, BACKLOG_POLL_MS);
  }

  private async stopSession(s: Session, failure?: string, sourceEnded = false): Promise<void> {
    if (s.ended) return;
    s.ended = true;
    clearInterval(s.statsTimer);
    // A paused source is let go to hand over its last events (bounded by MAX_BUFFERED).
    s.rec.resume();
    const totals = sourceEnded ? { ...s.rec.stats, failure } : await s.rec.stop();
    // Packets stop after the syscalls (their last packets are still sent).
    const packets: PacketTotals | undefined = await s.packets?.stop();
    this.flush(s);
    this.sessions.delete(s.id);
    this.send({
      type: "ended", session: s.id, written: s.rec.written, events: totals.events, drops: totals.drops + s.sendDrops,
      ...(failure ?? totals.failure ? { failure: failure ?? totals.failure } : {}),
      ...(packets ? { packets: { captured: packets.captured, dropped: packets.dropped, ...(s.packetFailure ?? packets.failure ? { failure: s.packetFailure ?? packets.failure } : {}) } } : {}),
    });
  }

  /** Stops every session and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions.values()].map((s) => this.stopSession(s)));
    clearInterval(this.procTimer);
    await new Promise<void>((r) => {
      if (!this.ws || this.ws.readyState === WebSocket.CLOSED) return r();
      this.ws.once("close", () => r());
      this.ws.close();
    });
  }
}

/** The server's address and port, whose traffic (this collector's own frames) a packet
 *  recording leaves out. */
function serverEndpoint(url: string): { host: string; port: number }[] {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const port = Number(u.port || (u.protocol === "wss:" ? 443 : 80));
    // A name tcpdump would resolve (localhost) is fine; anything odd is left to the filter.
    return /^[\w.:-]+$/.test(host) ? [{ host, port }] : [];
  } catch {
    return [];
  }
}

function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

function countEvents(b: Buffer, from: number): number {
  let n = 0;
  for (let pos = from; pos + 8 <= b.length;) {
    const total = b.readUInt32LE(pos + 4);
    if (EVENT_BLOCK_LAYOUT.has(b.readUInt32LE(pos))) n++;
    if (total < 12) break;
    pos += total;
  }
  return n;
}
