// The bytes of a capture file as a stream of chunks, inflated when the file is gzip (told by its
// magic bytes, not its name), so that no file is ever held whole in memory. The scap and the
// packet readers are both fed from here.

import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

export interface ChunkOptions {
  chunkSize?: number;
  onProgress?: (compressedBytes: number) => void;
  /** Awaited after each chunk: lets a slower consumer hold the reading back, or stop it by
   *  throwing (the error is passed on). */
  afterChunk?: () => Promise<void>;
  /** Read no further than this many inflated bytes (a small gzip can inflate to terabytes). */
  maxInflatedBytes?: number;
}

export interface FileChunks {
  gzip: boolean;
  /** The (inflated) chunks; the last is cut at opts.maxInflatedBytes exactly, so that what is
   *  kept does not depend on where chunks happen to end. A damaged gzip throws from here. */
  chunks: AsyncGenerator<Buffer>;
  /** Bytes handed out so far. */
  readonly inflated: number;
  /** Set once the limit cut the file short. */
  readonly stoppedAt: number | undefined;
}

export async function fileChunks(path: string, opts: ChunkOptions = {}): Promise<FileChunks> {
  const chunkSize = opts.chunkSize ?? 1 << 20;
  const gzip = await startsWithGzip(path);
  const input = createReadStream(path, { highWaterMark: chunkSize });
  const stream = gzip ? input.pipe(createGunzip({ chunkSize })) : input;
  if (gzip) input.on("error", (e) => stream.destroy(e));
  let compressed = 0;
  input.on("data", (c) => {
    compressed += c.length;
    opts.onProgress?.(compressed);
  });
  const max = opts.maxInflatedBytes ?? Infinity;
  const state = { gzip, inflated: 0, stoppedAt: undefined as number | undefined };
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) {
        const c = chunk as Buffer;
        if (state.inflated + c.length > max) {
          const last = c.subarray(0, max - state.inflated);
          state.inflated = max;
          state.stoppedAt = max;
          yield last;
          return;
        }
        state.inflated += c.length;
        yield c;
        if (opts.afterChunk) await opts.afterChunk();
      }
    } finally {
      input.destroy();
    }
  }
  return Object.assign(state, { chunks: chunks() });
}

async function startsWithGzip(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}
