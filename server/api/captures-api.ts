// The captures part of the HTTP API. Route handlers in app/api/ call these and nothing else.
// Uploads (POST /api/captures) are answered by the HTTP server itself: see http/upload-route.ts.

import { getContext } from "./context";
import { json } from "./http-json";
import { noSuchCapture } from "./query-params";

export function listCaptures(): Response {
  return json(getContext().store.listCaptures());
}

export function deleteCapture(id: string): Response {
  if (!getContext().store.deleteCapture(id)) throw noSuchCapture(id);
  return json({});
}
