// `casefile gaps FILE.pcap --filter F --min D [--explain]`: gaps work on packets as on events
// (the flapping load balancer's VRRP adverts, one a second, with a hole). The same output shape
// as for events: `gap DURATION after #N: LINE`, LINE being the packet after the gap; with
// --explain, the other packets seen in the gap, by source → destination and protocol.

import { ActivityCounter, GapFinder } from "../core/analyses/gaps";
import { formatDuration } from "../core/analyses/duration";
import { compilePacketFilter, parsePacketFilter } from "../core/filter/packet-filter";
import { decodePacket } from "../core/packets/decode";
import { readPacketFile } from "../ingest/packet-stream";
import { packetRow } from "../ingest/packet-ingest";
import { hostServices } from "../ingest/host-services";
import { packetLine } from "./packet-line";
import { BufferedOut, fail } from "./output";

export async function packetGapsCommand(file: string, filter: string, minNs: number, explain: boolean): Promise<number> {
  let matches;
  try {
    matches = compilePacketFilter(parsePacketFilter(filter, hostServices()));
  } catch (e) {
    return fail((e as Error).message);
  }
  const out = new BufferedOut(process.stdout);
  const finder = new GapFinder(minNs);
  let activity = new ActivityCounter();
  let base: bigint | undefined;
  const { error } = await readPacketFile(file, {
    onPacket(raw) {
      const row = packetRow(raw, decodePacket(raw, { layers: false }));
      if (!matches(row)) {
        if (explain) activity.add(`${row.src} → ${row.dst}`, row.proto);
        return;
      }
      // Relative to the first matching packet: a double holds that difference exactly.
      base ??= row.ts;
      const gap = finder.add(row.num, Number(row.ts - base));
      if (gap) {
        out.line(`gap ${formatDuration(gap.gapNs)} after #${gap.prevNum}: ${packetLine(row)}`);
        if (explain) {
          const rows = activity.rows();
          if (rows.length === 0) out.line("    (no other packets)");
          for (const r of rows) out.line(`    ${String(r.count).padStart(8)}  ${r.proc}  ${r.type}`);
        }
      }
      activity = new ActivityCounter();
    },
    onError() {},
  });
  await out.flush();
  // A damaged file: the gaps among the packets before the damage, then the reason.
  if (error) return fail(`${file}: ${error.message}`);
  return 0;
}
