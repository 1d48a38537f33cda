// `casefile gaps FILE.pcap --filter F --min D [--explain]`: gaps work on packets as on events
// (the flapping load balancer's VRRP adverts, one a second, with a hole). The same output shape
// as for events: `gap DURATION after #N: LINE`, LINE being the packet after the gap as
// `casefile packets` prints it (its time: seconds since the file's first packet); with
// --explain, the other packets seen in the gap, by source → destination and protocol.

import { ActivityCounter, GapFinder } from "../core/analyses/gaps";
import { formatDuration } from "../core/analyses/duration";
import { compilePacketFilter, parsePacketFilter } from "../core/filter/packet-filter";
import { decodePacket } from "../core/packets/decode";
import { readPacketFile } from "../ingest/packet-stream";
import { packetRow } from "../ingest/packet-ingest";
import { hostServices } from "../ingest/host-services";
import { packetsLine, relativeTime, timeDecimals } from "./packets-command";
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
  let first: bigint | undefined;
  const digitsOf = new Map<number, number>();
  const { error } = await readPacketFile(file, {
    onInterface: (i) => digitsOf.set(i.index, timeDecimals(i)),
    onPacket(raw) {
      first ??= raw.tsNs;
      const d = decodePacket(raw, { layers: false });
      const row = packetRow(raw, d);
      if (!matches(row)) {
        if (explain) activity.add(`${row.src} → ${row.dst}`, row.proto);
        return;
      }
      // Relative to the first matching packet: a double holds that difference exactly.
      base ??= row.ts;
      const gap = finder.add(row.num, Number(row.ts - base));
      if (gap) {
        const line = packetsLine(raw.num, relativeTime(raw.tsNs - first, digitsOf.get(raw.ifIndex) ?? 6), raw.origLen, d).trimStart();
        out.line(`gap ${formatDuration(gap.gapNs)} after #${gap.prevNum}: ${line}`);
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
