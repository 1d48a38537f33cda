// The filter argument of sysdig 0.29.3's lsof, netstat and ps chisels (`sysdig -c lsof "F"`).
//
// How sysdig gets from the command line to rows:
// - sinsp_chisel::set_args splits the chisel's argument string into arguments (splitChiselArgs):
//   on spaces, except between single quotes or backquotes. So a filter with spaces needs inner
//   quotes: "'proc.name=nc and fd.type=ipv4'". These chisels take at most one argument.
// - lsof and ps hand their argument to sysdig.get_thread_table(filter) as it is; netstat first
//   puts its own condition ahead of it: "(fd.type=ipv4 or fd.type=ipv6)and (F)". An empty
//   filter is no filter.
// - get_thread_table compiles the filter for the thread table (ttable_only): fields of the
//   evt class are refused, but for a few time fields (parser.ts, worksOnThreadTable).
// - It runs the filter once per fd of each thread, on a made-up event: a read exit of that
//   thread on that fd, number 0, cpu 0, no parameters, at the last event's time
//   (FilterContext.atThreadFd). A thread is listed when at least one of its fds matches, and
//   lsof/netstat list only the matching fds. So ps with a filter lists the threads that have a
//   matching fd: a thread without fds never shows up, whatever the filter.

import { compileFilter, type Predicate } from "./evaluate";
import { fromBinary, parseFilter, toBinary } from "./parser";
import type { Filter } from "./ast";
import type { ServiceTable } from "./services";
import type { FilterContext } from "./runtime";
import type { FdPredicate } from "../state/tables";

export type StateChisel = "lsof" | "netstat" | "ps";

/** A chisel argument string sysdig refuses before running anything. */
export class ChiselArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChiselArgsError";
  }
}

const SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/** sinsp_chisel::set_args: the chisel's argument string (trimmed) split on spaces outside
 *  quotes (' or `). An opening quote moves the start of the argument past it wherever it is, a
 *  closing one is cut off when the argument ends at a space. Works on bytes, as sysdig. */
export function splitChiselArgs(args: string, chisel: string): string[] {
  const s = toBinary(args).replace(SPACE, "");
  if (s === "") return [];
  const out: string[] = [];
  let begin = 0;
  let inQuotes = false;
  let correction = 0;
  // std::string::substr with an unsigned length: a "negative" one takes the rest.
  const sub = (pos: number, len: number) => fromBinary(len < 0 ? s.slice(pos) : s.substr(pos, len));
  let j = 0;
  for (; j < s.length; j++) {
    const c = s[j];
    if (c === " " && !inQuotes) {
      out.push(sub(begin, j - correction - begin));
      begin = j + 1;
      correction = 0;
    } else if (c === "'" || c === "`") {
      if (inQuotes) {
        correction = 1;
        inQuotes = false;
      } else {
        begin++;
        inQuotes = true;
      }
    }
  }
  if (inQuotes) throw new ChiselArgsError(`corrupted parameters for chisel ${chisel}`);
  out.push(sub(begin, j - correction - begin));
  return out;
}

/** The filter argument in a chisel's argument string (undefined: none given). */
export function chiselFilterArg(chisel: StateChisel, args: string | undefined): string | undefined {
  if (args === undefined) return undefined;
  const vals = splitChiselArgs(args, chisel);
  if (vals.length > 1) {
    throw new ChiselArgsError(`too many parameters for chisel ${chisel}, 0 required, 1 optional, ${vals.length} given`);
  }
  return vals[0];
}

/** netstat.lua's own filter, which a filter argument is appended to. */
export const NETSTAT_FILTER = "(fd.type=ipv4 or fd.type=ipv6)";

/** The filter text the chisel gives get_thread_table for a filter argument, or undefined when
 *  it gives none (or an empty one). netstat without an argument gives its own: netstatRows
 *  applies it. */
export function threadTableFilterText(chisel: StateChisel, arg: string | undefined): string | undefined {
  if (chisel === "netstat") return arg === undefined ? undefined : `${NETSTAT_FILTER}and (${arg})`;
  return arg === undefined || arg === "" ? undefined : arg;
}

export interface ChiselFilter {
  /** The text compiled (netstat's includes its own condition). */
  readonly text: string;
  readonly filter: Filter;
  readonly predicate: Predicate;
}

/** The chisel's filter compiled, or undefined for none. Throws FilterError, at sysdig's
 *  positions: in the text compiled, so netstat's count its own 35 characters first. */
export function compileChiselFilter(chisel: StateChisel, arg: string | undefined, services?: ServiceTable): ChiselFilter | undefined {
  const text = threadTableFilterText(chisel, arg);
  if (text === undefined) return undefined;
  const filter = parseFilter(text, { threadTable: true, services });
  return { text, filter, predicate: compileFilter(filter) };
}

/** The filter as the tables apply it to each (thread, fd): the predicate on get_thread_table's
 *  made-up event, in a context that followed the capture up to the event the tables are taken
 *  at, whose time (ts, as hi/lo halves) the made-up event carries. */
export function rowFilter(f: ChiselFilter, ctx: FilterContext, tsHi: number, tsLo: number): FdPredicate {
  return (t, fdNum, fd) => {
    ctx.atThreadFd(t, fdNum, fd, tsHi, tsLo);
    return f.predicate(ctx);
  };
}
