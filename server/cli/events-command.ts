// `casefile events FILE`: one line per event, exactly as `sysdig -r FILE` prints them.

import { eventPrinter } from "../core/events/printer";
import { readCaptureFile } from "../ingest/capture-stream";
import { BufferedOut, fail } from "./output";

export async function eventsCommand(args: string[]): Promise<number> {
  const [file, filter] = args;
  if (!file) return fail("usage: casefile events FILE [FILTER]");
  if (filter) return fail("filters arrive with the filter language (issue 3)");
  const out = new BufferedOut(process.stdout);
  const printer = eventPrinter((line) => out.line(line));
  const { error } = await readCaptureFile(file, printer).catch((e: NodeJS.ErrnoException) => {
    return { error: new Error(e.code === "ENOENT" ? `no such file` : e.message) };
  });
  await out.flush();
  if (error) return fail(`${file}: ${error.message}`);
  return 0;
}
