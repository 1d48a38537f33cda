// Who may talk to the server: the Host header allow-list (against DNS rebinding), the access
// token (against any other local user or web page), and the WebSocket Origin check (against
// cross-site WebSocket hijacking, which the SameSite cookie alone does not stop).

import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";

export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = ["localhost", "127.0.0.1", "[::1]"];
  const h = boundHost.toLowerCase();
  // A specific non-loopback address the user chose to bind to is also a name they will type.
  if (h && h !== "0.0.0.0" && h !== "::" && h !== "localhost" && h !== "127.0.0.1" && h !== "::1") {
    names.push(h.includes(":") ? `[${h}]` : h);
  }
  const hosts = new Set(names.map((n) => `${n}:${port}`));
  // Browsers leave the default port out of the Host header.
  if (port === 80) for (const n of names) hosts.add(n);
  return hosts;
}

/** The cookie's name carries the port: cookies ignore ports, and two servers on one machine
 *  must not overwrite each other's token. */
export function cookieName(port: number): string {
  return `casefile_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export type TokenSource = "header" | "query" | "cookie";

/** The token a request presents, and where it came from; the first source found wins, so a
 *  wrong header is not rescued by a right cookie. */
export function presentedToken(req: IncomingMessage, url: URL, port: number): { token: string; via: TokenSource } | null {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return { token: m ? m[1] : "", via: "header" };
  }
  const q = url.searchParams.get("token");
  if (q !== null) return { token: q, via: "query" };
  const c = readCookie(req.headers.cookie, cookieName(port));
  if (c !== undefined) return { token: c, via: "cookie" };
  return null;
}

export function tokenMatches(presented: string, token: string): boolean {
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A browser's WebSocket must come from a page of this very server. Clients that are not
 *  browsers send no Origin; they still need the token. */
export function originAllowed(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return true;
  return origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

// Share links. A link's id is a second, narrower credential: it opens one capture (and the
// investigation it was made in) for reading, and nothing else. The id travels in its own
// HttpOnly SameSite=Strict cookie, set by /s/<id>, so that the page's ordinary same-origin
// fetches carry it without the page ever handling it.

export function shareCookieName(port: number): string {
  return `casefile_share_${port}`;
}

export function shareCookie(port: number, linkId: string): string {
  return `${shareCookieName(port)}=${linkId}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The share link id a request presents in its cookie, if any. */
export function presentedShare(req: IncomingMessage, port: number): string | undefined {
  return readCookie(req.headers.cookie, shareCookieName(port));
}

/** What a share link opens. */
export interface ShareScope {
  link: string;
  capture: string;
  investigation: string | null;
}

/** `/s/<id>`: the address a share link is handed out as; the id, or undefined for any other path. */
export function shareLinkPath(pathname: string): string | undefined {
  const m = /^\/s\/([A-Za-z0-9_-]{1,64})$/.exec(pathname);
  return m ? m[1] : undefined;
}

/**
 * Whether a share link's holder may make this request. An allow-list, so that a route added
 * later is closed to links until it is listed here: reads (GET, HEAD) of the capture's page, of
 * the capture's own API calls, of the link itself and of the link's investigation. Never a
 * change (POST, PUT, PATCH, DELETE), never the catalog (`/`, `GET /api/captures`, the list of
 * investigations), never another capture, never the WebSocket (live sessions and ingest
 * progress: serve.ts refuses upgrades without the token).
 */
export function shareAllows(method: string | undefined, pathname: string, scope: ShareScope): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  // A route whose query names another capture (the flame graph's baseId) checks that one
  // itself, against the link the server names in SHARE_HEADER (flame-api.ts).
  const segs = pathname.split("/").slice(1);
  // Encoded slashes or dot segments would let one path name another: none of ours need them.
  if (segs.some((s) => s === "" || s === "." || s === ".." || /%2f|%5c|%2e/i.test(s))) return false;
  const [a, b, c, d] = segs;
  if (segs.length === 2 && a === "captures") return b === scope.capture;
  if (segs.length >= 4 && a === "api" && b === "captures") return c === scope.capture && d !== undefined;
  if (segs.length === 3 && a === "api" && b === "links") return c === scope.link;
  if (segs.length === 3 && a === "api" && b === "investigations") return scope.investigation !== null && c === scope.investigation;
  // The page's icon (app/icon.svg): no data in it.
  return segs.length === 1 && a === "icon.svg";
}
