// The DNS header (RFC 1035): id, flags, the four counts, and the first question's name and
// type (compression pointers followed, with a bound so a loop of pointers ends).

import type { Dissection } from "./dissection";

export const DNS_PORTS = new Set([53, 5353]);

const QTYPES: Record<number, string> = {
  1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV",
  35: "NAPTR", 41: "OPT", 43: "DS", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 64: "SVCB", 65: "HTTPS",
  255: "ANY",
};

export function decodeDns(d: Dissection, off: number, end: number, _over: "udp" | "tcp"): void {
  d.layer("dns", off, end - off);
  if (end - off < 12) {
    d.column("DNS", "");
    d.malformed("dns", `${end - off} bytes, shorter than a DNS header`, off);
    return;
  }
  const id = d.u16(off);
  const flags = d.u16(off + 2);
  const qd = d.u16(off + 4);
  d.field("dns.id", id, off, 2);
  d.field("dns.flags", flags, off + 2, 2);
  d.field("dns.flags.response", flags >> 15, off + 2, 1);
  d.field("dns.count.queries", qd, off + 4, 2);
  d.field("dns.count.answers", d.u16(off + 6), off + 6, 2);
  d.field("dns.count.auth_rr", d.u16(off + 8), off + 8, 2);
  d.field("dns.count.add_rr", d.u16(off + 10), off + 10, 2);
  if (!d.quoted) d.out.dnsId = id;
  const response = flags & 0x8000;
  const opcode = (flags >> 11) & 0xf;
  let info = `${opcode === 0 ? "Standard query" : `Opcode ${opcode}`}${response ? " response" : ""} 0x${id.toString(16).padStart(4, "0")}`;
  if (response && (flags & 0xf)) info += ` ${RCODES[flags & 0xf] ?? `rcode ${flags & 0xf}`}`;
  if (qd > 0) {
    const q = name(d, off, off + 12, end);
    if (q === null) {
      d.column("DNS", info);
      d.malformed("dns", "question name runs past the message", off + 12);
      return;
    }
    d.field("dns.qry.name", q.name, off + 12, q.end - off - 12);
    if (q.end + 4 <= end) {
      const t = d.u16(q.end);
      d.field("dns.qry.type", t, q.end, 2);
      info += ` ${QTYPES[t] ?? `Unknown (${t})`} ${q.name || "<Root>"}`;
    }
  }
  d.column("DNS", info);
}

const RCODES: Record<number, string> = { 1: "Format error", 2: "Server failure", 3: "No such name", 4: "Not implemented", 5: "Refused" };

/** A domain name at `p` (message starting at `msg`); null when it runs out of bytes. */
function name(d: Dissection, msg: number, p: number, end: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let after = -1;
  for (let hops = 0; hops < 128; hops++) {
    if (p >= end) return null;
    const len = d.u8(p);
    if (len === 0) return { name: labels.join("."), end: after < 0 ? p + 1 : after };
    if ((len & 0xc0) === 0xc0) {
      if (p + 2 > end) return null;
      if (after < 0) after = p + 2;
      p = msg + (((len & 0x3f) << 8) | d.u8(p + 1));
      continue;
    }
    if (p + 1 + len > end) return null;
    let s = "";
    for (let i = 0; i < len; i++) s += String.fromCharCode(d.u8(p + 1 + i));
    labels.push(s);
    p += 1 + len;
  }
  return null;
}
