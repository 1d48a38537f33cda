// The analyses part of the HTTP API (gaps, activity, spectrogram, top, lsof/netstat/ps). Route
// handlers call these and nothing else. Every question runs in a query worker (Store.query),
// stopped when its request is aborted or its time budget runs out.

import type { StateChisel } from "../core/filter/chisel-filter";
import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { filterParam, intParam, noSuchCapture, withFilterErrors } from "./query-params";
import { parseDuration } from "../core/analyses/duration";

/** Runs a store query, mapping "no such capture" and filter errors to their statuses. */
async function query<T>(id: string, fn: () => T | undefined | Promise<T | undefined>): Promise<Response> {
  const r = await withFilterErrors(fn);
  if (r === undefined) throw noSuchCapture(id);
  return json(r);
}

export function captureGaps(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  let minNs: number;
  try {
    minNs = parseDuration(params.get("min") ?? "1s");
  } catch (e) {
    throw new ApiError(400, (e as Error).message, "min");
  }
  const store = getContext().store;
  return query(id, async () => {
    const gaps = await store.query("gaps", [id, filterParam(params), minNs], { signal });
    return gaps && { gaps };
  });
}

export function captureActivity(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const from = intParam(params, "from", 0, 0, Number.MAX_SAFE_INTEGER);
  const to = intParam(params, "to", 0, 0, Number.MAX_SAFE_INTEGER);
  const store = getContext().store;
  return query(id, async () => {
    const rows = await store.query("activity", [id, from, to], { signal });
    return rows && { rows };
  });
}

/** `from`/`to` (ns since the epoch, both included: the timeline's range): the bins span that
 *  window, and only its events count. */
export function captureSpectrogram(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const bins = intParam(params, "bins", 200, 1, 10_000);
  const from = nsParam(params, "from"), to = nsParam(params, "to");
  if ((from === undefined) !== (to === undefined)) throw new ApiError(400, "from and to go together", from === undefined ? "from" : "to");
  if (from !== undefined && BigInt(to!) < BigInt(from)) throw new ApiError(400, "to must not be before from", "to");
  const window = from !== undefined ? { from, to: to! } : undefined;
  return query(id, () => getContext().store.query("spectrogram", [id, filterParam(params), bins, window], { signal }));
}

export function captureTop(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const by = params.get("by") ?? "syscall";
  if (by !== "syscall" && by !== "process") throw new ApiError(400, "by must be syscall or process", "by");
  const limit = intParam(params, "limit", 20, 1, 1000);
  const store = getContext().store;
  return query(id, async () => {
    const rows = await store.query("top", [id, filterParam(params), by, limit], { signal });
    return rows && { rows };
  });
}

/** lsof / netstat / ps at an event, as the sysdig chisels print them, optionally filtered
 *  (`filter`: the chisel's filter argument, e.g. `proc.name=nc and fd.type=ipv4`). */
export function captureState(kind: StateChisel) {
  return async (id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> => {
    const at = intParam(params, "at", 0, 1, Number.MAX_SAFE_INTEGER);
    if (!params.get("at")) throw new ApiError(400, "at: the event number is required", "at");
    const filter = filterParam(params);
    const store = getContext().store;
    if (!store.getCapture(id)) throw noSuchCapture(id);
    const r = await withFilterErrors(() => store.query("state", [id, kind, at, filter], { signal }));
    if (!r) throw new ApiError(404, `no event ${at} in this capture`, "at");
    return json(r);
  };
}

/** An instant, ns since the epoch as a string of digits (it does not fit a double). */
function nsParam(params: URLSearchParams, key: string): string | undefined {
  const raw = params.get(key);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,20}$/.test(raw) || BigInt(raw) >= 2n ** 64n) throw new ApiError(400, `${key} must be ns since the epoch (digits), not ${JSON.stringify(raw.slice(0, 40))}`, key);
  return raw;
}

/** The timeline: event density per process or thread over [from, to) (the capture's span by
 *  default), in `bins` bins; `rows` rows before the rest are folded. `nearest=TS` instead
 *  answers the matching event nearest that instant ({num, ts}, or null). */
export function captureTimeline(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const store = getContext().store;
  const filter = filterParam(params);
  const nearest = nsParam(params, "nearest");
  if (nearest !== undefined) {
    return query(id, async () => {
      const e = await store.query("nearest", [id, nearest, filter], { signal });
      return e === undefined ? undefined : { event: e };
    });
  }
  const by = params.get("by") ?? "proc";
  if (by !== "proc" && by !== "thread") throw new ApiError(400, "by must be proc or thread", "by");
  const from = nsParam(params, "from"), to = nsParam(params, "to");
  if (from !== undefined && to !== undefined && BigInt(to) <= BigInt(from)) throw new ApiError(400, "to must be after from", "to");
  const q = { from, to, bins: intParam(params, "bins", 400, 1, 4000), by: by as "proc" | "thread", rows: intParam(params, "rows", 8, 1, 200), filter };
  return query(id, () => store.query("timeline", [id, q], { signal }));
}
