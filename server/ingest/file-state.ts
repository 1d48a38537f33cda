// The state of a capture file once event N has been applied, as sysdig's lsof, netstat and ps
// chisels see it (a close or procexit at N still shows its fd or thread: sysdig removes them when
// the next event comes): the file replayed up to and including event N, and no further. With a
// context, the replay also follows the capture with a FilterContext, as sysdig running with the
// filter "evt.num=N" (the events before N rejected, N accepted), for the chisels' filter.

import { EventStream } from "../core/events/event-stream";
import { feeding } from "../core/filter/filtered-printer";
import { FilterContext } from "../core/filter/runtime";
import type { ScapHandler } from "../core/formats/scap/reader";
import type { ThreadTable } from "../core/state/threads";
import { readCaptureFile } from "./capture-stream";

/** Stops the reader once event N has been applied. */
class Reached extends Error {}
/** Stops the reader at an event N that the chisels never see. */
class NotSeen extends Error {}

export interface StateAt {
  /** The thread table once event `at` has been applied; undefined when no chisel sees event N. */
  table?: ThreadTable;
  /** With `withContext`: the filter context that followed the capture up to event N. */
  context?: FilterContext;
  /** Event N's time (hi/lo halves): get_thread_table's made-up event carries it. */
  tsHi: number;
  tsLo: number;
  error?: Error;
}

/** The state once event `at` has been applied, or no table when the capture has no such event.
 *  Reads no further than that event. */
export async function stateAt(
  file: string, at: number,
  /** afterChunk: called between chunks of the file (chunkSize bytes); throwing stops the replay
   *  (a query worker stopping a query whose budget ran out). */
  opts: { withContext?: boolean; afterChunk?: () => Promise<void>; chunkSize?: number } = {},
): Promise<StateAt> {
  let reached = false;
  let tsHi = 0;
  let tsLo = 0;
  const stream = new EventStream((ev, num, thread, p) => {
    if (context) {
      context.after(ev, num, thread, p);
      // sysdig runs the chisel with the filter "evt.num=N".
      context.settle(num === at);
    }
    if (num === at) {
      // No chisel sees the container events a capture starts with.
      if (stream.leading) throw new NotSeen();
      reached = true;
      tsHi = ev.tsHi;
      tsLo = ev.tsLo;
      throw new Reached();
    }
  });
  const context = opts.withContext ? new FilterContext(stream) : undefined;
  const handler: ScapHandler = context ? feeding(stream, context) : stream;
  const found = (): StateAt => ({ table: stream.table, context, tsHi, tsLo });
  try {
    const { error } = await readCaptureFile(file, handler, { afterChunk: opts.afterChunk, chunkSize: opts.chunkSize });
    if (reached) return found();
    return { error, tsHi, tsLo };
  } catch (e) {
    if (e instanceof Reached) return found();
    if (e instanceof NotSeen) return { tsHi, tsLo };
    throw e;
  }
}

