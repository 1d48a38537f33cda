// PIM (IP protocol 103): version and type; a Register (type 1) carries a whole IP packet after
// its 4 flag bytes (RFC 7761 4.9.3), decoded as tshark does.

import type { Dissection } from "./dissection";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";

const TYPES = ["Hello", "Register", "Register-stop", "Join/Prune", "Bootstrap", "Assert", "Graft", "Graft-Ack", "Candidate-RP-Advertisement"];

export function decodePim(d: Dissection, off: number, end: number): void {
  d.layer("pim", off, Math.min(4, end - off));
  if (end - off < 4) {
    d.column("PIM", "");
    d.malformed("pim", "header cut short", off);
    return;
  }
  const version = d.u8(off) >> 4;
  const type = d.u8(off) & 0xf;
  d.field("pim.version", version, off, 1);
  d.field("pim.type", type, off, 1);
  d.column("PIM", TYPES[type] ?? `Type ${type}`);
  if (version === 2 && type === 1 && end - off > 8) {
    const nib = d.u8(off + 8) >> 4;
    if (nib === 4) return decodeIpv4(d, off + 8, end);
    if (nib === 6) return decodeIpv6(d, off + 8, end);
  }
  d.payload(off + 4, end);
}
