// The filter AST compiled into a parameterised SQL condition over a stored capture's events
// table (db/migrations/capture-001.sql, alias `e`), for the fields its columns answer exactly
// as sysdig would. For any other field the compiler says which ones it cannot answer, and the
// caller replays the capture through the predicate (evaluate.ts) instead.
//
// Values never enter the SQL text: every value, and every list derived from one (event type
// ids, `in` lists), is a bound parameter; lists travel as one JSON array read by json_each.
// So the SQL text depends only on the shape of the filter, never on what it compares with.
//
// NULLs: sysdig's comparisons with a missing value are false, and `not` of them true. Each
// comparison here is therefore written so that it is 0 or 1, never NULL.

import type { Comparison, Filter, FilterNode } from "./ast";
import { EVENTS, LEGACY_EVENT_COUNT } from "../events/event-table";
import { SYSCALL_NAMES } from "../events/syscalls";
import { ERRNO_NAMES } from "../events/errno";
import { FilterError, fromBinary } from "./parser";
import { stringTest as predicateStringTest } from "./evaluate";
import { NUMERIC_TYPES, parseInteger, ValueError } from "./values";

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export type SqlResult =
  | ({ ok: true } & SqlCondition)
  | { ok: false; unanswerable: string[] };

export interface SqlOptions {
  /** Also answer fd.num / fd.name / fd.typechar / fd.type from the ingest columns, which
   *  differ from sysdig's fields in places (see `inexact` below). Off by default: the caller
   *  replays instead. */
  inexact?: boolean;
}

/** Compiles a filter; undefined root (no filter) is "1". */
export function filterToSql(filter: Filter, opts: SqlOptions = {}): SqlResult {
  const missing = new Set<string>();
  const params: unknown[] = [];
  const sql = filter.root ? node(filter.root, params, missing, opts) : "1";
  if (missing.size) return { ok: false, unanswerable: [...missing] };
  return { ok: true, sql, params };
}

function node(n: FilterNode, params: unknown[], missing: Set<string>, opts: SqlOptions): string {
  switch (n.kind) {
    case "not":
      return `NOT ${node(n.child, params, missing, opts)}`;
    case "and":
    case "or":
      return `(${n.children.map((c) => node(c, params, missing, opts)).join(n.kind === "and" ? " AND " : " OR ")})`;
    case "cmp": {
      const s = comparison(n, params, opts);
      if (s === undefined) {
        missing.add(n.field.text);
        return "0";
      }
      return s;
    }
  }
}

class Unanswerable extends Error {}

function unanswerable(): never {
  throw new Unanswerable();
}

/** Numbers as the field's type reads them (sysdig's wrap-around included), as SQL numbers. */
function numbers(c: Comparison): number[] {
  const kind = NUMERIC_TYPES[c.field.type];
  if (!kind) throw new Unanswerable();
  return c.values.map((v) => Number(parseInteger(fromBinary(v), kind.bits, kind.signed)));
}

