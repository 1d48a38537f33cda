// What the Lua chisels of sysdig 0.29.3 share (chisels/common.lua, ansiterminal.lua) and the
// ways LuaJIT turns values into text, so that our chisels print the same bytes.

import { resolveField } from "../filter/parser";
import { extractorFor, type Extractor } from "../filter/extract";

/** common.lua's extend_string pads with a literal of this many spaces, so no more. */
const CCS_LENGTH = 167;

/** common.lua's extend_string: `s` padded with spaces to `n` characters (at most the 167 its
 *  literal holds), or cut to n - 1 characters and a space when it is not shorter than n. */
export function extendString(s: string, n: number): string {
  if (s.length < n) return s + " ".repeat(Math.min(n - s.length, CCS_LENGTH));
  return n > 0 ? `${s.slice(0, n - 1)} ` : "";
}

/** common.lua's format_bytes: 1230 → "1.20KB" (strictly above each unit; "%dB" below 1 KiB). */
export function formatBytes(val: number): string {
  if (!Number.isInteger(val) || val < 0) return `${Math.trunc(val)}B`;
  const units: [number, string][] = [[50, "P"], [40, "T"], [30, "G"], [20, "M"], [10, "KB"]];
  for (const [shift, unit] of units) {
    // val / 2^shift is exact, and toFixed rounds that exact value with ties upwards, as
    // LuaJIT's string.format("%.2f") does (1.125 → "1.13"; C's printf gives "1.12").
    if (val > 2 ** shift) return `${(val / 2 ** shift).toFixed(2)}${unit}`;
  }
  return `${val}B`;
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

/** Lua's tonumber on a chisel argument: a decimal (with fraction and exponent) or hex number,
 *  blanks around it allowed; undefined where Lua gives nil. */
export function luaToNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) {
    const neg = t.startsWith("-");
    const v = parseInt(t.replace(/^[-+]/, "").slice(2), 16);
    return neg ? -v : v;
  }
  if (/^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(t)) return Number(t);
  return undefined;
}

/** ansiterminal.lua's colors, or "" for every one when a chisel disables colors. */
export interface Terminal {
  reset: string;
  red: string;
  green: string;
  blue: string;
  cyan: string;
}

export function terminal(colors: boolean): Terminal {
  const c = (n: number) => (colors ? `\x1b[${n}m` : "");
  return { reset: c(0), red: c(31), green: c(32), blue: c(34), cyan: c(36) };
}

/** chisel.request_field: the extractor of a field by name (the names are ours, so a missing one
 *  is a programming error). */
export function requestField(name: string): Extractor {
  const r = resolveField(name);
  const x = r && extractorFor(r.ref);
  if (!x) throw new Error(`chisel requesting nonexistent field ${name}`);
  return x;
}

/** Lua's print: the text as stdout lines (a value with line ends in it makes several). */
export function printLines(out: string[], text: string): void {
  for (const l of text.split("\n")) out.push(l);
}
