// A capture that holds one event per flag bit of every flag table, one per errno value and one
// per signal number, to check flags.ts, errno.ts and the signal names against what sysdig 0.29.3
// prints. Test code only.
//
// Every event is one that sysdig 0.29.3 knows, written with exactly its 0.29.3 parameter list,
// so both printers see the same bytes. For each flag table we take one event parameter that uses
// it (an event whose other parameters are plain numbers and strings, so that nothing but the
// flag rendering can differ) and write:
// - FLAGS/MODE tables: 0, every single bit any entry holds, every entry's own value (so entries
//   of several bits, like O_RDWR, and entries of value 0 are hit), one bit no entry holds, and
//   all named bits together;
// - ENUMFLAGS tables: every entry's value, and one value no entry has.
// Tables that no parameter of a 0.29.3 event uses (tables added to libs later) cannot be shown
// by sysdig 0.29.3: they are listed apart.

import * as FLAGS from "../core/events/flags";
import { ERRNO_NAMES, LINUX_ERRNO_NAMES_UNKNOWN_TO_SYSDIG } from "../core/events/errno";
import { EVENTS, LEGACY_EVENT_COUNT } from "../core/events/event-table";
import { ScapWriter, type ParamValue } from "../core/formats/scap/writer";
import { EF, PT, type NameValue, type ParamInfo } from "../core/events/types";

export interface FlagTableUse {
  table: string;
  eventId: number;
  param: number;
  /** The values written for it. */
  values: number[];
}

export interface FlagsErrnoCapture {
  bytes: Uint8Array;
  flagTables: FlagTableUse[];
  /** Exported tables that no parameter of a 0.29.3 event carries (added to libs later; pollFlags
   *  is only read inside fd lists). */
  unusedTables: string[];
  errnoValues: number[];
  /** The signal numbers written (kill's sig). */
  signalValues: number[];
  events: number;
  /** Per event written (in order): the name of the parameter under test, and which of the
   *  event's parameters of that name it is (0 for the first). */
  tested: { param: string; occurrence: number }[];
}

const WIDTH: Partial<Record<PT, number>> = {
  [PT.FLAGS8]: 8, [PT.FLAGS16]: 16, [PT.FLAGS32]: 32, [PT.MODE]: 32,
  [PT.ENUMFLAGS8]: 8, [PT.ENUMFLAGS16]: 16, [PT.ENUMFLAGS32]: 32,
};
const ENUM_TYPES = new Set([PT.ENUMFLAGS8, PT.ENUMFLAGS16, PT.ENUMFLAGS32]);

/** Parameter types whose value we can write without any state or layout concerns. */
const PLAIN = new Set([
  PT.INT8, PT.INT16, PT.INT32, PT.INT64, PT.UINT8, PT.UINT16, PT.UINT32, PT.UINT64, PT.CHARBUF,
  PT.BYTEBUF, PT.ERRNO, PT.FD, PT.PID, PT.FSPATH, PT.FSRELPATH, PT.RELTIME, PT.ABSTIME, PT.UID,
  PT.GID, PT.SIGTYPE, PT.FLAGS8, PT.FLAGS16, PT.FLAGS32, PT.MODE, PT.ENUMFLAGS8, PT.ENUMFLAGS16,
  PT.ENUMFLAGS32, PT.BOOL, PT.SYSCALLID, PT.DYN,
]);

function legacyParams(id: number): readonly ParamInfo[] {
  const ev = EVENTS[id]!;
  return ev.params.slice(0, ev.legacyParamCount ?? ev.params.length);
}

/** The id ScapWriter.event picks for a name, direction and parameter count: the newest 0.29.3
 *  version that has that many parameters. */
function writerPick(name: string, enter: boolean, n: number): number {
  let pick = -1;
  for (let id = 0; id < LEGACY_EVENT_COUNT; id++) {
    const ev = EVENTS[id]!;
    if (ev.name === name && (id % 2 === 0) === enter && legacyParams(id).length >= n) pick = id;
  }
  return pick;
}

/** The thread every event is written for (in the capture's process list). */
const TID = 100;

/** A value for the parameters around the one under test. Thread ids name the writing thread
 *  itself, so that a process-creating or execve exit changes nothing but that thread. */
function neutral(p: ParamInfo): ParamValue {
  switch (p.type) {
    case PT.CHARBUF: return "x";
    case PT.FSPATH: case PT.FSRELPATH: return "/x";
    case PT.BYTEBUF: return new Uint8Array(0);
    case PT.FD: return 3;
    case PT.PID: return TID;
    // A dynamic parameter: selector 0 (every dynamic table's first entry), holding 0.
    case PT.DYN: return Uint8Array.of(0, ...new Uint8Array(8));
    default: return 0;
  }
}

