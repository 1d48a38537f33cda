// What the Lua chisels of sysdig 0.29.3 share beyond text (lua-format.ts has that): argument
// numbers, ansiterminal.lua's colors, fields by name, print.

import { resolveField } from "../filter/parser";
import { displayExtractorFor, type Extractor } from "../filter/extract";

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
  const x = r && displayExtractorFor(r.ref);
  if (!x) throw new Error(`chisel requesting nonexistent field ${name}`);
  return x;
}

/** Lua's print: the text as stdout lines (a value with line ends in it makes several). */
export function printLines(out: string[], text: string): void {
  for (const l of text.split("\n")) out.push(l);
}
