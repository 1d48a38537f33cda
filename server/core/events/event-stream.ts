// The common path of every consumer of a capture (printing, ingest): number the events as
// sysdig does (hidden ones too), follow the state, and offer what rendering needs.

import { EVENTS } from "./event-table";
import { EC, PT } from "./types";
import { ParamIndex } from "./params";
import { isStateful, paramText, type RenderContext } from "./format";
import { ThreadTable, shownComm, type Thread } from "../state/threads";
import { applyEvent } from "../state/apply";
import type { RawEvent, ScapHandler } from "../formats/scap/reader";
import { SCAP_DF_STATE_ONLY, type GroupEntry, type UserEntry } from "../formats/scap/blocks";
import type { InterfaceEntry } from "../formats/scap/blocks";

/** Event types sysdig never prints without -D: the internal category (EC_INTERNAL: procinfo,
 *  drop, sysdigevent, the old container event, infra, k8s, mesos). They keep their numbers. */
export const HIDDEN_TYPES: ReadonlySet<number> = new Set(
  EVENTS.flatMap((e, id) => (e.category & EC.INTERNAL ? [id] : [])),
);

/** The container event types. The ones a capture starts with (its container table, written
 *  ahead of every other event) are numbered, but sinsp consumes them while it opens the file:
 *  sysdig never prints them and no filter output or chisel sees them (EventStream.leading). */
export const CONTAINER_TYPES: ReadonlySet<number> = new Set(
  // Enter events only: the exits (sysdig 0.29.3 names them "container" too) carry nothing.
  EVENTS.flatMap((e, id) => (e.name === "container" && id % 2 === 0 ? [id] : [])),
);

/** Whether sysdig 0.29.3 prints an event (it is numbered and applied either way): not when
 *  its EVF flags say "state only", whatever -D says; not when hidden, unless -D. */
export function isShown(ev: RawEvent, showHidden = false): boolean {
  return (ev.flags & SCAP_DF_STATE_ONLY) === 0 && (showHidden || !HIDDEN_TYPES.has(ev.type));
}


/** Per event type: the indices of its stateful parameters. */
export const STATEFUL_PARAMS: readonly (readonly number[])[] = EVENTS.map((e) =>
  e.params.flatMap((p, i) => (isStateful(p.type) ? [i] : [])),
);

/** Per event type: index of the fd parameter the event acts on (`fd`, or a `res` that is a new
 *  fd), or -1. */
export const ACTED_FD_PARAM: readonly number[] = EVENTS.map((e) =>
  e.params.findIndex((p) => p.type === PT.FD && (p.name === "fd" || p.name === "res")),
);

/** Per event type: the acted-on fd parameter when it is the event's only stateful one, else -1.
 *  The text of such a parameter (`3(<f>/etc/hosts)`) follows from the fd's number and label, so
 *  a store that keeps the fd needs no per-event text for it (see fdParamText). */
export const SOLE_FD_PARAM: readonly number[] = EVENTS.map((_e, type) =>
  STATEFUL_PARAMS[type].length === 1 && STATEFUL_PARAMS[type][0] === ACTED_FD_PARAM[type] ? ACTED_FD_PARAM[type] : -1,
);

/** Whether event `type`'s stateful text is exactly fdParamText of its acted-on fd: the
 *  parameter is present, non-empty, and names an fd (not an errno or AT_FDCWD). */
export function hasSoleFdText(type: number, p: ParamIndex): boolean {
  const i = SOLE_FD_PARAM[type];
  return i >= 0 && p.has(i) && p.len[i] > 0 && p.int(i) >= 0;
}

export type EventSink = (ev: RawEvent, num: number, thread: Thread, params: ParamIndex) => void;

export class EventStream implements ScapHandler, RenderContext {
  readonly table = new ThreadTable();
  num = 0;
  /** Whether the current event is one of the container events a capture starts with, which
   *  sysdig numbers but never shows (see CONTAINER_TYPES): the one place that rule is kept. */
  leading = true;
  readonly params = new ParamIndex();
  private thread!: Thread;

  constructor(private readonly sink: EventSink) {}

  process = this.table.addProc.bind(this.table);
  fdEntry = this.table.addFd.bind(this.table);
  /** The capture's user and group lists (user.name, group.name). */
  users = (users: UserEntry[], groups: GroupEntry[]): void => this.table.setUsers(users, groups);
  /** The capture's interfaces (they complete datagram socket tuples). */
  interfaces = (list: InterfaceEntry[]): void => this.table.setInterfaces(list);
  private sections = 0;
  /** A section header. A second one (captures concatenated, merged files) makes sysdig 0.29.3
   *  restart its capture: the thread table, fds with it, is emptied and filled again from the
   *  new section's process list; the user table and the event numbers go on (measured). */
  section = (): void => {
    if (this.sections++ > 0) this.table.restart();
  };
  fd = (fd: number) => this.thread.fds.get(fd);
  /** A thread's name for a pid parameter (`next=77(<NA>)`): <NA> for a thread the table holds
   *  with no name (first met in an event), "" for one given an empty comm (printed as no name),
   *  undefined for none. */
  comm = (tid: number) => {
    const t = this.table.threads.get(tid);
    return t ? shownComm(t) : undefined;
  };
  userName = (uid: number) => this.table.users.get(uid)?.name;
  groupName = (gid: number) => this.table.groups.get(gid)?.name;
  cwd = () => this.thread.cwd;

  event(ev: RawEvent): void {
    const num = ++this.num;
    this.leading = this.leadsWith(ev.type);
    const p = this.params.load(ev);
    this.thread = applyEvent(this.table, ev.tid, ev.type, p);
    this.sink(ev, num, this.thread, p);
  }

  /** Whether an event of this type, read next, would be one of the leading container events
   *  (for a caller that acts before the stream has the event). */
  leadsWith(type: number): boolean {
    return this.leading && CONTAINER_TYPES.has(type);
  }

  /** The text of the stateful parameters of the current event, in order (e.g. "3(<f>/etc/hosts)"). */
  statefulTexts(type: number): string[] {
    const idx = STATEFUL_PARAMS[type];
    const out: string[] = [];
    const params = EVENTS[type].params;
    for (const i of idx) if (this.params.has(i)) out.push(paramText(this.params, i, params[i], this));
    return out;
  }
}
