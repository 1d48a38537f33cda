// Filters over packets: sysdig's filter language (parser.ts) with the packet fields
// (packet-fields.ts), compiled to a predicate over PacketRow (streams: `casefile packets`,
// `casefile gaps FILE.pcap`) and to a parameterised SQL condition over the packets table
// (stored packet captures). Both read the field definitions of packet-fields.ts, so they agree
// by construction; packet-filter.test.ts checks them against each other and against tshark.
//
// Values never enter the SQL text (bound parameters only, lists as one JSON array).

import type { Comparison, Filter, FilterNode } from "./ast";
import type { FieldInfo } from "./fields";
import { FilterError, fromBinary, parseFilter, type AltFields } from "./parser";
import { stringTest } from "./evaluate";
import { NUMERIC_TYPES, ValueError, inNet, parseBool, parseInteger, parseIpv4, parseIpv6, parsePort, type IpNet } from "./values";
import { NO_SERVICES, type ServiceTable } from "./services";
import { ipv6At } from "../events/net";
import { PACKET_FIELDS, type PacketField, type PacketRow, type PacketValue } from "./packet-fields";

export type PacketPredicate = (p: PacketRow) => boolean;

/** An address value: a.b.c.d, a.b.c.d/N, an IPv6 address or IPv6/N. */
function parseNet(value: string, family: 4 | 6): IpNet {
  const slash = value.indexOf("/");
  const text = slash < 0 ? value : value.slice(0, slash);
  const addr = family === 4 ? parseIpv4(text) : parseIpv6(text);
  if (!addr) throw new ValueError(`unrecognized IPv${family} address ${value}`);
  const max = addr.length * 8;
  if (slash < 0) return { addr, bits: max };
  const bits = Number(parseInteger(value.slice(slash + 1), 8, false));
  if (!/^[0-9]+$/.test(value.slice(slash + 1)) || bits > max) throw new ValueError(`invalid netmask ${value}`);
  return { addr, bits };
}

/** The catalog the parser resolves packet fields in, with the value check for each type. */
export function packetFieldTable(services: ServiceTable = NO_SERVICES): AltFields {
  return {
    get: (name) => PACKET_FIELDS.get(name)?.info,
    checkValue(field: FieldInfo, value: string) {
      const f = PACKET_FIELDS.get(field.name)!;
      if (f.address) parseNet(value, f.address);
      else if (field.type === "PORT") parsePort(value, services);
      else if (field.type === "BOOL") parseBool(value);
      else if (NUMERIC_TYPES[field.type]) {
        const n = NUMERIC_TYPES[field.type]!;
        parseInteger(value, n.bits, n.signed);
      }
    },
  };
}

/** Parses a packet filter; throws FilterError with the position, as for events. */
export function parsePacketFilter(text: string, services: ServiceTable = NO_SERVICES): Filter {
  return parseFilter(text, { services, fields: packetFieldTable(services) });
}

function fieldOf(cmp: Comparison): PacketField {
  return PACKET_FIELDS.get(cmp.field.field.name)!;
}

function refuse(cmp: Comparison, why: string): never {
  throw new FilterError(cmp.field.pos, `${cmp.field.text}: ${why}`);
}

/** A comparison's values, converted to what the field holds (numbers, booleans, nets, text). */
function converted(cmp: Comparison, services: ServiceTable): (number | boolean | string | IpNet)[] {
  const f = fieldOf(cmp);
  return cmp.values.map((b) => {
    const v = fromBinary(b);
    if (f.address) return parseNet(v, f.address);
    const t = f.info.type;
    if (t === "PORT") return parsePort(v, services);
    if (t === "BOOL") return parseBool(v);
    const n = NUMERIC_TYPES[t];
    if (n) return Number(parseInteger(v, n.bits, n.signed));
    return v;
  });
}

type ValueTest = (v: PacketValue) => boolean;

function valueTest(cmp: Comparison, services: ServiceTable): ValueTest {
  const f = fieldOf(cmp);
  const vals = converted(cmp, services);
  if (f.address) {
    const nets = vals as IpNet[];
    const bytes = (v: PacketValue) => (f.address === 4 ? parseIpv4(v as string) : parseIpv6(v as string));
    if (cmp.op !== "=" && cmp.op !== "!=" && cmp.op !== "in") refuse(cmp, `'${cmp.op}' not supported for addresses (=, != and in are)`);
    return (v) => {
      const ip = bytes(v);
      return ip !== undefined && nets.some((n) => inNet(ip, n));
    };
  }
  if (f.info.type === "CHARBUF") return stringTest({ ...cmp, op: cmp.op === "!=" ? "=" : cmp.op }) as ValueTest;
  const x = vals[0] as number | boolean;
  if (f.info.type === "BOOL" && cmp.op !== "=" && cmp.op !== "!=" && cmp.op !== "in") refuse(cmp, `'${cmp.op}' not supported for booleans`);
  switch (cmp.op) {
    case "=": case "!=": return (v) => v === x;
    case "<": return (v) => (v as number) < (x as number);
    case "<=": return (v) => (v as number) <= (x as number);
    case ">": return (v) => (v as number) > (x as number);
    case ">=": return (v) => (v as number) >= (x as number);
    case "in": {
      const set = new Set(vals);
      return (v) => set.has(v);
    }
    default:
      refuse(cmp, `'${cmp.op}' not supported for numbers`);
  }
}

