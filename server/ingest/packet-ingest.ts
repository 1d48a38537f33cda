// Ingest of a packet capture (pcap, pcapng, gzip of either) into its own SQLite database
// (db/migrations/packets-001.sql, -002.sql): the file is read as a stream, each packet decoded
// without its layer tree (the detail pane decodes again from the kept file, by offset), analysed
// in file order (conversations, findings: server/core/analyses/packet-analysis.ts) and written
// as numbers: a row of float64s per packet, its texts interned, batches handed to a writer
// thread (packet-writer.ts) that inserts each as one BLOB. The layers of a packet are never
// kept: a row is what the list, the filters and the views need.

import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RawPacket } from "../core/formats/raw-packet";
import { summaryDecoder } from "../core/packets/decode";
import type { DecodedPacket } from "../core/packets/types";
import type { PacketRow } from "../core/filter/packet-fields";
import { PacketAnalysis } from "../core/analyses/packet-analysis";
import { readPacketFile } from "./packet-stream";
import { PacketBatchWriter, type PacketBatch } from "./packet-writer";
import { PacketRowBuilder } from "./packet-rows";
import { DEFAULT_INGEST_LIMITS, IngestLimitError, LIMIT_MESSAGE_MARK, inlineSink, workerSink, type BatchSink, type IngestLimits } from "./ingest";

/** How the ingest decodes a packet (the packet decoders' entry point, without layers); the
 *  summary it returns may be the same object again at the next call. */
export type PacketDecoder = (raw: RawPacket) => DecodedPacket;

/** The ingest's decoder: the summary, without the Info texts that the stored numbers make (a
 *  plain TCP segment's: packets-004.sql). One summary object for every packet (summaryDecoder),
 *  shared by every ingest of this process: an ingest is done with a packet's (analysis, row)
 *  before it decodes the next, and two ingests never run a packet's synchronous part at once. */
export const decodeForIngest: PacketDecoder = summaryDecoder({ tcpInfoText: false });

export interface PacketIngestResult {
  format: "pcap" | "pcapng";
  packets: number;
  firstTs: bigint | null;
  lastTs: bigint | null;
  error?: string;
  errorOffset?: number;
  limited?: boolean;
}

class StopReading extends Error {}

/** A packet as the analyses and the store see it: the decoder's object itself, given its frame
 *  fields (no copy: copies showed in the ingest's profile). */
export function packetRow(raw: RawPacket, d: DecodedPacket): DecodedPacket & PacketRow {
  const p = d as DecodedPacket & PacketRow;
  p.num = raw.num;
  p.ts = raw.tsNs;
  p.len = raw.origLen;
  p.caplen = raw.caplen;
  return p;
}

export async function ingestPacketCapture(
  dbPath: string,
  file: string,
  decode: PacketDecoder,
  onProgress?: (p: { bytesRead: number; packets: number }) => void,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
  opts: { worker?: boolean } = {},
): Promise<PacketIngestResult> {
  // The rows go to SQLite in a worker thread (packet-writer-worker.ts) while this one reads and
  // decodes; inline for a small file (starting the thread costs more than it saves: tens of ms,
  // seconds on a loaded machine from the sources), when asked (tests) or without the worker's module.
  const useWorker = (opts.worker ?? statSync(file).size >= WORKER_MIN_BYTES) && existsSync(PACKET_WORKER_FILE);
  // The event ingest's sinks: the worker speaks its protocol (packet-writer-worker.ts).
  const sink: BatchSink<PacketBatch> = useWorker ? workerSink(dbPath, PACKET_WORKER_FILE) : inlineSink(new PacketBatchWriter(dbPath));
  let result: PacketIngestResult;
  let base: bigint | null;
  try {
    ({ result, base } = await ingestInto(sink, file, decode, onProgress, limits));
  } catch (e) {
    await sink.finish({}).catch(() => undefined);
    throw e;
  }
  await sink.finish({ base_ts: String(base ?? 0n), format: result.format, packets: String(result.packets) });
  return result;
}

/** Files from this size on are written by the worker thread (~40k packets of 128 bytes). */
const WORKER_MIN_BYTES = 4 << 20;

const PACKET_WORKER_FILE = join(dirname(fileURLToPath(import.meta.url)), "packet-writer-worker.mjs");

