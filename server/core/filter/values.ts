// Filter values as sysdig 0.29.3 reads them (libsinsp's sinsp_filter_value_parser and
// sinsp_numparser): numbers through sscanf (so "-1" in an unsigned field wraps to its maximum,
// "0x10" and "1e3" are errors), booleans only as `true`/`false`, IPv4 through inet_pton, IPv4
// networks as a.b.c.d/N, ports as digits or a service name. The messages are sysdig's; a
// ValueError carries one and the parser reports it at sysdig's position.

import type { FieldTypeName } from "./field-list";
import type { ServiceTable } from "./services";

export class ValueError extends Error {}

const INT_RE = /^[ \t\n\r\f\v]*[+-]?[0-9]+$/;

/** sscanf("%<width>d"/"%<width>u") on the whole string: the value, wrapped to the width as C
 *  stores it. Overflowing digits saturate as strtoll/strtoull do before the store. */
export function parseInteger(s: string, bits: 8 | 16 | 32 | 64, signed: boolean): bigint {
  if (!INT_RE.test(s)) throw new ValueError(`${s} is not a valid number`);
  let v = BigInt(s.trim());
  if (bits === 64) {
    // strtoll / strtoull saturate; strtoull also accepts a minus sign (negating the value).
    if (signed) {
      if (v > 0x7fffffffffffffffn) v = 0x7fffffffffffffffn;
      if (v < -0x8000000000000000n) v = -0x8000000000000000n;
    } else {
      if (v > 0xffffffffffffffffn || v < -0xffffffffffffffffn) v = 0xffffffffffffffffn;
      else v = BigInt.asUintN(64, v);
    }
    return v;
  }
  // Narrower %d/%u go through a long first (saturating at 64 bits), then the store truncates.
  if (v > 0xffffffffffffffffn) v = signed ? 0x7fffffffffffffffn : 0xffffffffffffffffn;
  if (v < -0x8000000000000000n) v = -0x8000000000000000n;
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

export type NumericKind = { readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean };

/** How sysdig stores a value of each numeric field/parameter type. */
export const NUMERIC_TYPES: Partial<Record<FieldTypeName, NumericKind>> = {
  INT8: { bits: 8, signed: true }, INT16: { bits: 16, signed: true }, INT32: { bits: 32, signed: true },
  INT64: { bits: 64, signed: true }, FD: { bits: 64, signed: true }, PID: { bits: 64, signed: true },
  ERRNO: { bits: 64, signed: true },
  UINT8: { bits: 8, signed: false }, FLAGS8: { bits: 8, signed: false }, ENUMFLAGS8: { bits: 8, signed: false },
  L4PROTO: { bits: 8, signed: false },
  UINT16: { bits: 16, signed: false }, FLAGS16: { bits: 16, signed: false }, ENUMFLAGS16: { bits: 16, signed: false },
  UINT32: { bits: 32, signed: false }, FLAGS32: { bits: 32, signed: false }, ENUMFLAGS32: { bits: 32, signed: false },
  MODE: { bits: 32, signed: false },
  UINT64: { bits: 64, signed: false }, RELTIME: { bits: 64, signed: false }, ABSTIME: { bits: 64, signed: false },
};

export const STRING_TYPES: ReadonlySet<FieldTypeName> = new Set(["CHARBUF", "FSPATH", "FSRELPATH", "SOCKADDR", "SOCKFAMILY"]);

/** A port value: digits (kept to 16 bits), or a service name as getservbyname() finds it in
 *  the host's table. */
export function parsePort(s: string, services: ServiceTable): number {
  if (s === "") return 0;
  if (/^[0-9]+$/.test(s)) return Number(BigInt(s) & 0xffffn);
  const p = services.byName(s);
  if (p === undefined) throw new ValueError(`unrecognized protocol ${s}`);
  return p;
}

export function parseBool(s: string): boolean {
  if (s === "true") return true;
  if (s === "false") return false;
  throw new ValueError(`unrecognized boolean value ${s}`);
}

/** inet_pton(AF_INET): exactly four decimal parts of at most 255, no leading zeros. The
 *  address as its four bytes. */
export function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/** inet_pton(AF_INET6), with an optional dotted IPv4 tail. */
export function parseIpv6(s: string): Uint8Array | undefined {
  let head = s;
  let tail: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    tail = parseIpv4(s.slice(lastColon + 1));
    if (!tail) return undefined;
    head = s.slice(0, lastColon + 1) + "0:0";
  }
  const dbl = head.indexOf("::");
  if (dbl !== head.lastIndexOf("::")) return undefined;
  const parse = (x: string) => (x === "" ? [] : x.split(":"));
  const left = parse(dbl < 0 ? head : head.slice(0, dbl));
  const right = dbl < 0 ? [] : parse(head.slice(dbl + 2));
  const n = left.length + right.length;
  if (dbl < 0 ? n !== 8 : n > 7) return undefined;
  const words = [...left, ...Array(8 - n).fill("0"), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(words[i])) return undefined;
    const w = parseInt(words[i], 16);
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 255;
  }
  if (tail) out.set(tail, 12);
  return out;
}