function compileNode(n: FilterNode, services: ServiceTable): PacketPredicate {
  switch (n.kind) {
    case "not": {
      const c = compileNode(n.child, services);
      return (p) => !c(p);
    }
    case "and": {
      const cs = n.children.map((c) => compileNode(c, services));
      return (p) => cs.every((c) => c(p));
    }
    case "or": {
      const cs = n.children.map((c) => compileNode(c, services));
      return (p) => cs.some((c) => c(p));
    }
    case "cmp": {
      const f = fieldOf(n);
      if (n.op === "exists") return (p) => f.values(p).length > 0;
      const test = valueTest(n, services);
      // tshark 4's `!=` on a field with two values: neither equals (see packet-fields.ts).
      if (n.op === "!=") {
        return (p) => {
          const vs = f.values(p);
          return vs.length > 0 && !vs.some(test);
        };
      }
      return (p) => f.values(p).some(test);
    }
  }
}

/** The predicate of a parsed packet filter (every packet matches the empty filter). Throws
 *  FilterError for an operator a field's type does not have. */
export function compilePacketFilter(filter: Filter): PacketPredicate {
  const services = filter.services ?? NO_SERVICES;
  return filter.root ? compileNode(filter.root, services) : () => true;
}

export type PacketSql =
  | { ok: true; sql: string; params: unknown[] }
  /** Comparisons SQL does not make (address ranges, glob ...): scan with the predicate. */
  | { ok: false; unanswerable: string[] };

/** The filter as a condition over the packets table (alias `p`), 0 or 1 for every row. */
export function packetFilterToSql(filter: Filter): PacketSql {
  const params: unknown[] = [];
  const missing = new Set<string>();
  const services = filter.services ?? NO_SERVICES;
  const sql = filter.root ? sqlNode(filter.root, params, missing, services) : "1";
  return missing.size ? { ok: false, unanswerable: [...missing] } : { ok: true, sql, params };
}

function sqlNode(n: FilterNode, params: unknown[], missing: Set<string>, services: ServiceTable): string {
  switch (n.kind) {
    case "not":
      return `NOT ${sqlNode(n.child, params, missing, services)}`;
    case "and":
    case "or":
      return `(${n.children.map((c) => sqlNode(c, params, missing, services)).join(n.kind === "and" ? " AND " : " OR ")})`;
    case "cmp": {
      const s = sqlComparison(n, params, services);
      if (s === undefined) missing.add(`${n.field.text} ${n.op}`);
      return s ?? "0";
    }
  }
}

function sqlComparison(cmp: Comparison, params: unknown[], services: ServiceTable): string | undefined {
  const f = fieldOf(cmp);
  const { exprs, when } = f.sql;
  const guard = (inner: string) => `IFNULL(${when ? `${when} AND ` : ""}(${inner}), 0)`;
  if (cmp.op === "exists") return guard(exprs.map((e) => `${e} IS NOT NULL`).join(" OR "));
  valueTest(cmp, services); // refuses what the predicate refuses, with the same error
  const vals = converted(cmp, services);
  // better-sqlite3 binds only anonymous `?` from an array: each use of a value binds it again.
  const bind = (v: unknown) => {
    params.push(v);
    return "?";
  };
  let value: (e: string) => string;
  if (f.address) {
    const nets = vals as IpNet[];
    // Whole addresses compare as the decoder's text (RFC 5952 for IPv6); ranges are scanned.
    if (nets.some((n) => n.bits !== n.addr.length * 8)) return undefined;
    const texts = JSON.stringify(nets.map((n) => (f.address === 4 ? [...n.addr].join(".") : ipv6At(n.addr, 0))));
    value = (e) => `${e} IN (SELECT value FROM json_each(${bind(texts)}))`;
  } else if (f.info.type === "CHARBUF") {
    const x = vals[0] as string;
    switch (cmp.op) {
      case "=": case "!=": case "<": case "<=": case ">": case ">=": {
        const op = cmp.op === "!=" ? "=" : cmp.op;
        value = (e) => `${e} ${op} ${bind(x)}`;
        break;
      }
      case "contains": value = (e) => `instr(${e}, ${bind(x)}) > 0`; break;
      // SQLite's lower() folds ASCII only, as the predicate's icontains does.
      case "icontains": value = (e) => `instr(lower(${e}), lower(${bind(x)})) > 0`; break;
      case "startswith": value = (e) => `substr(${e}, 1, length(${bind(x)})) = ${bind(x)}`; break;
      case "endswith": value = (e) => `(length(${bind(x)}) = 0 OR substr(${e}, -length(${bind(x)})) = ${bind(x)})`; break;
      case "in": value = (e) => `${e} IN (SELECT value FROM json_each(${bind(JSON.stringify(vals))}))`; break;
      default: return undefined;
    }
  } else {
    const nums = vals.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v as number));
    if (cmp.op === "in") {
      value = (e) => `${e} IN (SELECT value FROM json_each(${bind(JSON.stringify(nums))}))`;
    } else {
      const op = cmp.op === "!=" ? "=" : cmp.op;
      value = (e) => `${e} ${op} ${bind(nums[0])}`;
    }
  }
  const any = exprs.map((e) => value(e)).join(" OR ");
  return guard(cmp.op === "!=" ? `NOT (${any})` : any);
}
