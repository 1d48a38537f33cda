// The common path of every consumer of a capture (printing, ingest): number the events as
// sysdig does (hidden ones too), follow the state, and offer what rendering needs.

import { EVENTS } from "./event-table";
import { ParamIndex } from "./params";
import { isStateful, paramText, type RenderContext } from "./format";
import { ThreadTable, type Thread } from "../state/threads";
import { applyEvent } from "../state/apply";
import type { RawEvent, ScapHandler } from "../formats/scap/reader";
import type { GroupEntry, UserEntry } from "../formats/scap/blocks";

/** Event types sysdig never prints without -D (internal bookkeeping events). */
export const HIDDEN_TYPES: ReadonlySet<number> = new Set(
  EVENTS.flatMap((e, id) => (e.name === "procinfo" ? [id] : [])),
);


/** Per event type: the indices of its stateful parameters. */
export const STATEFUL_PARAMS: readonly (readonly number[])[] = EVENTS.map((e) =>
  e.params.flatMap((p, i) => (isStateful(p.type) ? [i] : [])),
);

export type EventSink = (ev: RawEvent, num: number, thread: Thread, params: ParamIndex) => void;

export class EventStream implements ScapHandler, RenderContext {
  readonly table = new ThreadTable();
  num = 0;
  readonly params = new ParamIndex();
  private thread!: Thread;

  constructor(private readonly sink: EventSink) {}

  process = this.table.addProc.bind(this.table);
  fdEntry = this.table.addFd.bind(this.table);
  /** The capture's user and group lists (user.name, group.name). */
  users = (users: UserEntry[], groups: GroupEntry[]): void => this.table.setUsers(users, groups);
  fd = (fd: number) => this.thread.fds.get(fd);
  comm = (tid: number) => this.table.threads.get(tid)?.comm;
  cwd = () => this.thread.cwd;

  event(ev: RawEvent): void {
    const num = ++this.num;
    const p = this.params.load(ev);
    this.thread = applyEvent(this.table, ev.tid, ev.type, p);
    this.sink(ev, num, this.thread, p);
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
