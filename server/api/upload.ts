// Receiving an upload: the body is streamed to a temp file under a size limit, and only once its
// first bytes show a capture. The client's file name never reaches the file system: temp files
// get random names, and the name is kept only as metadata.

import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { inflatedStart } from "../ingest/capture-kind";
import { ApiError } from "./http-json";
import { SNIFF_CHARS, sniffStacks } from "../core/formats/stacks/index";

export const UPLOAD_PREFIX = "upload-";
export const UPLOAD_SUFFIX = ".part";

export const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;

export function maxUploadFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveFromEnv(env, "CASEFILE_MAX_UPLOAD", DEFAULT_MAX_UPLOAD, "bytes");
}

/** A positive whole number from the environment, or the default when unset; a bad value stops the
 *  start-up rather than silently falling back to a limit the user did not choose. */
export function positiveFromEnv(env: NodeJS.ProcessEnv, name: string, dflt: number, unit: string): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number of ${unit}, not ${JSON.stringify(raw)}`);
  return n;
}

/** The display name from an X-Filename header. Browsers can only send Latin-1 in headers, so
 *  the client percent-encodes; a raw header from a script is accepted as it is. */
export function uploadName(header: string | null | undefined): string {
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

// What a capture starts with. A scap file opens with a section header block: its type
// 0x0A0D0D0A, its length, then the byte-order magic 0x1A2B3C4D (little-endian on disk, as libscap
// writes it). pcapng opens with the very same block (scap's layout is borrowed from it); the
// block after it tells them apart: scap's block types are 0x200 and up (machine info, process
// list...), pcapng's are small (1 for its interface description) or its custom 0xBAD/0x40000BAD.
const SHB = [0x0a, 0x0d, 0x0d, 0x0a];
const SHB_MAGIC_LE = [0x4d, 0x3c, 0x2b, 0x1a];
const SNIFF_BYTES = 12;
/** A section header longer than this is left for the reader to judge. */
const MAX_SNIFFED_SHB = 64 * 1024;
/** Inflated bytes looked at inside a gzip: a section header and the next block's type. */
const SNIFF_INFLATED = MAX_SNIFFED_SHB + 8;
/** Compressed bytes a gzip may take before it yields its first SNIFF_BYTES: a gzip header with a
 *  long name or comment, but not an unbounded wait. */
const MAX_GZIP_PREFIX = 256 * 1024;

export type Sniff =
  | { kind: "scap" }
  /** Packet captures: the store ingests them into a packets database (packet-ingest.ts). */
  | { kind: "pcap" }
  | { kind: "pcapng" }
  | { kind: "gzip" }
  | { kind: "more" }
  /** A text stack profile (folded, perf script, bpftrace, casefile profile): the store keeps it
   *  as a profile (flame-store.ts). */
  | { kind: "profile" }
  | { kind: "refuse"; why: string };

const hex = (b: Uint8Array) => [...b.subarray(0, SNIFF_BYTES)].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** What the first bytes of a file say it is. `ended`: there are no more bytes than these. */
export function sniffCapture(head: Uint8Array, ended: boolean): Sniff {
  if (head.length === 0) return ended ? { kind: "refuse", why: "the file is empty" } : { kind: "more" };
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b) {
    return head[2] === 8 ? { kind: "gzip" } : { kind: "refuse", why: "a gzip file with an unknown compression method (at byte 2)" };
  }
  // Classic pcap, either byte order, micro- or nanosecond stamps.
  if (head.length >= 4 && [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false))) {
    return { kind: "pcap" };
  }
  // Decide as soon as a byte differs: a 2 GiB file of noise is refused on its first chunk.
  const want = [...SHB, -1, -1, -1, -1, ...SHB_MAGIC_LE];
  for (let i = 0; i < Math.min(head.length, want.length); i++) {
    if (want[i] >= 0 && head[i] !== want[i]) return sniffProfile(head, ended) ?? { kind: "refuse", why: notCapture(head) };
  }
  if (head.length < SNIFF_BYTES) return ended ? { kind: "refuse", why: `not a scap capture: only ${head.length} bytes (at byte 0)` } : { kind: "more" };
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shbLen = dv.getUint32(4, true);
  if (shbLen < 28 || shbLen % 4 !== 0 || shbLen > MAX_SNIFFED_SHB) return { kind: "scap" };
  if (head.length < shbLen + 4) return ended ? { kind: "scap" } : { kind: "more" };
  const next = dv.getUint32(shbLen, true);
  if (next < 0x200 || next === 0xbad || next === 0x40000bad) return { kind: "pcapng" };
  return { kind: "scap" };
}

/** A text file the stack importers recognise is a profile; undefined when it is not one (the
 *  caller says what it is instead), "more" while its first lines are incomplete. */
function sniffProfile(head: Uint8Array, ended: boolean): Sniff | undefined {
  // Text only: a NUL or most control bytes in the first bytes mean a binary file.
  const probe = head.subarray(0, 512);
  if (probe.some((b) => b === 0 || (b < 9 && b !== 0) || (b > 13 && b < 32 && b !== 27))) return undefined;
  const s = sniffStacks(new TextDecoder().decode(head.subarray(0, SNIFF_CHARS)), ended || head.length >= SNIFF_CHARS);
  if ("more" in s) return { kind: "more" };
  return s.format ? { kind: "profile" } : undefined;
}

function notCapture(head: Uint8Array): string {
  // (pcap and pcapng files are told before this is reached.)
  return `not a scap capture: it starts with ${hex(head)}, not a section header block (at byte 0)`;
}

/** Sniffs a gzip's content: the capture inside must start as a capture does. */
async function sniffGzip(head: Uint8Array, ended: boolean): Promise<Sniff> {
  const r = await inflatedStart(head, SNIFF_INFLATED);
  if ("error" in r) return { kind: "refuse", why: `a damaged gzip file (${r.error}) (at byte 0)` };
  const inner = sniffCapture(r.bytes, ended || head.length >= MAX_GZIP_PREFIX);
  if (inner.kind === "more") return inner;
  if (inner.kind === "refuse") {
    const at = / \(at byte (\d+)\)$/.exec(inner.why);
    return { kind: "refuse", why: `inside the gzip, ${at ? inner.why.slice(0, at.index) : inner.why} (at byte ${at?.[1] ?? 0} of the inflated data)` };
  }
  if (inner.kind === "gzip") return { kind: "refuse", why: "a gzip file inside a gzip file: decompress it once first (at byte 0)" };
  return { kind: "gzip" };
}

export interface SavedUpload {
  path: string;
  bytes: number;
}

export interface ReceiveOptions {
  dir: string;
  /** Largest body accepted, in bytes. */
  limit: number;
  /** The Content-Length header, when the client sent one. */
  declaredLength?: string | null;
}

/**
 * Streams a request body into a temp file in `dir`, at the disk's pace (the body is pulled one
 * chunk at a time, so memory holds a chunk or two whatever the size). Nothing is written until the
 * first bytes show a capture: anything else is refused with a 4xx and leaves no file.
 */
export async function receiveUpload(body: Readable, opts: ReceiveOptions): Promise<SavedUpload> {
  const { limit } = opts;
  const tooLarge = () =>
    new ApiError(413, `the file is larger than the upload limit of ${limit} bytes; set CASEFILE_MAX_UPLOAD (bytes) to raise it`, "body");
  if (opts.declaredLength != null && opts.declaredLength !== "" && Number(opts.declaredLength) > limit) throw tooLarge();

  const puller = pullChunks(body);
  try {
    return await receive(puller.next, opts, tooLarge);
  } finally {
    // Whatever is left of a refused body is the caller's to discard or cut off.
    puller.release();
  }
}

async function receive(next: () => Promise<Buffer | null>, opts: ReceiveOptions, tooLarge: () => ApiError): Promise<SavedUpload> {
  const { limit } = opts;

  // The head: enough of the body to tell what it is. Bounded by MAX_GZIP_PREFIX plus a chunk.
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  let verdict: Sniff = { kind: "more" };
  while (verdict.kind === "more") {
    const c = await next();
    if (c === null) ended = true;
    else {
      head.push(c);
      headLen += c.length;
    }
    if (headLen > limit) throw tooLarge();
    const buf = head.length === 1 ? head[0] : Buffer.concat(head);
    verdict = sniffCapture(buf, ended);
    if (verdict.kind === "gzip") verdict = await sniffGzip(buf, ended);
    if (verdict.kind === "more" && headLen >= MAX_GZIP_PREFIX) {
      verdict = { kind: "refuse", why: `a gzip file whose first ${headLen} bytes inflate to less than a capture's header (at byte 0)` };
    }
  }
  if (verdict.kind === "refuse") {
    if (headLen === 0) throw new ApiError(400, "the request has no body: send the file's bytes", "body");
    throw new ApiError(415, verdict.why, "file");
  }

  await mkdir(opts.dir, { recursive: true });
  const path = join(opts.dir, `${UPLOAD_PREFIX}${randomBytes(12).toString("hex")}${UPLOAD_SUFFIX}`);
  const out = createWriteStream(path, { flags: "wx" });
  const outError = new Promise<never>((_, reject) =>
    out.once("error", (e) => reject(new ApiError(500, `could not store the upload: ${e.message}`, "server"))),
  );
  outError.catch(() => {}); // observed through the races below
  const write = async (c: Buffer) => {
    // Respect the disk's pace instead of buffering a fast client's upload in memory.
    if (!out.write(c)) await Promise.race([new Promise((r) => out.once("drain", r)), outError]);
  };
  let bytes = headLen;
  try {
    for (const c of head) await write(c);
    head.length = 0;
    for (let c = ended ? null : await next(); c !== null; c = await next()) {
      bytes += c.length;
      if (bytes > limit) throw tooLarge();
      await write(c);
    }
    await Promise.race([new Promise<void>((r) => out.end(r)), outError]);
    return { path, bytes };
  } catch (e) {
    out.destroy();
    await rm(path, { force: true });
    throw e;
  }
}

/**
 * One chunk of a stream at a time, on demand: the stream stays paused between calls, so the
 * socket's own flow control holds a fast client back. (An async iterator would do the same, but
 * cannot be let go of without destroying the stream, which for a request means dropping the
 * connection before the refusal is sent.)
 */
function pullChunks(body: Readable): { next(): Promise<Buffer | null>; release(): void } {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onData = (c: Buffer) => {
    queue.push(c);
    body.pause();
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (e: Error) => {
    failure ??= e;
    wake?.();
  };
  const onClose = () => {
    if (!ended) onError(new Error("the connection closed before the body ended"));
  };
  body.pause();
  body.on("data", onData);
  body.on("end", onEnd);
  body.on("error", onError);
  body.on("close", onClose);
  return {
    async next() {
      for (;;) {
        const c = queue.shift();
        if (c) return c;
        if (failure) throw new ApiError(400, `the upload was interrupted (${failure.message})`, "body");
        if (ended) return null;
        const woken = new Promise<void>((r) => (wake = r));
        body.resume();
        await woken;
        wake = undefined;
      }
    },
    release() {
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
      body.off("close", onClose);
    },
  };
}
