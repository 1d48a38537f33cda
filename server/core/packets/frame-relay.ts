// Frame Relay (LINKTYPE_FRELAY 107): the Q.922 address (2 to 4 bytes, until the EA bit), then
// either RFC 2427 multiprotocol encapsulation (control 0x03, an NLPID: 0xCC IPv4, 0x8E IPv6,
// 0x80 SNAP) or Cisco's (an EtherType straight after the address), told apart by the control
// byte as tshark does.

import type { Dissection } from "./dissection";
import { byEthertype, unknownEthertype } from "./ethertype";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";

export function decodeFrameRelay(d: Dissection, off: number, end: number): void {
  let p = off;
  while (p < end && p - off < 4 && !(d.u8(p) & 1)) p++;
  p++;
  d.layer("fr", off, Math.min(p, end) - off);
  if (p > end || p - off < 2) {
    d.column("FR", "");
    d.malformed("fr", "address cut short", off);
    return;
  }
  d.field("fr.dlci", ((d.u8(off) & 0xfc) << 2) | (d.u8(off + 1) >> 4), off, 2);
  if (end - p < 2) {
    d.column("FR", "");
    d.malformed("fr", "frame cut short after its address", p);
    return;
  }
  if (d.u8(p) !== 0x03) {
    // Cisco encapsulation: an EtherType.
    const type = d.u16(p);
    d.field("fr.ethertype", type, p, 2);
    if (!byEthertype(d, type, p + 2, end)) unknownEthertype(d, type, p + 2, end);
    return;
  }
  p++;
  if (p < end && d.u8(p) === 0x00) p++; // padding before some NLPIDs
  if (p >= end) {
    d.column("FR", "");
    d.malformed("fr", "frame cut short before its NLPID", p);
    return;
  }
  const nlpid = d.u8(p);
  d.field("fr.nlpid", nlpid, p, 1);
  if (nlpid === 0xcc) return decodeIpv4(d, p + 1, end);
  if (nlpid === 0x8e) return decodeIpv6(d, p + 1, end);
  if (nlpid === 0x80 && end - p >= 6) {
    const oui = (d.u8(p + 1) << 16) | d.u16(p + 2);
    const pid = d.u16(p + 4);
    if (oui === 0 && byEthertype(d, pid, p + 6, end)) return;
  }
  d.column("FR", `NLPID 0x${nlpid.toString(16).padStart(2, "0")}`);
  d.payload(p + 1, end);
}
