// ICMP (RFC 792): type and code; echo id/seq; the next-hop MTU of "fragmentation needed"
// (type 3 code 4, RFC 1191); and for errors (3 unreachable, 4 source quench, 5 redirect, 11
// time exceeded, 12 parameter problem) the quoted IP header and the first bytes of its payload,
// decoded as tshark does (its ip.src/tcp.srcport ... appear a second time), without touching
// the packet's own addresses and ports.

import { ipv4 } from "./address";
import type { Dissection } from "./dissection";
import { decodeIpv4 } from "./ipv4";

const ERRORS = new Set([3, 4, 5, 11, 12]);

const TYPES: Record<number, string> = {
  0: "Echo (ping) reply", 3: "Destination unreachable", 4: "Source quench (flow control)",
  5: "Redirect", 8: "Echo (ping) request", 9: "Router advertisement", 10: "Router solicitation",
  11: "Time-to-live exceeded", 12: "Parameter problem", 13: "Timestamp request",
  14: "Timestamp reply", 17: "Address mask request", 18: "Address mask reply",
};

const UNREACH: Record<number, string> = {
  0: "Network unreachable", 1: "Host unreachable", 2: "Protocol unreachable", 3: "Port unreachable",
  4: "Fragmentation needed", 5: "Source route failed", 9: "Network administratively prohibited",
  10: "Host administratively prohibited", 13: "Communication administratively filtered",
};

export function decodeIcmp(d: Dissection, off: number, end: number): void {
  d.layer("icmp", off, Math.min(8, end - off));
  const quoted = d.quoted > 0;
  if (end - off < 4) {
    if (!quoted) d.column("ICMP", "");
    d.malformed("icmp", `${end - off} bytes, shorter than an ICMP header`, off);
    return;
  }
  const type = d.u8(off);
  const code = d.u8(off + 1);
  d.field("icmp.type", type, off, 1);
  d.field("icmp.code", code, off + 1, 1);
  d.field("icmp.checksum", d.u16(off + 2), off + 2, 2);
  if (quoted) return;
  d.out.icmpType = type;
  d.out.icmpCode = code;
  let info = TYPES[type] ?? `Unknown ICMP (type ${type})`;
  if (type === 3) info = `${info} (${UNREACH[code] ?? `code ${code}`})`;
  if (end - off < 8) {
    d.column("ICMP", info);
    d.malformed("icmp", `${end - off} bytes, shorter than its 8-byte header`, off);
    return;
  }
  if (type === 0 || type === 8) {
    const id = d.u16(off + 4);
    const seq = d.u16(off + 6);
    d.field("icmp.ident", id, off + 4, 2);
    d.field("icmp.seq", seq, off + 6, 2);
    info += `  id=0x${id.toString(16).padStart(4, "0")}, seq=${seq}/${((seq & 0xff) << 8) | (seq >> 8)}`;
  } else if (type === 3 && code === 4) {
    const mtu = d.u16(off + 6);
    d.field("icmp.mtu", mtu, off + 6, 2);
    d.out.icmpMtu = mtu;
    info += ` (MTU ${mtu})`;
  } else if (type === 5) {
    const gw = ipv4(d.data, off + 4);
    d.field("icmp.redir_gw", gw, off + 4, 4);
  }
  d.column("ICMP", info);
  if (ERRORS.has(type) && end - off > 8) {
    d.quoted++;
    decodeIpv4(d, off + 8, end);
    d.quoted--;
    const q = d.out.icmpQuoted;
    if (q) {
      const ports = q.sport !== undefined ? `:${q.sport} → ${q.dst}:${q.dport}` : ` → ${q.dst}`;
      d.column("ICMP", `${info} for ${q.src}${ports}`);
    }
    return;
  }
  d.payload(off + 8, end);
}
