// GET /api/captures/:id/overview?buckets=B&filter=F: the overview tiles, computed in a query
// worker. A stored capture never changes, so an answer is kept (a few hundred numbers each) and
// a second look at the same capture costs nothing: the first scan of a 2-million-event capture
// takes seconds (bench/overview.ts).

import type { Overview } from "../core/analyses/overview-tiles";
import { getContext } from "./context";
import { json } from "./http-json";
import { DEFAULT_OVERVIEW_BUCKETS, MAX_OVERVIEW_BUCKETS } from "./overview";
import { filterParam, intParam, noSuchCapture, withFilterErrors } from "./query-params";

const KEPT = 64;
// In a globalThis slot: the HTTP server (which warms it after an upload) and Next's bundle of
// the route handler each load their own copy of this module (see context.ts).
const SLOT = Symbol.for("casefile.overviewsKept");
const kept: Map<string, Overview> = ((globalThis as { [SLOT]?: Map<string, Overview> })[SLOT] ??= new Map());

function keep(key: string, answer: Overview): void {
  kept.set(key, answer);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
}

const keyOf = (id: string, status: string, events: number, buckets: number, filter: string) =>
  JSON.stringify([id, status, events, buckets, filter]);

/** Computes a new capture's overview as the page will first ask for it (no filter), so that the
 *  first look does not wait for the scan. Failures are left for that request to report. */
export function warmOverview(id: string): void {
  const store = getContext().store;
  const capture = store.getCapture(id);
  if (!capture || capture.status === "ingesting") return;
  store.query("overview", [id, DEFAULT_OVERVIEW_BUCKETS, ""]).then(
    (answer) => answer && keep(keyOf(id, capture.status, capture.events, DEFAULT_OVERVIEW_BUCKETS, ""), answer),
    () => {},
  );
}

export async function captureOverview(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const buckets = intParam(params, "buckets", DEFAULT_OVERVIEW_BUCKETS, 1, MAX_OVERVIEW_BUCKETS);
  const filter = filterParam(params);
  const store = getContext().store;
  const capture = store.getCapture(id);
  if (!capture) throw noSuchCapture(id);
  // Keyed by the capture's state too: an answer given while it was still being ingested is not kept.
  const key = keyOf(id, capture.status, capture.events, buckets, filter);
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key);
    kept.set(key, hit);
    return json(hit);
  }
  const answer = await withFilterErrors(() => store.query("overview", [id, buckets, filter], { signal }));
  if (!answer) throw noSuchCapture(id);
  if (capture.status !== "ingesting") keep(key, answer);
  return json(answer);
}
