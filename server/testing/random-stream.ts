// Random bytes as a stream, made as they are read, so that a test or a benchmark can send
// gigabytes without holding them: uploads that are not captures.

import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";

const MiB = 1024 * 1024;

export function randomStream(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      const n = Math.min(left, MiB);
      left -= n;
      this.push(n === 0 ? null : randomBytes(n));
    },
  });
}
