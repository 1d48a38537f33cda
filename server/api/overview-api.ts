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
const kept = new Map<string, Overview>();

export async function captureOverview(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const buckets = intParam(params, "buckets", DEFAULT_OVERVIEW_BUCKETS, 1, MAX_OVERVIEW_BUCKETS);
  const filter = filterParam(params);
  const store = getContext().store;
  const capture = store.getCapture(id);
  if (!capture) throw noSuchCapture(id);
  // Keyed by the capture's state too: an answer given while it was still being ingested is not kept.
  const key = JSON.stringify([id, capture.status, capture.events, buckets, filter]);
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key);
    kept.set(key, hit);
    return json(hit);
  }
  const answer = await withFilterErrors(() => store.query("overview", [id, buckets, filter], { signal }));
  if (!answer) throw noSuchCapture(id);
  if (capture.status !== "ingesting") {
    kept.set(key, answer);
    if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  }
  return json(answer);
}
