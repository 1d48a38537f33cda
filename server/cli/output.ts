// Output helpers for the command line: buffered stdout that stops quietly on a closed pipe
// (`casefile events F | head`), and the one-line error with exit status 2.

import { encodeBytes, hasEscapedBytes } from "../core/events/byte-strings";

export class BufferedOut {
  private buf = "";
  private closed = false;
  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on("error", () => {
      this.closed = true;
    });
  }
  line(s: string): void {
    if (this.closed) return;
    if (hasEscapedBytes(s)) {
      // A line holding bytes that are not UTF-8 (a capture's raw strings) goes out as those
      // bytes, after what is buffered.
      if (this.buf) this.stream.write(this.buf);
      this.buf = "";
      this.stream.write(encodeBytes(`${s}\n`));
      return;
    }
    this.buf += s + "\n";
    if (this.buf.length > 1 << 16) {
      this.stream.write(this.buf);
      this.buf = "";
    }
  }
  flush(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || !this.buf) return resolve();
      this.stream.write(this.buf, () => resolve());
      this.buf = "";
    });
  }
}

export function fail(message: string): number {
  process.stderr.write(`casefile: ${message}\n`);
  return 2;
}
