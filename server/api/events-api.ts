// GET /api/captures/:id/events: a page of events, filtered, as sysdig prints them. The route
// handler calls this and nothing else. The page is read in a query worker (Store.query): a
// filter that scans the whole capture, or replays the kept file, stops with its request or its
// time budget and holds up no other request meanwhile.

import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { isFilterError } from "./filter-condition";

export const DEFAULT_EVENTS_LIMIT = 200;
export const MAX_EVENTS_LIMIT = 5000;

export async function captureEvents(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const store = getContext().store;
  const from = intParam(params, "from", 0, 0, Number.MAX_SAFE_INTEGER);
  // Over-large pages are clamped rather than refused: `next` still lets the caller go on.
  const limit = Math.min(intParam(params, "limit", DEFAULT_EVENTS_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_EVENTS_LIMIT);
  if (!store.getCapture(id)) throw new ApiError(404, `no capture with id ${JSON.stringify(id)}`, "id");
  const filter = params.get("filter") ?? "";
  if (filter.length > 10_000) throw new ApiError(400, "filter longer than 10000 characters", "filter");
  try {
    return json(await store.query("events", [id, { from, limit, filter }], { signal }));
  } catch (e) {
    if (isFilterError(e)) throw new ApiError(400, e.message, "filter");
    throw e;
  }
}

function intParam(params: URLSearchParams, key: string, dflt: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null || raw === "") return dflt;
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `${key} must be a whole number, not ${JSON.stringify(raw)}`, key);
  const n = Number(raw);
  if (n < min || n > max) throw new ApiError(400, `${key} must be between ${min} and ${max}`, key);
  return n;
}
