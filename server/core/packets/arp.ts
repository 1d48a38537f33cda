// ARP (RFC 826) for Ethernet/IPv4; other hardware or protocol types keep their raw fields.

import { ipv4, mac } from "./address";
import type { Dissection } from "./dissection";

export function decodeArp(d: Dissection, off: number, end: number): void {
  d.layer("arp", off, Math.min(28, end - off));
  if (end - off < 8) {
    d.column("ARP", "");
    d.malformed("arp", "header cut short", off);
    return;
  }
  const htype = d.u16(off);
  const ptype = d.u16(off + 2);
  const hlen = d.u8(off + 4);
  const plen = d.u8(off + 5);
  const op = d.u16(off + 6);
  d.field("arp.hw.type", htype, off, 2);
  d.field("arp.proto.type", ptype, off + 2, 2);
  d.field("arp.hw.size", hlen, off + 4, 1);
  d.field("arp.proto.size", plen, off + 5, 1);
  d.field("arp.opcode", op, off + 6, 2);
  const need = 8 + 2 * hlen + 2 * plen;
  if (end - off < need) {
    d.column("ARP", opName(op));
    d.malformed("arp", `${end - off} bytes, its addresses need ${need}`, off);
    return;
  }
  d.layerLength(need);
  const sha = off + 8;
  const spa = sha + hlen;
  const tha = spa + plen;
  const tpa = tha + hlen;
  const ethIp = hlen === 6 && plen === 4;
  const hw = (o: number) => (hlen === 6 ? mac(d.data, o) : hexBytes(d.data, o, hlen));
  const pr = (o: number) => (plen === 4 ? ipv4(d.data, o) : hexBytes(d.data, o, plen));
  d.field("arp.src.hw_mac", hw(sha), sha, hlen);
  d.field("arp.src.proto_ipv4", pr(spa), spa, plen);
  d.field("arp.dst.hw_mac", hw(tha), tha, hlen);
  d.field("arp.dst.proto_ipv4", pr(tpa), tpa, plen);
  let info = opName(op);
  if (ethIp && op === 1) info = pr(spa) === pr(tpa) ? `ARP Announcement for ${pr(spa)}` : `Who has ${pr(tpa)}? Tell ${pr(spa)}`;
  else if (ethIp && op === 2) info = `${pr(spa)} is at ${hw(sha)}`;
  d.column("ARP", info);
}

function opName(op: number): string {
  return op === 1 ? "request" : op === 2 ? "reply" : op === 3 ? "RARP request" : op === 4 ? "RARP reply" : `opcode ${op}`;
}

function hexBytes(b: Uint8Array, o: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(b[o + i].toString(16).padStart(2, "0"));
  return out.join(":");
}
