// The syscall time of a capture file read with sysdig's own filter predicate (no store): what
// `casefile flame FILE` prints, and what the store answers a filter its columns cannot by
// replaying the kept file. Exit events that sysdig would print (evt.dir=<), their evt.latency
// summed by container.id, proc.name, thread, call and fd.name, in a time range of evt.rawtime.

import type { Predicate } from "../core/filter/evaluate";
import { extractorFor } from "../core/filter/extract";
import { filteringHandler } from "../core/filter/filtered-printer";
import { resolveField } from "../core/filter/parser";
import { typeName } from "../core/events/printer";
import { isShown } from "../core/events/event-stream";
import type { ScapHandler } from "../core/formats/scap/reader";
import { readCaptureFile, type ReadOutcome } from "./capture-stream";
import type { SyscallTimeRow } from "../api/flame-query";

/** A bound of evt.rawtime: absolute ns since the epoch, or ns after the first event sysdig
 *  shows (`+5s` on the command line). */
export type TimeBound = { abs: bigint } | { rel: number };

export interface FileSyscallTime {
  rows: SyscallTimeRow[];
  error?: Error;
}

const field = (name: string) => extractorFor(resolveField(name)!.ref)!;

export async function fileSyscallTime(
  file: string,
  predicate: Predicate | undefined,
  range: { from?: TimeBound; to?: TimeBound } = {},
  opts: { afterChunk?: () => Promise<void>; chunkSize?: number } = {},
): Promise<FileSyscallTime> {
  const latency = field("evt.latency");
  const containerId = field("container.id");
  const procName = field("proc.name");
  const fdName = field("fd.name");
  const sums = new Map<string, SyscallTimeRow>();
  let first: bigint | undefined;
  let lo: bigint | undefined;
  let hi: bigint | undefined;
  const resolve = (b: TimeBound | undefined) => (b === undefined ? undefined : "abs" in b ? b.abs : first! + BigInt(b.rel));
  const filtering = filteringHandler((ctx, ev, _num, _thread, p) => {
    if (ev.type % 2 === 0) return;
    const l = latency(ctx);
    if (typeof l !== "number") return;
    if (lo !== undefined || hi !== undefined) {
      const ts = (BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo);
      if ((lo !== undefined && ts < lo) || (hi !== undefined && ts >= hi)) return;
    }
    // Both "<NA>" for an event whose thread sysdig does not hold.
    const cid = containerId(ctx);
    const container = typeof cid === "string" ? cid : "<NA>";
    const proc = procName(ctx);
    const name = typeof proc === "string" && proc !== "" ? proc : "<NA>";
    const fd = fdName(ctx);
    const fdText = typeof fd === "string" && fd !== "" ? fd : undefined;
    // evt.type: a generic event is named after its syscall id.
    const syscall = typeName(ev.type, p);
    const key = `${container}\u0000${name}\u0000${ev.tid}\u0000${syscall}\u0000${fdText ?? ""}`;
    let r = sums.get(key);
    if (!r) sums.set(key, (r = { container, proc: name, tid: ev.tid, syscall, fd: fdText, ns: 0, calls: 0 }));
    r.ns += l;
    r.calls++;
  }, predicate);
  const handler: ScapHandler = {
    ...filtering,
    event: (ev) => {
      // The first event sysdig prints (not the hidden procinfo events a capture may start with).
      if (first === undefined && !filtering.stream.leadsWith(ev.type) && isShown(ev) && (ev.tsHi !== 0 || ev.tsLo !== 0)) {
        first = (BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo);
        lo = resolve(range.from);
        hi = resolve(range.to);
      }
      filtering.event(ev);
    },
  };
  const outcome: ReadOutcome = await readCaptureFile(file, handler, opts);
  return { rows: [...sums.values()], error: outcome.error };
}

/** `proc;tid;syscall NANOSECONDS` lines (fds summed; DESIGN.md's contract), or with the
 *  container first, `container;proc;tid;syscall NANOSECONDS` (`--containers`), sorted by byte order of the stack as
 *  stackcollapse-perf.pl sorts its output; calls with no time (0 ns) are kept, like sysdig's
 *  zero latencies, so that a line per call site shows. */
export function syscallFolded(rows: readonly SyscallTimeRow[], withContainer = false): string[] {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = `${withContainer ? `${r.container};` : ""}${r.proc};${r.tid};${r.syscall}`;
    m.set(k, (m.get(k) ?? 0) + r.ns);
  }
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => `${k} ${m.get(k)}`);
}
