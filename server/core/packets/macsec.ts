// MACsec (IEEE 802.1AE, EtherType 0x88E5): the SecTAG after its EtherType (6 bytes, 14 with an
// SCI), then for a frame with integrity only (E and C clear) the plain EtherType and payload,
// followed by a 16-byte ICV; an encrypted frame is payload.

import type { Dissection } from "./dissection";
import { byEthertype, unknownEthertype } from "./ethertype";

const ICV = 16;

export function decodeMacsec(d: Dissection, off: number, end: number): void {
  const tci = end - off >= 1 ? d.u8(off) : 0;
  const tag = tci & 0x20 ? 14 : 6;
  d.layer("macsec", off, Math.min(tag, end - off));
  if (end - off < tag) {
    d.column("MACsec", "");
    d.malformed("macsec", "SecTAG cut short", off);
    return;
  }
  d.field("macsec.TCI", tci, off, 1);
  d.field("macsec.SL", d.u8(off + 1), off + 1, 1);
  d.field("macsec.PN", d.u32(off + 2), off + 2, 4);
  const p = off + tag;
  if (tci & 0x0c || end - p < 2 + ICV) {
    d.column("MACsec", tci & 0x0c ? "MACsec frame (encrypted)" : "MACsec frame");
    d.payload(p, end);
    return;
  }
  const type = d.u16(p);
  d.field("macsec.etype", type, p, 2);
  if (!byEthertype(d, type, p + 2, end - ICV)) unknownEthertype(d, type, p + 2, end - ICV);
}
