// `casefile record -w OUT.scap [--duration D] [--snaplen N] [--source file:PATH[@RATE][*LOOPS]] [FILTER]`:
// a live recording of this host (root: the eBPF loader) written as a .scap that sysdig -r
// reads. The kernel applies the filter's proc.pid / proc.name / container.id part; the whole
// filter applies before writing. Stops after D, or on Ctrl-C / SIGTERM.

import { createWriteStream } from "node:fs";
import { parseDuration } from "../server/core/analyses/duration";
import { FilterError } from "../server/core/filter/parser";
import { hostServices } from "../server/ingest/host-services";
import { readOptions } from "../server/cli/options";
import { fail } from "../server/cli/output";
import { Recording } from "./recording";
import { FileSource, type CaptureSource } from "./sources";

const USAGE = "usage: casefile record -w OUT.scap [--duration D] [--snaplen N] [--source file:PATH[@RATE][*LOOPS]] [FILTER]";

/** `file:PATH[@RATE][*LOOPS]`: replays PATH's events at RATE events/s (default: as fast as
 *  possible), LOOPS times (default once). */
export function fileSourceOf(spec: string): (() => CaptureSource) | undefined {
  const m = /^file:(.+?)(?:@(\d+(?:\.\d+)?))?(?:\*(\d+))?$/.exec(spec);
  if (!m) return undefined;
  return () => new FileSource(m[1], { rate: m[2] ? Number(m[2]) : Infinity, loops: m[3] ? Number(m[3]) : 1 });
}

export async function recordCommand(args: string[]): Promise<number> {
  const o = readOptions(args.map((a) => (a === "-w" ? "--w" : a)), { values: ["w", "duration", "snaplen", "source"] });
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

  const stream = createWriteStream(out);
  let writeError: Error | undefined;
  stream.on("error", (e) => (writeError = e));
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
  try {
    await rec.start();
  } catch (e) {
    stream.destroy();
    return fail(`cannot start the recording: ${(e as Error).message}`);
  }
  const kernel = rec.kernel;
  const kparts = [kernel.pids && `pids ${kernel.pids.join(",")}`, kernel.comms && `comms ${kernel.comms.join(",")}`, kernel.cgroups && `cgroups ${kernel.cgroups.join(",")}`].filter(Boolean);
  process.stderr.write(`recording to ${out}${kparts.length ? ` (in the kernel: ${kparts.join("; ")})` : ""}${durationMs ? ` for ${durationMs / 1000} s` : ""}; Ctrl-C stops\n`);
  const timer = durationMs !== undefined ? setTimeout(() => finish(undefined), durationMs) : undefined;
  const onSignal = () => finish(undefined);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const failure = await finished;
  if (timer) clearTimeout(timer);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  const totals = await rec.stop();
  await new Promise<void>((r) => stream.end(() => r()));
  process.stderr.write(`${totals.written} events written, ${totals.events} captured, ${totals.drops} dropped\n`);
  if (writeError) return fail(`${out}: ${writeError.message}`);
  if (failure ?? totals.failure) return fail(`the recording stopped: ${failure ?? totals.failure}`);
  return 0;
}
