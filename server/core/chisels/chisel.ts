// A chisel view: what `sysdig -r FILE -c NAME ARGS [FILTER]` computes over a capture, as pure
// code. A run sees, in order, every event that passes the user's filter (hidden ones such as
// procinfo too, as chisels do) after the state engine applied it, then prints what the chisel
// prints at the end of the capture (and, for chisels with an interval, at each interval).

import type { ParamIndex } from "../events/params";
import type { RawEvent } from "../formats/scap/reader";
import type { FilterContext } from "../filter/runtime";
import type { Thread } from "../state/threads";

/** One event as a chisel sees it (the same arguments as filtered-printer's Visitor). */
export type ChiselEvent = (ctx: FilterContext, ev: RawEvent, num: number, thread: Thread, p: ParamIndex) => void;

/** What a chisel printed, and the same as a table for the API and the workbench. */
export interface ChiselOutput {
  /** Exactly the lines sysdig prints (without trailing newline). */
  lines: string[];
  /** The rows behind the lines, when the chisel prints a table. */
  table?: { columns: string[]; rows: (string | number)[][] };
}

/** How sysdig renders byte buffers (%evt.arg.data): its default (non-printable bytes as '.'),
 *  -A (printable text only, line ends kept), -x (hex), -X (hex and ASCII), -b (base64). */
export type BufferFormat = "normal" | "ascii" | "hex" | "hexascii" | "base64";

/** sysdig's own command-line flags that change what a chisel prints. */
export interface ChiselOptions {
  /** -A / -x / -X / -b. */
  bufferFormat?: BufferFormat;
  /** -pc (or -pcontainer): chisels that can, show container names and ids. */
  printContainer?: boolean;
}

/** The capture's time span as sysdig hands it to on_capture_end(ts_s, ts_ns, delta): the last
 *  event read (filtered out or not) and the first one that is not a container event
 *  (sinsp's m_lastevent_ts, m_firstevent_ts). ns since the epoch, as bigint (they need 61 bits). */
export interface CaptureSpan {
  firstTs: bigint;
  lastTs: bigint;
}

export interface ChiselRun {
  /** The chisel's own filter (chisel.set_filter), in sysdig's filter language; events that
   *  pass the user's filter but not this one are not given to `event`. */
  readonly filter?: string;
  /** Whether the chisel also sees the events sysdig does not print (procinfo). */
  readonly seesHidden?: boolean;
  event: ChiselEvent;
  /** Called first for every event sysdig's loop reads (hidden ones too; not the container
   *  events a capture starts with), whether or not it passes the user's filter (`passed`) or
   *  the chisel's: sysdig runs a chisel's interval timer (on_interval,
   *  chisel.set_interval_s) on every event's timestamp, filtered out or not. */
  tick?(ev: RawEvent, passed: boolean): void;
  /** on_capture_end: the rest of the output. `span` is what sysdig passes on_capture_end;
   *  run.ts always gives it (optional only for callers that drive a run by hand). */
  end(span?: CaptureSpan): ChiselOutput;
}

export interface ChiselArg {
  name: string;
  description: string;
  optional?: boolean;
}

export interface Chisel {
  name: string;
  description: string;
  args: readonly ChiselArg[];
  /** A view of casefile's own, run like a chisel: sysdig has no chisel by this name, so there
   *  is nothing to compare it with, and the list says so. */
  casefileView?: true;
  /** Starts a run; throws ChiselArgError for arguments the chisel refuses. */
  start(args: readonly string[], opts?: ChiselOptions): ChiselRun;
}

export class ChiselArgError extends Error {
  override name = "ChiselArgError";
}

/** A chisel stopped at an event the way sysdig's Lua chisel fails there (a nil field in a
 *  concatenation, evt.field() before any event): sysdig prints an error on stderr (its text is
 *  Lua's; ours says the same in our words) and exits with status 1. `lines` is all it printed
 *  on stdout, including what on_capture_end prints when sysdig still calls it. */
export class ChiselError extends Error {
  override name = "ChiselError";
  constructor(message: string, readonly lines: string[]) {
    super(message);
  }
}
