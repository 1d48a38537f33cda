// Building blocks of the synthetic captures that tests feed to sysdig 0.29.3 and to us: a
// scenario (a writer with its tables, then events on a clock) and the parameter lists of the
// process-creating calls, whose 20 exit parameters every scenario needs and which were written
// out by hand in four places before. Test code only: production code never builds captures
// event by event.

import { ScapWriter, type ParamValue } from "../core/formats/scap/writer";
import type { RawEvent } from "../core/formats/scap/reader";

/** One event at the current time; the clock then moves 1 µs on. */
export type Emit = (tid: number, name: string, dir: ">" | "<", params: ParamValue[]) => void;
/** Moves the clock (ns; negative for an event that arrives out of order). */
export type Wait = (ns: number) => void;

export interface Scenario {
  name: string;
  writer: () => ScapWriter;
  events: (ev: Emit, wait: Wait) => void;
}

/** 2020-09-13 12:26:40 UTC: where a scenario's clock starts unless told otherwise. */
export const SCENARIO_START = 1_600_000_000_000_000_000n;

/** The capture bytes of a scenario, and how many events it has. */
export function buildScenario(s: Scenario, start = SCENARIO_START): { bytes: Uint8Array; events: number } {
  const w = s.writer();
  let ts = start;
  let events = 0;
  s.events(
    (tid, name, dir, params) => {
      w.event({ ts, tid, name, dir, params });
      ts += 1000n;
      events++;
    },
    (ns) => {
      ts += BigInt(ns);
    },
  );
  return { bytes: w.bytes(), events };
}

/** PPM_CL_CLONE_FILES | PPM_CL_CLONE_THREAD | PPM_CL_CLONE_VM: a thread sharing its files. */
export const CLONE_THREAD_FLAGS = (1 << 15) | (1 << 13) | 1;
/** PPM_CL_CLONE_VFORK. */
export const CLONE_VFORK_FLAG = 1 << 27;

/** What a clone/fork/vfork/clone3 or execve exit says about the thread; what is left out takes
 *  the value most scenarios want. */
export interface ExitThread {
  res: number;
  tid: number;
  pid: number;
  ptid: number;
  comm: string;
  /** Default: comm. */
  exe?: string;
  /** Default: none. */
  args?: string[];
  /** Default: /srv. */
  cwd?: string;
  /** Default: 1024. */
  fdlimit?: number;
  /** Default: 0 (kB). */
  vmSizeKb?: number;
  /** Default: 0 (kB). */
  vmRssKb?: number;
  /** NUL-separated `subsys=path` pairs. Default: none. */
  cgroups?: string;
}

/** Arguments or environment strings as the driver sends them: each ended by a NUL. */
const args = (a: string[] = []) => a.map((x) => `${x}\0`).join("");

/** The exit parameters of a process-creating call (the 20 of sysdig 0.29.3: res, exe, args, tid,
 *  pid, ptid, cwd, fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap, comm, cgroups, flags,
 *  uid, gid, vtid, vpid). */
export function forkExit(t: ExitThread & { flags?: number; uid?: number; gid?: number; vtid?: number; vpid?: number }): ParamValue[] {
  return [t.res, t.exe ?? t.comm, args(t.args), t.tid, t.pid, t.ptid, t.cwd ?? "/srv", t.fdlimit ?? 1024, 0, 0,
    t.vmSizeKb ?? 0, t.vmRssKb ?? 0, 0, t.comm, t.cgroups ?? "", t.flags ?? 0, t.uid ?? 0, t.gid ?? t.uid ?? 0,
    t.vtid ?? t.tid, t.vpid ?? t.pid];
}

/** The exit parameters of execve (the 20 of sysdig 0.29.3: res, exe, args, tid, pid, ptid, cwd,
 *  fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap, comm, cgroups, env, tty, pgid,
 *  loginuid, flags). */
export function execveExit(t: ExitThread & { env?: string[]; tty?: number; loginuid?: number; flags?: number }): ParamValue[] {
  return [t.res, t.exe ?? t.comm, args(t.args), t.tid, t.pid, t.ptid, t.cwd ?? "/srv", t.fdlimit ?? 1024, 0, 0,
    t.vmSizeKb ?? 0, t.vmRssKb ?? 0, 0, t.comm, t.cgroups ?? "", args(t.env), t.tty ?? 0, t.pid, t.loginuid ?? -1, t.flags ?? 0];
}

/** Every parameter of an event as the record holds it (all nparams, whatever the event table
 *  says), in hex: for tests that compare records byte for byte. */
export function paramsHex(ev: RawEvent): string[] {
  const vals: string[] = [];
  let p = ev.valsOff;
  for (let i = 0; i < ev.nparams; i++) {
    const l = ev.lenSize === 2 ? ev.dv.getUint16(ev.lensOff + 2 * i, true) : ev.dv.getUint32(ev.lensOff + 4 * i, true);
    vals.push(Buffer.from(ev.buf.subarray(p, p + l)).toString("hex"));
    p += l;
  }
  return vals;
}
