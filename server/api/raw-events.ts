// The raw parameter records of stored events, read back from the chunk blobs as RawEvent views,
// so the core's parameter reader, renderer and state engine work on stored events as on a file.

import type { Db } from "../../db/open-db";
import type { RawEvent } from "../core/formats/scap/reader";

/** Calls `visit` for events first..last in order. The RawEvent handed out is reused: read it
 *  before the next. (A loop over arrays, not a generator: replays run thousands of events per
 *  lsof answer.) */
export function forEachStoredEvent(db: Db, first: number, last: number, visit: (num: number, ev: RawEvent) => void): void {
  // From the chunk holding `first` (a seek on the key; a condition on last_num would walk every
  // chunk before it) to the one holding `last`.
  const chunks = db.prepare(
    `SELECT first_num, data FROM chunks
      WHERE first_num >= coalesce((SELECT max(first_num) FROM chunks WHERE first_num <= ?), 0) AND first_num <= ?
      ORDER BY first_num`,
  ).all(first, last) as { first_num: number; data: Buffer }[];
  const heads = db.prepare("SELECT tid, type, cpu FROM events WHERE num >= ? AND num <= ? ORDER BY num")
    .raw().all(first, last) as [number, number, number][];
  const ev: RawEvent = {
    buf: new Uint8Array(0), dv: new DataView(new ArrayBuffer(0)), blockOffset: 0, cpu: 0, flags: 0,
    tsHi: 0, tsLo: 0, tid: 0, type: 0, nparams: 0, lenSize: 2, lensOff: 0, valsOff: 0, end: 0,
  };
  let h = 0;
  for (const c of chunks) {
    const buf = c.data;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    ev.buf = buf;
    ev.dv = dv;
    let num = c.first_num;
    for (let o = 0; o < buf.length && num <= last; num++) {
      const len = dv.getUint32(o, true);
      if (num >= first) {
        const head = heads[h++];
        ev.tid = head[0];
        ev.type = head[1];
        ev.cpu = head[2];
        ev.lenSize = buf[o + 4] as 2 | 4;
        ev.nparams = dv.getUint16(o + 5, true);
        ev.lensOff = o + 7;
        ev.valsOff = o + 7 + ev.nparams * ev.lenSize;
        ev.end = o + len;
        visit(num, ev);
      }
      o += len;
    }
  }
}

/** The records of some events (sorted nums), each its own RawEvent; tid/type/cpu are left 0
 *  (the caller has them from the events table). Only the chunks holding them are read. */
export function rawEventsAt(db: Db, nums: readonly number[]): Map<number, RawEvent> {
  const out = new Map<number, RawEvent>();
  const chunkOf = db.prepare("SELECT first_num, last_num, data FROM chunks WHERE first_num <= ? ORDER BY first_num DESC LIMIT 1");
  let i = 0;
  while (i < nums.length) {
    const c = chunkOf.get(nums[i]) as { first_num: number; last_num: number; data: Buffer } | undefined;
    if (!c || c.last_num < nums[i]) { i++; continue; }
    const buf = c.data;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let num = c.first_num;
    for (let o = 0; o < buf.length && i < nums.length && nums[i] <= c.last_num; num++) {
      const len = dv.getUint32(o, true);
      if (num === nums[i]) {
        const lenSize = buf[o + 4] as 2 | 4;
        const nparams = dv.getUint16(o + 5, true);
        out.set(num, {
          buf, dv, blockOffset: 0, cpu: 0, flags: 0, tsHi: 0, tsLo: 0, tid: 0, type: 0, nparams,
          lenSize, lensOff: o + 7, valsOff: o + 7 + nparams * lenSize, end: o + len,
        });
        i++;
      }
      o += len;
    }
  }
  return out;
}
