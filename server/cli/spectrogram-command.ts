// `casefile spectrogram FILE [--filter F] [--bins B]`: the latency spectrogram of a capture as
// cells, one line each: the time bin, the decade of latency, how many exit events fall in it
// and the first of them. Latency is sysdig's evt.latency (an exit's distance to its thread's
// last enter event), so the cells equal those computed from `sysdig -r FILE -p %evt.latency`.

import { SpectrogramBuilder, type Spectrogram } from "../core/analyses/spectrogram";
import { compileFilter, type Predicate } from "../core/filter/evaluate";
import { extractorFor } from "../core/filter/extract";
import { filteringHandler } from "../core/filter/filtered-printer";
import { FilterError, parseFilter, resolveField } from "../core/filter/parser";
import type { ScapHandler } from "../core/formats/scap/reader";
import { readCaptureFile } from "../ingest/capture-stream";
import { hostServices } from "../ingest/host-services";
import { BufferedOut, fail } from "./output";
import { readOptions } from "./options";
import { withTimeRange } from "../core/filter/time-range";

const USAGE = "usage: casefile spectrogram FILE [--filter F] [--bins B] [--from T --to T]";
const UNITS = ["1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s", "100s", "1000s"];

/** "1us-10us" for decade 3; the last decade is open-ended. */
export function decadeLabel(d: number): string {
  if (d === 0) return "0-10ns";
  return d + 1 < UNITS.length ? `${UNITS[d]}-${UNITS[d + 1]}` : `>=${UNITS[d]}`;
}

/** The spectrogram of a capture file: exit events that pass the predicate, by their latency.
 *  `window` (ns since the epoch, both ends included): the bins span it instead of the capture
 *  (the predicate keeps only its events: withTimeRange). */
export async function fileSpectrogram(
  file: string, predicate: Predicate | undefined, bins: number, window?: { from: bigint; to: bigint },
): Promise<{ spectrogram: Spectrogram; error?: Error }> {
  const latency = extractorFor(resolveField("evt.latency")!.ref)!;
  const builder = new SpectrogramBuilder();
  // Time bins span every event of the capture that sysdig shows (with -D), matching or not: the
  // container events a capture may start with are not shown.
  let baseHi = -1, baseLo = 0, lastHi = 0, lastLo = 0;
  const rel = (hi: number, lo: number) => (hi - baseHi) * 4294967296 + (lo - baseLo);
  const filtering = filteringHandler((ctx, ev, num) => {
    if (ev.type % 2 === 0) return;
    const l = latency(ctx);
    if (typeof l === "number") builder.add(num, rel(ev.tsHi, ev.tsLo), l);
  }, predicate);
  const handler: ScapHandler = {
    ...filtering,
    event: (ev) => {
      if (!filtering.stream.leadsWith(ev.type) && (ev.tsHi !== 0 || ev.tsLo !== 0)) {
        if (baseHi < 0) { baseHi = ev.tsHi; baseLo = ev.tsLo; }
        lastHi = ev.tsHi;
        lastLo = ev.tsLo;
      }
      filtering.event(ev);
    },
  };
  if (window) {
    baseHi = Number(window.from >> 32n);
    baseLo = Number(window.from & 0xffffffffn);
  }
  const { error } = await readCaptureFile(file, window ? filtering : handler);
  if (window) return { spectrogram: builder.cells(Number(window.to - window.from), bins), error };
  return { spectrogram: builder.cells(baseHi < 0 ? 0 : rel(lastHi, lastLo), bins), error };
}

export async function spectrogramCommand(args: string[]): Promise<number> {
  const o = readOptions(args, { values: ["filter", "bins", "from", "to"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const [file, extra] = o.positional;
  const from = o.values.get("from"), to = o.values.get("to");
  if ((from === undefined) !== (to === undefined)) return fail(`--from and --to go together\n${USAGE}`);
  if (from !== undefined && (!/^\d{1,20}$/.test(from) || !/^\d{1,20}$/.test(to!) || BigInt(to!) < BigInt(from))) {
    return fail("--from and --to want ns since the epoch (evt.rawtime), --to not before --from");
  }
  const window = from !== undefined ? { from: BigInt(from), to: BigInt(to!) } : undefined;
  const filter = withTimeRange(o.values.get("filter") ?? "", window && { from: from!, to: to! }), bins = Number(o.values.get("bins") ?? 100);
  if (!file || extra !== undefined) return fail(USAGE);
  if (!Number.isInteger(bins) || bins < 1 || bins > 100_000) return fail(`--bins wants a whole number from 1 to 100000`);
  let predicate: Predicate | undefined;
  try {
    if (filter.trim()) predicate = compileFilter(parseFilter(filter, { services: hostServices() }));
  } catch (e) {
    if (e instanceof FilterError) return fail(e.message);
    throw e;
  }
  const r = await fileSpectrogram(file, predicate, bins, window).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return { error: new Error("no such file"), spectrogram: undefined };
    throw e;
  });
  const out = new BufferedOut(process.stdout);
  if (r.spectrogram) {
    const s = r.spectrogram;
    out.line(`${s.bins} time bins of ${(s.binNs / 1e9).toFixed(9)} s from the first event; exit events by latency`);
    out.line(`${"bin".padStart(6)}  ${"from".padStart(14)}  ${"latency".padEnd(12)} ${"count".padStart(9)}  first evt.num`);
    for (const c of s.cells) {
      out.line(`${String(c.t).padStart(6)}  ${`+${((c.t * s.binNs) / 1e9).toFixed(6)}s`.padStart(14)}  ${decadeLabel(c.l).padEnd(12)} ${String(c.count).padStart(9)}  ${c.example}`);
    }
  }
  await out.flush();
  if (r.error) return fail(`${file}: ${r.error.message}`);
  return 0;
}
