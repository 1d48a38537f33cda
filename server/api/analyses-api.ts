// The analyses part of the HTTP API (gaps, activity, spectrogram, top, lsof/netstat/ps). Route
// handlers call these and nothing else. Every question runs in a query worker (Store.query),
// stopped when its request is aborted or its time budget runs out.

import { getContext } from "./context";
import { ApiError, json } from "./http-json";
import { isFilterError } from "./filter-condition";
import { parseDuration } from "../core/analyses/duration";

function filterOf(params: URLSearchParams): string {
  const f = params.get("filter") ?? "";
  if (f.length > 10_000) throw new ApiError(400, "filter longer than 10000 characters", "filter");
  return f;
}

function intOf(params: URLSearchParams, key: string, dflt: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null || raw === "") return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ApiError(400, `${key} must be a whole number from ${min} to ${max}`, key);
  }
  return Number(raw);
}

/** Runs a store query, mapping "no such capture" and filter errors to their statuses. */
async function query<T>(id: string, fn: () => T | undefined | Promise<T | undefined>): Promise<Response> {
  try {
    const r = await fn();
    if (r === undefined) throw new ApiError(404, `no capture with id ${JSON.stringify(id)}`, "id");
    return json(r);
  } catch (e) {
    if (isFilterError(e)) throw new ApiError(400, e.message, "filter");
    throw e;
  }
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
    const gaps = await store.query("gaps", [id, filterOf(params), minNs], { signal });
    return gaps && { gaps };
  });
}

export function captureActivity(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const from = intOf(params, "from", 0, 0, Number.MAX_SAFE_INTEGER);
  const to = intOf(params, "to", 0, 0, Number.MAX_SAFE_INTEGER);
  const store = getContext().store;
  return query(id, async () => {
    const rows = await store.query("activity", [id, from, to], { signal });
    return rows && { rows };
  });
}

export function captureSpectrogram(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const bins = intOf(params, "bins", 200, 1, 10_000);
  return query(id, () => getContext().store.query("spectrogram", [id, filterOf(params), bins], { signal }));
}

export function captureTop(id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const by = params.get("by") ?? "syscall";
  if (by !== "syscall" && by !== "process") throw new ApiError(400, "by must be syscall or process", "by");
  const limit = intOf(params, "limit", 20, 1, 1000);
  const store = getContext().store;
  return query(id, async () => {
    const rows = await store.query("top", [id, filterOf(params), by, limit], { signal });
    return rows && { rows };
  });
}

/** lsof / netstat / ps at an event, as the sysdig chisels print them, optionally filtered
 *  (`filter`: the chisel's filter argument, e.g. `proc.name=nc and fd.type=ipv4`). */
export function captureState(kind: "lsof" | "netstat" | "ps") {
  return async (id: string, params: URLSearchParams, signal?: AbortSignal): Promise<Response> => {
    const at = intOf(params, "at", 0, 1, Number.MAX_SAFE_INTEGER);
    if (!params.get("at")) throw new ApiError(400, "at: the event number is required", "at");
    const filter = filterOf(params);
    const store = getContext().store;
    if (!store.getCapture(id)) throw new ApiError(404, `no capture with id ${JSON.stringify(id)}`, "id");
    let r;
    try {
      r = await store.query("state", [id, kind, at, filter], { signal });
    } catch (e) {
      if (isFilterError(e)) throw new ApiError(400, e.message, "filter");
      throw e;
    }
    if (!r) throw new ApiError(404, `no event ${at} in this capture`, "at");
    return json(r);
  };
}
