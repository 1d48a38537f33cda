// MPLS label stacks: labels until the bottom-of-stack bit, then the payload guessed from its
// first nibble (4 IPv4, 6 IPv6), as tshark does by default.

import type { Dissection } from "./dissection";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";

export function decodeMpls(d: Dissection, off: number, end: number): void {
  for (let n = 0; ; n++) {
    d.layer("mpls", off, 4);
    if (end - off < 4) {
      d.column("MPLS", "");
      d.malformed("mpls", "label cut short", off);
      return;
    }
    const v = d.u32(off);
    d.field("mpls.label", v >>> 12, off, 3);
    d.field("mpls.bottom", (v >>> 8) & 1, off + 2, 1);
    d.field("mpls.ttl", v & 0xff, off + 3, 1);
    off += 4;
    if ((v >>> 8) & 1 || n > 32) break;
  }
  if (end - off >= 1) {
    const nib = d.u8(off) >> 4;
    if (nib === 4) return decodeIpv4(d, off, end);
    if (nib === 6) return decodeIpv6(d, off, end);
  }
  d.column("MPLS", "MPLS Label Switched Packet");
  d.payload(off, end);
}
