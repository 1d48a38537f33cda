// The text the table chisels print, byte for byte as sysdig 0.29.3's common.lua makes it under
// LuaJIT 2.1: string.sub / extend_string count bytes (UTF-8 names are longer than they look),
// string.format("%u") truncates a fractional number toward zero, and "%.2f" rounds the exact
// binary value with ties away from zero (LuaJIT's own formatter, not C's printf). Also what the
// lsof, netstat and ps tables and the workbench print with it (pure: no imports).

const ASCII = /^[\x00-\x7f]*$/;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** string.sub(s, 0, n): the first n bytes. A UTF-8 character cut in half cannot be kept in a
 *  JavaScript string: it becomes U+FFFD (sysdig writes the half byte sequence). */
export function luaHead(s: string, n: number): string {
  if (ASCII.test(s)) return s.slice(0, n);
  const b = utf8.encode(s);
  return b.length <= n ? s : fromUtf8.decode(b.subarray(0, n));
}

/** common.lua's extend_string pads with a literal of this many spaces, so no more. */
const CCS_LENGTH = 167;

/** common.lua's extend_string: `s` padded with spaces to `n` bytes (at most the 167 its literal
 *  holds), or cut to n - 1 bytes and a space when it is not shorter than n. */
export function extendString(s: string, n: number): string {
  const len = ASCII.test(s) ? s.length : utf8.encode(s).length;
  if (len < n) return s + " ".repeat(Math.min(n - len, CCS_LENGTH));
  return n > 0 ? `${luaHead(s, n - 1)} ` : "";
}

/** common.lua's format_bytes: 1230 → "1.20KB" (strictly above each unit; "%d" below 1 KiB). */
export function formatBytes(val: number): string {
  const units: [number, string][] = [[50, "P"], [40, "T"], [30, "G"], [20, "M"], [10, "KB"]];
  // val / 2^shift is exact, so luaFixed rounds the exact quotient.
  for (const [shift, unit] of units) if (val > 2 ** shift) return `${luaFixed(val / 2 ** shift, 2)}${unit}`;
  return `${Math.trunc(val)}B`;
}

/** LuaJIT's tostring of a number ("%.14g"): integers as they are, up to 14 digits. */
export function luaNumber(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e14) return String(v);
  const [mant, expText] = v.toExponential(13).split("e");
  const exp = Number(expText);
  const strip = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 14) {
    const e = Math.abs(exp);
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
  }
  return strip(v.toFixed(13 - exp));
}

/** A Lua value as `..` and tostring turn it into text (numbers as "%.14g"). */
export function luaText(v: string | number | boolean): string {
  return typeof v === "number" ? luaNumber(v) : String(v);
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** LuaJIT's string.format("%.<digits>f", x): LuaJIT formats numbers itself (lj_strfmt_num.c),
 *  not with C's printf: the exact binary value, rounded half away from zero (0.125 → "0.13",
 *  where glibc prints "0.12"; 1.005, just below its decimal, → "1.00"). */
export function luaFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  f64[0] = x;
  const bits = u64[0];
  const neg = bits >> 63n === 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  // |x| = mant * 2^e exactly.
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075;
  let num = mant * 10n ** BigInt(digits);
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 >= den) q += 1n;
  const s = q.toString().padStart(digits + 1, "0");
  const body = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return neg ? `-${body}` : body;
}

/** LuaJIT's string.format("%u", n): n converted to a 64-bit integer (toward zero; from 2^63 up
 *  through the negative range) and printed unsigned. */
function fmtU(n: number): string {
  if (!Number.isFinite(n)) return "0";
  const k = n >= 9223372036854775808 ? BigInt(Math.trunc(n - 18446744073709551616)) : BigInt(Math.trunc(n));
  return BigInt.asUintN(64, k).toString();
}

const fmtU2 = (n: number) => fmtU(n).padStart(2, "0");

/** Lua's a % b for numbers: a - floor(a/b)*b. */
const luaMod = (a: number, b: number) => a - Math.floor(a / b) * b;

const ONE_S = 1000000000;
const ONE_MS = 1000000;
const ONE_US = 1000;

/** common.lua's format_time_interval: 1100000000 → "1.10s" (the hundredths truncated). */
export function formatTimeInterval(val: number): string {
  if (val >= ONE_S) return `${fmtU(Math.floor(val / ONE_S))}.${fmtU2(luaMod(val, ONE_S) / 10000000)}s`;
  if (val >= ONE_S / 100) return `${fmtU(Math.floor(val / (ONE_S / 1000)))}ms`;
  if (val >= ONE_S / 1000) return `${fmtU(Math.floor(val / (ONE_S / 1000)))}.${fmtU2(luaMod(val, ONE_MS) / 10000)}ms`;
  if (val >= ONE_S / 100000) return `${fmtU(Math.floor(val / (ONE_S / 1000000)))}us`;
  if (val >= ONE_S / 1000000) return `${fmtU(Math.floor(val / (ONE_S / 1000000)))}.${fmtU2(luaMod(val, ONE_US) / 10)}us`;
  return `${fmtU(val)}ns`;
}
