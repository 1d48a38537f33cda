// The investigations and share-links part of the HTTP API. Route handlers in app/api/ call
// these and nothing else. Who may call them is settled before (server/http: the token for
// everything; a share link's cookie for GET of its own link and investigation only).

import { readView, type CaptureView } from "../../components/ui/view-url";
import { getStore } from "./context";
import { ApiError, json } from "./http-json";
import { INVESTIGATION_ID_PATTERN, LINK_ID_PATTERN, type Investigations } from "./investigations";
import { MAX_TEXT, noSuchCapture } from "./query-params";

/** A JSON body larger than this is refused: notes are text a person typed, not a capture. */
const MAX_BODY = 256 * 1024;
const MAX_TITLE = 200;
const MAX_NOTES = 100_000;
const MAX_COMMENT = MAX_TEXT;

const inv = (): Investigations => getStore().investigations;

/** The request's JSON object, read with a size limit (Next's req.json() would take any size). */
export async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY) throw new ApiError(413, `request body over ${MAX_BODY} bytes`, "body");
  const reader = req.body?.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY) {
        await reader.cancel();
        throw new ApiError(413, `request body over ${MAX_BODY} bytes`, "body");
      }
      parts.push(value);
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(parts).toString("utf8"));
  } catch (e) {
    throw new ApiError(400, `the body is not JSON: ${(e as Error).message}`, "body");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "the body must be a JSON object", "body");
  return body as Record<string, unknown>;
}

function text(body: Record<string, unknown>, key: string, max: number, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string") throw new ApiError(400, `${key} must be a string`, key);
  if (v.length > max) throw new ApiError(400, `${key} longer than ${max} characters`, key);
  return v;
}

function captureIds(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((c) => typeof c !== "string")) throw new ApiError(400, `${key} must be a list of capture ids`, key);
  for (const c of v as string[]) if (!getStore().getCapture(c)) throw noSuchCapture(c);
  return v as string[];
}

function noSuchInvestigation(id: string): ApiError {
  return new ApiError(404, `no investigation with id ${JSON.stringify(id)}`, "id");
}

function pinId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(404, `no pin ${JSON.stringify(raw)}`, "pin");
  return Number(raw);
}

export function listInvestigations(params: URLSearchParams): Response {
  return json(inv().list(params.get("capture") ?? undefined));
}

export async function createInvestigation(req: Request): Promise<Response> {
  const body = await readJsonBody(req);
  const title = text(body, "title", MAX_TITLE, true)!.trim();
  if (!title) throw new ApiError(400, "an investigation needs a title", "title");
  const notes = text(body, "notes", MAX_NOTES, false) ?? "";
  return json(inv().create(title, notes, captureIds(body, "captures") ?? []), 201);
}

export function getInvestigation(id: string): Response {
  const found = INVESTIGATION_ID_PATTERN.test(id) ? inv().get(id) : undefined;
  if (!found) throw noSuchInvestigation(id);
  return json(found);
}

export async function updateInvestigation(id: string, req: Request): Promise<Response> {
  const body = await readJsonBody(req);
  const title = text(body, "title", MAX_TITLE, false)?.trim();
  if (title === "") throw new ApiError(400, "an investigation needs a title", "title");
  const updated = inv().update(id, { title, notes: text(body, "notes", MAX_NOTES, false), addCaptures: captureIds(body, "captures") });
  if (!updated) throw noSuchInvestigation(id);
  return json(updated);
}

export function deleteInvestigation(id: string): Response {
  if (!inv().remove(id)) throw noSuchInvestigation(id);
  return json({});
}

export async function addPin(id: string, req: Request): Promise<Response> {
  const body = await readJsonBody(req);
  const capture = text(body, "capture", 100, true)!;
  const c = getStore().getCapture(capture);
  if (!c) throw noSuchCapture(capture);
  const num = body.num;
  if (typeof num !== "number" || !Number.isSafeInteger(num) || num < 1 || num > c.events) {
    throw new ApiError(400, `num must be an evt.num of the capture, from 1 to ${c.events}`, "num");
  }
  const pin = inv().addPin(id, capture, num, text(body, "comment", MAX_COMMENT, false) ?? "");
  if (!pin) throw noSuchInvestigation(id);
  return json(pin, 201);
}

