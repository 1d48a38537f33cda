// Writing the scap block format: a section header, a process list and v2 event blocks, which
// sysdig -r reads. Used to build precise scenarios for differential tests against sysdig (and,
// later, to export captures).

import { EVENTS, LEGACY_EVENT_COUNT } from "../../events/event-table";
import { EF, PT } from "../../events/types";
import { EV_BLOCK_TYPE_V2, EV_BLOCK_TYPE_V2_LARGE, FDL_BLOCK_TYPE_V2, FdType, SHB_BLOCK_TYPE, SHB_MAGIC, UL_BLOCK_TYPE_V2 } from "./blocks";

export type ParamValue = number | bigint | string | Uint8Array;

const utf8 = new TextEncoder();

/** The bytes of one parameter value of the given type. */
export function encodeParam(type: PT, v: ParamValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") {
    const s = utf8.encode(v);
    // Byte buffers are stored as they are; strings carry their NUL.
    if (type === PT.BYTEBUF) return s;
    const out = new Uint8Array(s.length + 1);
    out.set(s);
    return out;
  }
  const size = paramSize(type);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const big = typeof v === "bigint" ? v : BigInt(Math.trunc(v));
  if (size === 8) dv.setBigUint64(0, BigInt.asUintN(64, big), true);
  else if (size === 4) dv.setUint32(0, Number(BigInt.asUintN(32, big)), true);
  else if (size === 2) dv.setUint16(0, Number(BigInt.asUintN(16, big)), true);
  else dv.setUint8(0, Number(BigInt.asUintN(8, big)));
  return out;
}

function paramSize(type: PT): number {
  switch (type) {
    case PT.INT8: case PT.UINT8: case PT.FLAGS8: case PT.ENUMFLAGS8: case PT.SIGTYPE:
    case PT.L4PROTO: case PT.SOCKFAMILY: case PT.BOOL:
      return 1;
    case PT.INT16: case PT.UINT16: case PT.FLAGS16: case PT.ENUMFLAGS16: case PT.PORT: case PT.SYSCALLID:
      return 2;
    case PT.INT32: case PT.UINT32: case PT.FLAGS32: case PT.ENUMFLAGS32: case PT.MODE: case PT.UID:
    case PT.GID: case PT.IPV4ADDR: case PT.SIGSET:
      return 4;
    default:
      return 8;
  }
}

/** A sockaddr parameter for AF_INET. */
export function sockaddrV4(ip: string, port: number): Uint8Array {
  const b = new Uint8Array(7);
  b[0] = 2;
  ip.split(".").forEach((x, i) => (b[1 + i] = Number(x)));
  b[5] = port & 255;
  b[6] = port >> 8;
  return b;
}

/** A socktuple parameter for AF_INET. */
export function socktupleV4(sip: string, sport: number, dip: string, dport: number): Uint8Array {
  const b = new Uint8Array(13);
  b[0] = 2;
  sip.split(".").forEach((x, i) => (b[1 + i] = Number(x)));
  b[5] = sport & 255;
  b[6] = sport >> 8;
  dip.split(".").forEach((x, i) => (b[7 + i] = Number(x)));
  b[11] = dport & 255;
  b[12] = dport >> 8;
  return b;
}

export interface ProcSpec {
  tid: number;
  pid: number;
  ptid: number;
  comm: string;
  exe?: string;
  args?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  /** PPM_CL_* flags (CLONE_FILES decides whether a thread shares its process's fds). */
  flags?: number;
  fdlimit?: number;
  vmsizeKb?: number;
  vmrssKb?: number;
  vmswapKb?: number;
}

/** One entry of an fd list block. Inet addresses are dotted IPv4 text (or 16 bytes for IPv6). */
export interface FdSpec {
  fd: number;
  type: FdType;
  name?: string;
  openFlags?: number;
  sip?: string | Uint8Array;
  dip?: string | Uint8Array;
  sport?: number;
  dport?: number;
  l4proto?: number;
  ino?: number;
}

class Bytes {
  private parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
  u8(v: number) { return this.push(Uint8Array.of(v)); }
  u16(v: number) { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, v, true); return this.push(b); }
  u32(v: number) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); return this.push(b); }
  u64(v: number | bigint) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    return this.push(b);
  }
  str16(s: string | Uint8Array) { const b = typeof s === "string" ? utf8.encode(s) : s; return this.u16(b.length).push(b); }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

function block(type: number, body: Uint8Array): Uint8Array {
  const padded = Math.ceil(body.length / 4) * 4;
  const total = 12 + padded;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  dv.setUint32(total - 4, total, true);
  return out;
}

export class ScapWriter {
  private readonly blocks: Uint8Array[] = [];

  constructor() {
    const b = new Bytes().u32(SHB_MAGIC).u16(1).u16(2).u64(-1n);
    this.blocks.push(block(SHB_BLOCK_TYPE, b.concat()));
  }

