// IPv4 (RFC 791): header with options, fragments (only the first fragment carries the
// transport header: later ones are payload, as tshark shows them with defragmentation off).

import { ipv4 } from "./address";
import { Dissection, MAX_DEPTH } from "./dissection";
import { byIpProto } from "./ip-proto";

export function decodeIpv4(d: Dissection, off: number, end: number): void {
  d.layer("ip", off, Math.min(20, end - off));
  if (end - off < 20) {
    short(d, off, end);
    return;
  }
  const vihl = d.u8(off);
  const version = vihl >> 4;
  const hlen = (vihl & 0xf) * 4;
  d.field("ip.version", version, off, 1);
  d.field("ip.hdr_len", hlen, off, 1);
  if (version !== 4) {
    if (!d.quoted) d.column("IPv4", `Bogus IP version (${version})`);
    d.malformed("ip", `version ${version}, not 4`, off);
    return;
  }
  if (hlen < 20) {
    if (!d.quoted) d.column("IPv4", `Bogus IP header length (${hlen}, must be at least 20)`);
    d.malformed("ip", `header length ${hlen}, under 20`, off);
    return;
  }
  let totLen = d.u16(off + 2);
  d.field("ip.dsfield", d.u8(off + 1), off + 1, 1);
  d.field("ip.len", totLen, off + 2, 2);
  // A total length of 0 is a TCP segmentation offload capture (the NIC fills it in): the
  // frame's length stands in, as tshark's ip.tso_support does.
  if (totLen === 0) totLen = end - off;
  if (totLen < hlen) {
    // tshark stops here, before the addresses.
    if (!d.quoted) d.column("IPv4", `Bogus IP length (${totLen}, less than header length ${hlen})`);
    d.malformed("ip", `total length ${totLen}, under its header length ${hlen}`, off + 2);
    return;
  }
  const id = d.u16(off + 4);
  const frag = d.u16(off + 6);
  const ttl = d.u8(off + 8);
  const proto = d.u8(off + 9);
  const src = ipv4(d.data, off + 12);
  const dst = ipv4(d.data, off + 16);
  d.field("ip.id", id, off + 4, 2);
  d.field("ip.flags.df", (frag >> 14) & 1, off + 6, 1);
  d.field("ip.flags.mf", (frag >> 13) & 1, off + 6, 1);
  d.field("ip.frag_offset", (frag & 0x1fff) * 8, off + 6, 2);
  d.field("ip.ttl", ttl, off + 8, 1);
  d.field("ip.proto", proto, off + 9, 1);
  d.field("ip.checksum", d.u16(off + 10), off + 10, 2);
  d.field("ip.src", src, off + 12, 4);
  d.field("ip.dst", dst, off + 16, 4);
  if (d.quoted) {
    if (!d.out.icmpQuoted) d.out.icmpQuoted = { src, dst, ipProto: proto };
  } else {
    d.out.src = src;
    d.out.dst = dst;
    d.out.ipProto = proto;
    d.out.ipVersion = 4;
    d.out.sport = undefined;
    d.out.dport = undefined;
    d.column("IPv4", "");
  }
  if (end - off < hlen) {
    d.malformed("ip", `header of ${hlen} bytes cut short at ${end - off}`, off);
    return;
  }
  d.layerLength(hlen);
  if (hlen > 20) options(d, off + 20, off + hlen);
  // The total length bounds the payload (Ethernet pads short frames); bytes missing past the
  // capture's end are a snaplen cut, not damage (the record's origLen says so).
  const payEnd = Math.min(end, off + totLen);
  if (d.depth >= MAX_DEPTH) {
    d.malformed("ip", `tunnels nested deeper than ${MAX_DEPTH}`, off);
    return;
  }
  const fragOff = (frag & 0x1fff) * 8;
  if (fragOff > 0) {
    const info = `Fragmented IP protocol (proto=${proto}, off=${fragOff}, ID=${id.toString(16).padStart(4, "0")})`;
    if (!d.quoted) d.column("IPv4", info);
    d.payload(off + hlen, payEnd);
    return;
  }
  d.depth++;
  byIpProto(d, proto, off + hlen, payEnd);
  d.depth--;
}

/** IP options: kind, and length for all but EOL (0) and NOP (1). */
function options(d: Dissection, off: number, end: number): void {
  while (off < end) {
    const kind = d.u8(off);
    if (kind === 0) return;
    if (kind === 1) { off++; continue; }
    if (off + 2 > end) { d.malformed("ip", `option ${kind} cut short`, off); return; }
    const len = d.u8(off + 1);
    if (len < 2 || off + len > end) { d.malformed("ip", `option ${kind} with a bad length ${len}`, off); return; }
    d.field("ip.opt.type", kind, off, 1);
    d.field("ip.opt.len", len, off + 1, 1);
    off += len;
  }
}

/** A header cut short: the fields whose bytes are there, as tshark adds them until it runs out
 *  (an address whole or not at all). */
function short(d: Dissection, off: number, end: number): void {
  const n = end - off;
  if (!d.quoted) d.column("IPv4", "");
  d.malformed("ip", `${n} bytes, shorter than an IPv4 header`, off);
  if (n < 1 || d.u8(off) >> 4 !== 4 || (d.u8(off) & 0xf) < 5) return;
  if (n >= 4) d.field("ip.len", d.u16(off + 2), off + 2, 2);
  if (n >= 4 && d.u16(off + 2) !== 0 && d.u16(off + 2) < (d.u8(off) & 0xf) * 4) return;
  if (n >= 10) d.field("ip.proto", d.u8(off + 9), off + 9, 1);
  if (n >= 16) d.field("ip.src", ipv4(d.data, off + 12), off + 12, 4);
}
