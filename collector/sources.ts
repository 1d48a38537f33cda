// Capture sources behind one interface (as libscap has one for live and file captures): each
// hands over whole scap event blocks, in order, and counts events and drops. `ebpf` runs the
// loader (bpf/loader) and forwards its stdout; `file` replays the event blocks of a .scap at a
// given rate (tests, demos, machines without BPF). The header blocks are the collector's own
// (proc-snapshot.ts): a source gives events only.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EVENT_BLOCK_LAYOUT } from "../server/core/formats/scap/blocks";
import { ScapReader } from "../server/core/formats/scap/reader";
import { readCaptureFile } from "../server/ingest/capture-stream";

export interface SourceStats {
  /** Events delivered so far (cumulative). */
  events: number;
  /** Events lost before delivery so far (cumulative): ring-buffer reservations that failed. */
  drops: number;
}

export interface SourceHandlers {
  /** Whole event blocks, one or more. The buffer is the handler's to keep. */
  data(blocks: Buffer): void;
  /** About once a second. */
  stats(s: SourceStats): void;
  /** The source stopped: asked to or ran out (no failure), or failed (the failure says why). */
  end(failure?: string): void;
}

export interface KernelFilter {
  pids?: number[];
  comms?: string[];
  cgroups?: string[];
  excludePids?: number[];
  snaplen?: number;
}

export interface CaptureSource {
  readonly kind: "ebpf" | "file";
  /** Resolves once events flow (the loader attached); rejects when it cannot start. */
  start(h: SourceHandlers): Promise<void>;
  /** Stops; resolves once the last events and stats were handed over and end() was called. */
  stop(): Promise<void>;
  /** Holds the data back while the consumer cannot take more (the server is behind), and
   *  lets it flow again: what the kernel cannot hold meanwhile is counted as its drops. */
  pause(): void;
  resume(): void;
}

/** Cuts a byte stream into whole blocks: a pipe splits anywhere, and a consumer that keeps the
 *  bytes (a growing capture file read while it grows) must never see half a block. */
export class BlockFramer {
  private pending: Buffer = Buffer.alloc(0);
  events = 0;
  constructor(private readonly emit: (b: Buffer) => void) {}

  push(chunk: Buffer): void {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    while (buf.length - pos >= 8) {
      const total = buf.readUInt32LE(pos + 4);
      if (total < 12 || total > 256 * 1024 * 1024) throw new Error(`corrupt block from the source (length ${total})`);
      if (buf.length - pos < total) break;
      if (EVENT_BLOCK_LAYOUT.has(buf.readUInt32LE(pos))) this.events++;
      pos += total;
    }
    if (pos > 0) this.emit(pos === buf.length ? buf : buf.subarray(0, pos));
    this.pending = pos === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }

  /** Bytes of an incomplete block left over. */
  get leftover(): number {
    return this.pending.length;
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));
/** bpf/loader, built by `make -C bpf` (scripts/setup.sh): next to the sources, or beside the
 *  bundle's folder. */
export function loaderPath(): string | undefined {
  return [join(HERE, "../bpf/loader"), join(HERE, "../../bpf/loader")].find((p) => existsSync(p));
}

/** The loader's options for a kernel filter. */
export function loaderArgs(f: KernelFilter): string[] {
  const a: string[] = [];
  for (const p of f.pids ?? []) a.push("--pid", String(p));
  for (const c of f.comms ?? []) a.push("--comm", c);
  for (const c of f.cgroups ?? []) a.push("--cgroup", c);
  for (const p of f.excludePids ?? []) a.push("--exclude-pid", String(p));
  if (f.snaplen !== undefined) a.push("--snaplen", String(f.snaplen));
  return a;
}

/** The eBPF source: bpf/loader, its stdout the event blocks, its stderr a `ready` line once
 *  attached and `stats events=N drops=M` (cumulative) once a second. */
export class EbpfSource implements CaptureSource {
  readonly kind = "ebpf";
  private child?: ChildProcess;
  private ended?: Promise<void>;
  private stopping = false;

  constructor(private readonly filter: KernelFilter = {}, private readonly loader = loaderPath()) {}

