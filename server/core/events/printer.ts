// `sysdig -r` lines: sysdig's default format
// `%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info`.

import { EVENTS } from "./event-table";
import type { ParamIndex } from "./params";
import { infoText, type RenderContext } from "./format";
import { CONTAINER_TYPES, EventStream, isShown } from "./event-stream";
import { SYSCALL_NAMES } from "./syscalls";
import { PT } from "./types";
import type { RawEvent } from "../formats/scap/reader";
import type { Thread } from "../state/threads";
import { dateTime, timeOfDay } from "./local-time";

/** The event type as sysdig names it: generic syscall events take the syscall's name. */
export function typeName(type: number, p: ParamIndex): string {
  const info = EVENTS[type];
  if (info.name === "syscall" && info.params[0]?.type === PT.SYSCALLID && p.has(0)) {
    return SYSCALL_NAMES[p.uint(0)] ?? "<unknown>";
  }
  return info.name;
}

/** What sysdig shows as proc.name: the thread's command, `<NA>` when unknown (`named`: an
 *  empty comm was given, and shows empty); a container
 *  event shows as `container:<id>`. */
export function procName(type: number, comm: string, p: ParamIndex, named = false): string {
  if (CONTAINER_TYPES.has(type) && p.has(0)) {
    const m = /"id":"([^"]*)"/.exec(p.str(0));
    if (m) return `container:${m[1]}`;
  }
  return comm || (named ? "" : "<NA>");
}

export interface LineFields {
  num: number;
  time: string;
  cpu: number;
  proc: string;
  tid: number;
  type: number;
  typeName: string;
  info: string;
}

export function formatLine(f: LineFields): string {
  return `${f.num} ${f.time} ${f.cpu} ${f.proc} (${f.tid}) ${f.type % 2 === 0 ? ">" : "<"} ${f.typeName} ${f.info}`;
}

/** Plugin events (PPME_PLUGINEVENT_E): sysdig 0.29.3 prints them in its plugin format,
 *  `*%evt.num %evt.datetime.s [%evt.pluginname] %evt.plugininfo`; with no plugin loaded (sysdig
 *  -r loads none) the name and the info have no value. */
export const PLUGIN_EVENT_TYPES: ReadonlySet<number> = new Set(
  EVENTS.flatMap((e, id) => (e.name === "pluginevent" && id % 2 === 0 ? [id] : [])),
);

/** The sysdig line of the event just read, with the state as it is at that event. */
export function eventLine(ev: RawEvent, num: number, thread: Thread, p: ParamIndex, ctx: RenderContext): string {
  if (PLUGIN_EVENT_TYPES.has(ev.type)) return `${num} ${dateTime((BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo), false)} [<NA>] <NA>`;
  return formatLine({
    num, time: timeOfDay(ev.tsHi, ev.tsLo), cpu: ev.cpu, proc: procName(ev.type, thread.comm, p, thread.named),
    tid: ev.tid, type: ev.type, typeName: typeName(ev.type, p), info: infoText(ev.type, p, ctx),
  });
}

/** A capture handler that emits one sysdig line per visible event (hidden ones too with
 *  showHidden, like sysdig -D). */
export function eventPrinter(
  emit: (line: string, num: number) => void,
  opts: { showHidden?: boolean } = {},
): EventStream {
  const stream: EventStream = new EventStream((ev, num, thread, p) => {
    if (stream.leading || !isShown(ev, opts.showHidden)) return;
    const ctx: RenderContext = stream;
    emit(eventLine(ev, num, thread, p, ctx), num);
  });
  return stream;
}
