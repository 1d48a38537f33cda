// `casefile packets FILE.pcap[ng][.gz] [FILTER]`: one line per packet, in the columns of tshark's
// default output: number, time, source → destination, protocol, length on the wire, info.
//
// The time is tshark's default (-t r): seconds since the file's first packet (not the first
// shown one, so that a filter does not move the clock), with 6 decimals, or 9 when the capture
// stamps nanoseconds (a nanosecond pcap, a pcapng interface with if_tsresol 9), as tshark
// chooses its precision from the file. The filter is sysdig's language over tshark's field
// names (`icmp.type=3 and icmp.code=4`, `vrrp.vrid=1`, `tcp.port=80`: `casefile fields`).

import { compilePacketFilter, parsePacketFilter } from "../core/filter/packet-filter";
import type { CaptureInterface } from "../core/formats/raw-packet";
import { decodePacket } from "../core/packets/decode";
import type { DecodedPacket } from "../core/packets/types";
import { captureKind, isPacketKind } from "../ingest/capture-kind";
import { hostServices } from "../ingest/host-services";
import { packetRow } from "../ingest/packet-ingest";
import { NotPacketCaptureError, readPacketFile } from "../ingest/packet-stream";
import { readOptions } from "./options";
import { BufferedOut, fail } from "./output";

const USAGE = "usage: casefile packets FILE.pcap[ng][.gz] [FILTER]";

/** "SECONDS.FRACTION" of a non-negative ns difference, with `digits` decimals (truncated, as
 *  tshark's nstime printing does). */
export function relativeTime(ns: bigint, digits: number): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const sec = a / 1_000_000_000n;
  const frac = (a % 1_000_000_000n).toString().padStart(9, "0").slice(0, digits);
  return `${neg ? "-" : ""}${sec}.${frac}`;
}

/** The decimals tshark prints an interface's times with, from if_tsresol: 10^-n (n decimals) or
 *  2^-n (as many decimals as 2^n needs), never fewer than 6 or more than 9. */
export function timeDecimals(i: CaptureInterface): number {
  const r = i.tsresol ?? 6;
  const n = r & 0x80 ? Math.ceil((r & 0x7f) * Math.log10(2)) : r;
  return Math.min(9, Math.max(6, n));
}

/** One line: the columns of tshark's default output. */
export function packetsLine(num: number, time: string, len: number, d: DecodedPacket): string {
  const info = d.malformed && !d.info.includes("Malformed") ? `${d.info}${d.info ? " " : ""}[Malformed: ${d.malformed}]` : d.info;
  return `${String(num).padStart(5)} ${time.padStart(10)} ${d.src} → ${d.dst} ${d.proto} ${len} ${info}`;
}

export async function packetsCommand(args: string[]): Promise<number> {
  const o = readOptions(args, {});
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const [file, filter = "", extra] = o.positional;
  if (!file || extra !== undefined) return fail(USAGE);
  let matches: ((p: ReturnType<typeof packetRow>) => boolean) | null = null;
  if (filter.trim()) {
    try {
      matches = compilePacketFilter(parsePacketFilter(filter, hostServices()));
    } catch (e) {
      return fail((e as Error).message);
    }
  }
  const kind = await captureKind(file).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? "missing" : "unknown"));
  if (kind === "missing") return fail(`${file}: no such file`);
  if (!isPacketKind(kind)) {
    return fail(kind === "scap" ? `${file}: a sysdig capture, not a packet capture: read it with casefile events (at byte 0)` : `${file}: not a pcap or pcapng file (at byte 0)`);
  }
  const out = new BufferedOut(process.stdout);
  let first: bigint | undefined;
  const digitsOf = new Map<number, number>();
  const outcome = await readPacketFile(file, {
    onInterface: (i) => digitsOf.set(i.index, timeDecimals(i)),
    onPacket(raw) {
      first ??= raw.tsNs;
      const d = decodePacket(raw, { layers: false });
      if (matches && !matches(packetRow(raw, d))) return;
      out.line(packetsLine(raw.num, relativeTime(raw.tsNs - first, digitsOf.get(raw.ifIndex) ?? 6), raw.origLen, d));
    },
    onError() {},
  }).catch((e: unknown) => {
    if (e instanceof NotPacketCaptureError) return { error: { message: e.message } };
    throw e;
  });
  await out.flush();
  // A damaged file: every packet before the damage, then the reason naming the byte offset.
  if (outcome.error) return fail(`${file}: ${outcome.error.message}`);
  return 0;
}
