// The HTTP side of live sessions: GET /api/live/hosts, GET|POST /api/live/sessions,
// POST /api/live/sessions/:id/stop. Route handlers call these and nothing else.

import { getContext } from "../api/context";
import { answer, ApiError, isErrorNamed, json, jsonError } from "../api/http-json";
import { MAX_TEXT } from "../api/query-params";
import type { LiveHub } from "./live-hub";
import { IFACE_PATTERN } from "../../collector/packet-recorder";

/** The command to run where the server cannot start the collector itself. */
export function collectorCommand(origin: string): string {
  const ws = origin.replace(/^http/, "ws");
  return `sudo CASEFILE_TOKEN=<the token of this page's URL> casefile collector --server ${ws}/ws/collector`;
}

function hub(): LiveHub {
  const live = getContext().live;
  if (!live) throw new ApiError(503, "live sessions need the workbench server (casefile serve)", "server");
  return live;
}

async function liveAnswer(fn: () => Promise<Response> | Response): Promise<Response> {
  return answer(async () => {
    try {
      return await fn();
    } catch (e) {
      if (isErrorNamed(e, "LiveError")) {
        const le = e as Error & { status: number; where: string };
        return jsonError(le.status, le.message, le.where);
      }
      throw e;
    }
  });
}

export function getHosts(req: Request): Promise<Response> {
  return liveAnswer(() => {
    const hosts = hub().hosts().map((h) => ({
      ...h,
      containers: [...h.processes.reduce((m, p) => (p.container ? m.set(p.container, (m.get(p.container) ?? 0) + 1) : m), new Map<string, number>())]
        .map(([id, processes]) => ({ id, processes })),
    }));
    // Next hands route handlers its own idea of the URL (localhost): the Host the browser used
    // (checked against the allow-list before this) is the address a collector can reach too.
    const origin = `http://${req.headers.get("host") ?? new URL(req.url).host}`;
    return json({
      hosts,
      // Shown when no collector is connected.
      collectorCommand: collectorCommand(origin),
      // casefile serve as root starts the collector of its host (serve-command.ts).
      serverStartsCollector: process.env.CASEFILE_LOCAL_COLLECTOR === "1",
    });
  });
}

export function getSessions(): Promise<Response> {
  return liveAnswer(() => json({ sessions: hub().list() }));
}

export function postSession(req: Request): Promise<Response> {
  return liveAnswer(async () => {
    const text = await req.text();
    if (text.length > 2 * MAX_TEXT) throw new ApiError(413, "request body too large", "body");
    let body: Record<string, unknown>;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError(400, "the body must be JSON: {host, filter?, pid?, snaplen?, packets?, iface?, packetFilter?}", "body");
    }
    const filter = body.filter === undefined ? undefined : String(body.filter);
    if (filter !== undefined && filter.length > MAX_TEXT) throw new ApiError(400, `filter longer than ${MAX_TEXT} characters`, "filter");
    const pid = body.pid === undefined || body.pid === null || body.pid === "" ? undefined : Number(body.pid);
    if (pid !== undefined && (!Number.isSafeInteger(pid) || pid <= 0)) throw new ApiError(400, `pid must be a process id, not ${JSON.stringify(body.pid)}`, "pid");
    const snaplen = body.snaplen === undefined ? undefined : Number(body.snaplen);
    if (snaplen !== undefined && (!Number.isSafeInteger(snaplen) || snaplen < 0 || snaplen > 65535)) throw new ApiError(400, "snaplen must be 0 to 65535 bytes", "snaplen");
    const host = body.host === undefined ? undefined : String(body.host);
    // Packets beside the syscalls: tcpdump on `iface` (default any), thinned by a pcap filter.
    if (body.packets !== undefined && typeof body.packets !== "boolean") throw new ApiError(400, "packets must be true or false", "packets");
    const iface = body.iface === undefined || body.iface === "" ? undefined : String(body.iface);
    if (iface !== undefined && !IFACE_PATTERN.test(iface)) throw new ApiError(400, `not an interface name: ${JSON.stringify(body.iface)}`, "iface");
    const packetFilter = body.packetFilter === undefined ? undefined : String(body.packetFilter);
    if (packetFilter !== undefined && packetFilter.length > MAX_TEXT) throw new ApiError(400, `packetFilter longer than ${MAX_TEXT} characters`, "packetFilter");
    const packets = body.packets === true ? { iface, filter: packetFilter } : undefined;
    const s = await hub().start({ host, filter, pid, snaplen, packets });
    return json({ id: s.id, session: s }, 201);
  });
}

export function postStop(id: string): Promise<Response> {
  return liveAnswer(async () => json(await hub().stop(id)));
}
