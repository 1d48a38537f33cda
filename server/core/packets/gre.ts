// GRE (RFC 2784/2890): the checksum, key and sequence number its flags announce, then the
// payload by its EtherType (IPv4, IPv6, transparent Ethernet bridging ...). Version 1 is PPTP's
// enhanced GRE (RFC 2637), carrying PPP.

import type { Dissection } from "./dissection";
import { byEthertype } from "./ethertype";
import { decodeEthernet } from "./ethernet";
import { decodeRawIp } from "./link";
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
  if (proto === CMD && end - p >= 8) {
    // Cisco MetaData in GRE: the next EtherType first, then version, length, options, SGT.
    d.layer("cmd", p, 8);
    const next = d.u16(p);
    d.field("cmd.type", next, p, 2);
    d.field("cmd.sgt", d.u16(p + 6), p + 6, 2);
    if (!byEthertype(d, next, p + 8, end)) d.payload(p + 8, end);
    return;
  }
  if (proto === ERSPAN_II || proto === ERSPAN_III) return erspan(d, proto, (fv & 0x1000) !== 0, p, end);
  if (!byEthertype(d, proto, p, end)) d.payload(p, end);
}

const CMD = 0x8909;
const ERSPAN_II = 0x88be;
const ERSPAN_III = 0x22eb;

/** ERSPAN: type I (0x88BE without a sequence number) has no header of its own; type II an
 *  8-byte one; type III a 12-byte one plus an 8-byte platform subheader when its O bit is set,
 *  and a frame type (0 Ethernet, 2 IP). */
function erspan(d: Dissection, proto: number, seq: boolean, p: number, end: number): void {
  if (proto === ERSPAN_II && !seq) return decodeEthernet(d, p, end, 0);
  const hlen = proto === ERSPAN_II ? 8 : 12;
  d.layer("erspan", p, Math.min(hlen, end - p));
  if (end - p < hlen) {
    d.column("ERSPAN", "");
    d.malformed("erspan", "header cut short", p);
    return;
  }
  d.field("erspan.version", d.u8(p) >> 4, p, 1);
  d.field("erspan.vlan", d.u16(p) & 0xfff, p, 2);
  d.field("erspan.spanid", d.u16(p + 2) & 0x3ff, p + 2, 2);
  let q = p + hlen;
  let frameType = 0;
  if (proto === ERSPAN_III) {
    const last = d.u16(p + 10);
    frameType = (last >> 10) & 0x1f;
    if (last & 1) q += 8;
  }
  if (q > end) {
    d.column("ERSPAN", "");
    d.malformed("erspan", "platform subheader cut short", p);
    return;
  }
  if (frameType === 0) return decodeEthernet(d, q, end, 0);
  if (frameType === 2) return decodeRawIp(d, q, end);
  d.column("ERSPAN", `frame type ${frameType}`);
  d.payload(q, end);
}
