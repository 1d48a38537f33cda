// The captures part of the HTTP API. Route handlers in app/api/ call these and nothing else.
// Uploads (POST /api/captures) are answered by the HTTP server itself: see http/upload-route.ts.

import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { isFilterError } from "./filter-condition";

export const DEFAULT_EVENTS_LIMIT = 200;
export const MAX_EVENTS_LIMIT = 5000;

export function listCaptures(): Response {
  return json(getContext().store.listCaptures());
}

export function deleteCapture(id: string): Response {
  if (!getContext().store.deleteCapture(id)) throw noSuchCapture(id);
  return json({});
}

export async function captureEvents(id: string, params: URLSearchParams): Promise<Response> {
  const store = getContext().store;
  const from = intParam(params, "from", 0, 0, Number.MAX_SAFE_INTEGER);
  // Over-large pages are clamped rather than refused: `next` still lets the caller go on.
  const limit = Math.min(intParam(params, "limit", DEFAULT_EVENTS_LIMIT, 1, Number.MAX_SAFE_INTEGER), MAX_EVENTS_LIMIT);
  if (!store.getCapture(id)) throw noSuchCapture(id);
  const filter = params.get("filter") ?? "";
  if (filter.length > 10_000) throw new ApiError(400, "filter longer than 10000 characters", "filter");
  try {
    return json(await store.events(id, { from, limit, filter }));
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

function noSuchCapture(id: string): ApiError {
  return new ApiError(404, `no capture with id ${JSON.stringify(id)}`, "id");
}
