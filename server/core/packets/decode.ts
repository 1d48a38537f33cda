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

export function decodePacket(
  p: Pick<RawPacket, "linktype" | "data"> & { fcsLen?: number },
  opts: { layers?: boolean } = {},
): DecodedPacket {
  const d = new Dissection(p.data, opts.layers ?? true);
  const end = p.data.length;
  try {
    switch (p.linktype) {
      case LINKTYPE.ETHERNET: decodeEthernet(d, 0, end, p.fcsLen ?? 0); break;
      case LINKTYPE.LINUX_SLL: decodeSll(d, 0, end); break;
      case LINKTYPE.LINUX_SLL2: decodeSll2(d, 0, end); break;
      case LINKTYPE.RAW: case LINKTYPE.RAW_12: case LINKTYPE.RAW_14: decodeRawIp(d, 0, end); break;
      case LINKTYPE.IPV4: decodeIpv4(d, 0, end); break;
      case LINKTYPE.IPV6: decodeIpv6(d, 0, end); break;
      case LINKTYPE.NULL: decodeNull(d, 0, end, false); break;
      case LINKTYPE.LOOP: decodeNull(d, 0, end, true); break;
      case PPP: case PPP_HDLC: decodePppHdlc(d, 0, end); break;
      case C_HDLC: cHdlc(d, end); break;
      case PPP_ETHER: pppoe(d, end); break;
      case FRELAY: decodeFrameRelay(d, 0, end); break;
      case ARCNET_BSD: decodeArcnet(d, 0, end, false); break;
      case ARCNET_LINUX: decodeArcnet(d, 0, end, true); break;
      case NFLOG: decodeNflog(d, 0, end); break;
      case IEEE802_11: decodeIeee80211(d, 0, end - (p.fcsLen ?? 0)); break;
      case IEEE802_11_RADIOTAP: decodeRadiotap(d, 0, end); break;
      default:
        d.layer("raw", 0, end);
        d.column(`LINKTYPE_${p.linktype}`, `${end} bytes of link type ${p.linktype}`);
    }
  } catch (e) {
    // A decoder read past its bounds (a bug, not the packet's fault, but never the file's end).
    d.out.malformed ??= `decoder error: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (d.out.proto === "") d.out.proto = "Frame";
  // No network layer named the ends: the link layer's addresses, as tshark's columns show.
  if (d.out.src === "" && d.out.dst === "" && d.linkSrc >= 0 && d.linkSrc + 6 <= end) {
    d.out.src = mac(p.data, d.linkSrc);
    d.out.dst = mac(p.data, d.linkDst);
  }
  return d.out;
}

/** Cisco HDLC: address, control, then an EtherType. */
function cHdlc(d: Dissection, end: number): void {
  d.layer("chdlc", 0, Math.min(4, end));
  if (end < 4) { d.malformed("chdlc", "header cut short", 0); return; }
  const type = d.u16(2);
  d.field("chdlc.protocol", type, 2, 2);
  if (type === 0x0800) return decodeIpv4(d, 4, end);
  if (type === 0x86dd) return decodeIpv6(d, 4, end);
  d.column("CHDLC", `protocol 0x${type.toString(16).padStart(4, "0")}`);
  d.payload(4, end);
}

/** LINKTYPE_PPP_ETHER: a PPPoE header without the Ethernet one. */
function pppoe(d: Dissection, end: number): void {
  decodePppoeSession(d, 0, end);
}
