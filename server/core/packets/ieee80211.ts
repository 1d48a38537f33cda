// IEEE 802.11 frames (LINKTYPE_IEEE802_11 105) and the radiotap header before them
// (LINKTYPE_IEEE802_11_RADIOTAP 127): the addresses by frame type and the DS bits (the
// Source/Destination columns are the frame's SA and DA, as tshark shows them), and an
// unprotected data frame's LLC payload.

import { mac } from "./address";
import type { Dissection } from "./dissection";
import { llc } from "./ethernet";

/** Radiotap: version, pad, a little-endian length, present flags; the Flags field (bit 1, a byte
 *  after the TSFT field when bit 0 is present) says whether the frame ends in an FCS. */
export function decodeRadiotap(d: Dissection, off: number, end: number): void {
  d.layer("radiotap", off, Math.min(8, end - off));
  if (end - off < 8) {
    d.column("802.11", "");
    d.malformed("radiotap", "header cut short", off);
    return;
  }
  const len = d.dv.getUint16(off + 2, true);
  const present = d.dv.getUint32(off + 4, true);
  d.field("radiotap.length", len, off + 2, 2);
  if (len < 8 || off + len > end) {
    d.column("802.11", "");
    d.malformed("radiotap", `length ${len} does not fit the packet`, off + 2);
    return;
  }
  d.layerLength(len);
  let fcs = 0;
  if (present & 2 && !(present & 0x80000000)) {
    // Fields start after the present words; TSFT (8 bytes, 8-aligned) comes before Flags.
    let p = off + 8;
    if (present & 1) p = ((p - off + 7) & ~7) + off + 8;
    if (p < off + len && d.u8(p) & 0x10) fcs = 4;
  }
  decodeIeee80211(d, off + len, end - fcs);
}

export function decodeIeee80211(d: Dissection, off: number, end: number): void {
  d.layer("wlan", off, Math.min(24, end - off));
  if (end - off < 10) {
    d.column("802.11", "");
    d.malformed("wlan", "frame cut short", off);
    return;
  }
  const fc0 = d.u8(off);
  const fc1 = d.u8(off + 1);
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  d.field("wlan.fc.type", type, off, 1);
  d.field("wlan.fc.subtype", subtype, off, 1);
  const a = (i: number) => (off + 4 + 6 * i + 6 <= end ? mac(d.data, off + 4 + 6 * i) : "");
  let src = "";
  let dst = a(0);
  let hdr = 24;
  if (type === 0) src = a(1);
  else if (type === 1) {
    // Control frames with a transmitter address: BAR, BA, PS-Poll, RTS, CF-End(+Ack).
    if (subtype >= 8 && subtype !== 12 && subtype !== 13) src = a(1);
    hdr = end - off;
  } else if (type === 2) {
    const ds = fc1 & 3;
    if (ds === 0) src = a(1);
    else if (ds === 1) { src = a(1); dst = a(2); }
    else if (ds === 2) src = a(2);
    else {
      dst = a(2);
      src = off + 30 <= end ? mac(d.data, off + 24) : "";
      hdr += 6;
    }
    if (subtype & 8) hdr += 2 + (fc1 & 0x80 ? 4 : 0);
  }
  d.field("wlan.da", dst, off + 4, 6);
  if (src) d.field("wlan.sa", src, off + 10, 6);
  if (!d.quoted) {
    d.out.src = src;
    d.out.dst = dst;
  }
  if (type === 2 && !(fc1 & 0x40) && !(subtype & 4) && off + hdr < end) {
    d.layerLength(hdr);
    d.column("802.11", "Data");
    llc(d, off + hdr, end);
    return;
  }
  d.column("802.11", type === 0 ? "Management frame" : type === 1 ? "Control frame" : "Data");
  d.payload(off + Math.min(hdr, end - off), end);
}
