// `casefile gaps FILE --filter F --min DURATION [--explain]`: every event matching F that follows
// a gap longer than DURATION since the previous matching event, with the gap; with --explain,
// what ran in the gap (the other events, by process and type), the question that came next in
// the keepalived investigation. A packet capture gets the same over its packets (packet-gaps.ts).

import { ActivityCounter, GapFinder } from "../core/analyses/gaps";
import { formatDuration, parseDuration } from "../core/analyses/duration";
import { eventLine, procName, typeName } from "../core/events/printer";
import { compileFilter } from "../core/filter/evaluate";
import { filteringHandler } from "../core/filter/filtered-printer";
import { FilterError, parseFilter } from "../core/filter/parser";
import { readCaptureFile } from "../ingest/capture-stream";
import { hostServices } from "../ingest/host-services";
import { BufferedOut, fail } from "./output";
import { readOptions } from "./options";
import { captureKind, isPacketKind } from "../ingest/capture-kind";

const USAGE = "usage: casefile gaps FILE --filter F --min DURATION [--explain]";

export async function gapsCommand(args: string[]): Promise<number> {
  const o = readOptions(args, { values: ["filter", "min"], flags: ["--explain"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const [file, extra] = o.positional;
  const filter = o.values.get("filter") ?? "", min = o.values.get("min"), explain = o.flags.includes("--explain");
  if (!file || extra !== undefined || min === undefined) return fail(USAGE);
  let minNs: number;
  let matches;
  try {
    minNs = parseDuration(min);
  } catch (e) {
    return fail((e as Error).message);
  }
  // A packet capture (pcap, pcapng, gzip of either): the same gaps over its packets.
  const kind = await captureKind(file).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? "missing" : "unknown"));
  if (kind === "missing") return fail(`${file}: no such file`);
  if (isPacketKind(kind)) return (await import("./packet-gaps")).packetGapsCommand(file, filter, minNs, explain);
  try {
    matches = filter.trim() ? compileFilter(parseFilter(filter, { services: hostServices() })) : () => true;
  } catch (e) {
    if (e instanceof FilterError || e instanceof Error) return fail(e.message);
    throw e;
  }
  const out = new BufferedOut(process.stdout);
  const finder = new GapFinder(minNs);
  let activity = new ActivityCounter();
  let baseHi = -1, baseLo = 0;
  // Every shown event passes through here; the matching ones measure gaps, the others are what
  // ran in between.
  const handler = filteringHandler((ctx, ev, num, thread, p) => {
    if (baseHi < 0) { baseHi = ev.tsHi; baseLo = ev.tsLo; }
    if (!matches(ctx)) {
      if (explain) activity.add(procName(ev.type, thread.comm, p), typeName(ev.type, p));
      return;
    }
    const gap = finder.add(num, (ev.tsHi - baseHi) * 4294967296 + (ev.tsLo - baseLo));
    if (gap) {
      out.line(`gap ${formatDuration(gap.gapNs)} after #${gap.prevNum}: ${eventLine(ev, num, thread, p, handler.stream)}`);
      if (explain) {
        const rows = activity.rows();
        if (rows.length === 0) out.line("    (no other events)");
        for (const r of rows) out.line(`    ${String(r.count).padStart(8)}  ${r.proc}  ${r.type}`);
      }
    }
    activity = new ActivityCounter();
  });
  const { error } = await readCaptureFile(file, handler).catch((e: NodeJS.ErrnoException) => ({
    error: new Error(e.code === "ENOENT" ? "no such file" : e.message),
  }));
  await out.flush();
  if (error) return fail(`${file}: ${error.message}`);
  return 0;
}
