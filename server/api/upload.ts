// Streaming an upload to disk under a size limit. The client's file name never reaches the file
// system: temp files get random names, and the name is kept only as metadata.

import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { ApiError } from "./http-json";

export const UPLOAD_PREFIX = "upload-";
export const UPLOAD_SUFFIX = ".part";

export const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;

export function maxUploadFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CASEFILE_MAX_UPLOAD;
  if (!raw) return DEFAULT_MAX_UPLOAD;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`CASEFILE_MAX_UPLOAD must be a positive number of bytes, not ${JSON.stringify(raw)}`);
  return n;
}

/** The display name from an X-Filename header. Browsers can only send Latin-1 in headers, so
 *  the client percent-encodes; a raw header from a script is accepted as it is. */
export function uploadName(header: string | null): string {
  let name = header ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded (a literal "%" in a script's header): keep it raw.
  }
  // Keep only the last path segment, so a name like "../../x" reads as what the user meant.
  name = name.split(/[\\/]/).pop() ?? "";
  name = name.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return name || "upload";
}

export interface SavedUpload {
  path: string;
  bytes: number;
}

export async function saveUpload(
  body: ReadableStream<Uint8Array> | null,
  dir: string,
  limit: number,
  declaredLength: string | null,
): Promise<SavedUpload> {
  if (!body) throw new ApiError(400, "the request has no body: send the file's bytes", "body");
  if (declaredLength !== null && Number(declaredLength) > limit) {
    await body.cancel().catch(() => {});
    throw new ApiError(413, `the file is larger than the upload limit (${limit} bytes)`, "body");
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${UPLOAD_PREFIX}${randomBytes(12).toString("hex")}${UPLOAD_SUFFIX}`);
  const out = createWriteStream(path, { flags: "wx" });
  const outError = new Promise<never>((_, reject) =>
    out.once("error", (e) => reject(new ApiError(500, `could not store the upload: ${e.message}`, "server"))),
  );
  outError.catch(() => {}); // observed through the races below
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), outError]);
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel().catch(() => {});
        throw new ApiError(413, `the file is larger than the upload limit (${limit} bytes)`, "body");
      }
      // Respect the disk's pace instead of buffering a fast client's upload in memory.
      if (!out.write(value)) await Promise.race([new Promise((r) => out.once("drain", r)), outError]);
    }
    await Promise.race([new Promise<void>((r) => out.end(r)), outError]);
    return { path, bytes };
  } catch (e) {
    out.destroy();
    await rm(path, { force: true });
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, `the upload was interrupted (${e instanceof Error ? e.message : String(e)})`, "body");
  }
}
