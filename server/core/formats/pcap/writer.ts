// Writes classic pcap (little-endian, nanosecond stamps, so that a packet's time round-trips
// exactly): a file header, then one record per packet. Pure: it returns bytes for the caller to
// write (the bench's generator, a live recording of packets).

import { LINKTYPE } from "../../packets/types";

export const PCAP_NS_MAGIC = 0xa1b23c4d;

export function pcapFileHeader(linktype: number = LINKTYPE.ETHERNET, snaplen = 262144): Uint8Array {
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, PCAP_NS_MAGIC, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, linktype, true);
  return b;
}

/** Appends one record to `out` at `pos` (the caller sizes `out`: 16 + data.length bytes);
 *  returns the position after it. */
export function writePcapRecord(out: Uint8Array, pos: number, tsNs: bigint, data: Uint8Array, origLen = data.length): number {
  const dv = new DataView(out.buffer, out.byteOffset + pos, 16);
  dv.setUint32(0, Number(tsNs / 1_000_000_000n), true);
  dv.setUint32(4, Number(tsNs % 1_000_000_000n), true);
  dv.setUint32(8, data.length, true);
  dv.setUint32(12, origLen, true);
  out.set(data, pos + 16);
  return pos + 16 + data.length;
}
