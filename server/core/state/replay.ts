// Following a capture's state without printing anything: the state engine alone, as a scap
// reader handler. It can start from a snapshot (a checkpoint stored every K events): events up
// to the snapshot's number are counted but not applied, and the capture's process, fd and user
// lists are ignored (the snapshot has them).

import type { GroupEntry, FdEntry, InterfaceEntry, ProcEntry, UserEntry } from "../formats/scap/blocks";
import type { RawEvent, ScapHandler } from "../formats/scap/reader";
import { ParamIndex } from "../events/params";
import { applyEvent } from "./apply";
import { ThreadTable } from "./threads";

export class StateReplay implements ScapHandler {
  /** The number of the last event read (sysdig's evt.num). */
  num = 0;
  private readonly params = new ParamIndex();
  private readonly fromSnapshot: boolean;

  /**
   * @param table the state to continue from (a restored snapshot), or a new one.
   * @param after the event number the table is at: events up to it are skipped.
   * @param onEvent called after each applied event; return false to stop reading (it throws
   *   StopReplay, which the caller catches).
   */
  constructor(
    readonly table: ThreadTable = new ThreadTable(),
    private readonly after = 0,
    private readonly onEvent?: (num: number, table: ThreadTable) => boolean | void,
  ) {
    this.fromSnapshot = after > 0;
  }

  process = (p: ProcEntry): void => {
    if (!this.fromSnapshot) this.table.addProc(p);
  };
  fdEntry = (tid: number, e: FdEntry): void => {
    if (!this.fromSnapshot) this.table.addFd(tid, e);
  };
  users = (users: UserEntry[], groups: GroupEntry[]): void => {
    if (!this.fromSnapshot) this.table.setUsers(users, groups);
  };
  interfaces = (list: InterfaceEntry[]): void => {
    if (!this.fromSnapshot) this.table.setInterfaces(list);
  };

  event(ev: RawEvent): void {
    const num = ++this.num;
    if (num <= this.after) return;
    applyEvent(this.table, ev.tid, ev.type, this.params.load(ev));
    if (this.onEvent && this.onEvent(num, this.table) === false) throw new StopReplay(num);
  }
}

/** Thrown by StateReplay when its callback asks to stop. */
export class StopReplay extends Error {
  constructor(readonly num: number) {
    super(`replay stopped at event ${num}`);
  }
}
