// The syscall-time flame graph's sums, built while a capture is ingested: per container (strings
// id of the thread's container.id at the call; -1 on the host), process (strings id), thread,
// event type, syscall id (generic events, which sysdig names after their ID
// parameter; -1 for the others) and fd (fds id; -1 for none), the summed evt.latency and the
// number of exit events. The whole capture's flame graph then reads a few hundred rows
// (db/migrations/capture-008.sql) instead of summing two million events (1 s of SQL here).
// Pure: the ingest feeds it, the writer adds what take() hands back to the stored rows.

import { EVENTS } from "../events/event-table";
import { PT } from "../events/types";

export const ST_COLS = 8; // container, proc, tid, type, sc, fdref, ns, calls
/** The container of a call on the host. */
export const ST_HOST = -1;

/** Event types sysdig names after their first parameter, a syscall id (evt.type of a generic
 *  event). */
export const NAMED_BY_ID: readonly boolean[] = EVENTS.map((e) => e.name === "syscall" && e.params[0]?.type === PT.SYSCALLID);

// Keys as exact doubles: proc (< 2^26, the packed kind's room) × 2^26 + tid would overflow for
// large tids, so two levels: (proc, tid) then (type, sc, fdref).
const TID_SPAN = 2 ** 26;
// A constant of the module, not `2 ** 30` in add(): an exponentiation per call otherwise (see
// time-buckets.ts's CHUNK_INV).
const FD_SPAN = 2 ** 30;

export class SyscallTimeSums {
  /** Per container, per (proc, tid), per (type, sc, fdref). */
  private byContainer = new Map<number, Map<number, Map<number, number[]>>>();
  /** The last container's map: a thread changes containers rarely, so one lookup per change. */
  private lastContainer = NaN;
  private byThread: Map<number, Map<number, number[]>> | undefined;
  private lastK1 = -1;
  private lastK2 = -1;
  private last: number[] | undefined;

  /** One exit event: its thread's container (strings id, ST_HOST on the host), its process,
   *  thread, type, syscall id (-1 unless NAMED_BY_ID), fd (-1 for none) and evt.latency. */
  add(container: number, proc: number, tid: number, type: number, sc: number, fdref: number, ns: number): void {
    let byThread = this.byThread;
    if (container !== this.lastContainer || !byThread) {
      byThread = this.byContainer.get(container);
      if (!byThread) this.byContainer.set(container, (byThread = new Map()));
      this.byThread = byThread;
      this.lastContainer = container;
      this.last = undefined;
    }
    const k1 = proc * TID_SPAN + (tid >= 0 && tid < TID_SPAN ? tid : TID_SPAN - 1);
    // type < 2^10, sc + 1 < 2^12, fdref + 1 < 2^30: 52 bits.
    const k2 = (type * 4096 + (sc + 1)) * FD_SPAN + (fdref + 1);
    let e = this.last;
    if (k1 !== this.lastK1 || k2 !== this.lastK2 || !e) {
      let m = byThread.get(k1);
      if (!m) byThread.set(k1, (m = new Map()));
      e = m.get(k2);
      if (!e) m.set(k2, (e = [container, proc, tid, type, sc, fdref, 0, 0]));
      this.lastK1 = k1;
      this.lastK2 = k2;
      this.last = e;
    }
    e[6] += ns;
    e[7]++;
  }

  /** The rows summed since the last take(), flat (ST_COLS per row); the store adds them to its
   *  own (a key may come again in a later take). */
  take(): number[] {
    const out: number[] = [];
    for (const byThread of this.byContainer.values()) for (const m of byThread.values()) for (const e of m.values()) out.push(...e);
    this.byContainer = new Map();
    this.byThread = undefined;
    this.lastContainer = NaN;
    this.last = undefined;
    this.lastK1 = this.lastK2 = -1;
    return out;
  }
}
