// The captures part of the HTTP API. Route handlers in app/api/ call these and nothing else.

import { rm } from "node:fs/promises";
import { join } from "node:path";
import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { saveUpload, uploadName } from "./upload";
import { isFilterError } from "./filter-condition";

export const DEFAULT_EVENTS_LIMIT = 200;
export const MAX_EVENTS_LIMIT = 5000;

export function listCaptures(): Response {
  return json(getContext().store.listCaptures());
}

export async function uploadCapture(req: Request): Promise<Response> {
  const ctx = getContext();
  const name = uploadName(req.headers.get("x-filename"));
  // Lets the uploading page pick its own ingest out of the progress broadcast: the capture id
  // is only known once ingest has finished.
  const uploadId = (req.headers.get("x-upload-id") ?? "").replace(/[^\w-]/g, "").slice(0, 64) || undefined;
  const saved = await saveUpload(req.body, join(ctx.dataDir, "uploads"), ctx.maxUpload, req.headers.get("content-length"));
  try {
    // The temp file becomes the capture's kept original (the store moves it); the rm below
    // then only cleans up after a failed ingest.
    const id = await ctx.store.ingestFile(saved.path, name, (p) => ctx.broadcast({ type: "ingest", uploadId, name, ...p }), { move: true });
    return json({ id }, 201);
  } catch (e) {
    // The temp path means nothing to the client; name the file as the user knows it.
    const message = (e instanceof Error ? e.message : String(e)).split(saved.path).join(name);
    ctx.broadcast({ type: "ingest", uploadId, name, captureId: null, bytesRead: 0, bytesTotal: saved.bytes, events: 0, done: true, error: message });
    throw new ApiError(422, message, "file");
  } finally {
    await rm(saved.path, { force: true });
  }
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
