// Ingest of a packet capture (pcap, pcapng, gzip of either) into its own SQLite database
// (db/migrations/packets-001.sql): the file is read as a stream, each packet decoded without its
// layer tree (the detail pane decodes again from the kept file, by offset), analysed in file
// order (conversations, findings: server/core/analyses/packet-analysis.ts) and inserted in
// multi-row statements inside large transactions. The layers of a packet are never kept: a
// row is what the list, the filters and the views need.

import { openDb, type Db } from "../../db/open-db";
import type { RawPacket } from "../core/formats/raw-packet";
import type { DecodedPacket } from "../core/packets/types";
import type { PacketRow } from "../core/filter/packet-fields";
import { PacketAnalysis, type Finding } from "../core/analyses/packet-analysis";
import { readPacketFile } from "./packet-stream";
import { packetInsert, packetValues, PACKET_COLUMNS } from "./packet-rows";
import { DEFAULT_INGEST_LIMITS, IngestLimitError, LIMIT_MESSAGE_MARK, type IngestLimits } from "./ingest";

/** How the ingest decodes a packet (the packet decoders' entry point, without layers). */
export type PacketDecoder = (raw: RawPacket) => DecodedPacket;

export interface PacketIngestResult {
  format: "pcap" | "pcapng";
  packets: number;
  firstTs: bigint | null;
  lastTs: bigint | null;
  error?: string;
  errorOffset?: number;
  limited?: boolean;
}

/** Rows per INSERT statement: 500 x 27 columns stays under SQLite's 32766 bound values. */
const ROWS_PER_INSERT = 500;
/** Rows per transaction. */
const ROWS_PER_TRANSACTION = 100_000;

class StopReading extends Error {}

/** A packet as the analyses and the store see it: the decoder's fresh object itself, given its
 *  frame fields (no copy: the ingest makes one per packet, and copies showed in its profile). */
export function packetRow(raw: RawPacket, d: DecodedPacket): PacketRow {
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
): Promise<PacketIngestResult> {
  const db = openDb(dbPath, "packets");
  // As the event ingest writes (sqlite-batch-writer.ts): nobody reads the database before the
  // ingest ends and a failed ingest is thrown away, so no journal, no syncs, one lock; WAL again
  // for the readers after.
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -32768");
  db.pragma("locking_mode = EXCLUSIVE");
  try {
    return await ingestInto(db, file, decode, onProgress, limits);
  } finally {
    db.pragma("locking_mode = NORMAL");
    db.pragma("journal_mode = WAL");
    db.close();
  }
}

async function ingestInto(
  db: Db, file: string, decode: PacketDecoder,
  onProgress: ((p: { bytesRead: number; packets: number }) => void) | undefined,
  limits: IngestLimits,
): Promise<PacketIngestResult> {
  const bulk = packetInsert(db, ROWS_PER_INSERT);
  const single = packetInsert(db, 1);
  const analysis = new PacketAnalysis();
  // Findings go to the database with the packets' transactions, not kept: a damaged link can
  // make one for most packets.
  const find = db.prepare("INSERT OR IGNORE INTO findings (num, kind, detail, ref_num, flow) VALUES (?, ?, ?, ?, ?)");
  let findings: Finding[] = [];
  let base: bigint | null = null;
  let first: bigint | null = null, last: bigint | null = null;
  let pending: unknown[] = [];
  let pendingRows = 0;
  let inTransaction = 0;
  let packets = 0;
  let bytesRead = 0;
  let limited = false;
  let error: { message: string; offset: number } | undefined;

  const flush = (all: boolean) => {
    if (pendingRows === 0) return;
    if (inTransaction === 0) db.exec("BEGIN");
    for (const f of findings) find.run(f.num, f.kind, f.detail, f.refNum ?? null, f.flow ?? null);
    findings = [];
    if (pendingRows === ROWS_PER_INSERT) bulk.run(pending);
    else {
      const w = PACKET_COLUMNS.length;
      for (let i = 0; i < pendingRows; i++) single.run(pending.slice(i * w, (i + 1) * w));
    }
    inTransaction += pendingRows;
    pending = [];
    pendingRows = 0;
    if (all || inTransaction >= ROWS_PER_TRANSACTION) {
      db.exec("COMMIT");
      inTransaction = 0;
    }
  };

  const outcome = await readPacketFile(file, {
    onPacket(raw) {
      if (packets >= limits.maxEvents) {
        limited = true;
        throw new StopReading();
      }
      const row = packetRow(raw, decode(raw));
      base ??= raw.tsNs;
      if (first === null || raw.tsNs < first) first = raw.tsNs;
      if (last === null || raw.tsNs > last) last = raw.tsNs;
      const v = analysis.add(row);
      if (v.findings.length) for (const f of v.findings) findings.push(f);
      const vals = packetValues(row, { offset: raw.offset, linktype: raw.linktype, flow: v.flow }, base);
      for (let i = 0; i < vals.length; i++) pending.push(vals[i]);
      packets++;
      if (++pendingRows === ROWS_PER_INSERT) flush(false);
    },
    onError(e) {
      error = e;
    },
  }, {
    onProgress: (b) => {
      bytesRead = b;
    },
    afterChunk: async () => onProgress?.({ bytesRead, packets }),
    maxInflatedBytes: limits.maxInflated,
  }).catch((e: unknown) => {
    if (e instanceof StopReading) return undefined;
    throw e;
  });
  if (outcome?.stoppedAt !== undefined) limited = true;
  if (limited && limits.overLimit === "refuse") {
    if (inTransaction) db.exec("ROLLBACK");
    throw new IngestLimitError(`${LIMIT_MESSAGE_MARK}more than ${limits.maxEvents} packets or ${limits.maxInflated} bytes (CASEFILE_MAX_EVENTS, CASEFILE_MAX_INFLATED)`);
  }
  flush(true);
  writeAnalysis(db, analysis, base ?? 0n);
  const meta = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  meta.run("base_ts", String(base ?? 0n));
  meta.run("format", outcome?.format ?? "pcap");
  meta.run("packets", String(packets));
  db.exec("CREATE INDEX packets_flow ON packets (flow, num)");
  const limitMessage = limited ? `${LIMIT_MESSAGE_MARK}kept the first ${packets} packets (CASEFILE_MAX_EVENTS=${limits.maxEvents}, CASEFILE_MAX_INFLATED=${limits.maxInflated})` : undefined;
  const err = error as { message: string; offset: number } | undefined;
  return {
    format: outcome?.format ?? "pcap", packets, firstTs: first, lastTs: last,
    ...(err ? { error: err.message, errorOffset: err.offset } : limitMessage ? { error: limitMessage } : {}),
    ...(limited ? { limited } : {}),
  };
}

function writeAnalysis(db: Db, analysis: PacketAnalysis, base: bigint): void {
  const conv = db.prepare(`INSERT INTO conversations (id, ip_proto, a_addr, a_port, b_addr, b_port, first_num, last_num,
    first_ts, last_ts, packets_ab, bytes_ab, packets_ba, bytes_ba, retransmissions, syn_num, synack_num, ack_num, rtt_ns)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const c of analysis.conversations()) {
      conv.run(c.id, c.ipProto, c.aAddr, c.aPort ?? null, c.bAddr, c.bPort ?? null, c.firstNum, c.lastNum,
        Number(c.firstTs - base), Number(c.lastTs - base), c.packetsAB, c.bytesAB, c.packetsBA, c.bytesBA,
        c.retransmissions, c.synNum ?? null, c.synAckNum ?? null, c.ackNum ?? null,
        c.rttNs === undefined ? null : Number(c.rttNs));
    }
  })();
}
