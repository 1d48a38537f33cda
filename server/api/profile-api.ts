// CPU profiles over HTTP:
//   GET  /api/captures/:id/profiles          the profiles linked to a capture, newest first
//   GET  /api/profiles/:id[?section=S]       a profile's text (text/plain), or one section as
//                                            plain folded stacks (`casefile flame` prints the same)
//   POST /api/live/hosts/:host/profile       {seconds, pid?, hz?, captureId?}: the host's
//        collector records a profile (collector/PROTOCOL.md `profile`); it is kept, linked to
//        captureId when given, and answered {id, captureId, sections}

import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { Profiles } from "./profiles";
import { casefileProfileImporter, toFolded } from "../core/formats/stacks/casefile-profile";
import { readProfileRequest, type ProfileArgs, type ProfileResult } from "../live/profile-requests";

const ID = /^[0-9a-f]{16}$/;

function withProfiles<T>(fn: (p: Profiles) => T): T {
  const p = new Profiles(getContext().dataDir);
  try {
    return fn(p);
  } finally {
    p.close();
  }
}

export function captureProfiles(id: string): Response {
  if (!ID.test(id) || !getContext().store.getCapture(id)) throw new ApiError(404, `no capture ${id}`, "id");
  return json(withProfiles((p) => p.list(id)));
}

export function profileText(id: string, params: URLSearchParams): Response {
  const text = withProfiles((p) => p.text(id));
  if (text === undefined) throw new ApiError(404, `no profile ${id}`, "id");
  const section = params.get("section");
  let body = text;
  if (section !== null) {
    const imp = casefileProfileImporter();
    imp.push(text);
    try {
      body = toFolded(imp.end(), /^\d+$/.test(section) ? Number(section) : section);
    } catch (e) {
      throw new ApiError(404, (e as Error).message, "section");
    }
  }
  return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function postLiveProfile(host: string, req: Request): Promise<Response> {
  const hub = getContext().live;
  if (!hub) throw new ApiError(503, "this server has no live collectors (start it with casefile serve)", "server");
  let body: Record<string, unknown>;
  try {
    body = (await req.json()) as Record<string, unknown>;
  } catch {
    throw new ApiError(400, "the body must be JSON: {seconds, pid?, hz?, captureId?}", "body");
  }
  if (!body || typeof body !== "object") throw new ApiError(400, "the body must be a JSON object", "body");
  const args = readProfileRequest(body);
  if ("error" in args) throw new ApiError(400, args.error, "body");
  const captureId = body.captureId;
  if (captureId !== undefined && captureId !== null && (typeof captureId !== "string" || !ID.test(captureId) || !getContext().store.getCapture(captureId))) {
    throw new ApiError(404, `no capture ${JSON.stringify(captureId)} to link the profile to`, "captureId");
  }
  let result: ProfileResult;
  try {
    result = await hub.profile(host, args);
  } catch (e) {
    const status = (e as { status?: number }).status;
    throw new ApiError(typeof status === "number" ? status : 502, (e as Error).message, "collector");
  }
  const name = `profile of ${args.pid ? `process ${args.pid}` : "every process"} on ${host}, ${args.seconds} s, ${new Date().toISOString()}`;
  const id = withProfiles((p) => p.addText(result.text, name, (captureId as string | undefined) ?? null));
  return json({ id, captureId: captureId ?? null, sections: result.sections }, 201);
}
