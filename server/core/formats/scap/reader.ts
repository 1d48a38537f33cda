// A streaming reader of the scap block format. It is fed chunks of the (already inflated)
// byte stream, of any size down to one byte, and calls its handler once per block. It keeps at
// most one incomplete block in memory, never the whole file.

import {
  EVENT_BLOCK_LAYOUT, EventBlockLayout, FDL_BLOCK_TYPE_V2, FdEntry, FdType, GroupEntry,
  IL_BLOCK_TYPE, IL_BLOCK_TYPE_INT, IL_BLOCK_TYPE_V2, InterfaceEntry, MachineInfo,
  MI_BLOCK_TYPE, MI_BLOCK_TYPE_INT, PL_BLOCK_VERSION, ProcEntry, SHB_BLOCK_TYPE, SHB_MAGIC,
  UL_BLOCK_TYPE, UL_BLOCK_TYPE_INT, UL_BLOCK_TYPE_V2, UserEntry, FDL_BLOCK_TYPE,
  FDL_BLOCK_TYPE_INT,
} from "./blocks";
import { EVENTS, LEGACY_EVENT_COUNT } from "../../events/event-table";
import { EF } from "../../events/types";

/** A damaged or foreign input. `offset` is the byte offset in the scap stream where the problem
 *  starts; for a gzip file that is the inflated stream, and the message says so (`inflated`),
 *  since the offset cannot be found in the file as stored. */
export class ScapError extends Error {
  constructor(readonly reason: string, readonly offset: number, readonly inflated = false) {
    super(`${reason} at byte ${offset}${inflated ? " of the inflated data" : ""}`);
    this.name = "ScapError";
  }

  /** The same error, placed in the inflated data of a gzip file. */
  ofInflated(): ScapError {
    return this.inflated ? this : new ScapError(this.reason, this.offset, true);
  }
}

/** One event as it lies in its block. The reader reuses a single instance for every event (no
 *  allocation per event on the hot path): copy what you need before the next event. */
export interface RawEvent {
  buf: Uint8Array;
  dv: DataView;
  /** Byte offset of this block in the scap stream. */
  blockOffset: number;
  cpu: number;
  /** EVF blocks' flags (SCAP_DF_*: see SCAP_DF_STATE_ONLY), 0 otherwise. */
  flags: number;
  /** ts as two halves: exact, without BigInt on the hot path (ns since the epoch need 61 bits). */
  tsHi: number;
  tsLo: number;
  tid: number;
  type: number;
  nparams: number;
  lenSize: 2 | 4;
  /** Offset in buf of the first parameter length. */
  lensOff: number;
  /** Offset in buf of the first parameter value. */
  valsOff: number;
  /** Offset in buf one past the event's last byte (block options, if any, come after). */
  end: number;
}

export interface ScapHandler {
  section?(info: { major: number; minor: number; optionsBytes: number }): void;
  machineInfo?(mi: MachineInfo): void;
  process?(p: ProcEntry): void;
  fdEntry?(tid: number, fd: FdEntry): void;
  interfaces?(list: InterfaceEntry[]): void;
  users?(users: UserEntry[], groups: GroupEntry[]): void;
  event(ev: RawEvent): void;
  /** Every whole block, as it lies in `buf` (from `start`, `total` bytes), before it is parsed
   *  and handed to the other methods: what an exporter copies verbatim. The bytes stay valid
   *  until the handler call for that same block returns (event(), process()...). */
  rawBlock?(buf: Uint8Array, start: number, total: number): void;
}

/** Largest block we accept: large-payload event blocks and process lists of big hosts stay far
 *  below this; anything bigger is a corrupt length, not a block to buffer. */
const MAX_BLOCK = 256 * 1024 * 1024;
/** First size of the buffer of a block that spans chunks; it doubles as its bytes arrive. */
const PENDING_START = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: false });

export class ScapReader {
  /** Bytes of the scap stream consumed so far (whole blocks only). */
  offset = 0;
  /** Events whose type is beyond sysdig 0.29.3's event table (PPM_EVENT_MAX 336): skipped
   *  without a number, as its libscap does (user/group added and removed, async events and
   *  every syscall added since, written by newer writers). */
  unknownEvents = 0;
  private pending: Uint8Array | null = null;
  private pendingLen = 0;
  /** The length the pending block claims (0 until its first 8 bytes are in). */
  private pendingTotal = 0;
  private sawHeader = false;
  private readonly ev: RawEvent;

  /** Told the type of each event skipped for being past sysdig 0.29.3's table (tests, stats). */
  skipped?: (type: number) => void;

