// Helpers for the differential tests of the state chisels: which event numbers to probe in a
// capture, sysdig's lsof/netstat/ps output at an event, and ours.

import { EventStream } from "../core/events/event-stream";
import { readCaptureFile } from "../ingest/capture-stream";
import {
  filteredStateLines, stateFilter, stateLines, type StateCommand,
} from "../cli/state-commands";
import { stateAt } from "../ingest/file-state";
import { outputLines, runSysdig, runSysdigAsync, sysdigLines } from "./oracle";

export const STATE_COMMANDS: StateCommand[] = ["lsof", "netstat", "ps"];

/** `sysdig -r FILE -c CMD "F" "evt.num=N"`, TZ=UTC (F: the chisel's argument string). */
export function sysdigChisel(file: string, cmd: StateCommand, at: number, filter = ""): string[] {
  return outputLines(runSysdig(["-r", file, "-c", cmd, filter, `evt.num=${at}`]).stdout, "utf8");
}

/** The same, without blocking: many sysdig runs can go at once. */
export function sysdigChiselAsync(file: string, cmd: StateCommand, at: number, filter = ""): Promise<string[]> {
  return sysdigChiselOutput(file, cmd, at, filter).then((r) => r.lines);
}

/** `sysdig -r FILE -c CMD "F" "evt.num=N"`: stdout's lines and stderr's (where sysdig says
 *  what it thinks of a bad filter). A sysdig that cannot run rejects (see oracle.ts). */
export async function sysdigChiselOutput(
  file: string, cmd: StateCommand, at: number, filter = "",
): Promise<{ lines: string[]; errors: string[] }> {
  const r = await runSysdigAsync(["-r", file, "-c", cmd, filter, `evt.num=${at}`]);
  return { lines: outputLines(r.stdout, "utf8"), errors: outputLines(r.stderr, "utf8") };
}

/** Runs the jobs with at most `n` at a time, results in order. */
export async function limited<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  }));
  return out;
}

/** Our lines for each command at each of the event numbers, from one replay of the capture. */
export async function ourStateLines(file: string, nums: number[]): Promise<Map<number, Record<StateCommand, string[]>>> {
  const want = new Set(nums);
  const out = new Map<number, Record<StateCommand, string[]>>();
  const stream = new EventStream((ev, num) => {
    // Leading container events are numbered but never seen by a chisel (no match).
    if (!want.has(num) || stream.leading) return;
    out.set(num, {
      lsof: stateLines("lsof", stream.table),
      netstat: stateLines("netstat", stream.table),
      ps: stateLines("ps", stream.table),
    });
  });
  await readCaptureFile(file, stream);
  return out;
}

export interface FilteredQuery {
  cmd: StateCommand;
  /** The chisel's argument string, as given to `sysdig -c CMD "F"`. */
  filter: string;
}

/** Our lines (or our error message) for each query at event N, from one replay up to N. */
export async function ourFilteredStateLines(file: string, at: number, queries: FilteredQuery[]): Promise<({ lines: string[] } | { error: string })[]> {
  const state = await stateAt(file, at, { withContext: true });
  return queries.map(({ cmd, filter }) => {
    try {
      return { lines: filteredStateLines(cmd, state, stateFilter(cmd, filter)) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
}

/** Every event number `sysdig -r FILE -D` shows (hidden events too): where "lsof at every
 *  event" probes. */
export function everyEventNumber(file: string): number[] {
  return sysdigLines(file, ["-D"]).map((l) => Number(l.split(" ")[0])).filter(Number.isFinite);
}

/** Event numbers worth probing: the first and last, evenly spaced ones, and the events just
 *  before, at and after fd- and process-changing calls (close, dup, fcntl, socket calls,
 *  execve, clone/fork, procexit), a few of each kind. */
export function probeNumbers(file: string, spaced = 10, perKind = 3): number[] {
  const lines = sysdigLines(file, ["-D"]);
  const events = lines.map((l) => {
    const f = l.split(" ");
    return { num: Number(f[0]), type: f[6] };
  }).filter((e) => Number.isFinite(e.num));
  if (events.length === 0) return [];
  const nums = new Set<number>();
  const first = events[0].num;
  const last = events[events.length - 1].num;
  nums.add(first);
  nums.add(last);
  for (let i = 0; i < spaced; i++) nums.add(Math.round(first + ((last - first) * i) / Math.max(1, spaced - 1)));
  const kinds = ["close", "dup", "fcntl", "socket", "connect", "accept", "bind", "listen", "pipe", "open", "openat",
    "execve", "clone", "fork", "vfork", "procexit", "sendto", "sendmsg", "recvfrom", "switch", "brk", "mmap"];
  const seen = new Map<string, number>();
  for (const e of events) {
    if (!kinds.includes(e.type)) continue;
    const n = seen.get(e.type) ?? 0;
    if (n >= perKind * 2) continue; // enter and exit
    seen.set(e.type, n + 1);
    for (const d of [-1, 0, 1]) if (e.num + d >= first && e.num + d <= last) nums.add(e.num + d);
  }
  return [...nums].sort((a, b) => a - b);
}
