// Export .scap: a capture file (or the events of it a filter accepts) written back out as a
// .scap that sysdig -r reads, for `casefile export` and GET /api/captures/:id/export.scap.

import { compileFilter, type Predicate } from "../core/filter/evaluate";
import { scapExport } from "../core/filter/filtered-export";
import { parseFilter } from "../core/filter/parser";
import { readCaptureFile } from "../ingest/capture-stream";
import { hostServices } from "../ingest/host-services";

/** The predicate of a sysdig filter (undefined for none or blanks); a bad filter throws the
 *  parser's FilterError, which names the position. */
export function exportPredicate(filter: string | undefined): Predicate | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  return compileFilter(parseFilter(filter, { services: hostServices() }));
}

/** Reads `file` (scap, gzip or not) and hands `write` the export's bytes in order, waiting for
 *  each write (so a slow client or disk holds the reading back). A damaged file: the blocks
 *  before the damage are written and the damage is returned, as `casefile events` reports it. */
export async function exportScap(
  file: string, predicate: Predicate | undefined, write: (b: Uint8Array) => Promise<void>,
  opts: { afterChunk?: () => Promise<void> } = {},
): Promise<{ events: number; bytes: number; error?: string }> {
  const x = scapExport(predicate);
  const drain = async () => {
    for (const b of x.out.take()) await write(b);
  };
  const { error } = await readCaptureFile(file, x.handler, {
    afterChunk: async () => {
      await opts.afterChunk?.();
      await drain();
    },
  });
  await drain();
  return { events: x.events, bytes: x.out.total, error: error?.message };
}
