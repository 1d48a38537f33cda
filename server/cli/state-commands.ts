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
import { readOptions } from "./options";

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
  const o = readOptions(args, { values: ["at", "filter"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE(cmd)}`);
  const [file, extra] = o.positional;
  const atText = o.values.get("at");
  const filter = o.values.get("filter");
  if (!file || extra !== undefined || atText === undefined) return fail(USAGE(cmd));
  const at = Number(atText);
  if (!/^\d+$/.test(atText) || !Number.isSafeInteger(at)) return fail(`--at wants an event number, not ${JSON.stringify(atText)}`);
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
