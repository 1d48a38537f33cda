// The browser's side of /api/investigations and /api/links. Same-origin fetches: the token (or a
// share link's cookie) travels in an HttpOnly cookie the page never handles.

import type { Investigation, InvestigationSummary, Pin } from "../../server/api/investigations";
import { apiCall } from "../ui/api";

export type { Investigation, InvestigationSummary, Pin };

export interface CreatedLink {
  id: string;
  url: string;
}

export interface ListedLink extends CreatedLink {
  investigation: string | null;
  state: Record<string, unknown>;
  createdAt: string;
}

const call = <T>(url: string, method = "GET", json?: unknown) => apiCall<T>(url, { method, json });

const invUrl = (id: string) => `/api/investigations/${encodeURIComponent(id)}`;

export const listInvestigations = (capture: string) =>
  call<InvestigationSummary[]>(`/api/investigations?capture=${encodeURIComponent(capture)}`);
export const getInvestigation = (id: string) => call<Investigation>(invUrl(id));
export const createInvestigation = (title: string, captures: string[]) =>
  call<Investigation>("/api/investigations", "POST", { title, captures });
export const updateInvestigation = (id: string, patch: { title?: string; notes?: string }) =>
  call<Investigation>(invUrl(id), "PATCH", patch);
export const deleteInvestigation = (id: string) => call<object>(invUrl(id), "DELETE");
export const addPin = (id: string, capture: string, num: number, comment: string) =>
  call<Pin>(`${invUrl(id)}/pins`, "POST", { capture, num, comment });
export const updatePin = (id: string, pin: number, comment: string) =>
  call<Pin>(`${invUrl(id)}/pins/${pin}`, "PATCH", { comment });
export const removePin = (id: string, pin: number) => call<object>(`${invUrl(id)}/pins/${pin}`, "DELETE");

/** A read-only link to the view the URL holds now (its query string: view-url.ts's keys). */
export const createLink = (capture: string, state: string, investigation: string | null) =>
  call<CreatedLink>("/api/links", "POST", { capture, state, investigation: investigation ?? undefined });
export const listLinks = (capture: string) => call<ListedLink[]>(`/api/links?capture=${encodeURIComponent(capture)}`);
export const revokeLink = (id: string) => call<object>(`/api/links/${encodeURIComponent(id)}`, "DELETE");
