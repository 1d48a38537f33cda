// GRE (RFC 2784/2890): the checksum, key and sequence number its flags announce, then the
// payload by its EtherType (IPv4, IPv6, transparent Ethernet bridging ...). Version 1 is PPTP's
// enhanced GRE (RFC 2637), carrying PPP.

import type { Dissection } from "./dissection";
import { byEthertype } from "./ethertype";
import { decodePpp } from "./ppp";

export function decodeGre(d: Dissection, off: number, end: number): void {
  d.layer("gre", off, Math.min(4, end - off));
  if (end - off < 4) {
    d.column("GRE", "");
    d.malformed("gre", `${end - off} bytes, shorter than a GRE header`, off);
    return;
  }
  const fv = d.u16(off);
  const proto = d.u16(off + 2);
  const version = fv & 7;
  d.field("gre.flags_and_version", fv, off, 2);
  d.field("gre.proto", proto, off + 2, 2);
  let p = off + 4;
  const need = (fv & 0x8000 ? 4 : 0) + (fv & 0x2000 ? 4 : 0) + (fv & 0x1000 ? 4 : 0) + (version === 1 && fv & 0x0080 ? 4 : 0);
  if (end - p < need) {
    d.column("GRE", "Encapsulated");
    d.malformed("gre", `header of ${4 + need} bytes cut short at ${end - off}`, off);
    return;
  }
  if (fv & 0x8000) { d.field("gre.checksum", d.u16(p), p, 2); p += 4; }
  if (fv & 0x2000) {
    if (version === 1) {
      d.field("gre.payload_length", d.u16(p), p, 2);
      d.field("gre.call_id", d.u16(p + 2), p + 2, 2);
    } else d.field("gre.key", d.u32(p), p, 4);
    p += 4;
  }
  if (fv & 0x1000) { d.field("gre.sequence_number", d.u32(p), p, 4); p += 4; }
  if (version === 1 && fv & 0x0080) { d.field("gre.ack_number", d.u32(p), p, 4); p += 4; }
  d.layerLength(p - off);
  d.column("GRE", "Encapsulated");
  if (version === 1 && proto === 0x880b) return decodePpp(d, p, end);
  if (!byEthertype(d, proto, p, end)) d.payload(p, end);
}
