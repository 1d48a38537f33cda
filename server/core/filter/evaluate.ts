// The filter AST compiled once into a predicate over the current event (a FilterContext
// after the state engine applied the event, as sysdig filters after parsing). Comparisons
// follow sysdig 0.29.3's flt_compare: values are converted to the field's type up front, a
// NULL field never matches (not even `!=`), numbers compare as numbers, strings as C strings,
// and the fd.ip/fd.port/fd.net and proc.aname/proc.apid fields without an index look at both
// ends of a connection or at every ancestor.
//
// The hot path allocates nothing for numeric and string comparisons: each comparison is a
// closure over its converted values.

import type { Comparison, Filter, FilterNode } from "./ast";
import type { FieldTypeName } from "./field-list";
import { FilterError, fromBinary } from "./parser";
import { NO_SERVICES, type ServiceTable } from "./services";
import type { FilterContext } from "./runtime";
import { ancestors, commOf, endpoints, extractorFor, type Value } from "./extract";
import {
  inNet, NUMERIC_TYPES, parseBool, parseInteger, parseIpAddr, parseIpNet, parsePort, STRING_TYPES,
  type IpNet,
} from "./values";
import { FdType } from "../formats/scap/blocks";

export type Predicate = (c: FilterContext) => boolean;

const TRUE: Predicate = () => true;

/** Compiles a parsed filter; undefined root (the empty filter) matches everything. Throws
 *  FilterError for comparisons sysdig refuses (it does so at the first event; we do it here,
 *  at the field's position). */
export function compileFilter(filter: Filter): Predicate {
  return filter.root ? compileNode(filter.root, filter.services ?? NO_SERVICES) : TRUE;
}

function compileNode(n: FilterNode, services: ServiceTable): Predicate {
  switch (n.kind) {
    case "cmp":
      return compileComparison(n, services);
    case "not": {
      const f = compileNode(n.child, services);
      return (c) => !f(c);
    }
    case "and": {
      const parts = n.children.map((x) => compileNode(x, services));
      if (parts.length === 2) {
        const [a, b] = parts;
        return (c) => a(c) && b(c);
      }
      return (c) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i](c)) return false;
        return true;
      };
    }
    case "or": {
      const parts = n.children.map((x) => compileNode(x, services));
      if (parts.length === 2) {
        const [a, b] = parts;
        return (c) => a(c) || b(c);
      }
      return (c) => {
        for (let i = 0; i < parts.length; i++) if (parts[i](c)) return true;
        return false;
      };
    }
  }
}

function refuse(cmp: Comparison, message: string): never {
  throw new FilterError(cmp.field.pos, message);
}

/** A value as a C string: the filter text decoded, cut at a NUL as strcmp would. */
function cString(v: string): string {
  const s = fromBinary(v);
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
}

function compileComparison(cmp: Comparison, services: ServiceTable): Predicate {
  const name = cmp.field.field.name;
  const op = cmp.op;
  const type = cmp.field.type;

  if (name === "fd.ip") return fdIp(cmp);
  // fd.proto compares as fd.port does (sysdig's compare_port serves both).
  if (name === "fd.port" || name === "fd.proto") return fdPort(cmp, services);
  if (name === "fd.net") return fdNet(cmp);
  if (name === "evt.around") return around(cmp);
  if ((name === "proc.aname" || name === "proc.apid") && cmp.field.index === undefined) return anyAncestor(cmp, type, services);

  const extract = extractorFor(cmp.field);
  if (!extract) refuse(cmp, `field ${name} is not supported by casefile yet`);
  if (op === "exists") return (c) => extract(c) !== undefined;
  const test = valueTest(cmp, type, services);
  return (c) => {
    const v = extract(c);
    return v !== undefined && test(v);
  };
}

type Test = (v: Exclude<Value, undefined>) => boolean;

/** How a non-NULL extracted value is compared with the filter's values. */
function valueTest(cmp: Comparison, type: FieldTypeName, services: ServiceTable): Test {
  const op = cmp.op;
  const num = NUMERIC_TYPES[type];
  if (num || type === "PORT" || type === "BOOL") {
    const parse = (s: string): bigint =>
      type === "PORT" ? BigInt(parsePort(s, services)) : type === "BOOL" ? (parseBool(s) ? 1n : 0n) : parseInteger(fromBinary(s), num!.bits, num!.signed);
    const vals = cmp.values.map(parse);
    return numericTest(cmp, vals);
  }
  if (type === "BYTEBUF") return bufferTest(cmp);
  if (type === "IPADDR") return ipTest(cmp);
  if (type === "IPNET") {
    const nets = cmp.values.map((v) => parseIpNet(fromBinary(v)));
    if (op === "=" || op === "in") return (v) => nets.some((n) => inNet(v as Uint8Array, n));
    if (op === "!=") return (v) => !inNet(v as Uint8Array, nets[0]);
    refuse(cmp, "comparison operator not supported for ipv4 networks");
  }
  if (STRING_TYPES.has(type)) return stringTest(cmp);
  refuse(cmp, `values of type ${type} cannot be compared`);
}

