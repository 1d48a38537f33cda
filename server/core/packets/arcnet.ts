// ARCNET (LINKTYPE_ARCNET_BSD 7, LINKTYPE_ARCNET_LINUX 129 with a 2-byte offset field):
// source and destination ids, then a protocol id. RFC 1051 ids (240 IP, 241 ARP) follow at
// once; RFC 1201 ids (212 IP, 213 ARP, 214 RARP) have a split flag and sequence number first,
// and an exception packet (split flag 0xFF) repeats them.

import { decodeArp } from "./arp";
import type { Dissection } from "./dissection";
import { decodeIpv4 } from "./ipv4";

export function decodeArcnet(d: Dissection, off: number, end: number, linux: boolean): void {
  let p = off + (linux ? 4 : 2);
  d.layer("arcnet", off, Math.min(p + 1, end) - off);
  if (end - p < 1) {
    d.column("ARCNET", "");
    d.malformed("arcnet", "header cut short", off);
    return;
  }
  d.field("arcnet.src", d.u8(off), off, 1);
  d.field("arcnet.dst", d.u8(off + 1), off + 1, 1);
  if (!d.quoted) {
    d.out.src = `0x${d.u8(off).toString(16).padStart(2, "0")}`;
    d.out.dst = `0x${d.u8(off + 1).toString(16).padStart(2, "0")}`;
  }
  const proto = d.u8(p++);
  d.field("arcnet.protID", proto, p - 1, 1);
  if (proto === 212 || proto === 213 || proto === 214) {
    if (end - p >= 1 && d.u8(p) === 0xff) p += 4;
    p += 3;
    if (p > end) {
      d.column("ARCNET", "");
      d.malformed("arcnet", "RFC 1201 header cut short", off);
      return;
    }
  }
  if (proto === 240 || proto === 212) return decodeIpv4(d, p, end);
  if (proto === 241 || proto === 213 || proto === 214) return decodeArp(d, p, end);
  d.column("ARCNET", `protocol ${proto}`);
  d.payload(p, end);
}
