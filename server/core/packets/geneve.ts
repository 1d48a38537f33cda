// Geneve (RFC 8926, UDP 6081): version, options length, protocol type and VNI; the options are
// skipped; the payload by its protocol type (an EtherType: 0x6558 is an Ethernet frame).

import type { Dissection } from "./dissection";
import { byEthertype } from "./ethertype";

export const GENEVE_PORT = 6081;

export function decodeGeneve(d: Dissection, off: number, end: number): void {
  d.layer("geneve", off, Math.min(8, end - off));
  if (end - off < 8) {
    d.column("Geneve", "");
    d.malformed("geneve", `${end - off} bytes, shorter than a Geneve header`, off);
    return;
  }
  const optLen = (d.u8(off) & 0x3f) * 4;
  const proto = d.u16(off + 2);
  d.field("geneve.version", d.u8(off) >> 6, off, 1);
  d.field("geneve.options_length", optLen, off, 1);
  d.field("geneve.proto_type", proto, off + 2, 2);
  d.field("geneve.vni", d.u32(off + 4) >>> 8, off + 4, 3);
  d.column("Geneve", "");
  const p = off + 8 + optLen;
  if (p > end) {
    d.malformed("geneve", `options of ${optLen} bytes run past the packet`, off);
    return;
  }
  d.layerLength(8 + optLen);
  if (!byEthertype(d, proto, p, end)) d.payload(p, end);
}
