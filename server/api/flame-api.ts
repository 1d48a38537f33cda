// GET /api/captures/:id/flame?source=syscalls|on-cpu|off-cpu|SECTION&filter=F&from=T&to=T
// [&baseId=ID&baseSource=S&baseFilter=F&baseFrom=T&baseTo=T]: a flame graph as a compact tree
// (names, then numbers per node). A base makes it differential (the base is "before", the
// capture "after"); base values not given are this side's, so `baseFrom/baseTo` alone compares
// two time ranges of one capture and `baseFilter` alone two filters. T: ns since the epoch.
// On a share link's authority (the server names the link in SHARE_HEADER) the base may only be
// a capture the link opens: its own, or one of its investigation's.

import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { filterParam, MAX_TEXT, noSuchCapture, withFilterErrors } from "./query-params";
import type { FlameQuery, FlameSide, Store } from "./store-types";
import { SHARE_HEADER } from "../http/share-route";

function timeParam(params: URLSearchParams, key: string): string | undefined {
  const raw = params.get(key);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,20}$/.test(raw)) throw new ApiError(400, `${key} must be ns since the epoch (a whole number), not ${JSON.stringify(raw)}`, key);
  return raw;
}

function textParam(params: URLSearchParams, key: string): string | undefined {
  const raw = params.get(key);
  if (raw === null) return undefined;
  if (raw.length > MAX_TEXT) throw new ApiError(400, `${key} longer than ${MAX_TEXT} characters`, key);
  return raw;
}

export function readFlameQuery(id: string, params: URLSearchParams): FlameQuery {
  const q: FlameQuery = { id, source: textParam(params, "source") ?? "", filter: filterParam(params), from: timeParam(params, "from"), to: timeParam(params, "to") };
  const base: Partial<FlameSide> = {};
  const baseId = params.get("baseId");
  if (baseId) {
    if (!/^[0-9a-f]{16}$/.test(baseId)) throw noSuchCapture(baseId);
    base.id = baseId;
  }
  const baseSource = textParam(params, "baseSource");
  if (baseSource !== undefined) base.source = baseSource;
  const baseFilter = textParam(params, "baseFilter");
  if (baseFilter !== undefined) base.filter = baseFilter;
  if (params.has("baseFrom")) base.from = timeParam(params, "baseFrom");
  if (params.has("baseTo")) base.to = timeParam(params, "baseTo");
  if (Object.keys(base).length) q.base = base;
  return q;
}

/** The captures a share link opens: its own and its investigation's. */
function sharedCaptures(store: Store, linkId: string): Set<string> {
  const link = store.investigations.getLink(linkId);
  if (!link) return new Set();
  const inv = link.investigation === null ? undefined : store.investigations.get(link.investigation);
  return new Set([link.capture, ...(inv?.captures ?? [])]);
}

export async function captureFlame(id: string, params: URLSearchParams, signal?: AbortSignal, req?: Request): Promise<Response> {
  const q = readFlameQuery(id, params);
  const store = getContext().store;
  if (!store.getCapture(id)) throw noSuchCapture(id);
  const share = req?.headers.get(SHARE_HEADER);
  if (share && q.base?.id && !sharedCaptures(store, share).has(q.base.id)) {
    throw new ApiError(403, "a share link compares its capture only with its investigation's captures", "baseId");
  }
  if (q.base?.id && !store.getCapture(q.base.id)) throw noSuchCapture(q.base.id);
  try {
    const r = await withFilterErrors(() => store.query("flame", [q], { signal }));
    if (!r) throw new ApiError(409, "the capture is not ready (still ingesting, or its file is gone)", "id");
    return json(r);
  } catch (e) {
    // A profile that its importer refuses (it was checked at upload: the kept file changed).
    if (e instanceof Error && e.name === "StacksError") throw new ApiError(422, e.message, "file");
    throw e;
  }
}
