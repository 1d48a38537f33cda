// The workbench server: one Node process with Next.js for pages and route handlers, and a `ws`
// endpoint on /ws for ingest progress (and, later, live rows). Every request passes the Host
// allow-list and the token check here, before Next sees it.

import http from "node:http";
import type { Duplex } from "node:stream";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { setContext, getContextOrUndefined } from "../api/context";
import type { Store } from "../api/store-types";
import { DEFAULT_MAX_UPLOAD, UPLOAD_PREFIX, UPLOAD_SUFFIX } from "../api/upload";
import {
  allowedHosts, originAllowed, presentedShare, presentedToken, shareAllows, shareLinkPath, tokenCookie, tokenMatches, type ShareScope,
} from "./access";
import { SHARE_HEADER, lookupShare, openShareLink, type ShareLookup } from "./share-route";
import { DEFAULT_MAX_UPLOADS, handleUpload, type UploadGate } from "./upload-route";

/** The folder with package.json above this module: server/http/ in the sources, dist/ when
 *  running from the bundle. */
export const projectRoot = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export interface StartOptions {
  host?: string;
  port?: number;
  dataDir: string;
  token: string;
  maxUpload?: number;
  /** Uploads received or ingested at once (CASEFILE_MAX_UPLOADS); one more is refused with 429. */
  maxUploads?: number;
  /** Only tests and local development pass another store; the default is the real one. */
  openStore?: (dataDir: string) => Store;
  /** Ingest the demo capture into a data folder that never had it (`casefile serve` does). */
  offerDemo?: boolean;
}

export interface RunningServer {
  /** The address to open: the origin with the token. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Headers must all be in by then: a client that trickles them holds a connection for nothing. */
const HEADERS_TIMEOUT_MS = 10_000;
/** A request's body (other than an upload's) must be in by then. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A connection silent for this long, in either direction, is closed, whatever the route (a
 *  running upload sets its own): no request can hang for ever. */
const IDLE_TIMEOUT_MS = 120_000;

const SECURITY_HEADERS: Record<string, string> = {
  // Page URLs can carry ?token=; no link followed from a page may pass it on.
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
};

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  if (!opts.token) throw new Error("an access token is required");
  if (getContextOrUndefined()) throw new Error("a Casefile server is already running in this process");
  if (!existsSync(join(projectRoot, ".next", "BUILD_ID"))) {
    throw new Error(`no production build of the pages in ${projectRoot}/.next: run \`npx next build\` there first`);
  }
  const host = opts.host ?? "127.0.0.1";
  const dataDir = resolve(opts.dataDir);
  const uploadsDir = join(dataDir, "uploads");
  await mkdir(uploadsDir, { recursive: true });
  await removeStaleUploads(uploadsDir);

  const env = process.env as Record<string, string | undefined>;
  env.NEXT_TELEMETRY_DISABLED ??= "1";
  // React and Next pick their production code paths from NODE_ENV when they are first loaded.
  env.NODE_ENV ??= "production";