export async function updatePin(id: string, pin: string, req: Request): Promise<Response> {
  const body = await readJsonBody(req);
  const updated = inv().updatePin(id, pinId(pin), text(body, "comment", MAX_COMMENT, true)!);
  if (!updated) throw new ApiError(404, `no pin ${pin} in investigation ${JSON.stringify(id)}`, "pin");
  return json(updated);
}

export function deletePin(id: string, pin: string): Response {
  if (!inv().removePin(id, pinId(pin))) throw new ApiError(404, `no pin ${pin} in investigation ${JSON.stringify(id)}`, "pin");
  return json({});
}

/** A view as the page's URL holds it, normalised by view-url.ts itself (so that every key it
 *  knows, now or later, is carried, and nothing else): a query string (`?filter=…&at=…`) or
 *  an object of the same keys. */
export function normaliseState(state: unknown): CaptureView {
  if (typeof state === "string") {
    if (state.length > MAX_TEXT * 2) throw new ApiError(400, "state too long", "state");
    return readView(new URLSearchParams(state));
  }
  if (state === undefined || state === null) return readView(new URLSearchParams());
  if (typeof state !== "object" || Array.isArray(state)) throw new ApiError(400, "state must be the view's query string or an object of its keys", "state");
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (v === null || v === undefined) continue;
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new ApiError(400, `state.${k} must be a string or a number`, "state");
    q.set(k, String(v));
  }
  return readView(q);
}

const linkUrl = (req: Request, id: string) => {
  // The Host header has passed the server's allow-list: it is the name the user reached us by.
  const host = req.headers.get("host");
  return `${host ? `http://${host}` : ""}/s/${id}`;
};

/** GET /api/links?capture=ID (the token's holder only): the links to a capture that still open,
 *  so that any of them can be revoked, not only the one just made. */
export function listLinks(req: Request): Response {
  const capture = new URL(req.url).searchParams.get("capture") ?? "";
  if (!getStore().getCapture(capture)) throw noSuchCapture(capture);
  return json(inv().listLinks(capture).map((l) => ({
    id: l.id, url: linkUrl(req, l.id), investigation: l.investigation, state: l.state, createdAt: l.createdAt,
  })));
}

export async function createLink(req: Request): Promise<Response> {
  const body = await readJsonBody(req);
  const capture = text(body, "capture", 100, true)!;
  if (!getStore().getCapture(capture)) throw noSuchCapture(capture);
  const investigation = text(body, "investigation", 100, false) ?? null;
  if (investigation !== null) {
    const found = inv().get(investigation);
    if (!found) throw noSuchInvestigation(investigation);
    if (!found.captures.includes(capture)) throw new ApiError(400, `the investigation does not hold capture ${capture}`, "investigation");
  }
  const state = normaliseState(body.state);
  const link = inv().createLink(capture, investigation, state as unknown as Record<string, unknown>);
  return json({ id: link.id, url: linkUrl(req, link.id), capture, investigation, state }, 201);
}

export function getLink(id: string): Response {
  const link = LINK_ID_PATTERN.test(id) ? inv().getLink(id) : undefined;
  if (!link) throw new ApiError(404, "no such share link", "id");
  if (link.revokedAt) throw new ApiError(410, "this share link was revoked", "id");
  return json({ id: link.id, capture: link.capture, investigation: link.investigation, state: link.state, createdAt: link.createdAt });
}

export function revokeLink(id: string): Response {
  const link = LINK_ID_PATTERN.test(id) ? inv().getLink(id) : undefined;
  if (!link) throw new ApiError(404, "no such share link", "id");
  inv().revokeLink(id);
  return json({});
}
