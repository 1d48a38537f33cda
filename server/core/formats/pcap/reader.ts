// A streaming reader of classic pcap files (libpcap's savefile format): a 24-byte file header
// (magic in either byte order, micro- or nanosecond stamps, snaplen, link type with the FCS
// bits), then records of a 16-byte header and the captured bytes. Facts from the pcap format
// draft (draft-ietf-opsawg-pcap) and what tshark 4.0 (wiretap/libpcap.c) accepts.

import { FramingError, RecordFramer } from "../record-framer";
import {
  MAX_PACKET_RECORD, type CaptureInterface, type PacketHandler, type PacketReader, type RawPacket,
} from "../raw-packet";

/** Magic numbers as read big-endian from the first 4 bytes. */
export const PCAP_MAGIC = {
  US_BE: 0xa1b2c3d4,
  US_LE: 0xd4c3b2a1,
  NS_BE: 0xa1b23c4d,
  NS_LE: 0x4d3cb2a1,
} as const;

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/** Whether these first bytes start a classic pcap file. */
export function isPcap(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const m = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  return m === PCAP_MAGIC.US_BE || m === PCAP_MAGIC.US_LE || m === PCAP_MAGIC.NS_BE || m === PCAP_MAGIC.NS_LE;
}

export class PcapReader extends RecordFramer implements PacketReader {
  packets = 0;
  private sawHeader = false;
  private le = true;
  /** Nanoseconds per unit of the fraction field: 1000 (µs files) or 1 (ns files). */
  private fracNs = 1000;
  private linktype = 0;
  private fcsLen = 0;
  /** The last record's seconds and them in ns (-1: none yet). */
  private sec = -1;
  private secNs = 0n;
  /** The one packet object handed on, filled anew for each record (made with the file header). */
  private packet: PcapPacket | null = null;
  snaplen = 0;
  major = 0;
  minor = 0;

  constructor(private readonly handler: PacketHandler) {
    super((e) => handler.onError(e));
  }

  end(): void {
    if (this.failed) return;
    if (!this.sawHeader) {
      const n = this.pendingBytes;
      this.fail(new FramingError(
        n === 0 ? "empty input: not a pcap file" : `pcap file cut short in its file header (${n} of ${FILE_HEADER} bytes)`, 0));
    } else if (this.pendingBytes > 0) {
      this.fail(new FramingError(
        `pcap file cut short in the middle of packet ${this.packets + 1} (${this.pendingBytes} bytes of its record)`,
        this.offset));
    }
  }

  protected need(buf: Uint8Array, dv: DataView, pos: number, avail: number): number {
    if (!this.sawHeader) return FILE_HEADER;
    if (avail < RECORD_HEADER) return RECORD_HEADER;
    const caplen = dv.getUint32(pos + 8, this.le);
    if (caplen > MAX_PACKET_RECORD) {
      // As wiretap: a bigger record is a corrupt header; nothing after it can be trusted.
      throw new FramingError(
        `pcap: packet ${this.packets + 1} claims ${caplen} captured bytes, more than the maximum of ${MAX_PACKET_RECORD}`,
        this.offset);
    }
    return RECORD_HEADER + caplen;
  }

  protected record(buf: Uint8Array, dv: DataView, pos: number, len: number): void {
    if (!this.sawHeader) {
      this.fileHeader(buf, dv, pos);
      return;
    }
    const le = this.le;
    const sec = dv.getUint32(pos, le);
    const frac = dv.getUint32(pos + 4, le);
    // The second in ns as a bigint is made once per second, not per packet (a bigint product
    // and its conversion were two of the four bigints each packet allocated here).
    if (sec !== this.sec) {
      this.sec = sec;
      this.secNs = BigInt(sec) * 1_000_000_000n;
    }
    const p = this.packet!;
    p.num = ++this.packets;
    // Seconds and the fraction are added as they are (a fraction of a second or more in a
    // malformed record carries over).
    p.tsSec = sec;
    p.tsSubNs = frac * this.fracNs;
    p.tsNs = this.secNs + BigInt(p.tsSubNs);
    p.caplen = len - RECORD_HEADER;
    p.origLen = dv.getUint32(pos + 12, le);
    p.chunk = buf;
    p.at = pos + RECORD_HEADER;
    p.offset = this.offset;
    this.handler.onPacket(p);
  }

  private fileHeader(buf: Uint8Array, dv: DataView, pos: number): void {
    const magic = dv.getUint32(pos, false);
    if (magic === PCAP_MAGIC.US_BE || magic === PCAP_MAGIC.NS_BE) this.le = false;
    else if (magic === PCAP_MAGIC.US_LE || magic === PCAP_MAGIC.NS_LE) this.le = true;
    else throw new FramingError(`not a pcap file (magic 0x${magic.toString(16).padStart(8, "0")})`, 0);
    this.fracNs = magic === PCAP_MAGIC.NS_BE || magic === PCAP_MAGIC.NS_LE ? 1 : 1000;
    this.major = dv.getUint16(pos + 4, this.le);
    this.minor = dv.getUint16(pos + 6, this.le);
    this.snaplen = dv.getUint32(pos + 16, this.le);
    const network = dv.getUint32(pos + 20, this.le);
    // The link type is the low 26 bits; bit 26 says the top 4 bits give the FCS length in
    // 16-bit words (libpcap's LT_LINKTYPE / LT_FCS_LENGTH_PRESENT / LT_FCS_LENGTH).
    this.linktype = network & 0x03ffffff;
    this.fcsLen = network & 0x04000000 ? ((network >>> 28) & 0xf) * 2 : 0;
    this.sawHeader = true;
    this.packet = new PcapPacket(this.linktype, buf, this.fcsLen);
    this.handler.onSection?.({ offset: 0, littleEndian: this.le, major: this.major, minor: this.minor });
    const iface: CaptureInterface = { index: 0, linktype: this.linktype, snaplen: this.snaplen, tsresol: this.fracNs === 1 ? 9 : 6 };
    if (this.fcsLen) iface.fcsLen = this.fcsLen;
    this.handler.onInterface?.(iface);
  }
}

/** A pcap record as a RawPacket: its bytes stay in the chunk (chunk, at), and `data` is a view of
 *  them made when asked for. */
class PcapPacket implements RawPacket {
  num = 0;
  tsNs = 0n;
  tsSec = 0;
  tsSubNs = 0;
  caplen = 0;
  origLen = 0;
  ifIndex = 0;
  offset = 0;
  at = 0;
  fcsLen: number | undefined;

  constructor(readonly linktype: number, public chunk: Uint8Array, fcsLen: number) {
    if (fcsLen) this.fcsLen = fcsLen;
  }

  get data(): Uint8Array {
    return this.chunk.subarray(this.at, this.at + this.caplen);
  }
}
