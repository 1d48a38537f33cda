// Hands an IP payload on by its protocol number (IPv4's protocol, IPv6's last next header).

import type { Dissection } from "./dissection";
import { decodeGre } from "./gre";
import { decodeIcmp } from "./icmp";
import { decodeIcmpv6 } from "./icmpv6";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";
import { decodePim } from "./pim";
import { decodeTcp } from "./tcp";
import { decodeUdp } from "./udp";
import { decodeVrrp } from "./vrrp";

export const IPPROTO = {
  ICMP: 1, IGMP: 2, IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, GRE: 47, ESP: 50, AH: 51, ICMPV6: 58,
  PIM: 103, VRRP: 112, SCTP: 132,
} as const;

/** Common names for the protocol column of a payload we do not decode. */
const NAMES: Record<number, string> = { 2: "IGMP", 50: "ESP", 51: "AH", 89: "OSPF", 103: "PIM", 132: "SCTP" };

/** `src`/`dst`/`ipVersion` of the IP header carrying it are passed for the checksum-free
 *  decoders that need nothing else. */
export function byIpProto(d: Dissection, proto: number, off: number, end: number): void {
  switch (proto) {
    case IPPROTO.TCP: return decodeTcp(d, off, end);
    case IPPROTO.UDP: return decodeUdp(d, off, end);
    case IPPROTO.ICMP: return decodeIcmp(d, off, end);
    case IPPROTO.ICMPV6: return decodeIcmpv6(d, off, end);
    case IPPROTO.IPIP: return decodeIpv4(d, off, end);
    case IPPROTO.IPV6: return decodeIpv6(d, off, end);
    case IPPROTO.GRE: return decodeGre(d, off, end);
    case IPPROTO.VRRP: return decodeVrrp(d, off, end);
    case IPPROTO.PIM: return decodePim(d, off, end);
    default: {
      const name = NAMES[proto];
      if (name) d.column(name, `${name} (${proto})`);
      d.payload(off, end);
    }
  }
}