function numericTest(cmp: Comparison, vals: bigint[]): Test {
  const op = cmp.op;
  const n = vals.map(Number);
  const [b, x] = [vals[0], n[0]];
  const toNum = (v: Exclude<Value, undefined>): number | bigint =>
    typeof v === "boolean" ? (v ? 1 : 0) : (v as number | bigint);
  // Extracted values are numbers, except evt.rawtime (a bigint).
  switch (op) {
    case "=": return (v) => (typeof v === "bigint" ? v === b : toNum(v) === x);
    case "!=": return (v) => (typeof v === "bigint" ? v !== b : toNum(v) !== x);
    case "<": return (v) => (typeof v === "bigint" ? v < b : toNum(v) < x);
    case "<=": return (v) => (typeof v === "bigint" ? v <= b : toNum(v) <= x);
    case ">": return (v) => (typeof v === "bigint" ? v > b : toNum(v) > x);
    case ">=": return (v) => (typeof v === "bigint" ? v >= b : toNum(v) >= x);
    case "in": {
      const set = new Set(n);
      const bigs = new Set(vals);
      return (v) => (typeof v === "bigint" ? bigs.has(v) : set.has(toNum(v) as number));
    }
    default:
      refuse(cmp, `'${op}' not supported for numeric filters`);
  }
}

/** A string comparison as the predicate makes it (also how the SQL compiler tells which event
 *  type names a comparison on evt.type accepts). Throws FilterError for what it refuses. */
export function stringTest(cmp: Comparison): Test {
  const vals = cmp.values.map(cString);
  const x = vals[0];
  switch (cmp.op) {
    case "=": return (v) => v === x;
    case "!=": return (v) => v !== x;
    case "<": return (v) => (v as string) < x;
    case "<=": return (v) => (v as string) <= x;
    case ">": return (v) => (v as string) > x;
    case ">=": return (v) => (v as string) >= x;
    case "contains": return (v) => (v as string).includes(x);
    case "icontains": {
      const lx = asciiLower(x);
      return (v) => asciiLower(v as string).includes(lx);
    }
    case "startswith": return (v) => (v as string).startsWith(x);
    case "endswith": return (v) => (v as string).endsWith(x);
    case "glob": {
      let re: RegExp;
      try {
        re = globRegExp(x);
        re.test(""); // V8 compiles lazily: a pattern too large fails here
      } catch {
        refuse(cmp, "glob pattern too large");
      }
      return (v) => re.test(v as string);
    }
    case "in": {
      const set = new Set(vals);
      return (v) => set.has(v as string);
    }
    case "pmatch": {
      const prefixes = vals.map(pathParts);
      return (v) => {
        const parts = pathParts(v as string);
        return prefixes.some((p) => p.length <= parts.length && p.every((x, i) => x === parts[i]));
      };
    }
    default:
      refuse(cmp, `'${cmp.op}' not supported for string filters`);
  }
}

function bufferTest(cmp: Comparison): Test {
  const vals = cmp.values;
  const x = vals[0];
  switch (cmp.op) {
    case "=": return (v) => v === x;
    case "!=": return (v) => v !== x;
    case "contains": return (v) => (v as string).includes(x);
    case "startswith": return (v) => (v as string).startsWith(x);
    case "endswith": return (v) => (v as string).endsWith(x);
    case "in": {
      const set = new Set(vals);
      return (v) => set.has(v as string);
    }
    default:
      refuse(cmp, `'${cmp.op}' not supported for buffer filters`);
  }
}