/** Packets per batch handed to the writer (2048 × 26 float64s: 426 kB). Larger batches kept
 *  their Info texts alive past the young generation's collections (copied, then promoted). */
const BATCH_ROWS = 2048;

async function ingestInto(
  sink: BatchSink<PacketBatch>, file: string, decode: PacketDecoder,
  onProgress: ((p: { bytesRead: number; packets: number }) => void) | undefined,
  limits: IngestLimits,
): Promise<{ result: PacketIngestResult; base: bigint | null }> {
  const builder = new PacketRowBuilder(BATCH_ROWS);
  const analysis = new PacketAnalysis(builder, builder);
  let base: bigint | null = null;
  // The base time as the reader's numbers (NaN: it gives none).
  let baseSec = NaN, baseSubNs = 0;
  let first: bigint | null = null, last: bigint | null = null;
  let packets = 0;
  let bytesRead = 0;
  let limited = false;
  let error: { message: string; offset: number } | undefined;

  const send = () => {
    const b = builder.take(sink.spare());
    if (b) sink.send(b);
  };

  const outcome = await readPacketFile(file, {
    onPacket(raw) {
      if (packets >= limits.maxEvents) {
        limited = true;
        throw new StopReading();
      }
      const row = packetRow(raw, decode(raw));
      if (base === null) {
        base = raw.tsNs;
        baseSec = raw.tsSec ?? NaN;
        baseSubNs = raw.tsSubNs ?? 0;
      }
      if (first === null || raw.tsNs < first) first = raw.tsNs;
      if (last === null || raw.tsNs > last) last = raw.tsNs;
      // The row first: the analysis takes its addresses' numbers from it (interned once).
      builder.add(row, raw, relativeTime(raw, base, baseSec, baseSubNs));
      builder.flow(analysis.add(row, builder.srcId, builder.dstId));
      packets++;
      if (builder.full) send();
    },
    onError(e) {
      error = e;
    },
  }, {
    onProgress: (b) => {
      bytesRead = b;
    },
    afterChunk: async () => {
      onProgress?.({ bytesRead, packets });
      await sink.drain();
    },
    maxInflatedBytes: limits.maxInflated,
  }).catch((e: unknown) => {
    if (e instanceof StopReading) return undefined;
    throw e;
  });
  if (outcome?.stoppedAt !== undefined) limited = true;
  if (limited && limits.overLimit === "refuse") {
    throw new IngestLimitError(`${LIMIT_MESSAGE_MARK}more than ${limits.maxEvents} packets or ${limits.maxInflated} bytes (CASEFILE_MAX_EVENTS, CASEFILE_MAX_INFLATED)`);
  }
  builder.addConversations(analysis.conversations(), base ?? 0n);
  send();
  const limitMessage = limited ? `${LIMIT_MESSAGE_MARK}kept the first ${packets} packets (CASEFILE_MAX_EVENTS=${limits.maxEvents}, CASEFILE_MAX_INFLATED=${limits.maxInflated})` : undefined;
  const err = error as { message: string; offset: number } | undefined;
  const format = outcome?.format ?? "pcap";
  return {
    result: {
      format, packets, firstTs: first, lastTs: last,
      ...(err ? { error: err.message, errorOffset: err.offset } : limitMessage ? { error: limitMessage } : {}),
      ...(limited ? { limited } : {}),
    },
    base,
  };
}

/** Below this many seconds from the base, seconds × 10^9 is exact in a double (10^9 = 2^9 × 5^9,
 *  and seconds × 5^9 stays under 2^53), so the sum with the nanoseconds' difference is rounded
 *  once, to the double that Number() makes of the bigint difference: the same stored value. */
const EXACT_SECONDS = 2 ** 32;

/** A packet's ns since the base time, as the store keeps them: from the reader's numbers when
 *  it gives them, else from the bigints (a subtraction and a conversion that allocated for every
 *  packet). */
function relativeTime(raw: RawPacket, base: bigint, baseSec: number, baseSubNs: number): number {
  const seconds = (raw.tsSec ?? NaN) - baseSec;
  return Math.abs(seconds) < EXACT_SECONDS ? seconds * 1e9 + (raw.tsSubNs! - baseSubNs) : Number(raw.tsNs - base);
}
