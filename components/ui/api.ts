// The browser's side of the HTTP API. The token travels in the page's HttpOnly cookie, so every
// call stays same-origin and never handles the token itself.

import type { CaptureSummary, EventRow } from "../../server/api/store-types";

export async function fetchCaptures(): Promise<CaptureSummary[]> {
  return call<CaptureSummary[]>("/api/captures");
}

export async function deleteCapture(id: string): Promise<void> {
  await call<object>(`/api/captures/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export async function fetchEvents(id: string, from: number, limit: number, signal?: AbortSignal): Promise<{ events: EventRow[]; next: number | null }> {
  return call(`/api/captures/${encodeURIComponent(id)}/events?from=${from}&limit=${limit}`, { signal });
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(await errorText(res));
  return (await res.json()) as T;
}

export async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string };
    if (body.error) return body.error;
  } catch {
    // Fall through to the status line.
  }
  return `the server answered ${res.status} ${res.statusText}`;
}