const NUM_OPS: Record<string, string> = { "=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/** A numeric comparison on an expression that is never NULL. */
function numeric(expr: string, c: Comparison, params: unknown[]): string {
  if (c.op === "exists") return "1";
  const vals = numbers(c);
  if (c.op === "in") {
    params.push(JSON.stringify(vals));
    return `(${expr} IN (SELECT value FROM json_each(?)))`;
  }
  const op = NUM_OPS[c.op];
  if (!op) throw new Unanswerable();
  params.push(vals[0]);
  return `(${expr} ${op} ?)`;
}

/** A string comparison on an expression that is never NULL (C-string semantics: SQLite's
 *  BINARY collation compares UTF-8 bytes, as strcmp does). */
function text(expr: string, c: Comparison, params: unknown[]): string {
  const vals = c.values.map((v) => {
    const s = fromBinary(v);
    const z = s.indexOf("\0");
    return z < 0 ? s : s.slice(0, z);
  });
  const v = vals[0];
  switch (c.op) {
    case "exists": return "1";
    case "=": case "!=": case "<": case "<=": case ">": case ">=":
      params.push(v);
      return `(${expr} ${NUM_OPS[c.op]} ?)`;
    case "in":
      params.push(JSON.stringify(vals));
      return `(${expr} IN (SELECT value FROM json_each(?)))`;
    case "contains":
      params.push(v);
      return `(instr(${expr}, ?) > 0)`;
    case "startswith":
      params.push(v, v);
      return `(substr(CAST(${expr} AS BLOB), 1, length(CAST(? AS BLOB))) = CAST(? AS BLOB))`;
    case "endswith":
      params.push(v, v, v);
      return `(length(CAST(? AS BLOB)) = 0 OR substr(CAST(${expr} AS BLOB), -length(CAST(? AS BLOB))) = CAST(? AS BLOB))`;
    case "icontains":
      // SQLite's lower() folds ASCII only, as strcasestr does.
      params.push(v);
      return `(instr(lower(${expr}), lower(?)) > 0)`;
    case "glob":
      // SQLite's GLOB is fnmatch for * and ?, but reads [...] and \ differently: only those
      // patterns without them go to SQL.
      // (SQLite also refuses patterns over 50,000 bytes.)
      if (/[[\\]/.test(v) || v.length > 10_000) throw new Unanswerable();
      params.push(v);
      return `(${expr} GLOB ?)`;
    default:
      throw new Unanswerable();
  }
}

/** Event type ids whose name passes a string test; undefined when generic `syscall` events
 *  (whose name is their syscall's, not in the table) would not all answer alike. */
export function typeIds(test: (name: string) => boolean): number[] | undefined {
  const ids: number[] = [];
  const named = new Set<string>();
  const genericIds: number[] = [];
  for (let id = 0; id < EVENTS.length; id++) {
    const e = EVENTS[id];
    if (e.name === "syscall") {
      genericIds.push(id);
      continue;
    }
    if (id < LEGACY_EVENT_COUNT) named.add(e.name);
    if (test(e.name)) ids.push(id);
  }
  // A generic event is named after a syscall without an event of its own.
  const genericNames = SYSCALL_NAMES.filter((n) => n && !named.has(n));
  const outcomes = new Set(genericNames.map(test));
  if (outcomes.size > 1) return undefined;
  if (outcomes.has(true)) ids.push(...genericIds);
  return ids;
}

/** The predicate's own string test (its refusals: not answerable here either). */
function stringTest(c: Comparison): (s: string) => boolean {
  try {
    return predicateStringTest(c);
  } catch (e) {
    if (e instanceof FilterError) throw new Unanswerable();
    throw e;
  }
}

export const ERRNO_BY_NAME = new Map(Object.entries(ERRNO_NAMES).map(([n, name]) => [name, Number(n)]));

function comparison(c: Comparison, params: unknown[], opts: SqlOptions): string | undefined {
  const mark = params.length;
  try {
    return answer(c, params) ?? (opts.inexact ? inexact(c, params) : undefined) ?? unanswerable();
  } catch (e) {
    if (e instanceof Unanswerable || e instanceof ValueError) {
      params.length = mark;
      return undefined;
    }
    throw e;
  }
}

/** The exactly answerable fields; undefined for the others. */
function answer(c: Comparison, params: unknown[]): string | undefined {
  switch (c.field.field.name) {
    case "evt.num": return numeric("e.num", c, params);
    case "evt.cpu": return numeric("e.cpu", c, params);
    case "evt.rawtime": {
      // The timeline's range (evt.rawtime>=A and evt.rawtime<=B). ts counts from meta.base_ts;
      // the sum is int64 in SQLite and the value a bound BigInt, so no nanosecond is lost (a
      // double would round these 61-bit numbers). An event without a time has rawtime 0.
      if (c.op === "exists") return "1";
      const op = NUM_OPS[c.op];
      if (!op) throw new Unanswerable();
      const kind = NUMERIC_TYPES[c.field.type];
      if (!kind) throw new Unanswerable();
      params.push(parseInteger(fromBinary(c.values[0]), kind.bits, kind.signed));
      return `((CASE WHEN e.ts IS NULL THEN 0 ELSE e.ts + (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'base_ts') END) ${op} ?)`;
    }
    case "thread.tid": return numeric("e.tid", c, params);
    case "evt.dir": return text("(CASE WHEN e.kind & 1 THEN '<' ELSE '>' END)", c, params);
    case "evt.type": {
      if (c.op === "exists") return "1";
      const ids = typeIds(stringTest(c));
      if (!ids) throw new Unanswerable();
      params.push(JSON.stringify(ids));
      return "(e.type IN (SELECT value FROM json_each(?)))";
    }
    case "proc.name": {
      // The proc column names the thread's command; a thread with none is <NA> to sysdig.
      const sub = text("(CASE WHEN s.s = '' THEN '<NA>' ELSE s.s END)", c, params);
      return `(e.proc IN (SELECT s.id FROM strings s WHERE ${sub}))`;
    }
    case "evt.latency":
      // The column is sysdig's evt.latency (ingest follows it the same way); NULL where the
      // field has no value, which no comparison matches.
      if (c.op === "exists") return "(e.latency IS NOT NULL)";
      return `(e.latency IS NOT NULL AND ${numeric("e.latency", c, params)})`;
    case "evt.failed": {
      // The res column holds the return value of exit events that return an errno, an fd or a
      // pid: negative is a failure; events without one did not fail.
      if (c.op !== "=" && c.op !== "!=" && c.op !== "in") throw new Unanswerable();
      const wanted = new Set(c.values.map((v) => fromBinary(v) === "true"));
      const eq = (b: boolean) => (b ? "(e.res IS NOT NULL AND e.res < 0)" : "(e.res IS NULL OR e.res >= 0)");
      if (c.op === "!=") return eq(!wanted.has(true));
      if (wanted.size === 2) return "1";
      return eq(wanted.has(true));
    }
    case "evt.rawres": {
      // Only failures are answered: a successful return may be one the column does not keep
      // (brk and mmap return addresses).
      const vals = numbers(c);
      const onlyNegative =
        ((c.op === "=" || c.op === "in") && vals.every((v) => v < 0)) ||
        (c.op === "<" && vals[0] <= 0) || (c.op === "<=" && vals[0] < 0);
      if (!onlyNegative) throw new Unanswerable();
      return `(e.res IS NOT NULL AND ${numeric("e.res", c, params)})`;
    }
    case "evt.res": {
      // An errno name is a failure with that code; SUCCESS and the rest need the replay.
      if (c.op !== "=" && c.op !== "in") throw new Unanswerable();
      const codes = c.values.map((v) => ERRNO_BY_NAME.get(fromBinary(v)));
      if (codes.some((x) => x === undefined)) throw new Unanswerable();
      params.push(JSON.stringify(codes.map((x) => -x!)));
      return "(e.res IS NOT NULL AND e.res IN (SELECT value FROM json_each(?)))";
    }
    default:
      return undefined;
  }
}

/** fd.type by the fds row's type letter ('<NA>' for any other); the overview's ingest-time
 *  counts (analyses/overview-sums.ts) read fd.type the same way. */
export const FD_TYPE_BY_CHAR: Readonly<Record<string, string>> = {
  f: "file", d: "directory", "4": "ipv4", "6": "ipv6", u: "unix", p: "pipe", e: "event", s: "signalfd",
  l: "eventpoll", i: "inotify", t: "timerfd", n: "netlink", b: "bpf", r: "io_uring", m: "memfd", P: "pidfd",
};

const FD_TYPE_FROM_CHAR = `(CASE f.typechar ${Object.entries(FD_TYPE_BY_CHAR).map(([ch, name]) => `WHEN '${ch}' THEN '${name}'`).join(" ")} ELSE '<NA>' END)`;

/** Fields the ingest columns answer approximately. fd.*: ingest keeps the fd of events with an
 *  fd argument and of exits paired with their enter (number >= 0); sysdig's fd.num is -1 for an
 *  fd event without one, fd.name names the file a failed open tried, and events sysdig does not
 *  count as fd events (mmap) have no fd.* at all. */
function inexact(c: Comparison, params: unknown[]): string | undefined {
  switch (c.field.field.name) {
    case "fd.num":
      if (c.op === "exists") return "(e.fdref IS NOT NULL)";
      return `(e.fdref IN (SELECT f.id FROM fds f WHERE ${numeric("f.num", c, params)}))`;
    case "fd.name":
      if (c.op === "exists") return "(e.fdref IS NOT NULL)";
      return `(e.fdref IN (SELECT f.id FROM fds f WHERE ${text("f.name", c, params)}))`;
    case "fd.type":
      // From the type letter: "u" also stands for userfaultfd, rare enough to read as unix.
      if (c.op === "exists") return "(e.fdref IS NOT NULL)";
      return `(e.fdref IN (SELECT f.id FROM fds f WHERE ${text(FD_TYPE_FROM_CHAR, c, params)}))`;
    case "fd.typechar":
      if (c.op === "exists") return "(e.fdref IS NOT NULL)";
      return `(e.fdref IN (SELECT f.id FROM fds f WHERE ${text("(CASE WHEN f.typechar = '' THEN 'o' ELSE f.typechar END)", c, params)}))`;
    default:
      return undefined;
  }
}
