// IPv6 (RFC 8200) and its extension headers: hop-by-hop, routing, fragment, destination options
// and AH. Only a first fragment (offset 0) hands its payload on.

import { ipv6 } from "./address";
import { Dissection, MAX_DEPTH } from "./dissection";
import { byIpProto } from "./ip-proto";

const HOPOPTS = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DSTOPTS = 60;
const AH = 51;
const NONE = 59;

export function decodeIpv6(d: Dissection, off: number, end: number): void {
  d.layer("ipv6", off, Math.min(40, end - off));
  if (end - off < 40) {
    if (!d.quoted) d.column("IPv6", "");
    d.malformed("ipv6", `${end - off} bytes, shorter than an IPv6 header`, off);
    // The fields whose bytes are there, as tshark adds them until it runs out.
    if (end - off >= 24 && d.u8(off) >> 4 === 6) d.field("ipv6.src", ipv6(d.data, off + 8), off + 8, 16);
    return;
  }
  const version = d.u8(off) >> 4;
  d.field("ipv6.version", version, off, 1);
  if (version !== 6) {
    if (!d.quoted) d.column("IPv6", `Bogus IP version (${version})`);
    d.malformed("ipv6", `version ${version}, not 6`, off);
    return;
  }
  let plen = d.u16(off + 4);
  let next = d.u8(off + 6);
  const src = ipv6(d.data, off + 8);
  const dst = ipv6(d.data, off + 24);
  d.field("ipv6.plen", plen, off + 4, 2);
  d.field("ipv6.nxt", next, off + 6, 1);
  d.field("ipv6.hlim", d.u8(off + 7), off + 7, 1);
  d.field("ipv6.src", src, off + 8, 16);
  d.field("ipv6.dst", dst, off + 24, 16);
  if (d.quoted) {
    if (!d.out.icmpQuoted) d.out.icmpQuoted = { src, dst, ipProto: next };
  } else {
    d.out.src = src;
    d.out.dst = dst;
    d.out.ipVersion = 6;
    d.out.sport = undefined;
    d.out.dport = undefined;
    d.column("IPv6", "");
  }
  // A payload length of 0 is a jumbogram (RFC 2675) or an offloaded segment (big TCP): tshark
  // 4.0 shows the header and decodes no further; so do we, so that the two agree on what such
  // a packet is (its inner ports would otherwise be ours alone).
  if (plen === 0) {
    d.field("_ws.expert", "IPv6 payload length 0 (jumbogram or TSO): payload not decoded", off + 4, 2);
    d.payload(off + 40, end);
    return;
  }
  const payEnd = Math.min(end, off + 40 + plen);
  let p = off + 40;
  for (let n = 0; n < 16; n++) {
    if (next !== HOPOPTS && next !== ROUTING && next !== FRAGMENT && next !== DSTOPTS && next !== AH) break;
    if (payEnd - p < 8) {
      d.malformed("ipv6", `extension header ${next} cut short`, p);
      finish(d, next);
      return;
    }
    const hdrNext = d.u8(p);
    let len: number;
    if (next === FRAGMENT) {
      len = 8;
      const fo = d.u16(p + 2);
      d.layer("ipv6.fraghdr", p, 8);
      d.field("ipv6.fragment.offset", fo & 0xfff8, p + 2, 2);
      d.field("ipv6.fragment.more", fo & 1, p + 3, 1);
      d.field("ipv6.fragment.id", d.u32(p + 4), p + 4, 4);
      if ((fo & 0xfff8) !== 0) {
        finish(d, hdrNext);
        if (!d.quoted) d.column("IPv6", `IPv6 fragment (off=${fo & 0xfff8} more=${fo & 1 ? "y" : "n"} ident=0x${d.u32(p + 4).toString(16).padStart(8, "0")} nxt=${hdrNext})`);
        d.payload(p + 8, payEnd);
        return;
      }
    } else if (next === AH) {
      len = (d.u8(p + 1) + 2) * 4;
      d.layer("ah", p, len);
    } else {
      len = (d.u8(p + 1) + 1) * 8;
      d.layer(next === HOPOPTS ? "ipv6.hopopts" : next === ROUTING ? "ipv6.routing" : "ipv6.dstopts", p, len);
    }
    if (p + len > payEnd) {
      d.malformed("ipv6", `extension header ${next} of ${len} bytes runs past the packet`, p);
      finish(d, hdrNext);
      return;
    }
    next = hdrNext;
    p += len;
  }
  finish(d, next);
  if (next === NONE) return;
  if (d.depth >= MAX_DEPTH) {
    d.malformed("ipv6", `tunnels nested deeper than ${MAX_DEPTH}`, off);
    return;
  }
  d.depth++;
  byIpProto(d, next, p, payEnd);
  d.depth--;
}

function finish(d: Dissection, next: number): void {
  if (d.quoted) {
    if (d.out.icmpQuoted) d.out.icmpQuoted.ipProto = next;
  } else d.out.ipProto = next;
}
