// errors: the failed system calls of a capture, grouped by process name, event type and error
// (ENOENT...), with how many there were and the first one's evt.num, most frequent first.
//
// sysdig has no chisel for exactly this. topprocs_errors counts failures per process and pid,
// v_errors per error only; the question an investigation asks ("apache2 fails to start: which
// call, which error?") needs the three together, plus an event to jump to. So the groups are
// what `sysdig -r FILE "evt.failed=true" -p "%proc.name %evt.type %evt.res %evt.num"` lists,
// counted: the same events (evt.failed: a negative res, or a negative fd returned by a call
// that creates one), the same names (proc.name <NA> for a thread sysdig does not know, evt.type
// the syscall's name for generic events, evt.res the errno's name or the number sysdig has no
// name for). The differential test builds its oracle from that command. Ties in count keep the
// order of first appearance (the earliest example first), so the output is deterministic.
//
// The lines are a table in the style of sysdig's top* chisels (columns 20 wide, the last one
// as long as it needs).

import { ChiselArgError, type Chisel, type ChiselOutput, type ChiselRun } from "./chisel";
import { requestField } from "./lua-common";
import { extendString } from "./lua-format";

export const ERRORS_COLUMNS = ["count", "process", "syscall", "error", "first"] as const;
const HEADERS = ["#Errors", "Process", "Syscall", "Error", "First evt.num"];
const WIDTH = 20;

export type ErrorsRow = [count: number, proc: string, type: string, error: string, first: number];

/** Groups in output order: count descending, then first evt.num ascending. */
export function sortErrorRows(rows: ErrorsRow[]): ErrorsRow[] {
  return rows.sort((a, b) => b[0] - a[0] || a[4] - b[4]);
}

/** The table's lines for rows already sorted. */
export function errorsLines(rows: readonly ErrorsRow[]): string[] {
  const line = (cells: readonly (string | number)[]) =>
    cells.map((c, i) => (i < cells.length - 1 ? extendString(String(c).slice(0, WIDTH), WIDTH) : String(c))).join("");
  return [line(HEADERS), "-".repeat(80), ...rows.map(line)];
}

export const errors: Chisel = {
  name: "errors",
  description: "Failed system calls by process, call and error, with a first example",
  args: [],
  // sysdig 0.29.3 has no chisel by this name (`sysdig -c errors`: "can't open file errors").
  casefileView: true,
  start(args: readonly string[]): ChiselRun {
    if (args.length > 0) throw new ChiselArgError(`too many parameters for chisel errors, 0 required, 0 optional, ${args.length} given`);
    const procName = requestField("proc.name");
    const evtType = requestField("evt.type");
    const res = requestField("evt.res");
    const groups = new Map<string, ErrorsRow>();
    return {
      filter: "evt.failed=true",
      event(ctx, _ev, num) {
        const proc = String(procName(ctx) ?? "<NA>");
        const type = String(evtType(ctx));
        const error = String(res(ctx) ?? "<NA>");
        // Names cannot hold a NUL, so it separates the key's parts.
        const key = `${proc}\0${type}\0${error}`;
        const g = groups.get(key);
        if (g) g[0]++;
        else groups.set(key, [1, proc, type, error, num]);
      },
      end(): ChiselOutput {
        const rows = sortErrorRows([...groups.values()]);
        return { lines: errorsLines(rows), table: { columns: [...ERRORS_COLUMNS], rows } };
      },
    };
  },
};
