// What kind of capture a file on disk is (scap, pcap, pcapng; inside a gzip too), from its first
// bytes, so that one command or one ingest takes either kind: the readers are chosen by
// content, never by the file's name.

import { open } from "node:fs/promises";
import { constants as zlibConstants, createGunzip } from "node:zlib";
import { sniffCapture, type CaptureKind } from "../core/formats/sniff";

/** A pcapng section header with its options and the next block's type; scap's the same. */
const HEAD_BYTES = 64 * 1024 + 8;
/** Compressed bytes looked at for a gzip's first HEAD_BYTES. */
const GZIP_HEAD = 256 * 1024;

export async function captureKind(path: string): Promise<Exclude<CaptureKind, "gzip">> {
  const kind = sniffCapture((await contentHead(path)).head, true);
  return kind === "more" || kind === "gzip" ? "unknown" : kind;
}

/** The first HEAD_BYTES of a file's content, inflated when the file is a gzip (the profile
 *  sniffer reads text through it too); whole: the content is no longer than that. */
export async function contentHead(path: string): Promise<{ head: Uint8Array; gzip: boolean; whole: boolean }> {
  const fh = await open(path, "r");
  let raw: Uint8Array;
  try {
    const buf = new Uint8Array(GZIP_HEAD);
    const { bytesRead } = await fh.read(buf, 0, GZIP_HEAD, 0);
    raw = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (sniffCapture(raw.subarray(0, HEAD_BYTES), true) !== "gzip") {
    return { head: raw.subarray(0, HEAD_BYTES), gzip: false, whole: raw.length < HEAD_BYTES };
  }
  const r = await inflatedStart(raw, HEAD_BYTES);
  const head = "error" in r ? new Uint8Array(0) : r.bytes;
  return { head, gzip: true, whole: head.length < HEAD_BYTES };
}

export const isPacketKind = (k: string): k is "pcap" | "pcapng" => k === "pcap" || k === "pcapng";

/** The first `want` bytes a gzip prefix inflates to (inflating stops there, so a prefix that
 *  would inflate to gigabytes costs nothing); what it holds when cut short or damaged after its
 *  first bytes; an error when nothing inflates. */
export function inflatedStart(gz: Uint8Array, want: number): Promise<{ bytes: Uint8Array } | { error: string }> {
  return new Promise((resolve) => {
    // A sync flush at the end: a prefix cut anywhere gives what it holds instead of an error.
    const z = createGunzip({ chunkSize: 16 * 1024, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const parts: Buffer[] = [];
    let n = 0;
    let settled = false;
    const settle = (v: { bytes: Uint8Array } | { error: string }) => {
      if (settled) return;
      settled = true;
      z.destroy();
      resolve(v);
    };
    z.on("data", (c: Buffer) => {
      parts.push(c);
      n += c.length;
      if (n >= want) settle({ bytes: Buffer.concat(parts) });
    });
    z.on("error", (e) => settle(n > 0 ? { bytes: Buffer.concat(parts) } : { error: e.message }));
    z.on("end", () => settle({ bytes: Buffer.concat(parts) }));
    z.end(gz);
  });
}
