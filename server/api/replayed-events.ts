// Events of a stored capture that match a filter the event columns cannot answer exactly
// (fd.*, user.*, evt.arg.*…), found the way sysdig finds them: the kept capture file read from
// its start through the state engine and the filter predicate, stopping once the page is full.
// Slower than SQL (a page deep in a big capture reads everything before it) but exact. The same
// for the gaps between matching events.

import { infoText } from "../core/events/format";
import { procName, typeName } from "../core/events/printer";
import type { Predicate } from "../core/filter/evaluate";
import { filteringHandler } from "../core/filter/filtered-printer";
import { readCaptureFile } from "../ingest/capture-stream";
import { GapFinder, type Gap } from "../core/analyses/gaps";
import type { EventRow } from "./store-types";

/** How a replay reads the file: `afterChunk` runs between chunks of `chunkSize` bytes, and
 *  throwing there stops the replay (a query worker stopping a query, see query-pool.ts). */
export interface ReplayOptions {
  afterChunk?: () => Promise<void>;
  chunkSize?: number;
}

/** Thrown by the handler to stop the reader once the page is full. */
class PageFull extends Error {}

export async function replayEvents(
  file: string, predicate: Predicate, from: number, limit: number, replay: ReplayOptions = {},
): Promise<{ events: EventRow[]; next: number | null; error?: string }> {
  const events: EventRow[] = [];
  let next: number | null = null;
  const handler = filteringHandler((_ctx, ev, num, thread, p) => {
    if (num < from) return;
    // One more than the page: its number is where the next page starts.
    if (events.length === limit) {
      next = num;
      throw new PageFull();
    }
    events.push({
      num,
      ts: ((BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo)).toString(),
      cpu: ev.cpu,
      proc: procName(ev.type, thread.comm, p),
      tid: ev.tid,
      dir: ev.type % 2 === 0 ? ">" : "<",
      type: typeName(ev.type, p),
      info: infoText(ev.type, p, handler.stream),
    });
  }, predicate);
  try {
    const { error } = await readCaptureFile(file, handler, replay);
    // A damaged file: the events before the damage, as sysdig prints them.
    return error ? { events, next, error: error.message } : { events, next };
  } catch (e) {
    if (e instanceof PageFull) return { events, next };
    throw e;
  }
}

/** The gaps between matching events (as findGaps over SQL: events without a timestamp skipped). */
export async function replayGaps(file: string, predicate: Predicate, minNs: number, replay: ReplayOptions = {}): Promise<Gap[]> {
  const finder = new GapFinder(minNs);
  let baseHi = -1, baseLo = 0;
  const handler = filteringHandler((_ctx, ev, num) => {
    if (ev.tsHi === 0 && ev.tsLo === 0) return;
    if (baseHi < 0) { baseHi = ev.tsHi; baseLo = ev.tsLo; }
    finder.add(num, (ev.tsHi - baseHi) * 4294967296 + (ev.tsLo - baseLo));
  }, predicate);
  await readCaptureFile(file, handler, replay);
  return finder.gaps;
}
