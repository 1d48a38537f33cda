// GET /api/captures/:id/events: a page of events, filtered, as sysdig prints them. The route
// handler calls this and nothing else. The page is read in a query worker (Store.query): a
// filter that scans the whole capture, or replays the kept file, stops with its request or its
// time budget and holds up no other request meanwhile.

import { getContext } from "./context";
import { json } from "./http-json";
import { filterParam, intParam, noSuchCapture, withFilterErrors } from "./query-params";

export const DEFAULT_EVENTS_LIMIT = 200;
export const MAX_EVENTS_LIMIT = 5000;

export async function captureEvents(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const store = getContext().store;
  const from = intParam(params, "from", 0, 0, Number.MAX_SAFE_INTEGER);
  // Over-large pages are clamped rather than refused: `next` still lets the caller go on.
  const limit = Math.min(intParam(params, "limit", DEFAULT_EVENTS_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_EVENTS_LIMIT);
  if (!store.getCapture(id)) throw noSuchCapture(id);
  const filter = filterParam(params);
  return json(await withFilterErrors(() => store.query("events", [id, { from, limit, filter }], { signal })));
}
