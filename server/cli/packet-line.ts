// One packet as one line of text, the way `casefile gaps` prints the packet after a gap: number,
// time of day (local zone, as sysdig prints event times), source → destination, protocol,
// length on the wire and the Info column, in the order of tshark's default columns.

import { timeOfDayBig } from "../core/events/local-time";
import type { PacketRow } from "../core/filter/packet-fields";

export function packetLine(p: PacketRow): string {
  return `${p.num} ${timeOfDayBig(p.ts)} ${p.src} → ${p.dst} ${p.proto} ${p.len} ${p.info}`;
}
