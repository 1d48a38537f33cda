// PPP (RFC 1661) as PPPoE sessions, PPP link types and GRE version 1 (PPTP) carry it: the
// protocol field names IPv4 (0x0021), IPv6 (0x0057) or MPLS (0x0281, 0x0283); the rest is payload.

import type { Dissection } from "./dissection";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";
import { decodeMpls } from "./mpls";

/** A PPP frame starting at its protocol field (after any HDLC address/control bytes). */
export function decodePpp(d: Dissection, off: number, end: number): void {
  d.layer("ppp", off, Math.min(2, end - off));
  if (end - off < 1) {
    d.column("PPP", "");
    d.malformed("ppp", "frame cut short", off);
    return;
  }
  // Protocol-field compression: an odd first byte is a one-byte protocol.
  let proto: number;
  if (d.u8(off) & 1) { proto = d.u8(off); off += 1; }
  else {
    if (end - off < 2) { d.column("PPP", ""); d.malformed("ppp", "frame cut short", off); return; }
    proto = d.u16(off); off += 2;
  }
  d.field("ppp.protocol", proto, off - 2, 2);
  if (proto === 0x0021) return decodeIpv4(d, off, end);
  if (proto === 0x0057) return decodeIpv6(d, off, end);
  if (proto === 0x0281 || proto === 0x0283) return decodeMpls(d, off, end);
  d.column("PPP", `PPP protocol 0x${proto.toString(16).padStart(4, "0")}`);
  d.payload(off, end);
}

/** A PPP frame in HDLC-like framing: FF 03 before the protocol when present. */
export function decodePppHdlc(d: Dissection, off: number, end: number): void {
  if (end - off >= 2 && d.u8(off) === 0xff && d.u8(off + 1) === 0x03) off += 2;
  decodePpp(d, off, end);
}

export function decodePppoeSession(d: Dissection, off: number, end: number): void {
  d.layer("pppoes", off, Math.min(6, end - off));
  if (end - off < 6) {
    d.column("PPPoES", "");
    d.malformed("pppoes", "header cut short", off);
    return;
  }
  const len = d.u16(off + 4);
  d.field("pppoes.session_id", d.u16(off + 2), off + 2, 2);
  d.field("pppoe.payload_length", len, off + 4, 2);
  decodePpp(d, off + 6, Math.min(end, off + 6 + len));
}
