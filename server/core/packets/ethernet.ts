// Ethernet II and IEEE 802.3 frames (with an 802.2 LLC header, SNAP carrying an EtherType).

import { mac } from "./address";
import type { Dissection } from "./dissection";
import { byEthertype, unknownEthertype } from "./ethertype";

export function decodeEthernet(d: Dissection, off: number, end: number, fcsLen: number): void {
  if (fcsLen > 0 && end - off >= 14 + fcsLen) end -= fcsLen;
  d.layer("eth", off, Math.min(14, end - off));
  if (end - off < 14) {
    d.column("Ethernet", "");
    d.malformed("eth", `frame of ${end - off} bytes, shorter than an Ethernet header`, off);
    return;
  }
  const type = d.u16(off + 12);
  if (d.detail) {
    d.field("eth.dst", mac(d.data, off), off, 6);
    d.field("eth.src", mac(d.data, off + 6), off + 6, 6);
  }
  if (!d.quoted) {
    d.linkSrc = off + 6;
    d.linkDst = off;
  }
  if (type >= 0x0600) {
    d.field("eth.type", type, off + 12, 2);
    if (!byEthertype(d, type, off + 14, end)) unknownEthertype(d, type, off + 14, end);
    return;
  }
  // 802.3: a length, then LLC. The length bounds the payload (what follows is padding).
  d.field("eth.len", type, off + 12, 2);
  llc(d, off + 14, Math.min(end, off + 14 + type));
}

/** IEEE 802.2 LLC; SNAP (AA AA 03) with OUI 0 names an EtherType. */
export function llc(d: Dissection, off: number, end: number): void {
  d.layer("llc", off, Math.min(3, end - off));
  if (end - off < 3) {
    d.column("LLC", "");
    d.malformed("llc", "header cut short", off);
    return;
  }
  const dsap = d.u8(off);
  const ssap = d.u8(off + 1);
  d.field("llc.dsap", dsap, off, 1);
  d.field("llc.ssap", ssap, off + 1, 1);
  d.field("llc.control", d.u8(off + 2), off + 2, 1);
  if (dsap === 0xaa && ssap === 0xaa && end - off >= 8) {
    const oui = (d.u8(off + 3) << 16) | d.u16(off + 4);
    const type = d.u16(off + 6);
    d.field("llc.oui", oui, off + 3, 3);
    d.field("llc.type", type, off + 6, 2);
    if (oui === 0 && byEthertype(d, type, off + 8, end)) return;
  }
  d.column("LLC", `DSAP 0x${dsap.toString(16).padStart(2, "0")} SSAP 0x${ssap.toString(16).padStart(2, "0")}`);
  d.payload(off + 3, end);
}
