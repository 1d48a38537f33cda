// UDP (RFC 768), handing on DNS (53, 5353), VXLAN (4789), VXLAN-GPE (4790) and Geneve (6081) by port, as tshark's
// default port table does.

import type { Dissection } from "./dissection";
import { decodeDns, DNS_PORTS } from "./dns";
import { decodeGeneve, GENEVE_PORT } from "./geneve";
import { decodeVxlan, decodeVxlanGpe, VXLAN_GPE_PORT, VXLAN_PORT } from "./vxlan";

export function decodeUdp(d: Dissection, off: number, end: number): void {
  d.layer("udp", off, Math.min(8, end - off));
  const quoted = d.quoted > 0;
  if (end - off < 8) {
    if (end - off >= 4) {
      const sport = d.u16(off);
      const dport = d.u16(off + 2);
      d.field("udp.srcport", sport, off, 2);
      d.field("udp.dstport", dport, off + 2, 2);
      if (!quoted) { d.out.sport = sport; d.out.dport = dport; }
    }
    if (!quoted) {
      d.column("UDP", "");
      d.malformed("udp", `${end - off} bytes, shorter than a UDP header`, off);
    }
    return;
  }
  const sport = d.u16(off);
  const dport = d.u16(off + 2);
  const len = d.u16(off + 4);
  d.field("udp.srcport", sport, off, 2);
  d.field("udp.dstport", dport, off + 2, 2);
  d.field("udp.length", len, off + 4, 2);
  d.field("udp.checksum", d.u16(off + 6), off + 6, 2);
  if (quoted) {
    const q = d.out.icmpQuoted;
    if (q && q.sport === undefined) { q.sport = sport; q.dport = dport; }
    return;
  }
  d.out.sport = sport;
  d.out.dport = dport;
  // The UDP length bounds the payload. Under 8 (0 included: a jumbogram's or a big segment's)
  // tshark 4.0 calls it bad and decodes no further: so do we.
  let payEnd = end;
  if (len >= 8) payEnd = Math.min(end, off + len);
  else {
    d.column("UDP", `${sport} → ${dport} Len=${len} [bad length]`);
    d.malformed("udp", `length ${len}, under 8`, off + 4);
    return;
  }
  d.column("UDP", `${sport} → ${dport} Len=${len - 8}`);
  const pay = off + 8;
  // tshark tries the lower port first.
  const [lo, hi] = sport < dport ? [sport, dport] : [dport, sport];
  for (const port of [lo, hi]) {
    if (DNS_PORTS.has(port)) return decodeDns(d, pay, payEnd, "udp");
    if (port === VXLAN_PORT) return decodeVxlan(d, pay, payEnd);
    if (port === GENEVE_PORT) return decodeGeneve(d, pay, payEnd);
    if (port === VXLAN_GPE_PORT) return decodeVxlanGpe(d, pay, payEnd);
  }
  d.payload(pay, payEnd);
}
