// The link layers that are not Ethernet: Linux cooked captures (SLL, SLL2), BSD loopback
// (DLT_NULL: the address family in the capturing host's byte order; DLT_LOOP: in network
// order), raw IP (the version nibble says 4 or 6), and PPP.

import { mac } from "./address";
import type { Dissection } from "./dissection";
import { decodeEthernet, llc } from "./ethernet";
import { byEthertype, unknownEthertype } from "./ethertype";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";

/** Linux cooked capture v1: packet type, ARPHRD type, link address, protocol. */
export function decodeSll(d: Dissection, off: number, end: number): void {
  d.layer("sll", off, Math.min(16, end - off));
  if (end - off < 16) {
    d.column("SLL", "");
    d.malformed("sll", `${end - off} bytes, shorter than a cooked header`, off);
    return;
  }
  const alen = d.u16(off + 4);
  d.field("sll.pkttype", d.u16(off), off, 2);
  d.field("sll.hatype", d.u16(off + 2), off + 2, 2);
  d.field("sll.halen", alen, off + 4, 2);
  if (alen === 6 && !d.quoted) d.out.src = mac(d.data, off + 6);
  sllPayload(d, d.u16(off + 2), d.u16(off + 14), off + 16, end);
}

/** Linux cooked capture v2: protocol first, then interface index, ARPHRD type, packet type and
 *  the link address. */
export function decodeSll2(d: Dissection, off: number, end: number): void {
  d.layer("sll", off, Math.min(20, end - off));
  if (end - off < 20) {
    d.column("SLL", "");
    d.malformed("sll", `${end - off} bytes, shorter than a cooked v2 header`, off);
    return;
  }
  d.field("sll.ifindex", d.u32(off + 4), off + 4, 4);
  d.field("sll.hatype", d.u16(off + 8), off + 8, 2);
  d.field("sll.pkttype", d.u8(off + 10), off + 10, 1);
  if (d.u8(off + 11) === 6 && !d.quoted) d.out.src = mac(d.data, off + 12);
  sllPayload(d, d.u16(off + 8), d.u16(off), off + 20, end);
}

function sllPayload(d: Dissection, hatype: number, proto: number, off: number, end: number): void {
  d.field("sll.etype", proto, off - 2, 2);
  // ARPHRD_IPGRE (778): the protocol is a GRE protocol type, an EtherType as well. Values under
  // 0x600 are Linux's own: 4 is 802.2 LLC, 1 Novell 802.3.
  if (proto === 0x0004) return llc(d, off, end);
  if (hatype === 1 && proto === 0x6558) return decodeEthernet(d, off, end, 0);
  if (!byEthertype(d, proto, off, end)) unknownEthertype(d, proto, off, end);
}

/** BSD loopback: a 4-byte address family, host byte order (NULL) or network order (LOOP). */
export function decodeNull(d: Dissection, off: number, end: number, networkOrder: boolean): void {
  d.layer("null", off, Math.min(4, end - off));
  if (end - off < 4) {
    d.column("NULL", "");
    d.malformed("null", `${end - off} bytes, shorter than a loopback header`, off);
    return;
  }
  let family = d.dv.getUint32(off, false);
  // The capturing host's byte order: a value with its low 16 bits clear was written
  // little-endian (families are small numbers), as tshark guesses.
  if (!networkOrder && (family & 0xffff) === 0) family = d.dv.getUint32(off, true);
  d.field("null.family", family, off, 4);
  // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD, BSD/OS), 28
  // (FreeBSD), 30 (macOS).
  if (family === 2) return decodeIpv4(d, off + 4, end);
  if (family === 10 || family === 24 || family === 28 || family === 30) return decodeIpv6(d, off + 4, end);
  d.column("NULL", `Unknown address family ${family}`);
  d.payload(off + 4, end);
}

/** Raw IP: the first nibble tells the version. */
export function decodeRawIp(d: Dissection, off: number, end: number): void {
  if (end - off >= 1) {
    const v = d.u8(off) >> 4;
    if (v === 4) return decodeIpv4(d, off, end);
    if (v === 6) return decodeIpv6(d, off, end);
  }
  d.layer("raw", off, end - off);
  d.column("Raw", end - off < 1 ? "" : `Not IP (version ${d.u8(off) >> 4})`);
  d.malformed("raw", end - off < 1 ? "empty packet" : `version ${d.u8(off) >> 4}: neither IPv4 nor IPv6`, off);
}

export { byEthertype };