  start(h: SourceHandlers): Promise<void> {
    if (!this.loader) return Promise.reject(new Error("bpf/loader is not built: run `make -C bpf` (scripts/setup.sh does) as root"));
    const child = spawn(this.loader, loaderArgs(this.filter), { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const framer = new BlockFramer((b) => h.data(b));
    let stderrTail = "";
    let lastStats: SourceStats = { events: 0, drops: 0 };
    return new Promise((ready, fail) => {
      let isReady = false;
      let errText = "";
      child.stdout!.on("data", (c: Buffer) => {
        try {
          framer.push(c);
        } catch (e) {
          errText = e instanceof Error ? e.message : String(e);
          child.kill("SIGTERM");
        }
      });
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (s: string) => {
        stderrTail += s;
        const lines = stderrTail.split("\n");
        stderrTail = lines.pop() ?? "";
        for (const line of lines) {
          const st = /stats events=(\d+) drops=(\d+)(?: toolarge=(\d+))?/.exec(line);
          if (st) {
            // Events too large for the kernel's scratch area are lost too: counted as drops.
            lastStats = { events: Number(st[1]), drops: Number(st[2]) + Number(st[3] ?? 0) };
            h.stats(lastStats);
          } else if (line.startsWith('{"net"')) {
            // Network facts (bpf/README.md): not scap events; not kept yet.
          } else if (!isReady && /"ready"|\bready\b/.test(line)) {
            isReady = true;
            ready();
          } else if (line.trim()) errText = line.trim();
        }
      });
      this.ended = new Promise((done) => {
        child.on("close", (code, signal) => {
          const asked = this.stopping && (code === 0 || signal === "SIGTERM" || signal === "SIGINT");
          const reason = asked ? undefined
            : `the loader ${code !== null ? `exited with status ${code}` : `was killed by ${signal}`}${errText ? `: ${errText}` : ""}`;
          if (!isReady) fail(new Error(reason ?? "the loader stopped before it was ready"));
          h.end(reason);
          done();
        });
      });
      child.on("error", (e) => {
        errText = e.message;
      });
    });
  }

  // The loader's pipe is not read: its writes block, its ring buffer fills, and the kernel
  // counts what does not fit (drops=). Nothing is lost unseen in between.
  pause(): void {
    this.child?.stdout?.pause();
  }

  resume(): void {
    this.child?.stdout?.resume();
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return this.ended;
    this.stopping = true;
    // SIGINT: the loader drains the ring and writes its last stats line before it exits.
    this.child.kill("SIGINT");
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), 3000);
    await this.ended;
    clearTimeout(timer);
  }
}

/** The file source: the event blocks of a capture file (gzip or not), replayed at `rate`
 *  events per second (Infinity: as fast as they are taken), `loops` times. Header blocks are
 *  skipped: the collector writes its own. */
export class FileSource implements CaptureSource {
  readonly kind = "file";
  private stopped = false;
  private done?: Promise<void>;
  /** Set while paused: resolves on resume. */
  private held?: { promise: Promise<void>; release: () => void };

  constructor(private readonly path: string, private readonly opts: { rate?: number; loops?: number } = {}) {}

  start(h: SourceHandlers): Promise<void> {
    if (!existsSync(this.path)) return Promise.reject(new Error(`${this.path}: no such file`));
    this.done = this.run(h);
    return Promise.resolve();
  }

  private async run(h: SourceHandlers): Promise<void> {
    const rate = this.opts.rate ?? Infinity;
    let events = 0;
    let batch: Buffer[] = [];
    let batchEvents = 0;
    const started = Date.now();
    let lastStats = started;
    const flush = async () => {
      if (batch.length) h.data(Buffer.concat(batch));
      batch = [];
      batchEvents = 0;
      const now = Date.now();
      if (now - lastStats >= 1000) {
        lastStats = now;
        h.stats({ events, drops: 0 });
      }
      // Held back while paused (the replay's time goes on: it catches up after).
      while (this.held && !this.stopped) await this.held.promise;
      // Paced: wait until the events sent are due at this rate.
      const due = started + (events / rate) * 1000;
      const wait = Number.isFinite(rate) ? due - Date.now() : 0;
      await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)));
    };
    let failure: string | undefined;
    try {
      for (let loop = 0; loop < (this.opts.loops ?? 1) && !this.stopped; loop++) {
        // Event blocks lie one after another in the reader's chunk: each run of them is copied
        // once (a copy per block cost more than the rest of the replay).
        let runBuf: Uint8Array | undefined;
        let runStart = 0;
        let runEnd = 0;
        const closeRun = () => {
          if (runBuf && runEnd > runStart) batch.push(Buffer.from(runBuf.subarray(runStart, runEnd)));
          runBuf = undefined;
        };
        const handler = {
          rawBlock: (buf: Uint8Array, start: number, total: number) => {
            if (!EVENT_BLOCK_LAYOUT.has(new DataView(buf.buffer, buf.byteOffset + start, 4).getUint32(0, true))) {
              closeRun();
              return;
            }
            if (buf !== runBuf || start !== runEnd) {
              closeRun();
              runBuf = buf;
              runStart = start;
            }
            runEnd = start + total;
            events++;
            batchEvents++;
          },
          event: () => {},
        };
        const { error } = await readCaptureFile(this.path, handler, {
          chunkSize: 64 * 1024,
          afterChunk: async () => {
            closeRun();
            if (this.stopped) throw new StopReplay();
            // At most ~50 ms of events per batch at the rate.
            if (batchEvents >= Math.min(4096, Math.max(1, rate / 20))) await flush();
          },
        }).catch((e: unknown) => {
          if (e instanceof StopReplay) return { reader: undefined as unknown as ScapReader, error: undefined };
          throw e;
        });
        closeRun();
        if (error) failure = `${this.path}: ${error.message}`;
      }
      await flush();
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
    h.stats({ events, drops: 0 });
    h.end(failure);
  }

  pause(): void {
    if (this.held) return;
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.held = { promise, release };
  }

  resume(): void {
    const h = this.held;
    this.held = undefined;
    h?.release();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resume();
    await this.done;
  }
}

class StopReplay extends Error {}
