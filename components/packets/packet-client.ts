// The browser's side of the packet API (server/api/packets-api.ts): same-origin fetches, the
// token in the page's HttpOnly cookie.

import { apiCall } from "../ui/api";
import type { ConversationRow, FindingRow, PacketDetail, PacketsPage } from "../../server/api/packet-store";
import type { EventsPage } from "../../server/api/store-types";

export type { ConversationRow, FindingRow, PacketDetail, PacketsPage };

const call = <T>(url: string, signal?: AbortSignal) => apiCall<T>(url, { signal });

const url = (id: string, what: string, q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== "") p.set(k, String(v));
  return `/api/captures/${encodeURIComponent(id)}/${what}?${p}`;
};

export const fetchPackets = (id: string, from: number, limit: number, filter: string, signal?: AbortSignal) =>
  call<PacketsPage>(url(id, "packets", { from, limit, filter }), signal);
export const fetchPacket = (id: string, num: number, signal?: AbortSignal) => call<PacketDetail>(url(id, "packet", { num }), signal);
export const fetchConversations = async (id: string, signal?: AbortSignal) =>
  (await call<{ conversations: ConversationRow[] }>(url(id, "conversations", {}), signal)).conversations;
export const fetchFindings = async (id: string, signal?: AbortSignal) =>
  (await call<{ findings: FindingRow[] }>(url(id, "findings", {}), signal)).findings;
export const fetchPacketGaps = async (id: string, filter: string, min: string, signal?: AbortSignal) =>
  (await call<{ gaps: { num: number; prevNum: number; gapNs: string; ts: string }[] }>(url(id, "gaps", { filter, min }), signal)).gaps;
export const fetchPacketTimeline = (id: string, filter: string, bins: number, signal?: AbortSignal) =>
  call<{ startTs: string; binNs: string; counts: number[] }>(url(id, "packet-timeline", { filter, bins }), signal);
/** Events of a syscall capture (the correlation's other side). */
export const fetchEventsPage = (id: string, from: number, limit: number, filter: string, signal?: AbortSignal) =>
  call<EventsPage>(url(id, "events", { from, limit, filter }), signal);
