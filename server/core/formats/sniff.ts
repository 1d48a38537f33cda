// What a capture file is, from its first bytes: the readers are chosen by content, never by the
// file's name. scap and pcapng share their section header block (scap was built on pcapng):
// the block after it tells them apart, since scap's block types are 0x200 and up (machine
// info, process list ...) and pcapng's are small (1 for an interface description, 6 for a
// packet) or its custom 0xBAD / 0x40000BAD.

import { isPcap } from "./pcap/reader";

export type CaptureKind = "scap" | "pcap" | "pcapng" | "gzip" | "unknown";

const SHB = 0x0a0d0d0a;

/** The kind of capture these first bytes start, or "more" when they cannot tell yet (and
 *  `ended` is false). A gzip file is "gzip": sniff its inflated start again. A section header
 *  not followed by a block (a file of one empty section) reads as scap, as the scap reader
 *  has always taken it. */
export function sniffCapture(head: Uint8Array, ended = true): CaptureKind | "more" {
  if (head.length < 4) {
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
    return ended ? "unknown" : "more";
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (isPcap(head)) return "pcap";
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (dv.getUint32(0, true) !== SHB) return "unknown";
  if (head.length < 12) return ended ? "unknown" : "more";
  const bom = dv.getUint32(8, true);
  const le = bom === 0x1a2b3c4d;
  if (!le && bom !== 0x4d3c2b1a) return "unknown";
  const shbLen = dv.getUint32(4, le);
  if (shbLen < 28 || shbLen % 4 !== 0) return "unknown";
  // scap is written little-endian only: a big-endian section is pcapng's.
  if (!le) return "pcapng";
  if (head.length < shbLen + 4) return ended ? "scap" : "more";
  const next = dv.getUint32(shbLen, le);
  return next < 0x200 || next === 0xbad || next === 0x40000bad ? "pcapng" : "scap";
}