  const server = http.createServer({
    // Node's request timeout is one figure for the whole server and would cut off a large upload
    // plus its ingest, which both happen inside one request: the request handler times the other
    // requests' bodies itself.
    requestTimeout: 0,
    headersTimeout: HEADERS_TIMEOUT_MS,
    // How often Node looks for connections past headersTimeout (by default every 30 s).
    connectionsCheckingInterval: 1000,
  });
  server.setTimeout(IDLE_TIMEOUT_MS);
  // Until Next is ready, every request is answered at once with 503 and Retry-After rather than
  // left waiting for a handler that does not exist yet (one such request hung for 605 s).
  let ready: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (oddTarget(req.url)) return sendJson(res, 400, { error: "request target must be a path starting with a single /", where: "target" });
    if (!ready) return sendJson(res, 503, { error: "the server is starting; retry in a moment", where: "server" }, { "Retry-After": "1" });
    ready(req, res);
  });
  let upgrade: ((req: http.IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (oddTarget(req.url)) return refuseUpgrade(socket, 400, "request target must be a path starting with a single /", "target");
    if (!upgrade) return refuseUpgrade(socket, 503, "the server is starting; retry in a moment", "server");
    upgrade(req, socket, head);
  });
  // CONNECT (a proxy's method) has no place here; without this Node drops the connection unanswered.
  server.on("connect", (_req: http.IncomingMessage, socket: Duplex) => refuseUpgrade(socket, 400, "request target must be a path starting with a single /", "target"));
  await listen(server, host, opts.port ?? 3000);
  const port = (server.address() as import("node:net").AddressInfo).port;
  const hosts = allowedHosts(host, port);
  const displayHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" || host === "::1" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  const origin = `http://${displayHost}:${port}`;

  let store: Store | undefined;
  let nextApp: { close(): Promise<void> } | undefined;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // Collectors (collector/PROTOCOL.md) send capture bytes in frames of up to a few hundred KiB.
  const collectorWss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  let liveHub: import("../live/live-hub").LiveHub | undefined;
  const alive = new WeakSet<WebSocket>();
  const pinger = setInterval(() => {
    // Drops clients whose connection died silently (a laptop lid closed), so broadcasts stop
    // queueing for them.
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, 30_000);
  pinger.unref();

  try {
    const openStore = opts.openStore ?? (await import("../api/store")).openStore;
    store = openStore(dataDir);
    // While Next prepares: the first page's queries then find their workers ready.
    void store.startQueryWorkers();
    // A data folder that never had the demo capture gets it (server/api/demo.ts): a first start
    // lists something to open. A demo that does not ingest is reported, not fatal.
    if (opts.offerDemo) {
      const { offerDemo } = await import("../api/demo");
      await offerDemo(store, dataDir, projectRoot).catch((e: unknown) => console.error(`casefile: the demo capture: ${e instanceof Error ? e.message : String(e)}`));
    }
    const liveStore = store;
    liveHub = new (await import("../live/live-hub")).LiveHub(dataDir, liveStore);
    setContext({
      store: liveStore,
      dataDir,
      maxUpload: opts.maxUpload ?? DEFAULT_MAX_UPLOAD,
      broadcast: (message) => broadcast(wss, message),
      live: liveHub,
    });

    const { default: next } = await import("next");
    const app = next({ dev: false, dir: projectRoot, hostname: displayHost.replace(/^\[|\]$/g, ""), port });
    nextApp = app;
    await app.prepare();
    const handle = app.getRequestHandler();
    const uploads: UploadGate = { maxUploads: opts.maxUploads ?? DEFAULT_MAX_UPLOADS, running: 0 };

    ready = (req, res) => {
      // Only this server says on whose authority a request comes: a client's own claim goes.
      delete req.headers[SHARE_HEADER];
      const access = checkRequest(req, port, hosts, opts.token, (id) => lookupShare(liveStore, id));
      if (access && "status" in access) return sendJson(res, access.status, { error: access.error, where: access.where });
      const url = requestUrl(req);
      const linkId = shareLinkPath(url.pathname);
      if (linkId !== undefined) return openShareLink(req, res, liveStore, port, linkId);
      // The pages show a share link's holder a read-only view (no catalog, no editing).
      if (access?.share) req.headers[SHARE_HEADER] = access.share.link;
      if (req.method === "POST" && url.pathname === "/api/captures") {
        handleUpload(req, res, uploads, sendJson).catch((e: unknown) => {
          console.error("casefile: upload failed:", e);
          res.destroy();
        });
        return;
      }
      timeRequestBody(req, res);
      if (shouldSetCookie(req, port)) res.setHeader("Set-Cookie", tokenCookie(port, opts.token));
      // Next renders the URL it is given into the page (the React server payload) and into
      // redirects: it never sees the token.
      req.url = withoutToken(req.url ?? "/");
      handle(req, res).catch((e: unknown) => {
        console.error("casefile: request failed:", e);
        if (!res.headersSent) sendJson(res, 500, { error: "internal error", where: "server" });
        else res.destroy();
      });
    };

    upgrade = (req, socket, head) => {
      const url = requestUrl(req);
      const hostHeader = (req.headers.host ?? "").toLowerCase();
      if (!hosts.has(hostHeader)) return refuseUpgrade(socket, 403, "host not allowed", "host");
      if (url.pathname === "/ws/collector") {
        // A collector is a program, not a page: the token in a header or the query, never the
        // page's cookie, and no other origin.
        if (!originAllowed(req.headers.origin, hostHeader)) return refuseUpgrade(socket, 403, "WebSocket from another origin", "origin");
        const c = presentedToken(req, url, port);
        if (!c || c.via === "cookie" || !tokenMatches(c.token, opts.token)) return refuseUpgrade(socket, 401, "missing or wrong token", "token");
        collectorWss.handleUpgrade(req, socket, head, (ws) => liveHub!.acceptCollector(ws));
        return;
      }
      if (url.pathname !== "/ws") return refuseUpgrade(socket, 404, "no WebSocket here; use /ws", "path");
      if (!originAllowed(req.headers.origin, hostHeader)) return refuseUpgrade(socket, 403, "WebSocket from another origin", "origin");
      const t = presentedToken(req, url, port);
      if (!t || !tokenMatches(t.token, opts.token)) return refuseUpgrade(socket, 401, "missing or wrong token", "token");
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.add(ws);
        ws.on("pong", () => alive.add(ws));
        ws.on("error", () => ws.terminate());
        // Live sessions: subscribe/unsubscribe messages (collector/PROTOCOL.md).
        liveHub!.browserConnected(ws);
        ws.on("message", (data) => liveHub!.browserMessage(ws, data));
        ws.on("close", () => liveHub!.browserClosed(ws));
        ws.send(JSON.stringify({ type: "hello" }));
      });
    };
  } catch (e) {
    clearInterval(pinger);
    setContext(undefined);
    await liveHub?.close();
    await store?.close();
    await nextApp?.close().catch(() => {});
    await new Promise((r) => server.close(r));
    throw e;
  }

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${encodeURIComponent(opts.token)}`,
    origin,
    port,
    close() {
      closing ??= (async () => {
        clearInterval(pinger);
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        // Recordings are finished as captures before the store closes.
        await liveHub?.close();
        for (const ws of collectorWss.clients) ws.terminate();
        collectorWss.close();
        const closed = new Promise((r) => server.close(r));
        server.closeAllConnections();
        await closed;
        await nextApp?.close().catch(() => {});
        await store?.close();
        setContext(undefined);
      })();
      return closing;
    },
  };
}

interface Denial {
  status: number;
  error: string;
  where: string;
}

function checkRequest(
  req: http.IncomingMessage, port: number, hosts: Set<string>, token: string, share: (id: string) => ShareLookup,
): Denial | { share: ShareScope } | null {
  const host = (req.headers.host ?? "").toLowerCase();
  if (!hosts.has(host)) {
    return { status: 403, error: `host ${JSON.stringify(req.headers.host ?? "")} not allowed; use ${[...hosts][0]}`, where: "host" };
  }
  const url = requestUrl(req);
  // Build output under /_next/static/ is the same for everyone and holds no capture data.
  if (url.pathname.startsWith("/_next/static/")) return null;
  // A share link's own address is its credential (an unguessable id, checked when it is opened).
  if (shareLinkPath(url.pathname) !== undefined) return null;
  const t = presentedToken(req, url, port);
  if (!t) {
    // No token: a share link's cookie may stand in, for the few reads it allows.
    const linkId = presentedShare(req, port);
    if (linkId === undefined) {
      return { status: 401, error: "missing token: open the URL that `casefile serve` printed, or send Authorization: Bearer TOKEN", where: "token" };
    }
    const found = share(linkId);
    if ("status" in found) return { status: found.status, error: found.error, where: "share" };
    if (!shareAllows(req.method, url.pathname, found.scope)) {
      return { status: 403, error: "a share link opens its own capture's view, read-only, and nothing else", where: "share" };
    }
    return { share: found.scope };
  }
  if (!tokenMatches(t.token, token)) return { status: 401, error: "wrong token", where: "token" };
  // SameSite=Strict still lets other sites on localhost (any port is "same site") send the
  // cookie, so changes made on the cookie's authority must come from our own pages.
  if (t.via === "cookie" && req.method !== "GET" && req.method !== "HEAD") {
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    if ((origin !== undefined && !originAllowed(origin, host)) || (site !== undefined && site !== "same-origin")) {
      return { status: 403, error: "request from another origin", where: "origin" };
    }
  }
  return null;
}

function shouldSetCookie(req: http.IncomingMessage, port: number): boolean {
  if (req.method !== "GET") return false;
  const url = requestUrl(req);
  return !url.pathname.startsWith("/api/") && presentedToken(req, url, port)?.via === "query";
}

function requestUrl(req: http.IncomingMessage): URL {
  try {
    return new URL(req.url ?? "/", "http://casefile.invalid");
  } catch {
    return new URL("http://casefile.invalid/");
  }
}

function sendJson(res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(text), ...headers,
  });
  res.end(text);
}

/**
 * Whether a request target is anything but origin-form (a path with a single leading slash).
 * Absolute-form (`GET http://evil.com/x?token=T`) made Next answer a 308 to that host with the
 * token in Location; `*`, authority-form, `//host/...` and `/\host` (which browsers read as
 * another host) have no business here either. The target is never echoed back.
 */
