// Reading the typed parameters of a raw event. Values are read straight from the block bytes;
// nothing is copied unless asked for.

import type { RawEvent } from "../formats/scap/reader";
import { decodeBytes } from "./byte-strings";
import { EVENTS } from "./event-table";

/** Per event type: how many parameters sysdig 0.29.3's table has. A newer writer's extra
 *  trailing parameters (open's `ino`, read's `fd` and `size`...) are invisible to it: not in
 *  evt.info, evt.args or evt.arg[N], and not used by its parsers (measured). */
const VISIBLE_PARAMS: Uint8Array = Uint8Array.from(EVENTS.map((e) => e.legacyParamCount ?? e.params.length));

const latin1 = new TextDecoder("latin1");

/** Offsets of each parameter's value and its length, for one event. Reused between events. */
export class ParamIndex {
  off = new Int32Array(64);
  len = new Int32Array(64);
  count = 0;
  ev!: RawEvent;

  load(ev: RawEvent): this {
    this.ev = ev;
    const n = Math.min(ev.nparams, VISIBLE_PARAMS[ev.type] ?? ev.nparams);
    if (n > this.off.length) {
      this.off = new Int32Array(n);
      this.len = new Int32Array(n);
    }
    const dv = ev.dv;
    let p = ev.valsOff;
    for (let i = 0; i < n; i++) {
      const l = ev.lenSize === 2 ? dv.getUint16(ev.lensOff + 2 * i, true) : dv.getUint32(ev.lensOff + 4 * i, true);
      this.off[i] = p;
      this.len[i] = l;
      p += l;
    }
    this.count = n;
    return this;
  }

  has(i: number): boolean {
    return i < this.count;
  }

  /** A signed integer parameter of 1, 2, 4 or 8 bytes (8-byte values beyond 2^53 lose their
   *  low bits; use big() where that matters). */
  int(i: number): number {
    const { dv } = this.ev;
    const o = this.off[i];
    switch (this.len[i]) {
      case 1: return dv.getInt8(o);
      case 2: return dv.getInt16(o, true);
      case 4: return dv.getInt32(o, true);
      case 8: return dv.getInt32(o + 4, true) * 4294967296 + dv.getUint32(o, true);
      default: return 0;
    }
  }

  uint(i: number): number {
    const { dv } = this.ev;
    const o = this.off[i];
    switch (this.len[i]) {
      case 1: return dv.getUint8(o);
      case 2: return dv.getUint16(o, true);
      case 4: return dv.getUint32(o, true);
      case 8: return dv.getUint32(o + 4, true) * 4294967296 + dv.getUint32(o, true);
      default: return 0;
    }
  }

  big(i: number, signed: boolean): bigint {
    const { dv } = this.ev;
    const o = this.off[i];
    if (this.len[i] === 8) return signed ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true);
    return BigInt(signed ? this.int(i) : this.uint(i));
  }

  bytes(i: number): Uint8Array {
    return this.ev.buf.subarray(this.off[i], this.off[i] + this.len[i]);
  }

  /** A NUL-terminated string parameter. */
  str(i: number): string {
    // One view, up to the NUL (a view costs more than finding the NUL).
    const buf = this.ev.buf;
    const start = this.off[i];
    const end = start + this.len[i];
    let e = start;
    while (e < end && buf[e] !== 0) e++;
    // Bytes that are not valid UTF-8 are kept as escapes (byte-strings.ts): sysdig prints them.
    return decodeBytes(buf.subarray(start, e));
  }

  /** The raw bytes as one char per byte (for escaping byte buffers exactly as sysdig does). */
  latin1(i: number): string {
    return latin1.decode(this.bytes(i));
  }
}
