// IEEE 802.1Q VLAN tags, stacked as 802.1ad QinQ (an outer 0x88a8 or 0x9100 tag, then 0x8100).

import type { Dissection } from "./dissection";
import { byEthertype, unknownEthertype } from "./ethertype";
import { llc } from "./ethernet";

export function decodeVlan(d: Dissection, tpid: number, off: number, end: number): void {
  // tshark names the 802.1ad service tag (0x88A8) ieee8021ad, and 0x8100/0x9100 tags vlan.
  const name = tpid === 0x88a8 ? "ieee8021ad" : "vlan";
  d.layer(name, off, Math.min(4, end - off));
  if (end - off < 4) {
    d.column("802.1Q", "");
    d.malformed("vlan", "tag cut short", off);
    return;
  }
  const tci = d.u16(off);
  const type = d.u16(off + 2);
  d.field(`${name}.priority`, tci >> 13, off, 2);
  d.field(`${name}.id`, tci & 0xfff, off, 2);
  if (type < 0x0600) {
    d.field(`${name}.len`, type, off + 2, 2);
    llc(d, off + 4, Math.min(end, off + 4 + type));
    return;
  }
  d.field(`${name}.etype`, type, off + 2, 2);
  if (!byEthertype(d, type, off + 4, end)) unknownEthertype(d, type, off + 4, end);
}
