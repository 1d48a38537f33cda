// Feeding a packet capture file (pcap or pcapng, gzip-compressed or not) to its reader: the
// format is sniffed from the content (inside the gzip for a compressed file), the file is read
// and inflated as a stream, never held whole in memory.

import { PcapReader } from "../core/formats/pcap/reader";
import { PcapngReader } from "../core/formats/pcapng/reader";
import type { PacketHandler, PacketReadError, PacketReader } from "../core/formats/raw-packet";
import { sniffCapture } from "../core/formats/sniff";
import { fileChunks, type ChunkOptions } from "./file-chunks";

export interface PacketReadOutcome {
  format: "pcap" | "pcapng";
  gzip: boolean;
  packets: number;
  /** Set when the file was damaged: every whole packet before the damage was delivered. */
  error?: PacketReadError;
  /** Set when reading stopped at opts.maxInflatedBytes. */
  stoppedAt?: number;
}

/** A file that is not a packet capture at all (nothing was delivered). */
export class NotPacketCaptureError extends Error {
  constructor(readonly path: string, readonly kind: string) {
    super(kind === "scap"
      ? `${path} is a sysdig capture, not a packet capture: read it with casefile events (at byte 0)`
      : `${path} is not a pcap or pcapng file (at byte 0)`);
    this.name = "NotPacketCaptureError";
  }
}

/** Bytes looked at before choosing a reader: a pcapng section header (with its options) and the
 *  next block's type, which tells pcapng from scap. */
const SNIFF_BYTES = 64 * 1024 + 8;

export function newPacketReader(kind: "pcap" | "pcapng", handler: PacketHandler): PacketReader {
  return kind === "pcap" ? new PcapReader(handler) : new PcapngReader(handler);
}

export async function readPacketFile(path: string, handler: PacketHandler, opts: ChunkOptions = {}): Promise<PacketReadOutcome> {
  const src = await fileChunks(path, opts);
  const gzip = src.gzip;
  let reader: PacketReader | null = null;
  let format: "pcap" | "pcapng" = "pcap";
  let head: Buffer[] = [];
  let headLen = 0;
  let error: PacketReadError | undefined;
  // Calls through `handler` (not a spread of it: a class's methods are not own properties).
  const wrapped: PacketHandler = {
    onPacket: (p) => handler.onPacket(p),
    onInterface: (i) => handler.onInterface?.(i),
    onSection: (x) => handler.onSection?.(x),
    onError: (e) => {
      // In a gzip file the offsets are of the inflated data: the message says so, since they
      // cannot be found in the file as stored.
      error = gzip ? { message: e.message.replace(/\(at byte (\d+)\)$/, "(at byte $1 of the inflated data)"), offset: e.offset, inflated: true } : e;
      handler.onError(error);
    },
  };
  /** Chooses the reader once the first bytes tell the format; false while they cannot yet. */
  const choose = (ended: boolean): boolean => {
    const buf = Buffer.concat(head);
    const kind = sniffCapture(buf, ended || headLen >= SNIFF_BYTES);
    if (kind === "more") return false;
    if (kind !== "pcap" && kind !== "pcapng") throw new NotPacketCaptureError(path, gzip && kind === "gzip" ? "gzip inside gzip" : kind);
    format = kind;
    reader = newPacketReader(kind, wrapped);
    head = [];
    reader.feed(buf);
    return true;
  };
  const outcome = (extra: Partial<PacketReadOutcome> = {}): PacketReadOutcome =>
    ({ format, gzip, packets: reader ? reader.packets : 0, ...(error ? { error } : {}), ...extra });

  try {
    for await (const c of src.chunks) {
      if (reader) (reader as PacketReader).feed(c);
      else {
        head.push(c);
        headLen += c.length;
        choose(false);
      }
      if (error) break; // the reader stopped at damage: every whole packet before it was delivered
    }
    if (!reader) choose(true);
    if (src.stoppedAt !== undefined) return outcome({ stoppedAt: src.stoppedAt });
    if (error) return outcome();
    (reader as unknown as PacketReader).end();
    return outcome();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (gzip && (err.code?.startsWith("Z_") || /unexpected end of file|incorrect (data|length) check/.test(err.message))) {
      // Every whole packet inflated before the damage was delivered.
      if (!reader && headLen > 0) choose(true);
      const at = reader ? (reader as PacketReader).offset : 0;
      error = {
        message: `gzip stream damaged or cut short (${err.message}) after ${src.inflated} bytes of inflated data; reading stopped (at byte ${at} of the inflated data)`,
        offset: at, inflated: true,
      };
      handler.onError(error);
      return outcome();
    }
    throw e;
  }
}
