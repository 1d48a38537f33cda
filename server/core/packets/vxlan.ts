// VXLAN (RFC 7348, UDP 4789): flags and the VNI, then an Ethernet frame.

import type { Dissection } from "./dissection";
import { decodeEthernet } from "./ethernet";

export const VXLAN_PORT = 4789;

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