/** IPv4 addresses as sysdig compares them: the four bytes read as a little-endian u32. */
function u32le(b: Uint8Array): number {
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function ipTest(cmp: Comparison): Test {
  const vals = cmp.values.map((v) => parseIpAddr(fromBinary(v)));
  const x = vals[0];
  const eq = (v: Uint8Array, y: Uint8Array) => sameBytes(v, y);
  switch (cmp.op) {
    case "=": return (v) => eq(v as Uint8Array, x);
    case "!=": return (v) => !eq(v as Uint8Array, x);
    case "in": return (v) => vals.some((y) => eq(v as Uint8Array, y));
    case "<": case "<=": case ">": case ">=": {
      if (x.length !== 4) refuse(cmp, "comparison operator not supported for ipv6 addresses");
      const xv = u32le(x);
      const f = { "<": (a: number) => a < xv, "<=": (a: number) => a <= xv, ">": (a: number) => a > xv, ">=": (a: number) => a >= xv }[cmp.op];
      return (v) => (v as Uint8Array).length === 4 && f(u32le(v as Uint8Array));
    }
    default:
      refuse(cmp, `'${cmp.op}' not supported for numeric filters`);
  }
}

/** The fd of the event, when the event concerns an fd. */
const eventFd = (c: FilterContext) => (c.fdEvent ? c.fd : undefined);

/** fd.ip: either end of a connection, or a server socket's address. */
function fdIp(cmp: Comparison): Predicate {
  if (cmp.op !== "=" && cmp.op !== "!=" && cmp.op !== "in") {
    refuse(cmp, "IP filter only supports '=' and '!=' operators");
  }
  const vals = cmp.values.map((v) => parseIpAddr(fromBinary(v)));
  const any = (ip: Uint8Array) => vals.some((y) => sameBytes(ip, y));
  return (c) => {
    const ep = endpoints(eventFd(c));
    if (!ep) return false;
    if (ep.server) return cmp.op === "!=" ? !any(ep.sip) : any(ep.sip);
    if (cmp.op === "!=") return !any(ep.sip) && !any(ep.dip);
    return any(ep.sip) || any(ep.dip);
  };
}

/** fd.port: either port of a connection, or a server socket's port. */
function fdPort(cmp: Comparison, services: ServiceTable): Predicate {
  const vals = cmp.values.map((v) => parsePort(fromBinary(v), services));
  const x = vals[0];
  let test: (p: number) => boolean;
  switch (cmp.op) {
    case "=": test = (p) => p === x; break;
    case "<": test = (p) => p < x; break;
    case "<=": test = (p) => p <= x; break;
    case ">": test = (p) => p > x; break;
    case ">=": test = (p) => p >= x; break;
    case "in": test = (p) => vals.includes(p); break;
    case "!=": test = (p) => p !== x; break;
    default: refuse(cmp, "unsupported port comparison operator");
  }
  const ne = cmp.op === "!=";
  return (c) => {
    const ep = endpoints(eventFd(c));
    if (!ep) return false;
    return ne ? test(ep.sport) && test(ep.dport) : test(ep.sport) || test(ep.dport);
  };
}

/** fd.net: either end of a connection, or a server socket's address, in the network. */
function fdNet(cmp: Comparison): Predicate {
  if (cmp.op !== "=" && cmp.op !== "!=" && cmp.op !== "in") {
    refuse(cmp, "IP filter only supports '=' and '!=' operators");
  }
  const nets: IpNet[] = cmp.values.map((v) => parseIpNet(fromBinary(v)));
  const any = (ip: Uint8Array) => nets.some((n) => inNet(ip, n));
  return (c) => {
    const f = eventFd(c);
    const ep = endpoints(f);
    if (!ep || !f) return false;
    if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) {
      return cmp.op === "!=" ? !any(ep.sip) : any(ep.sip);
    }
    if (cmp.op === "!=") return !any(ep.sip) && !any(ep.dip);
    return any(ep.sip) || any(ep.dip);
  };
}

/** evt.around[T]=D: the events within D ms of T. `exists` takes D as 0 (sysdig never reads a
 *  value for it); with `in` sysdig matched nothing in every measurement, so neither do we. */
function around(cmp: Comparison): Predicate {
  if (cmp.op === "in") return () => false;
  const t = cmp.field.bigIndex ?? 0n;
  const delta = cmp.op === "=" ? BigInt.asUintN(64, parseInteger(fromBinary(cmp.values[0]), 64, false) * 1_000_000n) : 0n;
  return (c) => {
    const ts = (BigInt(c.ev.tsHi) << 32n) | BigInt(c.ev.tsLo);
    return t >= BigInt.asUintN(64, ts - delta) && t <= BigInt.asUintN(64, ts + delta);
  };
}

/** proc.aname / proc.apid without an index: true when any ancestor matches. */
function anyAncestor(cmp: Comparison, type: FieldTypeName, services: ServiceTable): Predicate {
  const isName = cmp.field.field.name === "proc.aname";
  if (cmp.op === "exists") {
    return (c) => {
      for (const _ of ancestors(c)) return true;
      return false;
    };
  }
  const test = valueTest(cmp, type, services);
  return (c) => {
    for (const a of ancestors(c)) if (test(isName ? commOf(a) : a.pid)) return true;
    return false;
  };
}

function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

function pathParts(p: string): string[] {
  return p.split("/").filter((x) => x !== "");
}

/** fnmatch(pattern, s, 0): `*` and `?` match any characters (slashes too), `[...]` classes
 *  with `!` or `^` negation and ranges, `\` quotes the next character. */
export function globRegExp(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") re += "[\\s\\S]*";
    else if (ch === "?") re += "[\\s\\S]";
    else if (ch === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (ch === "[") {
      let j = i + 1;
      let neg = false;
      if (pattern[j] === "!" || pattern[j] === "^") { neg = true; j++; }
      let body = "";
      if (pattern[j] === "]") { body += "\\]"; j++; }
      while (j < pattern.length && pattern[j] !== "]") {
        const x = pattern[j];
        body += x === "\\" || x === "^" || x === "[" ? `\\${x}` : x;
        j++;
      }
      if (j >= pattern.length) re += "\\[";
      else {
        re += `[${neg ? "^" : ""}${body}]`;
        i = j;
      }
    } else re += escapeRe(ch);
  }
  return new RegExp(`${re}$`);
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
