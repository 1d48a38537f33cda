// `casefile lsof|netstat|ps FILE --at N [--filter F]`: the state of the capture at event N,
// printed exactly as `sysdig -r FILE -c lsof "F" "evt.num=N"` (and netstat, ps) print it. The
// chisels print the tables as they are once event N has been parsed (a close or procexit at N
// still shows its fd or thread: sysdig removes them when the next event comes), so the capture
// is replayed up to and including event N.
//
// F is the chisel's argument string, split as sysdig splits it (a filter with spaces needs inner
// quotes: "'proc.name=nc and fd.type=ipv4'"); chisel-filter.ts says how the filter applies. The
// filter reads what sysdig's filters read about threads (containers, ttys, interfaces...), so
// with one the replay also follows the capture with a FilterContext, as sysdig running with the
// filter "evt.num=N": the events before N are rejected, N is accepted.

import type { ThreadTable } from "../core/state/threads";
import { NO_MATCH, stateTable, type FdPredicate } from "../core/state/tables";
import { FilterError } from "../core/filter/parser";
import {
  ChiselArgsError, chiselFilterArg, compileChiselFilter, rowFilter, type ChiselFilter, type StateChisel,
} from "../core/filter/chisel-filter";
import { stateAt, type StateAt } from "../ingest/file-state";
import { hostServices } from "../ingest/host-services";
import { BufferedOut, fail } from "./output";

export type StateCommand = StateChisel;

/** The chisel's lines for a table, with the rows a filter keeps (all without one). */
export function stateLines(cmd: StateCommand, table: ThreadTable, filter?: FdPredicate): string[] {
  return stateTable(cmd, table, filter).lines;
}

/** The chisel's lines for the state at an event, filtered by a compiled chisel filter. */
export function filteredStateLines(cmd: StateCommand, state: StateAt, filter: ChiselFilter | undefined): string[] {
  if (!state.table) return [NO_MATCH];
  if (!filter) return stateLines(cmd, state.table);
  if (!state.context) throw new Error("a filtered state needs the filter context: stateAt(..., { withContext: true })");
  return stateLines(cmd, state.table, rowFilter(filter, state.context, state.tsHi, state.tsLo));
}

/** The chisel argument string F as sysdig reads it, compiled: undefined for no filter. Throws
 *  ChiselArgsError or FilterError. */
export function stateFilter(cmd: StateCommand, args: string | undefined): ChiselFilter | undefined {
  return compileChiselFilter(cmd, chiselFilterArg(cmd, args), hostServices());
}

/** One line, whatever the filter text held. */
const oneLine = (s: string) => s.replace(/\r?\n/g, " ");

const USAGE = (cmd: string) => `usage: casefile ${cmd} FILE --at N [--filter F]`;

export async function stateCommand(cmd: StateCommand, args: string[]): Promise<number> {
  let file: string | undefined;
  let at: number | undefined;
  let filter: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--at") at = Number(args[++i]);
    else if (a.startsWith("--at=")) at = Number(a.slice(5));
    else if (a === "--filter") filter = args[++i] ?? "";
    else if (a.startsWith("--filter=")) filter = a.slice(9);
    else if (a.startsWith("--")) return fail(`unknown option ${a}\n${USAGE(cmd)}`);
    else if (file === undefined) file = a;
    else return fail(USAGE(cmd));
  }
  if (!file || at === undefined) return fail(USAGE(cmd));
  if (!Number.isSafeInteger(at) || at < 0) return fail(`--at wants an event number, not ${JSON.stringify(args[args.indexOf("--at") + 1])}`);
  // Checked before reading anything (sysdig compiles the filter only once it reached event N).
  let compiled: ChiselFilter | undefined;
  try {
    compiled = stateFilter(cmd, filter);
  } catch (e) {
    if (e instanceof FilterError || e instanceof ChiselArgsError) return fail(oneLine(e.message));
    throw e;
  }
  const out = new BufferedOut(process.stdout);
  let result: StateAt;
  try {
    result = await stateAt(file, at, { withContext: compiled !== undefined });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return fail(`${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  if (result.table) {
    for (const line of filteredStateLines(cmd, result, compiled)) out.line(line);
  } else {
    // The chisel's own words when no event matches (sysdig then still exits with 0).
    out.line(NO_MATCH);
  }
  await out.flush();
  if (!result.table && result.error) return fail(`${file}: ${result.error.message}`);
  return 0;
}
