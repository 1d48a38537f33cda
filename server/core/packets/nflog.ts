// Linux NFLOG (LINKTYPE_NFLOG 239): an address family, version and group, then TLVs whose
// length and type are in the capturing host's byte order (little-endian on the hosts that write
// them; tshark guesses the same way); the payload TLV (type 9) holds the IP packet.

import type { Dissection } from "./dissection";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";

const NFULA_PAYLOAD = 9;

export function decodeNflog(d: Dissection, off: number, end: number): void {
  d.layer("nflog", off, Math.min(4, end - off));
  if (end - off < 4) {
    d.column("NFLOG", "");
    d.malformed("nflog", "header cut short", off);
    return;
  }
  const family = d.u8(off);
  d.field("nflog.family", family, off, 1);
  d.field("nflog.res_id", d.u16(off + 2), off + 2, 2);
  let p = off + 4;
  while (p + 4 <= end) {
    const len = d.dv.getUint16(p, true);
    const type = d.dv.getUint16(p + 2, true) & 0x7fff;
    if (len < 4 || p + len > end) {
      d.column("NFLOG", "");
      d.malformed("nflog", `TLV of length ${len} runs past the packet`, p);
      return;
    }
    if (type === NFULA_PAYLOAD) {
      if (family === 2) return decodeIpv4(d, p + 4, p + len);
      if (family === 10) return decodeIpv6(d, p + 4, p + len);
      d.column("NFLOG", `family ${family}`);
      d.payload(p + 4, p + len);
      return;
    }
    p += (len + 3) & ~3;
  }
  d.column("NFLOG", "no payload");
}
