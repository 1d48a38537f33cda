// Strings of a capture are bytes, and sysdig prints them as bytes: a name that is not valid
// UTF-8 (`f\xff\xfe`) comes out of `sysdig -r` exactly as it was recorded. We work with JS
// strings, so such bytes are carried as "escaped" code points (as Python's surrogateescape
// does): each byte of an invalid sequence becomes U+DC80..U+DCFF, a lone surrogate that valid
// UTF-8 can never decode to. Writers of raw output (the command line) turn them back into the
// bytes; everywhere else they are just unusual characters.

const strict = new TextDecoder("utf-8", { fatal: true });

/** The first and last escape code points (bytes 0x80..0xff; ASCII is always valid). */
export const ESCAPE_FIRST = 0xdc80;
export const ESCAPE_LAST = 0xdcff;

const HAS_ESCAPE = /[\udc80-\udcff]/;

/** Decodes UTF-8, each byte of an invalid sequence as its escape code point. */
export function decodeBytes(b: Uint8Array): string {
  try {
    return strict.decode(b);
  } catch {
    return decodeEscaping(b);
  }
}

/** The length of the valid UTF-8 sequence starting at i, or 0 when the bytes there are not one
 *  (bad lead byte, missing continuation, overlong form, surrogate, beyond U+10FFFF). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  let n: number, min: number;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) { n = 2; min = 0x80; }
  else if (c >= 0xe0 && c <= 0xef) { n = 3; min = 0x800; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; min = 0x10000; }
  else return 0;
  if (i + n > b.length) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const x = b[i + k];
    if ((x & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (x & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function decodeEscaping(b: Uint8Array): string {
  let out = "";
  let start = 0;
  let i = 0;
  while (i < b.length) {
    const n = sequenceLength(b, i);
    if (n > 0) { i += n; continue; }
    if (i > start) out += strict.decode(b.subarray(start, i));
    out += String.fromCharCode(ESCAPE_FIRST + b[i] - 0x80);
    i++;
    start = i;
  }
  if (start < b.length) out += strict.decode(b.subarray(start));
  return out;
}

/** Whether a string carries escaped bytes. */
export function hasEscapedBytes(s: string): boolean {
  return HAS_ESCAPE.test(s);
}

/** The bytes a string stands for: UTF-8, with escaped bytes restored. */
export function encodeBytes(s: string): Uint8Array {
  const utf8 = new TextEncoder();
  if (!hasEscapedBytes(s)) return utf8.encode(s);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ESCAPE_FIRST || c > ESCAPE_LAST) continue;
    // A lone low surrogate: not part of a pair (pairs start with a high surrogate before it).
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    if (i > start) parts.push(utf8.encode(s.slice(start, i)));
    parts.push(Uint8Array.of(c - ESCAPE_FIRST + 0x80));
    start = i + 1;
  }
  if (start < s.length) parts.push(utf8.encode(s.slice(start)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** How many bytes a character of a decoded string stood for. */
export function byteLength(codePoint: number): number {
  if (codePoint >= ESCAPE_FIRST && codePoint <= ESCAPE_LAST) return 1;
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