/** A PT_IPADDR value: dotted means IPv4, anything else IPv6 (as sysdig decides). */
export function parseIpAddr(s: string): Uint8Array {
  if (s.includes(".") && !s.includes(":")) {
    const v4 = parseIpv4(s);
    if (!v4) throw new ValueError(`unrecognized IPv4 address ${s}`);
    return v4;
  }
  if (s.includes(".")) {
    // sysdig sends any dotted value to the IPv4 parser, which refuses a v4-in-v6 form.
    throw new ValueError(`unrecognized IPv4 address ${s}`);
  }
  const v6 = parseIpv6(s);
  if (!v6) throw new ValueError(`unrecognized IPv6 address ${s}`);
  return v6;
}

/** A network: `addr` with the first `bits` bits significant. */
export interface IpNet {
  readonly addr: Uint8Array;
  readonly bits: number;
}

/** A PT_IPNET value. IPv4 needs a.b.c.d/N. sysdig 0.29.3 hands anything undotted whole to its
 *  IPv6 address parser, so an IPv6 CIDR is an error there; a plain IPv6 address is taken as
 *  that one address. */
export function parseIpNet(s: string): IpNet {
  if (s.includes(".")) {
    const slash = s.indexOf("/");
    if (slash < 0) throw new ValueError(`unrecognized IP network ${s}`);
    const addr = parseIpv4(s.slice(0, slash));
    if (!addr) throw new ValueError(`unrecognized IP address ${s}`);
    const mask = s.slice(slash + 1).split("/")[0];
    const bits = Number(parseInteger(mask, 8, false));
    if (bits > 32) throw new ValueError(`invalid netmask ${mask}`);
    return { addr, bits };
  }
  const v6 = parseIpv6(s);
  if (!v6) throw new ValueError(`unrecognized IPv6 address ${s}`);
  return { addr: v6, bits: 128 };
}

/** Whether `ip` (4 or 16 bytes) lies in `net` (same family only). */
export function inNet(ip: Uint8Array, net: IpNet): boolean {
  if (ip.length !== net.addr.length) return false;
  let bits = net.bits;
  for (let i = 0; i < ip.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) !== (net.addr[i] & mask)) return false;
  }
  return true;
}

/** Validates a value for a field or parameter type, as sysdig does when the filter is
 *  compiled (throws ValueError with sysdig's message). */
export function checkValue(type: FieldTypeName, value: string, services: ServiceTable): void {
  const num = NUMERIC_TYPES[type];
  if (num) {
    parseInteger(value, num.bits, num.signed);
    return;
  }
  switch (type) {
    case "BOOL": parseBool(value); return;
    case "PORT": parsePort(value, services); return;
    case "IPADDR": parseIpAddr(value); return;
    case "IPNET": parseIpNet(value); return;
    case "IPV4ADDR": if (!parseIpv4(value)) throw new ValueError(`unrecognized IPv4 address ${value}`); return;
    case "BYTEBUF":
      return;
    default:
      if (STRING_TYPES.has(type)) return;
      throw new ValueError(`wrong parameter type ${PT_NUMBER[type] ?? type}`);
  }
}

/** libs' ppm_param_type numbers, for sysdig's "wrong parameter type N" message. */
const PT_NUMBER: Partial<Record<FieldTypeName, number>> = {
  BYTEBUF: 10, SOCKTUPLE: 13, FDLIST: 16, SYSCALLID: 18, SIGTYPE: 19, DYN: 27, UID: 31, GID: 32,
  DOUBLE: 33, SIGSET: 34,
};
