// `casefile lsof|netstat|ps FILE --at N`: the state of the capture at event N, printed exactly as
// `sysdig -r FILE -c lsof "" "evt.num=N"` (and netstat, ps) print it. The chisels print the
// tables as they are once event N has been parsed (a close or procexit at N still shows its fd
// or thread: sysdig removes them when the next event comes), so the capture is replayed up to
// and including event N.

import { EventStream } from "../core/events/event-stream";
import { CONTAINER_TYPES } from "../core/events/printer";
import type { ThreadTable } from "../core/state/threads";
import {
  NO_MATCH, lsofRows, lsofText, netstatRows, netstatText, psRows, psText,
} from "../core/state/tables";
import { readCaptureFile } from "../ingest/capture-stream";
import { BufferedOut, fail } from "./output";

export type StateCommand = "lsof" | "netstat" | "ps";

/** Stops the reader once event N has been applied. */
class Reached extends Error {}
/** Stops the reader at an event N that the chisels never see. */
class NotSeen extends Error {}

/** The thread table once event `at` has been applied, or undefined when the capture has no such
 *  event. Reads no further than that event. */
export async function stateAt(file: string, at: number): Promise<{ table?: ThreadTable; error?: Error }> {
  let reached = false;
  let leading = true;
  const stream = new EventStream((ev, num) => {
    // Container events ahead of everything else take numbers but no chisel ever sees them.
    if (leading && !CONTAINER_TYPES.has(ev.type)) leading = false;
    if (num === at) {
      if (leading) throw new NotSeen();
      reached = true;
      throw new Reached();
    }
  });
  try {
    const { error } = await readCaptureFile(file, stream);
    if (reached) return { table: stream.table };
    return { error };
  } catch (e) {
    if (e instanceof Reached) return { table: stream.table };
    if (e instanceof NotSeen) return {};
    throw e;
  }
}

/** The chisel's lines for a table. */
export function stateLines(cmd: StateCommand, table: ThreadTable): string[] {
  switch (cmd) {
    case "lsof": return lsofText(lsofRows(table));
    case "netstat": return netstatText(netstatRows(table));
    case "ps": return psText(psRows(table));
  }
}

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
  // An empty filter is no filter, as for the chisel; the filter language comes separately.
  if (filter !== undefined && filter.replace(/^'(.*)'$/, "$1").trim() !== "") {
    return fail(`--filter is not supported yet (the filter language arrives separately)`);
  }
  const out = new BufferedOut(process.stdout);
  let result: Awaited<ReturnType<typeof stateAt>>;
  try {
    result = await stateAt(file, at);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return fail(`${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  if (result.table) {
    for (const line of stateLines(cmd, result.table)) out.line(line);
  } else {
    // The chisel's own words when no event matches (sysdig then still exits with 0).
    out.line(NO_MATCH);
  }
  await out.flush();
  if (!result.table && result.error) return fail(`${file}: ${result.error.message}`);
  return 0;
}
