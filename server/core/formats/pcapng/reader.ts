// A streaming reader of pcapng files: blocks of type, length, body, length again. Section header
// blocks (either byte order; a file may hold several sections, each restarting its interfaces),
// interface description blocks (link type, snaplen, if_tsresol, if_tsoffset, if_fcslen),
// enhanced, simple and obsolete packet blocks with their comments; every other block (name
// resolution, interface statistics, decryption secrets, custom, unknown) is skipped; custom and
// systemd journal blocks take a frame number, as tshark numbers them. Facts from
// draft-ietf-opsawg-pcapng and what tshark 4.0 (wiretap/pcapng.c) accepts.

import { FramingError, RecordFramer } from "../record-framer";
import {
  MAX_PACKET_RECORD, MAX_PCAPNG_BLOCK, type CaptureInterface, type PacketHandler, type PacketReader,
  type RawPacket,
} from "../raw-packet";

export const PCAPNG_SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const BT_IDB = 1;
const BT_OPB = 2;
const BT_SPB = 3;
const BT_EPB = 6;
const BT_SYSTEMD_JOURNAL = 9;
const BT_CUSTOM = 0xbad;
const BT_CUSTOM_NOCOPY = 0x40000bad;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;

interface Iface extends CaptureInterface {
  /** Timestamp units per second. */
  unitsPerSec: bigint;
  tsoffsetNs: bigint;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export class PcapngReader extends RecordFramer implements PacketReader {
  packets = 0;
  /** Sections seen so far. */
  sections = 0;
  /** Blocks skipped (name resolution, statistics, custom, unknown). */
  skippedBlocks = 0;
  /** Frame numbers given so far: packets, and the records tshark numbers as frames without
   *  being packets (custom blocks, systemd journal entries), so that a packet's number is
   *  tshark's frame.number. */
  private frames = 0;
  private le = true;
  private ifaces: Iface[] = [];

  constructor(private readonly handler: PacketHandler) {
    super((e) => handler.onError(e));
  }

  end(): void {
    if (this.failed) return;
    if (this.sections === 0) {
      this.fail(new FramingError(this.pendingBytes === 0 ? "empty input: not a pcapng file"
        : `pcapng file cut short in its section header (${this.pendingBytes} bytes)`, 0));
    } else if (this.pendingBytes > 0) {
      this.fail(new FramingError(`pcapng file cut short in the middle of a block (${this.pendingBytes} bytes of it)`, this.offset));
    }
  }

  protected need(buf: Uint8Array, dv: DataView, pos: number, avail: number): number {
    if (avail < 8) return this.sections === 0 ? 12 : 8;
    const typeLe = dv.getUint32(pos, true);
    let le = this.le;
    if (typeLe === PCAPNG_SHB) {
      // The section header's own byte order decides how its length reads.
      if (avail < 12) return 12;
      const bom = dv.getUint32(pos + 8, true);
      if (bom === BOM) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new FramingError(`pcapng: section header with a bad byte-order magic 0x${bom.toString(16)}`, this.offset);
    } else if (this.sections === 0) {
      throw new FramingError("not a pcapng file (no section header block)", 0);
    }
    const type = dv.getUint32(pos, le);
    const total = dv.getUint32(pos + 4, le);
    if (total < 12) throw new FramingError(`pcapng: block (type 0x${type.toString(16)}) with a total length of ${total}, under 12`, this.offset);
    if (total % 4 !== 0) throw new FramingError(`pcapng: block (type 0x${type.toString(16)}) with a total length of ${total}, not a multiple of 4`, this.offset);
    if (total > MAX_PCAPNG_BLOCK) throw new FramingError(`pcapng: block (type 0x${type.toString(16)}) with a total length of ${total}, over the ${MAX_PCAPNG_BLOCK} we accept`, this.offset);
    return total;
  }

  protected record(buf: Uint8Array, dv: DataView, pos: number, len: number): void {
    if (dv.getUint32(pos, true) === PCAPNG_SHB) {
      this.le = dv.getUint32(pos + 8, true) === BOM;
    }
    const le = this.le;
    const type = dv.getUint32(pos, le);
    const trailer = dv.getUint32(pos + len - 4, le);
    if (trailer !== len) {
      throw new FramingError(`pcapng: block (type 0x${type.toString(16)}) length ${len} but trailer ${trailer}`, this.offset);
    }
    const body = pos + 8;
    const end = pos + len - 4;
    switch (type) {
      case PCAPNG_SHB: return this.section(buf, dv, body, end);
      case BT_IDB: return this.iface(buf, dv, body, end);
      case BT_EPB: return this.packetBlock(false, buf, dv, body, end);
      case BT_SPB: return this.spb(buf, dv, body, end);
      case BT_OPB: return this.packetBlock(true, buf, dv, body, end);
      case BT_CUSTOM: case BT_CUSTOM_NOCOPY: case BT_SYSTEMD_JOURNAL:
        // tshark 4.0 shows these as frames of their own: their number is taken, nothing is
        // delivered (they hold no packet).
        this.frames++;
        this.skippedBlocks++;
        return;
      default: this.skippedBlocks++;
    }
  }

  private section(buf: Uint8Array, dv: DataView, body: number, end: number): void {
    if (end - body < 16) throw new FramingError("pcapng: section header block too short", this.offset);
    const major = dv.getUint16(body + 4, this.le);
    const minor = dv.getUint16(body + 6, this.le);
    if (major !== 1) throw new FramingError(`pcapng: section header version ${major}.${minor}, only 1.x is read`, this.offset);
    this.sections++;
    this.ifaces = [];
    const comments: string[] = [];
    this.options(buf, dv, body + 16, end, (code, off, olen) => {
      if (code === OPT_COMMENT) comments.push(utf8.decode(buf.subarray(off, off + olen)));
    });
    const s: { offset: number; littleEndian: boolean; major: number; minor: number; comment?: string } = {
      offset: this.offset, littleEndian: this.le, major, minor,
    };
    if (comments.length) s.comment = comments.join("\n");
    this.handler.onSection?.(s);
  }

  private iface(buf: Uint8Array, dv: DataView, body: number, end: number): void {
    if (end - body < 8) throw new FramingError("pcapng: interface description block too short", this.offset);
    const i: Iface = {
      index: this.ifaces.length,
      linktype: dv.getUint16(body, this.le),
      snaplen: dv.getUint32(body + 4, this.le),
      unitsPerSec: 1_000_000n,
      tsoffsetNs: 0n,
    };
    this.options(buf, dv, body + 8, end, (code, off, olen) => {
      if (code === IF_NAME) i.name = utf8.decode(buf.subarray(off, off + olen));
      else if (code === IF_DESCRIPTION) i.description = utf8.decode(buf.subarray(off, off + olen));
      else if (code === IF_TSRESOL && olen >= 1) {
        const r = buf[off];
        i.tsresol = r;
        // High bit clear: 10^-n seconds; set: 2^-n. Past what 64-bit units can mean, wiretap
        // refuses the interface; we keep microseconds rather than stop the file.
        const n = r & 0x7f;
        if (r & 0x80) { if (n <= 63) i.unitsPerSec = 1n << BigInt(n); }
        else if (n <= 19) i.unitsPerSec = 10n ** BigInt(n);
      } else if (code === IF_FCSLEN && olen >= 1) i.fcsLen = buf[off];
      else if (code === IF_TSOFFSET && olen >= 8) {
        const secs = dv.getBigInt64(off, this.le);
        i.tsoffset = secs;
        i.tsoffsetNs = secs * 1_000_000_000n;
      }
    });
    this.ifaces.push(i);
    const { unitsPerSec: _u, tsoffsetNs: _t, ...pub } = i;
    this.handler.onInterface?.(pub);
  }

  private ifaceAt(id: number): Iface {
    const i = this.ifaces[id];
    if (!i) {
      throw new FramingError(
        `pcapng: packet ${this.frames + 1} names interface ${id}, but its section describes ${this.ifaces.length}`, this.offset);
    }
    return i;
  }

  private ts(i: Iface, hi: number, lo: number): bigint {
    const ups = i.unitsPerSec;
    if (ups === 1_000_000n) {
      // Microseconds since 1970 fit a double exactly (2^53 µs is year 2255).
      const us = hi * 4294967296 + lo;
      if (us <= Number.MAX_SAFE_INTEGER) return BigInt(us) * 1000n + i.tsoffsetNs;
    }
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    if (ups === 1_000_000_000n) return ticks + i.tsoffsetNs;
    // As wiretap: whole seconds, then the remainder scaled to nanoseconds (truncated).
    const secs = ticks / ups;
    const rem = ticks % ups;
    return secs * 1_000_000_000n + (rem * 1_000_000_000n) / ups + i.tsoffsetNs;
  }

  private packet(i: Iface, ifIndex: number, tsNs: bigint, data: Uint8Array, origLen: number, comment?: string): void {
    const p: RawPacket = {
      num: ++this.frames, tsNs, linktype: i.linktype, caplen: data.length, origLen, data, ifIndex,
      offset: this.offset,
    };
    if (comment !== undefined) p.comment = comment;
    if (i.fcsLen) p.fcsLen = i.fcsLen;
    this.packets++;
    this.handler.onPacket(p);
  }

  private checkCaplen(caplen: number, room: number): void {
    if (caplen > room) {
      throw new FramingError(`pcapng: packet ${this.frames + 1} claims ${caplen} captured bytes, more than its block's ${room}`, this.offset);
    }
    if (caplen > MAX_PACKET_RECORD) {
      throw new FramingError(`pcapng: packet ${this.frames + 1} claims ${caplen} captured bytes, more than the maximum of ${MAX_PACKET_RECORD}`, this.offset);
    }
  }

  /** An enhanced packet block, or the obsolete packet block it replaced: the same layout but for
   *  the interface id, 32 bits in the first, 16 (then a 16-bit drop count) in the second. */
  private packetBlock(obsolete: boolean, buf: Uint8Array, dv: DataView, body: number, end: number): void {
    if (end - body < 20) throw new FramingError(`pcapng: ${obsolete ? "packet" : "enhanced packet"} block too short`, this.offset);
    const le = this.le;
    const id = obsolete ? dv.getUint16(body, le) : dv.getUint32(body, le);
    const i = this.ifaceAt(id);
    const caplen = dv.getUint32(body + 12, le);
    const origLen = dv.getUint32(body + 16, le);
    const dataOff = body + 20;
    this.checkCaplen(caplen, end - dataOff);
    const comment = this.comments(buf, dv, dataOff + pad4(caplen), end);
    this.packet(i, id, this.ts(i, dv.getUint32(body + 4, le), dv.getUint32(body + 8, le)),
      buf.subarray(dataOff, dataOff + caplen), origLen, comment);
  }

  private spb(buf: Uint8Array, dv: DataView, body: number, end: number): void {
    if (end - body < 4) throw new FramingError("pcapng: simple packet block too short", this.offset);
    const i = this.ifaceAt(0);
    const origLen = dv.getUint32(body, this.le);
    // No captured length: the packet is its original length cut at the snaplen and the block.
    let caplen = Math.min(origLen, end - body - 4);
    if (i.snaplen > 0) caplen = Math.min(caplen, i.snaplen);
    // No timestamp either: tshark shows it as the epoch.
    this.packet(i, 0, 0n, buf.subarray(body + 4, body + 4 + caplen), origLen);
  }

  private comments(buf: Uint8Array, dv: DataView, from: number, end: number): string | undefined {
    if (from >= end) return undefined;
    let out: string | undefined;
    this.options(buf, dv, from, end, (code, off, olen) => {
      if (code === OPT_COMMENT) {
        const c = utf8.decode(buf.subarray(off, off + olen));
        out = out === undefined ? c : `${out}\n${c}`;
      }
    });
    return out;
  }

  /** Walks an options list. An option that runs past its block ends the walk and the block
   *  stands: a damaged comment is a smaller harm than a lost packet. */
  private options(buf: Uint8Array, dv: DataView, pos: number, end: number, each: (code: number, off: number, len: number) => void): void {
    while (pos + 4 <= end) {
      const code = dv.getUint16(pos, this.le);
      const olen = dv.getUint16(pos + 2, this.le);
      if (code === OPT_ENDOFOPT) return;
      if (pos + 4 + olen > end) return;
      each(code, pos + 4, olen);
      pos += 4 + pad4(olen);
    }
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}
