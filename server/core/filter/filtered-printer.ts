// `sysdig -r FILE FILTER`: the sysdig lines of the events a filter accepts. The filter sees
// every event after the state engine applied it (as sysdig filters after parsing), so the
// fds and processes it reads are those of that event; event numbers are unchanged.

import { EventStream, isShown } from "../events/event-stream";
import type { ParamIndex } from "../events/params";
import { eventLine } from "../events/printer";
import type { RawEvent, ScapHandler } from "../formats/scap/reader";
import type { Thread } from "../state/threads";
import { FilterContext } from "./runtime";
import type { Predicate } from "./evaluate";

export interface FilteringHandler extends ScapHandler {
  readonly stream: EventStream;
  readonly context: FilterContext;
}

export type Visitor = (ctx: FilterContext, ev: RawEvent, num: number, thread: Thread, p: ParamIndex) => void;

/** A capture handler that calls `visit` for each event sysdig would print (hidden ones too
 *  with showHidden) that the predicate accepts, with the filter context of that event. */
export function filteringHandler(visit: Visitor, predicate?: Predicate, opts: { showHidden?: boolean } = {}): FilteringHandler {
  const stream: EventStream = new EventStream((ev, num, thread, p) => {
    context.after(ev, num, thread, p);
    // Every event goes through the filter, shown or not: the verdict decides whether sysdig
    // parses an event that does not modify the state (see FilterContext.settle).
    const passed = predicate ? predicate(context) : true;
    context.settle(passed);
    if (stream.leading || !isShown(ev, opts.showHidden) || !passed) return;
    visit(context, ev, num, context.thread, p);
  });
  const context = new FilterContext(stream);
  context.filtering = predicate !== undefined;
  return { stream, context, ...feeding(stream, context) };
}

/** The reader's handler for a stream followed by a filter context: the context sees the
 *  process list, the interfaces and each event before the state engine applies it. */
export function feeding(stream: EventStream, context: FilterContext): ScapHandler {
  return {
    section: stream.section,
    process: (p) => {
      stream.process(p);
      context.process(p);
    },
    fdEntry: stream.fdEntry,
    interfaces: (list) => {
      stream.interfaces(list);
      context.interfaces(list);
    },
    users: stream.users,
    event: (ev) => {
      context.before(ev);
      stream.event(ev);
    },
  };
}

/** The sysdig line of each event the predicate accepts: printer.ts's eventPrinter, filtered. */
export function filteredEventPrinter(
  emit: (line: string, num: number) => void,
  predicate: Predicate | undefined,
  opts: { showHidden?: boolean } = {},
): FilteringHandler {
  const h: FilteringHandler = filteringHandler((_ctx, ev, num, thread, p) => {
    emit(eventLine(ev, num, thread, p, h.stream), num);
  }, predicate, opts);
  return h;
}
