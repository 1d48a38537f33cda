// Network Service Header (RFC 8300, EtherType 0x894F, VXLAN-GPE next protocol 4): a base
// header with the total length in 4-byte words and the next protocol (1 IPv4, 2 IPv6, 3
// Ethernet).

import type { Dissection } from "./dissection";
import { decodeEthernet } from "./ethernet";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";

export function decodeNsh(d: Dissection, off: number, end: number): void {
  d.layer("nsh", off, Math.min(8, end - off));
  if (end - off < 8) {
    d.column("NSH", "");
    d.malformed("nsh", "header cut short", off);
    return;
  }
  const len = (d.u16(off) & 0x3f) * 4;
  const next = d.u8(off + 3);
  d.field("nsh.length", len, off, 2);
  d.field("nsh.mdtype", d.u8(off + 2) & 0xf, off + 2, 1);
  d.field("nsh.nextproto", next, off + 3, 1);
  d.field("nsh.spi", d.u32(off + 4) >>> 8, off + 4, 3);
  if (len < 8 || off + len > end) {
    d.column("NSH", "");
    d.malformed("nsh", `length ${len} does not fit the packet`, off);
    return;
  }
  d.layerLength(len);
  nextProtocol(d, next, off + len, end, "NSH");
}

/** The next-protocol numbers NSH and VXLAN-GPE share. */
export function nextProtocol(d: Dissection, next: number, off: number, end: number, who: string): void {
  if (next === 1) return decodeIpv4(d, off, end);
  if (next === 2) return decodeIpv6(d, off, end);
  if (next === 3) return decodeEthernet(d, off, end, 0);
  if (next === 4) return decodeNsh(d, off, end);
  d.column(who, `next protocol ${next}`);
  d.payload(off, end);
}
