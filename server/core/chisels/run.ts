// Running a chisel over a capture, as `sysdig -r FILE -c NAME ARGS [FILTER]` does: sysdig's
// loop reads every event, the state engine applies it, the user's filter decides whether the
// chisel gets it (hidden procinfo events included, for runs with seesHidden: sysdig only hides
// them when it prints events itself), the chisel's own filter (chisel.set_filter) is applied next, and at the end
// on_capture_end gets the capture's span. Pure: the caller feeds `handler` (readCaptureFile in
// the CLI and the API) and then calls finish().

import { compileFilter, type Predicate } from "../filter/evaluate";
import { filteringHandler } from "../filter/filtered-printer";
import { parseFilter } from "../filter/parser";
import type { ServiceTable } from "../filter/services";
import type { ScapHandler } from "../formats/scap/reader";
import type { Chisel, ChiselOptions, ChiselOutput } from "./chisel";

export interface ChiselDriver {
  /** Feed the capture to this. Throws what the chisel throws (ChiselError). */
  readonly handler: ScapHandler;
  /** on_capture_end: call once the capture has been read. */
  finish(): ChiselOutput;
}

export interface DriverOptions extends ChiselOptions {
  /** The user's filter (sysdig's trailing FILTER argument); "" or undefined: none. */
  filter?: string;
  /** The host's service names, for ports written as names in either filter. */
  services?: ServiceTable;
}

/** Starts `chisel` with `args`. Throws FilterError for a bad user filter and ChiselArgError for
 *  arguments the chisel refuses, before any event is read. */
export function chiselDriver(chisel: Chisel, args: readonly string[], opts: DriverOptions = {}): ChiselDriver {
  const user = opts.filter !== undefined && opts.filter.trim() !== "" ? compileFilter(parseFilter(opts.filter, { services: opts.services })) : undefined;
  const run = chisel.start(args, opts);
  const own = run.filter ? compileFilter(parseFilter(run.filter, { services: opts.services })) : undefined;

  // Always a predicate, even without a user filter: it is where every event's verdict is
  // known, for tick(). An always-true predicate changes nothing in how the state is parsed.
  const predicate: Predicate = (c) => {
    const passed = user ? user(c) : true;
    // No chisel sees the container events a capture starts with (EventStream.leading).
    if (!h.stream.leading && run.tick) run.tick(c.ev, passed);
    return passed;
  };
  const h = filteringHandler(
    (ctx, ev, num, thread, p) => {
      // The chisel's filter runs on the event once sysdig has fully parsed it.
      if (own && !own(ctx)) return;
      run.event(ctx, ev, num, thread, p);
    },
    predicate,
    // sysdig gives every chisel the procinfo events; a run that has no use for them says so by
    // leaving seesHidden unset (chisel.ts), which spares it events it would ignore anyway.
    { showHidden: run.seesHidden === true },
  );

  // sinsp's m_lastevent_ts: the last event read, whatever the filters said.
  let lastHi = 0;
  let lastLo = 0;
  const handler: ScapHandler = {
    section: h.section,
    process: h.process,
    fdEntry: h.fdEntry,
    interfaces: h.interfaces,
    users: h.users,
    event: (ev) => {
      lastHi = ev.tsHi;
      lastLo = ev.tsLo;
      h.event(ev);
    },
  };
  const big = (hi: number, lo: number) => (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  return {
    handler,
    finish: () => {
      const c = h.context;
      // m_firstevent_ts: the first event that is not a container event (0 when none).
      const firstTs = c.firstHi < 0 ? 0n : big(c.firstHi, c.firstLo);
      return run.end({ firstTs, lastTs: big(lastHi, lastLo) });
    },
  };
}
