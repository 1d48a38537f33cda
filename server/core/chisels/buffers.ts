// Byte buffers as sysdig 0.29.3 renders them in a chisel's output (libsinsp's
// binary_buffer_to_string and friends), for each of its buffer flags. A chisel run has no 80
// character limit: sysdig sets one only when it prints events itself.

import type { BufferFormat } from "./chisel";

/** C's isprint in the "C" locale. */
const printable = (c: number) => c >= 0x20 && c < 0x7f;

/** Default: every byte, the non-printable ones as '.'. */
function dots(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += printable(b[i]) ? String.fromCharCode(b[i]) : ".";
  return s;
}

/** -A: a line break first, then the printable bytes only; a CR becomes a line break and the LF
 *  of a CRLF is dropped (so is an LF at the very start: sysdig looks at the byte before it
 *  only when there is one). */
function asciiOnly(b: Uint8Array): string {
  let s = "\n";
  for (let j = 0; j < b.length; j++) {
    const c = b[j];
    if (printable(c)) s += String.fromCharCode(c);
    else if (c === 0x0d) s += "\n";
    else if (c === 0x0a && j > 0 && b[j - 1] !== 0x0d) s += "\n";
  }
  return s;
}

const hex2 = (v: number) => v.toString(16).padStart(2, "0");

/** -x / -X: rows of 16 bytes, each "\n\t0x<offset>:" and big-endian 16-bit words (an odd last
 *  byte alone); -X pads the row and adds the bytes as text. A line break ends it all. */
function hexRows(b: Uint8Array, withAscii: boolean): string {
  let s = "";
  for (let j = 0; j < b.length; j += 16) {
    s += `\n\t0x${j.toString(16).padStart(4, "0")}:`;
    const end = Math.min(j + 16, b.length);
    let chunks = 0;
    for (let i = j; i < end; i += 2, chunks++) {
      s += i + 1 < b.length ? ` ${hex2(b[i])}${hex2(b[i + 1])}` : ` ${hex2(b[i])}`;
    }
    if (withAscii) {
      s += "     ".repeat(8 - chunks) + "  ";
      for (let i = j; i < end; i++) s += printable(b[i]) ? String.fromCharCode(b[i]) : ".";
    }
  }
  return `${s}\n`;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function base64(b: Uint8Array): string {
  let s = "";
  for (let j = 0; j < b.length; j += 3) {
    const t = (b[j] << 16) | ((b[j + 1] ?? 0) << 8) | (b[j + 2] ?? 0);
    s += B64[(t >> 18) & 63] + B64[(t >> 12) & 63] + B64[(t >> 6) & 63] + B64[t & 63];
  }
  const pad = [0, 2, 1][b.length % 3];
  return pad ? s.slice(0, s.length - pad) + "=".repeat(pad) : s;
}

/** A buffer parameter's text in the given format; an empty buffer is empty in every format. */
export function bufferText(b: Uint8Array, fmt: BufferFormat = "normal"): string {
  if (b.length === 0) return "";
  switch (fmt) {
    case "ascii": return asciiOnly(b);
    case "hex": return hexRows(b, false);
    case "hexascii": return hexRows(b, true);
    case "base64": return base64(b);
    default: return dots(b);
  }
}
