// Hands a payload on by its EtherType (Ethernet, VLAN, SLL, GRE, Geneve and SNAP all name
// their payload this way).

import { decodeArp } from "./arp";
import type { Dissection } from "./dissection";
import { decodeEthernet } from "./ethernet";
import { decodeIpv4 } from "./ipv4";
import { decodeIpv6 } from "./ipv6";
import { decodeMacsec } from "./macsec";
import { decodeMpls } from "./mpls";
import { decodeNsh } from "./nsh";
import { decodePppoeSession } from "./ppp";
import { decodeVlan } from "./vlan";

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  IPV6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MC: 0x8848,
  PPPOE_SESSION: 0x8864,
  TEB: 0x6558,
  ARISTA: 0xd28b,
  MACSEC: 0x88e5,
  NSH: 0x894f,
} as const;

/** Decodes the payload at `off` by its EtherType; false when the type is not one we decode
 *  (the caller keeps the bytes as payload). */
export function byEthertype(d: Dissection, type: number, off: number, end: number): boolean {
  switch (type) {
    case ETHERTYPE.IPV4: decodeIpv4(d, off, end); return true;
    case ETHERTYPE.IPV6: decodeIpv6(d, off, end); return true;
    case ETHERTYPE.ARP: decodeArp(d, off, end); return true;
    case ETHERTYPE.VLAN: case ETHERTYPE.QINQ: case ETHERTYPE.QINQ_OLD: decodeVlan(d, type, off, end); return true;
    case ETHERTYPE.MPLS: case ETHERTYPE.MPLS_MC: decodeMpls(d, off, end); return true;
    case ETHERTYPE.PPPOE_SESSION: decodePppoeSession(d, off, end); return true;
    case ETHERTYPE.TEB: decodeEthernet(d, off, end, 0); return true;
    case ETHERTYPE.ARISTA: return arista(d, off, end);
    case ETHERTYPE.MACSEC: decodeMacsec(d, off, end); return true;
    case ETHERTYPE.NSH: decodeNsh(d, off, end); return true;
    default: return false;
  }
}

/** The rest as payload under a protocol column of its own (e.g. "0x88cc" for an EtherType we do
 *  not decode: tshark names them, we show the number). */
export function unknownEthertype(d: Dissection, type: number, off: number, end: number): void {
  d.column(`0x${type.toString(16).padStart(4, "0")}`, `Ethertype 0x${type.toString(16).padStart(4, "0")}`);
  d.payload(off, end);
}

/** Arista's vendor header (0xD28B): subtype 1 is a timestamp, 64-bit (version 0x?10) or 48-bit
 *  (0x?20), then the EtherType of what follows; other versions are not decoded, as tshark. */
function arista(d: Dissection, off: number, end: number): boolean {
  d.layer("arista", off, Math.min(4, end - off));
  if (end - off < 4) return false;
  const sub = d.u16(off);
  const ver = d.u16(off + 2);
  d.field("arista.subtype", sub, off, 2);
  d.field("arista.version", ver, off + 2, 2);
  const tsLen = sub === 1 ? ((ver & 0xff) === 0x10 ? 8 : (ver & 0xff) === 0x20 ? 6 : -1) : -1;
  if (tsLen < 0 || end - off < 4 + tsLen + 2) {
    d.column("Arista", `subtype ${sub} version 0x${ver.toString(16).padStart(4, "0")}`);
    d.payload(off + 4, end);
    return true;
  }
  const type = d.u16(off + 4 + tsLen);
  d.field("arista.type", type, off + 4 + tsLen, 2);
  if (!byEthertype(d, type, off + 6 + tsLen, end)) unknownEthertype(d, type, off + 6 + tsLen, end);
  return true;
}
