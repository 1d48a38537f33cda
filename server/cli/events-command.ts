// `casefile events FILE [FILTER]`: one line per event, exactly as `sysdig -r FILE [FILTER]`
// prints them (the filter in sysdig's language; matching events keep their numbers).

import { eventPrinter } from "../core/events/printer";
import { compileFilter, type Predicate } from "../core/filter/evaluate";
import { filteredEventPrinter } from "../core/filter/filtered-printer";
import { FilterError, parseFilter } from "../core/filter/parser";
import type { ScapHandler } from "../core/formats/scap/reader";
import { readCaptureFile } from "../ingest/capture-stream";
import { hostServices } from "../ingest/host-services";
import { BufferedOut, fail } from "./output";

export async function eventsCommand(args: string[]): Promise<number> {
  const [file, filter] = args;
  if (!file) return fail("usage: casefile events FILE [FILTER]");
  let predicate: Predicate | undefined;
  if (filter !== undefined && filter !== "") {
    try {
      predicate = compileFilter(parseFilter(filter, { services: hostServices() }));
    } catch (e) {
      if (e instanceof FilterError) return fail(e.message);
      throw e;
    }
  }
  const out = new BufferedOut(process.stdout);
  const emit = (line: string) => out.line(line);
  // Without a filter, the plain printer: it keeps no filter state.
  const handler: ScapHandler = predicate ? filteredEventPrinter(emit, predicate) : eventPrinter(emit);
  const { error } = await readCaptureFile(file, handler).catch((e: NodeJS.ErrnoException) => {
    return { error: new Error(e.code === "ENOENT" ? `no such file` : e.message) };
  });
  await out.flush();
  if (error) return fail(`${file}: ${error.message}`);
  return 0;
}
