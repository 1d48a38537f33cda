// The checks every route of the HTTP API makes of its query string, and the errors they answer
// with, written once: a filter's size, whole numbers in a range, a capture that is not there, a
// filter the store refused.

import { ApiError } from "./http-json";
import { isFilterError } from "./filter-condition";

/** Longest filter, chisel argument or other free text a request may carry. */
export const MAX_TEXT = 10_000;

/** The `filter` parameter ("" for none), refused when longer than MAX_TEXT. */
export function filterParam(params: URLSearchParams): string {
  const f = params.get("filter") ?? "";
  if (f.length > MAX_TEXT) throw new ApiError(400, `filter longer than ${MAX_TEXT} characters`, "filter");
  return f;
}

/** A whole-number parameter from min to max; `dflt` when absent or empty. */
export function intParam(params: URLSearchParams, key: string, dflt: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null || raw === "") return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ApiError(400, `${key} must be a whole number ${range}, not ${JSON.stringify(raw)}`, key);
  }
  return Number(raw);
}

export function noSuchCapture(id: string): ApiError {
  return new ApiError(404, `no capture with id ${JSON.stringify(id)}`, "id");
}

/** A store question's answer; a filter the store refused becomes a 400 that names the filter. */
export async function withFilterErrors<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isFilterError(e)) throw new ApiError(400, e.message, "filter");
    throw e;
  }
}
