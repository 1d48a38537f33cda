// The browser's side of the HTTP API. The token travels in the page's HttpOnly cookie, so every
// call stays same-origin and never handles the token itself.

import type {
  ActivityRow, CaptureSummary, ChiselAnswer, EventsPage, GapRow, SpectrogramAnswer, StateAnswer,
} from "../../server/api/store-types";
import type { StateKind } from "./view-url";

/** A refusal from the server: its status and the `where` of its error body, so that a caller
 *  can tell a bad filter (400, where "filter") from a server that is down. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly where?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}


export async function fetchCaptures(): Promise<CaptureSummary[]> {
  return apiCall<CaptureSummary[]>("/api/captures");
}

export async function deleteCapture(id: string): Promise<void> {
  await apiCall<object>(`/api/captures/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export async function fetchEvents(id: string, from: number, limit: number, filter = "", signal?: AbortSignal): Promise<EventsPage> {
  const q = new URLSearchParams({ from: String(from), limit: String(limit) });
  if (filter) q.set("filter", filter);
  return apiCall(`/api/captures/${encodeURIComponent(id)}/events?${q}`, { signal });
}

export async function fetchState(id: string, kind: StateKind, at: number, signal?: AbortSignal): Promise<StateAnswer> {
  return apiCall(`/api/captures/${encodeURIComponent(id)}/${kind}?at=${at}`, { signal });
}

export type { ActivityRow, ChiselAnswer, EventsPage, GapRow, SpectrogramAnswer, StateAnswer };

const captureUrl = (id: string, what: string, q: URLSearchParams) => `/api/captures/${encodeURIComponent(id)}/${what}?${q}`;

/** range: the timeline's, which the bins then span. */
export async function fetchSpectrogram(id: string, filter: string, bins: number, signal?: AbortSignal, range?: { from: string; to: string } | null): Promise<SpectrogramAnswer> {
  const q = new URLSearchParams({ bins: String(bins) });
  if (filter) q.set("filter", filter);
  if (range) {
    q.set("from", range.from);
    q.set("to", range.to);
  }
  return apiCall(captureUrl(id, "spectrogram", q), { signal });
}

export async function fetchGaps(id: string, filter: string, min: string, signal?: AbortSignal): Promise<GapRow[]> {
  const q = new URLSearchParams({ min });
  if (filter) q.set("filter", filter);
  return (await apiCall<{ gaps: GapRow[] }>(captureUrl(id, "gaps", q), { signal })).gaps;
}

/** Events strictly between two evt.nums, counted (hidden procinfo events left out). */
export async function fetchActivity(id: string, from: number, to: number, signal?: AbortSignal): Promise<ActivityRow[]> {
  const q = new URLSearchParams({ from: String(from), to: String(to) });
  return (await apiCall<{ rows: ActivityRow[] }>(captureUrl(id, "activity", q), { signal })).rows;
}

export async function fetchChisel(id: string, name: string, arg: string, filter: string, signal?: AbortSignal): Promise<ChiselAnswer> {
  const q = new URLSearchParams();
  if (arg) q.set("arg", arg);
  if (filter) q.set("filter", filter);
  return apiCall(`/api/captures/${encodeURIComponent(id)}/chisels/${encodeURIComponent(name)}?${q}`, { signal });
}

/** One call of the API, same-origin and never cached; `json` is sent as the JSON body. A refusal
 *  throws ApiRequestError with the server's message. Every client module calls through here. */
export async function apiCall<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const body = json === undefined ? rest.body : JSON.stringify(json);
  const headers = json === undefined ? rest.headers : { "Content-Type": "application/json", ...rest.headers };
  const res = await fetch(url, { ...rest, body, headers, credentials: "same-origin", cache: "no-store" });
  if (!res.ok) {
    const { error, where } = await errorBody(res);
    throw new ApiRequestError(error, res.status, where);
  }
  return (await res.json()) as T;
}

async function errorBody(res: Response): Promise<{ error: string; where?: string }> {
  try {
    const body = (await res.json()) as { error?: string; where?: string };
    if (body.error) return { error: body.error, where: body.where };
  } catch {
    // Fall through to the status line.
  }
  return { error: `the server answered ${res.status} ${res.statusText}` };
}