  /** A process list (block v9, entries with their own length). */
  procs(list: ProcSpec[]): this {
    const body = new Bytes();
    for (const p of list) {
      const e = new Bytes()
        .u64(p.tid).u64(p.pid).u64(p.ptid).u64(p.pid).u64(p.pid) // tid pid ptid sid vpgid
        .str16(p.comm).str16(p.exe ?? p.comm).str16(p.exe ?? p.comm)
        .str16(utf8.encode((p.args ?? []).map((a) => `${a}\0`).join(""))).str16(p.cwd ?? "/")
        .u64(p.fdlimit ?? 1024).u32(p.flags ?? 0).u32(p.uid ?? 0).u32(p.gid ?? 0) // fdlimit flags uid gid
        .u32(p.vmsizeKb ?? 0).u32(p.vmrssKb ?? 0).u32(p.vmswapKb ?? 0).u64(0).u64(0) // vm sizes, page faults
        .str16("").u64(p.tid).u64(p.pid).str16("").str16("/"); // env vtid vpid cgroups root
      body.u32(e.length + 4).push(e.concat());
    }
    this.blocks.push(block(0x215, body.concat()));
    return this;
  }

  /** An fd list block (v2, entries with their own length) for one thread. */
  fds(tid: number, list: FdSpec[]): this {
    const body = new Bytes().u64(tid);
    const ip4 = (v: string | Uint8Array | undefined) => {
      const b = new Uint8Array(4);
      if (typeof v === "string") v.split(".").forEach((x, i) => (b[i] = Number(x)));
      return b;
    };
    const ip6 = (v: string | Uint8Array | undefined) => (v instanceof Uint8Array ? v : new Uint8Array(16));
    for (const f of list) {
      const e = new Bytes().u64(f.fd).u64(f.ino ?? 0).u8(f.type);
      switch (f.type) {
        case FdType.IPV4_SOCK:
          e.push(ip4(f.sip)).push(ip4(f.dip)).u16(f.sport ?? 0).u16(f.dport ?? 0).u8(f.l4proto ?? 2);
          break;
        case FdType.IPV4_SERVSOCK:
          e.push(ip4(f.sip)).u16(f.sport ?? 0).u8(f.l4proto ?? 2);
          break;
        case FdType.IPV6_SOCK:
          e.push(ip6(f.sip)).push(ip6(f.dip)).u16(f.sport ?? 0).u16(f.dport ?? 0).u8(f.l4proto ?? 2);
          break;
        case FdType.IPV6_SERVSOCK:
          e.push(ip6(f.sip)).u16(f.sport ?? 0).u8(f.l4proto ?? 2);
          break;
        case FdType.UNIX_SOCK:
          e.u64(0).u64(0).str16(f.name ?? "");
          break;
        case FdType.FILE_V2:
          e.u32(f.openFlags ?? 0).str16(f.name ?? "");
          break;
        case FdType.UNKNOWN:
          break;
        default:
          e.str16(f.name ?? "");
      }
      body.u32(e.length + 4).push(e.concat());
    }
    this.blocks.push(block(FDL_BLOCK_TYPE_V2, body.concat()));
    return this;
  }

  /** A user list block (v2): users, then groups. */
  users(users: { uid: number; gid: number; name: string; home?: string; shell?: string }[], groups: { gid: number; name: string }[] = []): this {
    const body = new Bytes();
    for (const u of users) {
      const e = new Bytes().u8(0).u32(u.uid).u32(u.gid).str16(u.name).str16(u.home ?? "/").str16(u.shell ?? "/bin/sh");
      body.u32(e.length + 4).push(e.concat());
    }
    for (const g of groups) {
      const e = new Bytes().u8(1).u32(g.gid).str16(g.name);
      body.u32(e.length + 4).push(e.concat());
    }
    this.blocks.push(block(UL_BLOCK_TYPE_V2, body.concat()));
    return this;
  }

  /** One event of the named type and direction, with its parameters in table order. It uses
   *  the newest version of the event that sysdig 0.29.3 knows, so sysdig can read the file. */
  event(e: { ts: bigint; tid: number; cpu?: number; name: string; dir: ">" | "<"; params: ParamValue[] }): this {
    let type = -1;
    EVENTS.forEach((x, id) => {
      if (id < LEGACY_EVENT_COUNT && x.name === e.name && (id % 2 === 0) === (e.dir === ">") &&
          (x.legacyParamCount ?? x.params.length) >= e.params.length) type = id;
    });
    if (type < 0) throw new Error(`no event ${e.dir} ${e.name} with ${e.params.length} parameters`);
    const infos = EVENTS[type].params;
    const values = e.params.map((v, i) => encodeParam(infos[i].type, v));
    // Events with large payloads (container JSON) have 32-bit parameter lengths, in a block
    // type of their own.
    const lenSize = EVENTS[type].flags & EF.LARGE_PAYLOAD ? 4 : 2;
    const len = 26 + lenSize * values.length + values.reduce((n, v) => n + v.length, 0);
    const b = new Bytes().u16(e.cpu ?? 0).u64(e.ts).u64(e.tid).u32(len).u16(type).u32(values.length);
    for (const v of values) if (lenSize === 4) b.u32(v.length); else b.u16(v.length);
    for (const v of values) b.push(v);
    this.blocks.push(block(lenSize === 4 ? EV_BLOCK_TYPE_V2_LARGE : EV_BLOCK_TYPE_V2, b.concat()));
    return this;
  }

  bytes(): Uint8Array {
    const total = this.blocks.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of this.blocks) { out.set(b, o); o += b.length; }
    return out;
  }
}
