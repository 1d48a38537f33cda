// POST /api/captures, answered by the HTTP server itself. Before a route handler sees the body,
// Next tees it into PassThrough streams that ignore back-pressure and keeps one copy for
// re-reading (getCloneableBody in next/dist/server/body-streams.js): one 2 GiB upload took the
// server from 126 MB to 2.2 GB of RSS, for good. Here the request stream is pulled at the disk's
// pace instead, and uploads that are not captures are refused from their first bytes.

import type http from "node:http";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { getContext } from "../api/context";
import { ApiError } from "../api/http-json";
import { warmOverview } from "../api/overview-api";
import { positiveFromEnv, receiveUpload, uploadName } from "../api/upload";
import { LIMIT_MESSAGE_MARK } from "../ingest/ingest";
import type { IngestMessage } from "../api/store-types";

/** Uploads received or ingested at once. Each ingest keeps a parser and a writer thread busy
 *  (about 1.3 cores) and up to a few hundred MB; with 2 cores, more than four only queue. */
export const DEFAULT_MAX_UPLOADS = 4;

export function maxUploadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveFromEnv(env, "CASEFILE_MAX_UPLOADS", DEFAULT_MAX_UPLOADS, "uploads");
}

/** How long, and how much of, the rest of a refused body is read and thrown away after the
 *  answer, so that a client still sending reads the answer instead of a reset connection. */
const LINGER_MS = 2000;
const LINGER_BYTES = 64 * 1024 * 1024;
/** A stalled upload (no byte for this long) is dropped: it holds one of the upload slots. */
const UPLOAD_IDLE_MS = 120_000;

export interface UploadHeaders {
  filename?: string | null;
  uploadId?: string | null;
  contentLength?: string | null;
}

/**
 * Stores an upload as a capture and answers its id. Anything that leaves no readable capture (not
 * a capture, empty, no whole event, refused over a limit) is an ApiError and leaves no catalog
 * row, database or temp file behind.
 */
export async function uploadCapture(body: Readable, headers: UploadHeaders): Promise<{ id: string }> {
  const ctx = getContext();
  const name = uploadName(headers.filename);
  // Lets the uploading page pick its own ingest out of the progress broadcast: the capture id
  // is only known once ingest has finished.
  const uploadId = (headers.uploadId ?? "").replace(/[^\w-]/g, "").slice(0, 64) || undefined;
  const saved = await receiveUpload(body, { dir: join(ctx.dataDir, "uploads"), limit: ctx.maxUpload, declaredLength: headers.contentLength });
  const bytesTotal = saved.bytes;
  const fail = (message: string, status: number) => {
    ctx.broadcast({ type: "ingest", uploadId, name, captureId: null, bytesRead: 0, bytesTotal, events: 0, done: true, error: message } satisfies IngestMessage);
    return new ApiError(status, message, "file");
  };
  try {
    // The temp file becomes the capture's kept original (the store moves it); the rm below
    // then only cleans up after a failed ingest.
    const id = await ctx.store.ingestFile(saved.path, name, (p) => ctx.broadcast({ type: "ingest", uploadId, name, ...p } satisfies IngestMessage), { move: true });
    const summary = ctx.store.getCapture(id);
    if (summary?.status === "error") {
      // Nothing readable came of it (no whole event, or refused at a limit): a failed upload,
      // not a capture to list.
      ctx.store.deleteCapture(id);
      const message = (summary.error ?? "no whole event in the file").split(saved.path).join(name);
      throw fail(message, message.startsWith(LIMIT_MESSAGE_MARK) ? 413 : 422);
    }
    return { id };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    // The temp path means nothing to the client; name the file as the user knows it.
    throw fail((e instanceof Error ? e.message : String(e)).split(saved.path).join(name), 422);
  } finally {
    await rm(saved.path, { force: true });
  }
}

export interface UploadGate {
  maxUploads: number;
  running: number;
}

type SendJson = (res: http.ServerResponse, status: number, body: object, headers?: Record<string, string>) => void;

/** Answers POST /api/captures on the raw request: the slot limit, the body's time-outs, the
 *  answer, and a refused body's remains. */
export async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, gate: UploadGate, sendJson: SendJson): Promise<void> {
  if (gate.running >= gate.maxUploads) {
    sendJson(res, 429, {
      error: `${gate.running} uploads are already running, the most this server takes at once; retry when one is done, or start the server with CASEFILE_MAX_UPLOADS set higher`,
      where: "uploads",
    }, { "Retry-After": "5" });
    return discardRest(req);
  }
  gate.running++;
  // A running upload may take as long as its bytes and its ingest take; only a silent client
  // ends it. Once the body is in, the ingest that follows sends nothing until it is done, and
  // the client waits in silence: no time-out then (the ingest limits bound it).
  const socket = req.socket;
  const onIdle = () => socket.destroy();
  socket.setTimeout(UPLOAD_IDLE_MS, onIdle);
  req.once("end", () => {
    socket.off("timeout", onIdle);
    socket.setTimeout(0);
  });
  try {
    const header = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    const { id } = await uploadCapture(req, {
      filename: header("x-filename"), uploadId: header("x-upload-id"), contentLength: header("content-length"),
    });
    if (!res.headersSent && !res.destroyed) sendJson(res, 201, { id });
    // The capture page opens on its overview: computed now, while the user reads the list.
    warmOverview(id);
  } catch (e) {
    if (res.headersSent || res.destroyed) return;
    if (e instanceof ApiError) sendJson(res, e.status, { error: e.message, where: e.where });
    else {
      console.error("casefile: upload failed:", e);
      sendJson(res, 500, { error: e instanceof Error ? e.message : String(e), where: "server" });
    }
    discardRest(req);
  } finally {
    gate.running--;
  }
}

/** After an early answer: reads and drops what the client is still sending, for a short while
 *  (a client that is still writing would otherwise see a reset instead of the answer), then cuts
 *  the connection rather than read gigabytes nobody wants. */
function discardRest(req: http.IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on("data", (c: Buffer) => {
    seen += c.length;
    if (seen > LINGER_BYTES) cut();
  });
  req.on("error", () => {});
  req.once("close", () => clearTimeout(timer));
  req.resume();
}
