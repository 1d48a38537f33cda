// VXLAN (RFC 7348, UDP 4789): flags and the VNI, then an Ethernet frame; VXLAN-GPE (UDP 4790):
// the same header with a next-protocol byte (1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH).

import type { Dissection } from "./dissection";
import { decodeEthernet } from "./ethernet";
import { nextProtocol } from "./nsh";

export const VXLAN_PORT = 4789;
export const VXLAN_GPE_PORT = 4790;

export function decodeVxlan(d: Dissection, off: number, end: number): void {
  d.layer("vxlan", off, Math.min(8, end - off));
  if (end - off < 8) {
    d.column("VXLAN", "");
    d.malformed("vxlan", `${end - off} bytes, shorter than a VXLAN header`, off);
    return;
  }
  d.field("vxlan.flags", d.u8(off), off, 1);
  d.field("vxlan.vni", d.u32(off + 4) >>> 8, off + 4, 3);
  d.column("VXLAN", "");
  decodeEthernet(d, off + 8, end, 0);
}

export function decodeVxlanGpe(d: Dissection, off: number, end: number): void {
  d.layer("vxlan", off, Math.min(8, end - off));
  if (end - off < 8) {
    d.column("VXLAN", "");
    d.malformed("vxlan", `${end - off} bytes, shorter than a VXLAN-GPE header`, off);
    return;
  }
  d.field("vxlan.flags", d.u8(off), off, 1);
  d.field("vxlan.next_proto", d.u8(off + 3), off + 3, 1);
  d.field("vxlan.vni", d.u32(off + 4) >>> 8, off + 4, 3);
  d.column("VXLAN", "");
  nextProtocol(d, d.u8(off + 3), off + 8, end, "VXLAN");
}
