// One recording: this host's header blocks, then the source's event blocks, through the whole
// sysdig filter (if any) with the state it needs, handed to `write` as a scap byte stream. The
// same for `casefile record` (write: a file) and a live session (write: WebSocket frames).

import { compileFilter, type Predicate } from "../server/core/filter/evaluate";
import { scapExport } from "../server/core/filter/filtered-export";
import { parseFilter, type ParseOptions } from "../server/core/filter/parser";
import type { Filter } from "../server/core/filter/ast";
import { ScapReader } from "../server/core/formats/scap/reader";
import { EVENT_BLOCK_LAYOUT } from "../server/core/formats/scap/blocks";
import { headerBlocks, snapshotHost, type HostSnapshot } from "./proc-snapshot";
import { kernelFilterOf } from "./kernel-filter";
import { EbpfSource, type CaptureSource, type KernelFilter, type SourceStats } from "./sources";

export interface RecordingStats extends SourceStats {
  /** Events written (after the filter). */
  written: number;
  /** Events per second delivered by the source over the last interval. */
  eventsPerSec: number;
}

export interface RecordingOptions {
  /** A sysdig filter: its kernel part thins the stream, the whole of it decides what is written. */
  filter?: string;
  /** Parse options of the filter (the host's services). */
  parse?: ParseOptions;
  snaplen?: number;
  /** The kernel filter to use instead of the filter's own part (attaching to a pid and its
   *  descendants: the loader follows forks). */
  kernel?: KernelFilter;
  /** Pids never traced (the collector's own, the server's): their events would feed back. */
  excludePids?: number[];
  /** The source (default: the eBPF loader with the kernel part of the filter). */
  source?: (kernel: KernelFilter) => CaptureSource;
  write(b: Uint8Array): void;
  onStats?(s: RecordingStats): void;
  /** The source ended by itself (a failure says why), not by stop(). */
  onEnd?(failure?: string): void;
  /** The snapshot to start from (default: read now). */
  snapshot?: HostSnapshot;
}

/** Parses a filter, throwing the parser's FilterError (it names the position). */
export function parseRecordingFilter(text: string | undefined, parse?: ParseOptions): Filter | undefined {
  return text && text.trim() ? parseFilter(text, parse) : undefined;
}

export class Recording {
  private source?: CaptureSource;
  private reader?: ScapReader;
  private exporter?: ReturnType<typeof scapExport>;
  private predicate?: Predicate;
  private last: SourceStats = { events: 0, drops: 0 };
  private lastAt = Date.now();
  private lastEvents = 0;
  private passthroughEvents = 0;
  private rate = 0;
  private stopped = false;
  private ended?: Promise<string | undefined>;
  readonly kernel: KernelFilter;

  constructor(private readonly opts: RecordingOptions) {
    const parsed = parseRecordingFilter(opts.filter, opts.parse);
    const snap = opts.snapshot ?? snapshotHost();
    this.opts.snapshot = snap;
    this.kernel = { ...(opts.kernel ?? kernelFilterOf(parsed, snap.processes)), excludePids: opts.excludePids, snaplen: opts.snaplen };
    if (parsed) this.predicate = compileFilter(parsed);
  }

  /** Writes the header blocks and starts the source; resolves once events flow. */
  async start(): Promise<void> {
    const header = headerBlocks(this.opts.snapshot);
    if (this.predicate) {
      this.exporter = scapExport(this.predicate);
      this.reader = new ScapReader(this.exporter.handler);
      this.feed(header);
    } else this.opts.write(header);
    this.source = (this.opts.source ?? ((k) => new EbpfSource(k)))(this.kernel);
    let endedBy: (failure?: string) => void = () => {};
    this.ended = new Promise((r) => (endedBy = r));
    await this.source.start({
      data: (b) => {
        if (this.reader) this.feed(b);
        else {
          this.opts.write(b);
          this.passthroughEvents += countEvents(b);
        }
      },
      stats: (s) => this.onSourceStats(s),
      end: (failure) => {
        endedBy(failure);
        if (!this.stopped) this.opts.onEnd?.(failure);
      },
    });
  }

  private feed(b: Uint8Array): void {
    this.reader!.push(b);
    for (const x of this.exporter!.out.take()) this.opts.write(x);
  }

  private onSourceStats(s: SourceStats): void {
    const now = Date.now();
    const eventsPerSec = now > this.lastAt ? ((s.events - this.lastEvents) * 1000) / (now - this.lastAt) : 0;
    this.last = s;
    this.lastAt = now;
    this.lastEvents = s.events;
    this.rate = eventsPerSec;
    this.opts.onStats?.({ ...s, written: this.written, eventsPerSec });
  }

  /** The source's counts, the events written, the last rate. */
  get stats(): RecordingStats {
    return { ...this.last, written: this.written, eventsPerSec: this.rate };
  }

  /** Events written so far. */
  get written(): number {
    return this.exporter ? this.exporter.events : this.passthroughEvents;
  }

  /** Holds the source back (the consumer is behind) / lets it go on. */
  pause(): void {
    this.source?.pause();
  }

  resume(): void {
    this.source?.resume();
  }

  /** Stops the source (its last events are still written); the totals. */
  async stop(): Promise<RecordingStats & { failure?: string }> {
    this.stopped = true;
    await this.source?.stop();
    const failure = await this.ended;
    return { ...this.last, written: this.written, eventsPerSec: 0, failure };
  }
}

/** Event blocks in a run of whole blocks. */
function countEvents(b: Buffer): number {
  let n = 0;
  for (let pos = 0; pos + 8 <= b.length; pos += b.readUInt32LE(pos + 4)) {
    if (EVENT_BLOCK_LAYOUT.has(b.readUInt32LE(pos))) n++;
    if (b.readUInt32LE(pos + 4) < 12) break;
  }
  return n;
}