export function oddTarget(target: string | undefined): boolean {
  if (!target || target[0] !== "/") return true;
  return target[1] === "/" || target[1] === "\\";
}

/** The request target without its `token` parameter; every other parameter as it was. */
export function withoutToken(target: string): string {
  const q = target.indexOf("?");
  if (q < 0) return target;
  const params = new URLSearchParams(target.slice(q + 1));
  if (!params.has("token")) return target;
  params.delete("token");
  const rest = params.toString();
  return target.slice(0, q) + (rest ? `?${rest}` : "");
}

/** Answers 408 and closes a request whose body is not in after REQUEST_TIMEOUT_MS (the answer
 *  itself is bounded by the idle time-out). */
function timeRequestBody(req: http.IncomingMessage, res: http.ServerResponse): void {
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) {
      res.setHeader("Connection", "close");
      sendJson(res, 408, { error: `the request body did not arrive within ${REQUEST_TIMEOUT_MS / 1000} s`, where: "body" });
    }
    req.socket.destroy();
  }, REQUEST_TIMEOUT_MS);
  timer.unref();
  res.once("close", () => clearTimeout(timer));
}

function refuseUpgrade(socket: Duplex, status: number, error: string, where: string): void {
  const body = JSON.stringify({ error, where });
  const reason = http.STATUS_CODES[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function broadcast(wss: WebSocketServer, message: object): void {
  const text = JSON.stringify(message);
  const final = (message as { done?: boolean }).done === true;
  for (const ws of wss.clients) {
    if (ws.readyState !== WebSocket.OPEN) continue;
    // A slow client skips intermediate progress rather than making the server buffer it; the
    // final message of an ingest always goes out.
    if (!final && ws.bufferedAmount > 1 << 20) continue;
    ws.send(text);
  }
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const onError = (e: NodeJS.ErrnoException) => {
      fail(e.code === "EADDRINUSE" ? new Error(`${host}:${port} is already in use; pick another with --port`) : e);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      ok();
    });
  });
}

/** Temp files left by a server that was killed mid-upload. */
async function removeStaleUploads(dir: string): Promise<void> {
  for (const f of await readdir(dir)) {
    if (f.startsWith(UPLOAD_PREFIX) && f.endsWith(UPLOAD_SUFFIX)) await rm(join(dir, f), { force: true });
  }
}
