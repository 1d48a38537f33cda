// Feeding a capture file to the scap reader: detects gzip by its magic bytes and inflates it as
// a stream, so that no file is ever held whole in memory.

import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { ScapError, ScapReader, type ScapHandler } from "../core/formats/scap/reader";

export interface ReadOutcome {
  reader: ScapReader;
  /** Set when the file was damaged; every whole event before the damage was delivered. */
  error?: ScapError;
  /** Set when reading stopped at opts.maxInflatedBytes: every event that ends within it was
   *  delivered. */
  stoppedAt?: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];

export async function readCaptureFile(
  path: string,
  handler: ScapHandler,
  opts: {
    chunkSize?: number;
    onProgress?: (compressedBytes: number) => void;
    /** Awaited after each chunk: lets a slower consumer hold the reading back, or stop it by
     *  throwing (the error is passed on). */
    afterChunk?: () => Promise<void>;
    /** Read no further than this many inflated bytes (a small gzip can inflate to terabytes). */
    maxInflatedBytes?: number;
  } = {},
): Promise<ReadOutcome> {
  const reader = new ScapReader(handler);
  const first = await firstBytes(path);
  const gz = first.length >= 2 && first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  const input = createReadStream(path, { highWaterMark: opts.chunkSize ?? 1 << 20 });
  const stream = gz ? input.pipe(createGunzip({ chunkSize: opts.chunkSize ?? 1 << 20 })) : input;
  if (gz) input.on("error", (e) => stream.destroy(e));
  let compressedBytes = 0;
  input.on("data", (c) => {
    compressedBytes += c.length;
    opts.onProgress?.(compressedBytes);
  });
  let inflatedBytes = 0;
  try {
    const max = opts.maxInflatedBytes ?? Infinity;
    for await (const chunk of stream) {
      const c = chunk as Buffer;
      if (inflatedBytes + c.length > max) {
        // Up to the limit exactly, so what is kept does not depend on where chunks happen to end.
        reader.push(c.subarray(0, max - inflatedBytes));
        input.destroy();
        return { reader, stoppedAt: max };
      }
      reader.push(c);
      inflatedBytes += c.length;
      if (opts.afterChunk) await opts.afterChunk();
    }
    reader.end();
    return { reader };
  } catch (e) {
    input.destroy();
    // In a gzip file the offsets are of the inflated data: the message says so, since they
    // cannot be found in the file as stored.
    if (e instanceof ScapError) return { reader, error: gz ? e.ofInflated() : e };
    const err = e as NodeJS.ErrnoException;
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

async function firstBytes(path: string): Promise<Uint8Array> {
  const { open } = await import("node:fs/promises");
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
