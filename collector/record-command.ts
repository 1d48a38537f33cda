// `casefile record -w OUT.scap [--duration D] [--snaplen N] [--source file:PATH[@RATE][*LOOPS]]
//  [--packets OUT.pcap [--iface IF] [--packet-filter EXPR]] [FILTER]`:
// a live recording of this host (root: the eBPF loader) written as a .scap that sysdig -r
// reads. The kernel applies the filter's proc.pid / proc.name / container.id part; the whole
// filter applies before writing. With --packets, tcpdump records the interface's packets (all
// of them, or those EXPR picks: a pcap filter) beside the syscalls, over the same span
// (collector/packet-recorder.ts). Stops after D, or on Ctrl-C / SIGTERM.

import { createWriteStream } from "node:fs";
import { parseDuration } from "../server/core/analyses/duration";
import { FilterError } from "../server/core/filter/parser";
import { hostServices } from "../server/ingest/host-services";
import { readOptions } from "../server/cli/options";
import { fail } from "../server/cli/output";
import { Recording } from "./recording";
import { FileSource, type CaptureSource } from "./sources";
import { IFACE_PATTERN, PacketRecorder, type PacketTotals } from "./packet-recorder";

const USAGE = "usage: casefile record -w OUT.scap [--duration D] [--snaplen N] [--source file:PATH[@RATE][*LOOPS]] [--packets OUT.pcap [--iface IF] [--packet-filter EXPR]] [FILTER]";

/** `file:PATH[@RATE][*LOOPS]`: replays PATH's events at RATE events/s (default: as fast as
 *  possible), LOOPS times (default once). */
export function fileSourceOf(spec: string): (() => CaptureSource) | undefined {
  const m = /^file:(.+?)(?:@(\d+(?:\.\d+)?))?(?:\*(\d+))?$/.exec(spec);
  if (!m) return undefined;
  return () => new FileSource(m[1], { rate: m[2] ? Number(m[2]) : Infinity, loops: m[3] ? Number(m[3]) : 1 });
}

export async function recordCommand(args: string[]): Promise<number> {
  const o = readOptions(args.map((a) => (a === "-w" ? "--w" : a)), { values: ["w", "duration", "snaplen", "source", "packets", "iface", "packet-filter"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const out = o.values.get("w");
  if (!out || o.positional.length > 1) return fail(USAGE);
  const filter = o.positional[0];
  let durationMs: number | undefined;
  try {
    const d = o.values.get("duration");
    if (d !== undefined) durationMs = parseDuration(d) / 1e6;
  } catch (e) {
    return fail(`--duration: ${(e as Error).message}`);
  }
  const snaplenText = o.values.get("snaplen");
  if (snaplenText !== undefined && !/^\d+$/.test(snaplenText)) return fail(`--snaplen must be a whole number of bytes, not ${JSON.stringify(snaplenText)}`);
  const sourceSpec = o.values.get("source");
  const fileSource = sourceSpec === undefined ? undefined : fileSourceOf(sourceSpec);
  if (sourceSpec !== undefined && !fileSource) return fail(`--source must be file:PATH[@RATE][*LOOPS], not ${JSON.stringify(sourceSpec)}`);
  if (!fileSource && process.getuid?.() !== 0) return fail("record needs root (it loads BPF programs): run it with sudo");
  const packetsOut = o.values.get("packets");
  const iface = o.values.get("iface");
  const packetFilter = o.values.get("packet-filter");
  if (packetsOut === undefined && (iface !== undefined || packetFilter !== undefined)) return fail(`--iface and --packet-filter go with --packets OUT.pcap\n${USAGE}`);
  if (iface !== undefined && !IFACE_PATTERN.test(iface)) return fail(`--iface: not an interface name: ${JSON.stringify(iface)}`);
  if (packetsOut !== undefined && process.getuid?.() !== 0) return fail("--packets needs root (tcpdump opens a packet socket): run it with sudo");

  const stream = createWriteStream(out);
  let writeError: Error | undefined;
  stream.on("error", (e) => (writeError ??= new Error(`${out}: ${e.message}`)));
  let finish!: (why: string | undefined) => void;
  const finished = new Promise<string | undefined>((r) => (finish = r));
  let rec: Recording;
  try {
    rec = new Recording({
      filter, parse: { services: hostServices() }, snaplen: snaplenText === undefined ? undefined : Number(snaplenText),
      excludePids: [process.pid], source: fileSource, write: (b) => stream.write(b),
      // The source ended by itself (a file replayed to its end, a loader that died).
      onEnd: (failure) => finish(failure),
    });
  } catch (e) {
    if (e instanceof FilterError) return fail(e.message);
    throw e;
  }
  // Packets first: the syscalls' span then lies within the packets' (a connection whose
  // syscalls are recorded has its packets too).
  let packets: PacketRecorder | undefined;
  let packetStream: ReturnType<typeof createWriteStream> | undefined;
  if (packetsOut !== undefined) {
    const ps = createWriteStream(packetsOut);
    packetStream = ps;
    ps.on("error", (e) => (writeError ??= new Error(`${packetsOut}: ${e.message}`)));
    packets = new PacketRecorder({ iface, filter: packetFilter, write: (b) => ps.write(b), onEnd: (why) => finish(why) });
    try {
      await packets.start();
    } catch (e) {
      ps.destroy();
      stream.destroy();
      return fail(`cannot record packets: ${(e as Error).message}`);
    }
  }
  try {
    await rec.start();
  } catch (e) {
    stream.destroy();
    await packets?.stop();
    packetStream?.destroy();
    return fail(`cannot start the recording: ${(e as Error).message}`);
  }
  const kernel = rec.kernel;
  const kparts = [kernel.pids && `pids ${kernel.pids.join(",")}`, kernel.comms && `comms ${kernel.comms.join(",")}`, kernel.cgroups && `cgroups ${kernel.cgroups.join(",")}`].filter(Boolean);
  process.stderr.write(`recording to ${out}${kparts.length ? ` (in the kernel: ${kparts.join("; ")})` : ""}${packetsOut !== undefined ? `, packets on ${iface ?? "any"} to ${packetsOut}` : ""}${durationMs ? ` for ${durationMs / 1000} s` : ""}; Ctrl-C stops\n`);
  const timer = durationMs !== undefined ? setTimeout(() => finish(undefined), durationMs) : undefined;
  const onSignal = () => finish(undefined);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const failure = await finished;
  if (timer) clearTimeout(timer);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  const totals = await rec.stop();
  let ptotals: PacketTotals | undefined;
  if (packets) ptotals = await packets.stop();
  await new Promise<void>((r) => stream.end(() => r()));
  if (packetStream) await new Promise<void>((r) => packetStream!.end(() => r()));
  process.stderr.write(`${totals.written} events written, ${totals.events} captured, ${totals.drops} dropped\n`);
  if (ptotals) process.stderr.write(`${ptotals.captured} packets written, ${ptotals.dropped} dropped by the kernel\n`);
  if (writeError) return fail(writeError.message);
  if (failure ?? totals.failure) return fail(`the recording stopped: ${failure ?? totals.failure}`);
  return 0;
}
