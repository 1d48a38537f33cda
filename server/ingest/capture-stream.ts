// Feeding a capture file to the scap reader: detects gzip by its magic bytes and inflates it as
// a stream, so that no file is ever held whole in memory.

import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInflateRaw } from "node:zlib";
import { ScapError, ScapReader, type ScapHandler } from "../core/formats/scap/reader";
import { fileChunks, type ChunkOptions } from "./file-chunks";

export interface ReadOutcome {
  reader: ScapReader;
  /** Set when the file was damaged; every whole event before the damage was delivered. */
  error?: ScapError;
  /** Set when reading stopped at opts.maxInflatedBytes: every event that ends within it was
   *  delivered. */
  stoppedAt?: number;
}

export async function readCaptureFile(path: string, handler: ScapHandler, opts: ChunkOptions = {}): Promise<ReadOutcome> {
  const reader = new ScapReader(handler);
  const src = await fileChunks(path, opts);
  const gz = src.gzip;
  try {
    for await (const c of src.chunks) reader.push(c);
    if (src.stoppedAt !== undefined) return { reader, stoppedAt: src.stoppedAt };
    reader.end();
    return { reader };
  } catch (e) {
    const inflatedBytes = src.inflated;
    // In a gzip file the offsets are of the inflated data: the message says so, since they
    // cannot be found in the file as stored.
    if (e instanceof ScapError) return { reader, error: gz ? e.ofInflated() : e };
    const err = e as NodeJS.ErrnoException;
    if (gz && TRAILER_CHECK.test(err.message)) {
      // The deflate data inflated whole and only the member's check (CRC-32 or length) failed,
      // but zlib dropped the output of its last call with the error: up to a chunk of events
      // that sysdig (gzread hands the data over before the check) prints. Inflated again
      // without the check, from where the delivered data ends.
      let total = inflatedBytes;
      try {
        total = await inflateFirstMemberFrom(path, inflatedBytes, (c) => {
          const room = (opts.maxInflatedBytes ?? Infinity) - total;
          if (room <= 0) return false;
          reader.push(c.length > room ? c.subarray(0, room) : c);
          total += Math.min(c.length, room);
          return true;
        });
      } catch (e2) {
        if (e2 instanceof ScapError) return { reader, error: e2.ofInflated() };
        // Not salvageable (a header we do not parse): the data delivered so far stands.
      }
      return {
        reader,
        error: new ScapError(
          `gzip stream damaged (${err.message}: its data inflated, its check failed) after ${total} bytes of inflated data; reading stopped`,
          reader.offset, true),
      };
    }
    if (gz && (err.code?.startsWith("Z_") || /unexpected end of file/.test(err.message))) {
      // Every whole block inflated before the damage was read; the offset is where reading
      // stopped (the start of the block the damage cut into, as for a capture cut short).
      return {
        reader,
        error: new ScapError(
          `gzip stream damaged or cut short (${err.message}) after ${inflatedBytes} bytes of inflated data; reading stopped`,
          reader.offset, true),
      };
    }
    throw e;
  }
}

/** zlib's messages for a gzip member whose trailer does not match its data. */
const TRAILER_CHECK = /^incorrect (data|length) check$/;

/** Inflates the first gzip member of `path` without its trailer check, handing `take` the
 *  inflated bytes past the first `skip` (false from take stops). Returns the bytes inflated. A
 *  later member is not reached: its damage keeps what was delivered before it. */
async function inflateFirstMemberFrom(path: string, skip: number, take: (c: Buffer) => boolean): Promise<number> {
  const fh = await open(path, "r");
  let start: number;
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    start = gzipHeaderLength(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
  const raw = createReadStream(path, { start }).pipe(createInflateRaw());
  let seen = 0;
  for await (const chunk of raw) {
    const c = chunk as Buffer;
    const from = Math.max(0, skip - seen);
    seen += c.length;
    if (from < c.length && !take(c.subarray(from))) break;
  }
  raw.destroy();
  return seen;
}

/** The length of a gzip member header (RFC 1952: 10 bytes, then the optional extra field, name,
 *  comment and header CRC its flags announce). */
function gzipHeaderLength(b: Buffer): number {
  if (b.length < 10 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) throw new Error("not a deflate gzip header");
  const flags = b[3];
  let p = 10;
  if (flags & 4) p += 2 + b.readUInt16LE(p);
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const nul = b.indexOf(0, p);
      if (nul < 0) throw new Error("gzip header past its first 64 KiB");
      p = nul + 1;
    }
  }
  if (flags & 2) p += 2;
  if (p > b.length) throw new Error("gzip header past its first 64 KiB");
  return p;
}
