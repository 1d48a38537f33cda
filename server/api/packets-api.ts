// The packet part of the HTTP API: a packet capture's list, one packet's layers and bytes, its
// conversations, findings and time buckets. Route handlers call these and nothing else; every
// question runs in a query worker (Store.query), as the event queries do.

import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { filterParam, intParam, noSuchCapture, withFilterErrors } from "./query-params";

async function query<T>(id: string, fn: () => Promise<T | undefined>): Promise<Response> {
  const r = await withFilterErrors(fn);
  if (r === undefined) throw noSuchCapture(id);
  return json(r);
}

/** `GET /api/captures/:id/packets?filter=F&from=N&limit=L`: `{packets, next}`. */
export function capturePackets(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const from = intParam(params, "from", 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = intParam(params, "limit", 200, 1, 5000);
  return query(id, () => getContext().store.query("packets", [id, { from, limit, filter: filterParam(params) }], { signal }));
}

/** `GET /api/captures/:id/packet?num=N`: its layers (fields with byte ranges) and bytes (hex). */
export function capturePacket(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  if (!params.get("num")) throw new ApiError(400, "num: the packet number is required", "num");
  const num = intParam(params, "num", 1, 1, Number.MAX_SAFE_INTEGER);
  return query(id, () => getContext().store.query("packet", [id, num], { signal }));
}

/** `GET /api/captures/:id/conversations`: `{conversations}`, one per 5-tuple either way. */
export function captureConversations(id: string, _params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  return query(id, async () => {
    const rows = await getContext().store.query("conversations", [id], { signal });
    return rows && { conversations: rows };
  });
}

/** `GET /api/captures/:id/findings?kind=K`: `{findings}` (Wireshark's expert info). */
export function captureFindings(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const kind = params.get("kind") || undefined;
  if (kind !== undefined && !/^[a-z-]{1,40}$/.test(kind)) throw new ApiError(400, "kind: a finding kind like retransmission or frag-needed", "kind");
  return query(id, async () => {
    const rows = await getContext().store.query("findings", [id, kind], { signal });
    return rows && { findings: rows };
  });
}

/** `GET /api/captures/:id/packet-timeline?filter=F&bins=B`: matching packets per time bucket. */
export function capturePacketTimeline(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const bins = intParam(params, "bins", 200, 1, 2000);
  return query(id, () => getContext().store.query("packetTimeline", [id, filterParam(params), bins], { signal }));
}
