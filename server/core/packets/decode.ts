// A packet's layers and summary from its link type and bytes: the entry point of the packet
// decoders. A malformed packet is marked and decoded as far as it goes; nothing here throws on
// any input (a throw would be a bug: decodePacket catches it, marks the packet and goes on, so
// that one bad packet never stops a file).

import type { RawPacket } from "../formats/raw-packet";
import { decodeArcnet } from "./arcnet";
import { mac } from "./address";
import { Dissection } from "./dissection";
import { decodeFrameRelay } from "./frame-relay";
import { decodeIeee80211, decodeRadiotap } from "./ieee80211";
import { decodeNflog } from "./nflog";
import { decodeEthernet } from "./ethernet";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";
import { decodeNull, decodeRawIp, decodeSll, decodeSll2 } from "./link";
import { decodePppHdlc, decodePppoeSession } from "./ppp";
import { LINKTYPE, type DecodedPacket } from "./types";

/** Link types we decode (the others are kept as raw bytes). */
const PPP = 9;
const PPP_HDLC = 50;
const C_HDLC = 104;
const PPP_ETHER = 51;
const FRELAY = 107;
const ARCNET_BSD = 7;
const ARCNET_LINUX = 129;
const NFLOG = 239;
const IEEE802_11 = 105;
const IEEE802_11_RADIOTAP = 127;
const PKTAP = 258;
const USER2 = 149;

/** `layers` false: the summary alone (several times faster). `tcpInfoText` false: no Info text
 *  for a segment whose Info its numbers say (plainTcpInfo; the ingest, which stores the numbers). */
export function decodePacket(
  p: Pick<RawPacket, "linktype" | "data"> & { fcsLen?: number },
  opts: { layers?: boolean; tcpInfoText?: boolean } = {},
): DecodedPacket {
  return decodeWith(new Dissection(p.data, opts.layers ?? true, opts.tcpInfoText ?? true), p.linktype, 0, p.data.length, p.fcsLen ?? 0);
}

/** A packet as summaryDecoder takes it: its bytes as `data`, or in its reader's chunk (`chunk`
 *  from `at`, `caplen` of them), read there without a view of their own per packet. */
export type SummaryInput = Pick<RawPacket, "linktype" | "data"> & Partial<Pick<RawPacket, "chunk" | "at" | "caplen" | "fcsLen">>;

/** A decoder of summaries (no layers) for a stream that is done with each packet's summary
 *  before it decodes the next (the ingest): every call returns the same object, decoded anew
 *  (Dissection.next). A new Dissection, summary and their shape's property store for every packet
 *  were a good part of what the ingest's reading thread allocated, and of its collections. */
export function summaryDecoder(opts: { tcpInfoText?: boolean } = {}): (p: SummaryInput) => DecodedPacket {
  const d = new Dissection(new Uint8Array(0), false, opts.tcpInfoText ?? true);
  return (p) => {
    if (p.chunk !== undefined && p.at !== undefined && p.caplen !== undefined) {
      d.next(p.chunk, p.at);
      return decodeWith(d, p.linktype, p.at, p.at + p.caplen, p.fcsLen ?? 0);
    }
    d.next(p.data);
    return decodeWith(d, p.linktype, 0, p.data.length, p.fcsLen ?? 0);
  };
}

/** Decodes the packet at [start, end) of d.data. */
function decodeWith(d: Dissection, linktype: number, start: number, end: number, fcsLen: number): DecodedPacket {
  try {
    decodeLink(d, linktype, start, end, fcsLen);
  } catch (e) {
    // A decoder read past its bounds (a bug, not the packet's fault, but never the file's end).
    d.out.malformed ??= `decoder error: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (d.out.proto === "") d.out.proto = "Frame";
  // No network layer named the ends: the link layer's addresses, as tshark's columns show.
  if (d.out.src === "" && d.out.dst === "" && d.linkSrc >= 0 && d.linkSrc + 6 <= end) {
    d.out.src = mac(d.data, d.linkSrc);
    d.out.dst = mac(d.data, d.linkDst);
  }
  return d.out;
}

/** The frame at `off` by its link type (PKTAP names the link type of what it wraps). */
function decodeLink(d: Dissection, linktype: number, off: number, end: number, fcsLen: number): void {
  switch (linktype) {
    case LINKTYPE.ETHERNET: return decodeEthernet(d, off, end, fcsLen);
    case LINKTYPE.LINUX_SLL: return decodeSll(d, off, end);
    case LINKTYPE.LINUX_SLL2: return decodeSll2(d, off, end);
    case LINKTYPE.RAW: case LINKTYPE.RAW_12: case LINKTYPE.RAW_14: return decodeRawIp(d, off, end);
    case LINKTYPE.IPV4: return decodeIpv4(d, off, end);
    case LINKTYPE.IPV6: return decodeIpv6(d, off, end);
    case LINKTYPE.NULL: return decodeNull(d, off, end, false);
    case LINKTYPE.LOOP: return decodeNull(d, off, end, true);
    case PPP: case PPP_HDLC: return decodePppHdlc(d, off, end);
    case C_HDLC: return cHdlc(d, off, end);
    case PPP_ETHER: return decodePppoeSession(d, off, end);
    case FRELAY: return decodeFrameRelay(d, off, end);
    case ARCNET_BSD: return decodeArcnet(d, off, end, false);
    case ARCNET_LINUX: return decodeArcnet(d, off, end, true);
    case NFLOG: return decodeNflog(d, off, end);
    case IEEE802_11: return decodeIeee80211(d, off, end - fcsLen);
    case IEEE802_11_RADIOTAP: return decodeRadiotap(d, off, end);
    case PKTAP: case USER2: return pktap(d, off, end);
    default:
      d.layer("raw", off, end - off);
      d.column(`LINKTYPE_${linktype}`, `${end - off} bytes of link type ${linktype}`);
  }
}

/** Apple's PKTAP (LINKTYPE_PKTAP 258; tcpdump on macOS writes it as LINKTYPE_USER2, 149): a
 *  little-endian header length, then among its fields the link type of the packet after it. */
function pktap(d: Dissection, off: number, end: number): void {
  d.layer("pktap", off, Math.min(12, end - off));
  if (end - off < 12) {
    d.column("PKTAP", "");
    d.malformed("pktap", "header cut short", off);
    return;
  }
  const hlen = d.dv.getUint32(off, true);
  const dlt = d.dv.getUint32(off + 8, true);
  d.field("pktap.hdrlen", hlen, off, 4);
  d.field("pktap.dlt", dlt, off + 8, 4);
  if (hlen < 12 || off + hlen > end || dlt === PKTAP || dlt === USER2) {
    d.column("PKTAP", "");
    d.malformed("pktap", `header length ${hlen} does not fit the packet`, off);
    return;
  }
  d.layerLength(hlen);
  decodeLink(d, dlt, off + hlen, end, 0);
}

/** Cisco HDLC: address, control, then an EtherType. */
function cHdlc(d: Dissection, off: number, end: number): void {
  d.layer("chdlc", off, Math.min(4, end - off));
  if (end - off < 4) { d.malformed("chdlc", "header cut short", off); return; }
  const type = d.u16(off + 2);
  d.field("chdlc.protocol", type, off + 2, 2);
  if (type === 0x0800) return decodeIpv4(d, off + 4, end);
  if (type === 0x86dd) return decodeIpv6(d, off + 4, end);
  d.column("CHDLC", `protocol 0x${type.toString(16).padStart(4, "0")}`);
  d.payload(off + 4, end);
}
