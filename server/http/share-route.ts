// Share links at the HTTP server: `/s/<id>` turns a link into its cookie and opens the view it
// names; every later request that carries the cookie instead of the token is checked against
// the link (still there, not revoked, its capture still there) and against what a link may
// read (access.ts shareAllows). Answered here, before Next, like the token check.

import type http from "node:http";
import type { Store } from "../api/store-types";
import { viewHref, type CaptureView } from "../../components/ui/view-url";
import { shareCookie, type ShareScope } from "./access";

/** The request header through which the pages learn that a request came on a share link's
 *  authority (its value: the link id). The server deletes any the client sent. */
export const SHARE_HEADER = "x-casefile-share";

export type ShareLookup = { scope: ShareScope } | { status: 404 | 410; error: string };

export function lookupShare(store: Store, id: string): ShareLookup {
  const link = store.investigations.getLink(id);
  if (!link) return { status: 404, error: "no such share link" };
  if (link.revokedAt) return { status: 410, error: "this share link was revoked by its owner" };
  if (!store.getCapture(link.capture)) return { status: 410, error: "the capture this link shared has been deleted" };
  return { scope: { link: link.id, capture: link.capture, investigation: link.investigation } };
}

/**
 * GET /s/<id>: sets the link's cookie and sends the browser on to the view. The hop is a page of
 * ours (meta refresh), not a 30x: a SameSite=Strict cookie set in answer to a navigation that
 * began on another site (a link clicked in a chat) is not sent along that navigation's
 * redirects, but it is sent on a navigation our own page starts.
 */
export function openShareLink(
  req: http.IncomingMessage, res: http.ServerResponse, store: Store, port: number, id: string,
): void {
  if (req.method !== "GET" && req.method !== "HEAD") return sendPage(res, 405, "Share links are opened with GET.");
  const found = lookupShare(store, id);
  if ("status" in found) return sendPage(res, found.status, `${found.error[0].toUpperCase()}${found.error.slice(1)}.`);
  const link = store.investigations.getLink(id)!;
  const target = viewHref(link.capture, link.state as Partial<CaptureView>);
  res.setHeader("Set-Cookie", shareCookie(port, id));
  sendPage(res, 200, `Opening the shared view… <a href="${escapeHtml(target)}">continue</a>`, target);
}

function sendPage(res: http.ServerResponse, status: number, body: string, refreshTo?: string): void {
  const refresh = refreshTo ? `<meta http-equiv="refresh" content="0;url=${escapeHtml(refreshTo)}">` : "";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}<title>Casefile</title></head>`
    + `<body style="font-family:system-ui,sans-serif;margin:3rem"><p>${body}</p></body></html>`;
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(html),
  });
  res.end(html);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
