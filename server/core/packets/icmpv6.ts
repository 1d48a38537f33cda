// ICMPv6 (RFC 4443): type and code; echo id/seq; the MTU of packet-too-big (type 2); and for
// errors (1 unreachable, 2 too big, 3 time exceeded, 4 parameter problem) the quoted IPv6
// packet, decoded as tshark does without touching the packet's own addresses and ports.

import type { Dissection } from "./dissection";
import { decodeIpv6 } from "./ipv6";

const TYPES: Record<number, string> = {
  1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem",
  128: "Echo (ping) request", 129: "Echo (ping) reply", 130: "Multicast Listener Query",
  131: "Multicast Listener Report", 132: "Multicast Listener Done", 133: "Router Solicitation",
  134: "Router Advertisement", 135: "Neighbor Solicitation", 136: "Neighbor Advertisement",
  137: "Redirect", 143: "Multicast Listener Report Message v2",
};

export function decodeIcmpv6(d: Dissection, off: number, end: number): void {
  d.layer("icmpv6", off, Math.min(8, end - off));
  const quoted = d.quoted > 0;
  if (end - off < 4) {
    if (!quoted) d.column("ICMPv6", "");
    d.malformed("icmpv6", `${end - off} bytes, shorter than an ICMPv6 header`, off);
    return;
  }
  const type = d.u8(off);
  const code = d.u8(off + 1);
  d.field("icmpv6.type", type, off, 1);
  d.field("icmpv6.code", code, off + 1, 1);
  d.field("icmpv6.checksum", d.u16(off + 2), off + 2, 2);
  if (quoted) return;
  d.out.icmpType = type;
  d.out.icmpCode = code;
  let info = TYPES[type] ?? `Unknown ICMPv6 (type ${type})`;
  if (end - off < 8) {
    d.column("ICMPv6", info);
    if (type < 128 || type === 128 || type === 129) d.malformed("icmpv6", `${end - off} bytes, shorter than its 8-byte header`, off);
    return;
  }
  if (type === 128 || type === 129) {
    const id = d.u16(off + 4);
    const seq = d.u16(off + 6);
    d.field("icmpv6.echo.identifier", id, off + 4, 2);
    d.field("icmpv6.echo.sequence_number", seq, off + 6, 2);
    info += ` id=0x${id.toString(16).padStart(4, "0")}, seq=${seq}`;
  } else if (type === 2) {
    const mtu = d.u32(off + 4);
    d.field("icmpv6.mtu", mtu, off + 4, 4);
    d.out.icmpMtu = mtu;
    info += ` (MTU ${mtu})`;
  }
  d.column("ICMPv6", info);
  if (type >= 1 && type <= 4 && end - off > 8) {
    d.quoted++;
    decodeIpv6(d, off + 8, end);
    d.quoted--;
    return;
  }
  d.payload(off + 8, end);
}
