// The pre-aggregated tables of a capture (the timeline's and spectrogram's time buckets, the
// syscall-time sums, the overview's sums) computed from the ingest's row batches. The ingest's
// main thread only reads, follows the state and fills rows; the SQLite writer thread, which
// spent about half its time waiting, sums each batch here before it stores it. A row holds every
// fact the sums read (ts, type, proc, tid, res, latency, fdref, and two columns that are not
// stored: the syscall id of a generic event and the thread's container), so the sums are the
// ones the events themselves give, whichever thread adds them up. Pure: the writer feeds it.

import { HIDDEN_TYPES } from "../events/event-stream";
import { TimeBuckets, type BucketRows } from "./time-buckets";
import { ST_HOST, SyscallTimeSums } from "./syscall-time";
import { OverviewSums, type SumRow } from "./overview-sums";

/** Columns of a row in a batch: the seven the events table stores (ts, kind, tid, res, latency,
 *  fdref, labels; the evt.num is the rowid SQLite assigns, events being inserted in order, all
 *  of them), then SC_COL and CONTAINER_COL, which only the sums read. */
export const COLS = 9;
export const STORED_COLS = 7;
/** The syscall id of a generic event (NAMED_BY_ID), -1 for the others. */
export const SC_COL = 7;
/** The strings id of the thread's container.id (NaN: the host), where the overview counts the
 *  event (shown, from the first shown on); NaN elsewhere. */
export const CONTAINER_COL = 8;

/** type (< 1024) | cpu (< 65536) << 10 | proc (strings id < 2^27) << 26: exact in a double.
 *  type, cpu and proc travel packed (the schema unpacks them as virtual columns): fewer values
 *  per row to hand to SQLite. */
export function packKind(type: number, cpu: number, proc: number): number {
  return type + cpu * 1024 + proc * 67108864;
}

/** HIDDEN_TYPES as an array: one lookup per event, not a set's. */
const HIDDEN: readonly boolean[] = Array.from({ length: 1024 }, (_, t) => HIDDEN_TYPES.has(t));

export interface Aggregates {
  buckets: BucketRows;
  syscallTime: number[];
  overview: { buckets: number[]; members: Float64Array[]; runs: number[] };
}

export class EventAggregates {
  private readonly buckets = new TimeBuckets();
  private readonly syscallTime = new SyscallTimeSums();
  private readonly overview = new OverviewSums();
  private readonly row: SumRow = { type: 0, res: NaN, latency: NaN, hasFd: false, fdChar: "" };
  /** Per fds id: the fd's type letter (the overview's fd.type tests read it). */
  private readonly fdChars: string[] = [];

  /** fds rows (id, num, typechar, ...) as a batch brings them, before the rows that use them. */
  addFds(fds: readonly (readonly [number, number, string, ...unknown[]])[]): void {
    for (const f of fds) this.fdChars[f[0]] = f[2];
  }

  /** Rows of events firstNum, firstNum + 1, ... (COLS values each). firstShown: the first event
   *  sysdig prints, -1 while none has come (the leading container events are not). */
  addRows(rows: Float64Array, count: number, firstNum: number, firstShown: number): void {
    const row = this.row;
    for (let i = 0, o = 0; i < count; i++, o += COLS) {
      const num = firstNum + i;
      const ts = rows[o];
      // Unpacked with integer operations: `%` on a double past 2^31 (kind) is a call to fmod,
      // which cost more than the rest of the loop (measured).
      const kind = rows[o + 1];
      const proc = Math.floor(kind / 67108864);
      const type = (kind - proc * 67108864) & 1023;
      const tid = rows[o + 2];
      const latency = rows[o + 4];
      const exitWithLatency = (type & 1) === 1 && latency === latency;
      const hidden = HIDDEN[type];
      // The exits the syscall-time flame graph sums: visible ones with a latency (flame-query.ts).
      if (exitWithLatency && !hidden) {
        const fdref = rows[o + 5];
        // The container the overview counts the event in: the same, whoever sums it.
        const container = rows[o + CONTAINER_COL];
        this.syscallTime.add(container === container ? container : ST_HOST, proc, tid, type, rows[o + SC_COL], fdref === fdref ? fdref : -1, latency);
      }
      if (firstShown < 0 || num < firstShown) continue;
      if (ts === ts) {
        // The events sysdig prints (not the leading container events, not hidden ones), and the
        // exits with a latency among them (the spectrogram's).
        if (!hidden) this.buckets.addVisible(num, ts, proc, tid);
        if (exitWithLatency) this.buckets.addLatency(num, ts, latency);
      }
      // The overview counts the events sysdig shows, with a time or without (totals only).
      if (!hidden) {
        const fdref = rows[o + 5];
        row.type = type;
        row.res = rows[o + 3];
        row.latency = latency;
        row.hasFd = fdref === fdref;
        row.fdChar = row.hasFd ? this.fdChars[fdref] : "";
        this.overview.add(num, ts, proc, tid, row, rows[o + CONTAINER_COL]);
      }
    }
  }

  /** What was summed since the last call; a later take may carry the same keys again (the
   *  store adds them up). */
  take(): Aggregates {
    return { buckets: this.buckets.take(), syscallTime: this.syscallTime.take(), overview: this.overview.take() };
  }
}
