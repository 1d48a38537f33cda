// The packets a live session records beside its syscalls (collector/PROTOCOL.md, `packets`):
// the collector's tcpdump output, appended to a file in the data folder as frames come, and at
// the end of the session ingested as an ordinary packet capture (the store's ingestFile, which
// moves the file in) in one investigation with the session's syscall capture. Finished at the
// stop rather than growing: the packet ingest writes its database in one exclusive pass
// (server/ingest/packet-ingest.ts), and a live one would be a second ingest to keep in step.

import { closeSync, existsSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "../api/store-types";

const PREFIX = "live-packets-";

export interface LivePacketsInfo {
  iface: string;
  /** The pcap filter tcpdump applied ("" for every packet of the interface). */
  filter: string;
  /** The packet capture, once ingested at the end. */
  capture: string | null;
  /** The investigation holding both captures. */
  investigation: string | null;
  /** Bytes received so far. */
  bytes: number;
  /** tcpdump's counts, known once the collector ended the session. */
  captured: number | null;
  dropped: number | null;
  error?: string;
}

export class LivePackets {
  readonly info: LivePacketsInfo;
  private fd: number | undefined;
  private readonly path: string;
  private finished?: Promise<LivePacketsInfo>;

  constructor(dataDir: string, session: string, iface: string, filter: string) {
    this.path = join(dataDir, "captures", `${PREFIX}${session}.pcap`);
    this.fd = openSync(this.path, "w");
    this.info = { iface, filter, capture: null, investigation: null, bytes: 0, captured: null, dropped: null };
  }

  /** Files of sessions whose server died while they recorded: never to be finished. */
  static removeStale(dataDir: string): void {
    const dir = join(dataDir, "captures");
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) if (f.startsWith(PREFIX)) rmSync(join(dir, f), { force: true });
  }

  /** Bytes of the pcap stream, in order. */
  push(b: Uint8Array): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, b);
    this.info.bytes += b.length;
  }

  /** The collector's counts from its `ended`. */
  totals(m: unknown): void {
    if (!m || typeof m !== "object") return;
    const t = m as Record<string, unknown>;
    if (typeof t.captured === "number") this.info.captured = t.captured;
    if (typeof t.dropped === "number") this.info.dropped = t.dropped;
    if (typeof t.failure === "string") this.info.error = t.failure;
  }

  /** Ingests what arrived as a packet capture, in one investigation with `syscalls` (the
   *  session's capture). A session without a packet byte leaves no capture, and says why. */
  finish(store: Store, syscalls: string, name: string): Promise<LivePacketsInfo> {
    this.finished ??= (async () => {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
      if (this.info.bytes === 0) {
        rmSync(this.path, { force: true });
        this.info.error ??= "no packets arrived from the collector";
        return this.info;
      }
      try {
        const id = await store.ingestFile(this.path, name, undefined, { move: true });
        this.info.capture = id;
        const c = store.getCapture(id);
        if (c?.status === "error") this.info.error = c.error ?? "the packet capture did not ingest";
        this.info.investigation = store.investigations.create(name.replace(/ packets.*$/, ""), "Recorded live: the syscalls and, beside them, the packets.", [syscalls, id]).id;
      } catch (e) {
        this.info.error = e instanceof Error ? e.message : String(e);
      } finally {
        rmSync(this.path, { force: true });
      }
      return this.info;
    })();
    return this.finished;
  }
}