/** The values written for one flag table through a parameter of the given type. */
export function flagTestValues(table: readonly NameValue[], type: PT): number[] {
  const width = WIDTH[type]!;
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  const fits = (v: number) => v >>> 0 === (v & mask) >>> 0;
  const out = new Set<number>();
  if (ENUM_TYPES.has(type)) {
    for (const [, v] of table) if (fits(v)) out.add(v >>> 0);
    let unnamed = 0;
    while (out.has(unnamed) && unnamed < mask) unnamed++;
    // The first value past every named one, when the width leaves room (an unnamed value).
    const top = Math.max(...[...out]) + 1;
    if (top <= mask) out.add(top);
    else if (!out.has(unnamed)) out.add(unnamed);
    return [...out];
  }
  out.add(0);
  let all = 0;
  for (const [, v] of table) {
    if (!fits(v)) continue;
    out.add(v >>> 0);
    all = (all | v) >>> 0;
    for (let b = 0; b < width; b++) if ((v >>> b) & 1) out.add((1 << b) >>> 0);
  }
  out.add(all);
  for (let b = 0; b < width; b++) {
    if (!((all >>> b) & 1)) { out.add((1 << b) >>> 0); out.add((all | (1 << b)) >>> 0); break; }
  }
  return [...out];
}

/** Errno values: every one from 0 to -(the highest named + 1), and a few unnamed far ones. */
export function errnoTestValues(): number[] {
  const named = [...Object.keys(ERRNO_NAMES), ...Object.keys(LINUX_ERRNO_NAMES_UNKNOWN_TO_SYSDIG)].map(Number);
  const top = Math.max(...named) + 1;
  const out: number[] = [];
  for (let e = 0; e <= top; e++) out.push(-e);
  out.push(-1000, -4095, -4096, 1);
  return out;
}

export function buildFlagsErrnoCapture(): FlagsErrnoCapture {
  const tables = Object.entries(FLAGS).filter((e): e is [string, readonly NameValue[]] =>
    Array.isArray(e[1]) && e[1].every((x: unknown) => Array.isArray(x) && x.length === 2));
  const byTable = new Map<readonly NameValue[], string>(tables.map(([n, t]) => [t, n]));

  // For each table, the first usable (event, parameter) in id order; events that change no
  // thread state first (so that one table's events cannot change how another's print).
  const uses = new Map<string, { id: number; param: number; type: PT }>();
  for (const stateful of [false, true]) {
    for (let id = 0; id < LEGACY_EVENT_COUNT; id++) {
      const params = legacyParams(id);
      if (params.length === 0 || !params.every((p) => PLAIN.has(p.type))) continue;
      if (Boolean(EVENTS[id]!.flags & EF.MODIFIES_STATE) !== stateful) continue;
      if (writerPick(EVENTS[id]!.name, id % 2 === 0, params.length) !== id) continue;
      params.forEach((p, i) => {
        const name = p.flags && byTable.get(p.flags);
        if (name && WIDTH[p.type] !== undefined && !uses.has(name)) uses.set(name, { id, param: i, type: p.type });
      });
    }
  }

  const tid = TID;
  const w = new ScapWriter().procs([{ tid, pid: tid, ptid: 1, comm: "flagger", exe: "/bin/flagger" }]);
  let ts = 1_600_000_000_000_000_000n;
  let events = 0;
  const tested: { param: string; occurrence: number }[] = [];
  const emit = (id: number, values: ParamValue[], param: number) => {
    const ev = EVENTS[id]!;
    w.event({ ts, tid, name: ev.name, dir: id % 2 === 0 ? ">" : "<", params: values });
    ts += 1000n;
    events++;
    const name = ev.params[param]!.name;
    tested.push({ param: name, occurrence: ev.params.slice(0, param).filter((p) => p.name === name).length });
  };

  const flagTables: FlagTableUse[] = [];
  for (const [name, table] of tables) {
    const use = uses.get(name);
    if (!use) continue;
    const params = legacyParams(use.id);
    const values = flagTestValues(table, use.type);
    for (const v of values) emit(use.id, params.map((p, i) => (i === use.param ? v : neutral(p))), use.param);
    flagTables.push({ table: name, eventId: use.id, param: use.param, values });
  }

  // Errno values through an ERRNO parameter (close's exit: res) and through an FD one (socket's
  // exit: fd), which prints a negative value with its errno name too. Both are the event's only
  // 0.29.3 parameter.
  const errnoValues = errnoTestValues();
  for (const [name, type] of [["close", PT.ERRNO], ["socket", PT.FD]] as const) {
    const id = writerPick(name, false, 1);
    if (legacyParams(id).length !== 1 || legacyParams(id)[0]!.type !== type) {
      throw new Error(`${name} exit no longer has a sole parameter of type ${type}`);
    }
    for (const e of errnoValues) emit(id, [e], 0);
  }

  // Signal numbers through kill's enter (pid, sig): every value a SIGTYPE byte can hold that
  // Linux uses (0..64) and a few past it.
  const killE = writerPick("kill", true, 2);
  const sigParam = legacyParams(killE).findIndex((q) => q.type === PT.SIGTYPE);
  if (sigParam < 0) throw new Error("kill enter no longer has a SIGTYPE parameter");
  const signalValues = [...Array(66).keys(), 127, 128, 255];
  for (const v of signalValues) emit(killE, legacyParams(killE).map((q, i) => (i === sigParam ? v : neutral(q))), sigParam);

  return {
    bytes: w.bytes(),
    flagTables,
    unusedTables: tables.map(([n]) => n).filter((n) => !uses.has(n)),
    errnoValues,
    signalValues,
    events,
    tested,
  };
}