  constructor(private readonly handler: ScapHandler) {
    const empty = new Uint8Array(0);
    this.ev = {
      buf: empty, dv: new DataView(empty.buffer), blockOffset: 0, cpu: 0, flags: 0, tsHi: 0,
      tsLo: 0, tid: 0, type: 0, nparams: 0, lenSize: 2, lensOff: 0, valsOff: 0, end: 0,
    };
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (this.pending) {
      pos = this.fillPending(chunk);
      if (this.pending) return;
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = chunk.length;
    while (n - pos >= 8) {
      const total = this.blockLength(dv, pos);
      if (n - pos < total) break;
      this.block(chunk, dv, pos, total);
      pos += total;
    }
    if (pos < n) {
      const rest = n - pos;
      this.pendingTotal = rest >= 8 ? this.blockLength(dv, pos) : 0;
      this.pending = new Uint8Array(Math.max(8, Math.min(this.pendingTotal, Math.max(rest * 2, PENDING_START))));
      this.pending.set(chunk.subarray(pos));
      this.pendingLen = rest;
    }
  }

  /** The input is over: anything left is a block cut short. */
  end(): void {
    if (this.pending && this.pendingLen > 0) {
      throw new ScapError(
        `capture cut short: ${this.pendingLen} bytes of an incomplete block`, this.offset);
    }
    if (!this.sawHeader) throw new ScapError("empty input: not a scap capture", 0);
  }

  private fillPending(chunk: Uint8Array): number {
    let pos = 0;
    let p = this.pending!;
    if (this.pendingLen < 8) {
      const take = Math.min(8 - this.pendingLen, chunk.length);
      p.set(chunk.subarray(0, take), this.pendingLen);
      this.pendingLen += take;
      pos = take;
      if (this.pendingLen < 8) return pos;
      this.pendingTotal = this.blockLength(new DataView(p.buffer, p.byteOffset, 8), 0);
    }
    const total = this.pendingTotal;
    const take = Math.min(total - this.pendingLen, chunk.length - pos);
    if (this.pendingLen + take > p.length) {
      // Grown as the bytes come, never to the length the block claims before they do: a lying
      // length in a small file costs no more memory than the file.
      const grown = new Uint8Array(Math.min(total, Math.max(p.length * 2, this.pendingLen + take)));
      grown.set(p.subarray(0, this.pendingLen));
      this.pending = p = grown;
    }
    p.set(chunk.subarray(pos, pos + take), this.pendingLen);
    this.pendingLen += take;
    pos += take;
    if (this.pendingLen === total) {
      this.pending = null;
      this.pendingLen = 0;
      this.block(p, new DataView(p.buffer, p.byteOffset, total), 0, total);
    }
    return pos;
  }

  private blockLength(dv: DataView, pos: number): number {
    const type = dv.getUint32(pos, true);
    const total = dv.getUint32(pos + 4, true);
    if (!this.sawHeader && this.offset === 0 && type !== SHB_BLOCK_TYPE) {
      throw new ScapError("not a scap capture (no section header block)", 0);
    }
    if (total < 12 || total > MAX_BLOCK) {
      throw new ScapError(`corrupt block (type 0x${type.toString(16)}, length ${total})`, this.offset);
    }
    return total;
  }

  private block(buf: Uint8Array, dv: DataView, pos: number, total: number): void {
    const type = dv.getUint32(pos, true);
    const trailer = dv.getUint32(pos + total - 4, true);
    if (trailer !== total) {
      throw new ScapError(
        `corrupt block (type 0x${type.toString(16)}): length ${total} but trailer ${trailer}`,
        this.offset);
    }
    this.handler.rawBlock?.(buf, pos, total);
    const body = pos + 8;
    const bodyEnd = pos + total - 4;
    const layout = EVENT_BLOCK_LAYOUT.get(type);
    if (layout) {
      this.event(buf, dv, body, bodyEnd, layout);
    } else {
      const r = new BodyReader(buf, dv, body, bodyEnd, this.offset);
      if (type === SHB_BLOCK_TYPE) this.sectionHeader(r);
      else if (type === MI_BLOCK_TYPE || type === MI_BLOCK_TYPE_INT) this.machineInfo(r);
      else if (PL_BLOCK_VERSION.has(type)) this.procList(r, PL_BLOCK_VERSION.get(type)!);
      else if (type === FDL_BLOCK_TYPE || type === FDL_BLOCK_TYPE_INT || type === FDL_BLOCK_TYPE_V2) {
        this.fdList(r, type === FDL_BLOCK_TYPE_V2);
      } else if (type === IL_BLOCK_TYPE || type === IL_BLOCK_TYPE_INT || type === IL_BLOCK_TYPE_V2) {
        this.ifList(r, type === IL_BLOCK_TYPE_V2);
      } else if (type === UL_BLOCK_TYPE || type === UL_BLOCK_TYPE_INT || type === UL_BLOCK_TYPE_V2) {
        this.userList(r, type === UL_BLOCK_TYPE_V2);
      }
      // Any other block type is skipped, as libscap does.
    }
    this.offset += total;
  }

  private sectionHeader(r: BodyReader): void {
    const magic = r.u32();
    if (magic !== SHB_MAGIC) {
      throw new ScapError(
        magic === 0x4d3c2b1a ? "big-endian captures are not supported" : "bad section header magic",
        this.offset + 8);
    }
    const major = r.u16();
    const minor = r.u16();
    r.skip(8); // section length, always -1
    if (major > 1) throw new ScapError(`unsupported scap version ${major}.${minor}`, this.offset + 12);
    this.sawHeader = true;
    // Anything after the fixed fields is pcapng-style options (e.g. comments added by editcap).
    this.handler.section?.({ major, minor, optionsBytes: r.remaining() });
  }

  private machineInfo(r: BodyReader): void {
    const numCpus = r.u32();
    const memoryBytes = r.u64();
    const maxPid = r.u64();
    const hostname = r.cstr(Math.min(128, r.remaining()));
    this.handler.machineInfo?.({ numCpus, memoryBytes, maxPid, hostname });
  }

  private procList(r: BodyReader, v: number): void {
    while (r.remaining() >= 4) {
      const start = r.pos;
      const subLen = v >= 9 ? r.u32() : 0;
      const p: ProcEntry = {
        tid: r.i64(), pid: r.i64(), ptid: r.i64(),
        sid: v >= 6 ? r.i64() : -1,
        vpgid: v >= 8 ? r.i64() : -1,
        comm: r.str16(), exe: r.str16(),
        exepath: v >= 7 ? r.str16() : "",
        args: r.bytes16(), cwd: r.str16(),
        fdlimit: r.i64(), flags: r.u32(), uid: r.u32(), gid: r.u32(),
        vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfMajor: 0, pfMinor: 0,
        env: EMPTY, vtid: -1, vpid: -1, cgroups: EMPTY, root: "", loginuid: 0xffffffff, tty: 0,
      };
      if (v >= 2) {
        p.vmsizeKb = r.u32(); p.vmrssKb = r.u32(); p.vmswapKb = r.u32();
        p.pfMajor = r.u64(); p.pfMinor = r.u64();
        if (v >= 3) p.env = r.bytes16();
        if (v >= 4) {
          p.vtid = r.i64(); p.vpid = r.i64(); p.cgroups = r.bytes16();
          if (v >= 5) p.root = r.str16();
        }
      }
      if (subLen) {
        // Fields appended to v9 entries by later writers, present when the entry is long
        // enough. sysdig 0.29.3 knows one of them: the 4 bytes right after root are loginuid.
        // libs 0.10 inserted pidns_init_start_ts and tty before loginuid (newer readers detect
        // that by the length left); 0.29.3 does not, so it takes pidns_init_start_ts's low half
        // as loginuid and never reads tty from the list (measured: user.loginuid, proc.tty).
        if (r.pos - start + 4 <= subLen) p.loginuid = r.u32();
        const rest = subLen - (r.pos - start);
        if (rest < 0) throw new ScapError(`corrupt process list entry for tid ${p.tid}`, r.fileOffset(start));
        r.skip(rest);
      }
      this.handler.process?.(p);
    }
  }

  private fdList(r: BodyReader, v2: boolean): void {
    const tid = r.i64();
    while (r.remaining() >= 4) {
      const start = r.pos;
      const subLen = v2 ? r.u32() : 0;
      const fd = r.i64();
      const ino = r.u64();
      const type = r.u8() as FdType;
      const e: FdEntry = { fd, ino, type, name: "", openFlags: 0 };
      switch (type) {
        case FdType.IPV4_SOCK:
          e.sip = r.u32(); e.dip = r.u32(); e.sport = r.u16(); e.dport = r.u16(); e.l4proto = r.u8();
          break;
        case FdType.IPV4_SERVSOCK:
          e.sip = r.u32(); e.sport = r.u16(); e.l4proto = r.u8();
          break;
        case FdType.IPV6_SOCK:
          e.sip = r.take(16); e.dip = r.take(16); e.sport = r.u16(); e.dport = r.u16(); e.l4proto = r.u8();
          break;
        case FdType.IPV6_SERVSOCK:
          e.sip = r.take(16); e.sport = r.u16(); e.l4proto = r.u8();
          break;
        case FdType.UNIX_SOCK:
          e.source = r.u64big(); e.dest = r.u64big(); e.name = r.str16();
          break;
        case FdType.FILE_V2:
          e.openFlags = r.u32(); e.name = r.str16();
          break;
        case FdType.UNKNOWN:
          break;
        default:
          if (type <= FdType.PIDFD) e.name = r.str16();
          else if (!subLen) throw new ScapError(`unknown fd type ${type} in fd list`, r.fileOffset(start));
          else e.type = FdType.UNSUPPORTED;
      }
      if (subLen) {
        const rest = subLen - (r.pos - start);
        if (rest < 0) throw new ScapError(`corrupt fd list entry for fd ${fd}`, r.fileOffset(start));
        r.skip(rest);
      }
      this.handler.fdEntry?.(tid, e);
    }
  }

  private ifList(r: BodyReader, v2: boolean): void {
    const list: InterfaceEntry[] = [];
    while (r.remaining() >= 4) {
      const start = r.pos;
      const entrySize = v2 ? r.u32() : 0;
      const type = r.u16();
      const nameLen = r.u16();
      let e: InterfaceEntry;
      if (type === 1 || type === 3) {
        e = { family: 4, addr: r.u32(), netmask: r.u32(), name: "" };
        r.skip(4); // broadcast
      } else if (type === 2 || type === 4) {
        e = { family: 6, addr: r.take(16), netmask: r.take(16), name: "" };
        r.skip(16);
      } else {
        throw new ScapError(`unknown interface type ${type}`, r.fileOffset(start));
      }
      if (type === 1 || type === 2) r.skip(8); // link speed
      e.name = r.cstr(nameLen);
      if (entrySize) r.pos = start + 4 + entrySize;
      list.push(e);
    }
    this.handler.interfaces?.(list);
  }

  private userList(r: BodyReader, v2: boolean): void {
    const users: UserEntry[] = [];
    const groups: GroupEntry[] = [];
    while (r.remaining() >= 4) {
      const start = r.pos;
      const subLen = v2 ? r.u32() : 0;
      const kind = r.u8();
      if (kind === 0) {
        users.push({ uid: r.u32(), gid: r.u32(), name: r.str16(), homedir: r.str16(), shell: r.str16() });
      } else {
        groups.push({ gid: r.u32(), name: r.str16() });
      }
      if (subLen) r.pos = start + subLen;
    }
    this.handler.users?.(users, groups);
  }

  private event(buf: Uint8Array, dv: DataView, body: number, bodyEnd: number, layout: EventBlockLayout): void {
    const ev = this.ev;
    const hdr = body + (layout.hasFlags ? 6 : 2);
    const hdrLen = layout.hasNparams ? 26 : 22;
    if (bodyEnd - hdr < hdrLen) throw new ScapError("event block too short", this.offset);
    const type = dv.getUint16(hdr + 20, true);
    if (type >= LEGACY_EVENT_COUNT) {
      this.unknownEvents++;
      this.skipped?.(type);
      return;
    }
    let len = dv.getUint32(hdr + 16, true);
    ev.buf = buf;
    ev.dv = dv;
    ev.blockOffset = this.offset;
    ev.cpu = dv.getUint16(body, true);
    ev.flags = layout.hasFlags ? dv.getUint32(body + 2, true) : 0;
    ev.tsLo = dv.getUint32(hdr, true);
    ev.tsHi = dv.getUint32(hdr + 4, true);
    ev.tid = dv.getInt32(hdr + 12, true) * 4294967296 + dv.getUint32(hdr + 8, true);
    ev.type = type;
    // The width of the parameter lengths belongs to the event type (EF_LARGE_PAYLOAD: container
    // JSON, plugin events), not to the block: a "large" block only lifts the 64 KiB block
    // limit. sysdig 0.29.3 decodes a large block's other events with 2-byte lengths (measured).
    ev.lenSize = EVENTS[type].flags & EF.LARGE_PAYLOAD ? 4 : 2;
    ev.lensOff = hdr + hdrLen;
    if (layout.hasNparams) {
      ev.nparams = dv.getUint32(hdr + 22, true);
      ev.end = hdr + len;
    } else {
      // Old events have no parameter count: find the count whose lengths add up to the event
      // length, starting from the table's count, as libscap does. Old notification and
      // infrastructure events overstate their length by 3 bytes.
      if (LEN_OVERSTATED.has(type)) len -= 3;
      ev.end = hdr + len;
      ev.nparams = this.inferNparams(dv, ev.lensOff, ev.end, type);
    }
    if (ev.end > bodyEnd || ev.end < ev.lensOff) {
      throw new ScapError(`event length ${len} overruns its block`, this.offset);
    }
    // The count is checked against the room for its lengths before any length is read: a v2
    // count is 32 bits, and a lying one (0xffffffff) would read far past the event. sysdig
    // 0.29.3 takes the count on trust and reads past the event too (it prints garbage, or
    // dies with a segmentation fault at 0xffffffff); the events before this one are what both
    // keep.
    const room = Math.floor((ev.end - ev.lensOff) / ev.lenSize);
    if (ev.nparams > room) {
      throw new ScapError(
        `event of type ${type} claims ${ev.nparams} parameters, but its ${ev.end - ev.lensOff} bytes of parameters hold at most ${room} lengths (event block)`,
        this.offset);
    }
    ev.valsOff = ev.lensOff + ev.nparams * ev.lenSize;
    let end = ev.valsOff;
    for (let i = 0; i < ev.nparams; i++) {
      end += ev.lenSize === 2 ? dv.getUint16(ev.lensOff + 2 * i, true) : dv.getUint32(ev.lensOff + 4 * i, true);
    }
    if (end > ev.end) {
      throw new ScapError(
        `event of type ${type}: its ${ev.nparams} parameter lengths add up to ${end - ev.valsOff} bytes, past the event's ${ev.end - ev.valsOff} (event block)`,
        this.offset);
    }
    this.handler.event(ev);
  }

  private inferNparams(dv: DataView, lensOff: number, end: number, type: number): number {
    const info = EVENTS[type];
    for (let n = info.legacyParamCount ?? info.params.length; n >= 0; n--) {
      let p = lensOff + 2 * n;
      if (p > end) continue;
      for (let i = 0; i < n; i++) p += dv.getUint16(lensOff + 2 * i, true);
      if (p < end) break;
      if (p === end) return n;
    }
    throw new ScapError(`cannot work out the parameter count of an old event of type ${type}`, this.offset);
  }
}

const EMPTY = new Uint8Array(0);

/** Old notification and infrastructure events whose length field is 3 bytes too long. */
const LEN_OVERSTATED: ReadonlySet<number> = new Set(
  EVENTS.flatMap((e, id) => (id % 2 === 0 && (e.name === "notification" || e.name === "infra") ? [id] : [])),
);

/** Sequential little-endian reads inside one block body, bounds-checked. */
class BodyReader {
  private readonly start: number;
  constructor(
    private readonly buf: Uint8Array, private readonly dv: DataView, public pos: number,
    private readonly end: number, private readonly blockOffset: number,
  ) {
    this.start = pos;
  }
  fileOffset(pos: number): number {
    return this.blockOffset + 8 + (pos - this.start);
  }
  remaining(): number {
    return this.end - this.pos;
  }
  private need(n: number): number {
    if (this.pos + n > this.end) {
      throw new ScapError("block content overruns its block", this.fileOffset(this.pos));
    }
    const p = this.pos;
    this.pos += n;
    return p;
  }
  skip(n: number): void { this.need(n); }
  u8(): number { return this.buf[this.need(1)]; }
  u16(): number { return this.dv.getUint16(this.need(2), true); }
  u32(): number { return this.dv.getUint32(this.need(4), true); }
  u64(): number {
    const p = this.need(8);
    return this.dv.getUint32(p + 4, true) * 4294967296 + this.dv.getUint32(p, true);
  }
  i64(): number {
    const p = this.need(8);
    return this.dv.getInt32(p + 4, true) * 4294967296 + this.dv.getUint32(p, true);
  }
  u64big(): bigint { return this.dv.getBigUint64(this.need(8), true); }
  take(n: number): Uint8Array {
    const p = this.need(n);
    return this.buf.slice(p, p + n);
  }
  bytes16(): Uint8Array { return this.take(this.u16()); }
  str16(): string { return this.cstr(this.u16()); }
  /** A string of n bytes, cut at the first NUL. */
  cstr(n: number): string {
    const p = this.need(n);
    let e = p;
    while (e < p + n && this.buf[e] !== 0) e++;
    return utf8.decode(this.buf.subarray(p, e));
  }
}
