// Writing a capture (or the part of it a filter accepts) back out as a .scap: every block that
// is not an event (section headers, machine info, process/fd/user/interface lists) is copied
// verbatim, and so is every event block the filter accepts. Copying the blocks as they are,
// rather than re-encoding them, keeps whatever the source writer put there (block versions,
// fields sysdig 0.29.3 does not know): the file reads like its source, minus the events left
// out. sysdig's own `-w` rewrites the lists and is broken for several capture versions.
//
// The filter sees every event after the state engine applied it, as `casefile events FILE
// FILTER` does, so the events written are exactly those it prints (plus, without a filter,
// the events sysdig hides: they are copied too, so a copy of a whole capture is the capture).

import { EVENT_BLOCK_LAYOUT, SHB_BLOCK_TYPE } from "../formats/scap/blocks";
import type { RawEvent, ScapHandler } from "../formats/scap/reader";
import type { Predicate } from "./evaluate";
import { filteringHandler } from "./filtered-printer";

/** Collects the bytes to write in chunks of about 1 MiB; `take()` hands over what is ready. */
export class ByteCollector {
  private buf = new Uint8Array(1 << 20);
  private len = 0;
  private done: Uint8Array[] = [];
  /** Bytes collected so far, taken or not. */
  total = 0;

  add(src: Uint8Array, start: number, n: number): void {
    if (this.len + n > this.buf.length) {
      this.seal();
      if (n > this.buf.length) this.buf = new Uint8Array(n);
    }
    this.buf.set(src.subarray(start, start + n), this.len);
    this.len += n;
    this.total += n;
  }

  private seal(): void {
    if (this.len === 0) return;
    this.done.push(this.buf.slice(0, this.len));
    this.len = 0;
  }

  /** Everything collected since the last take. */
  take(): Uint8Array[] {
    this.seal();
    const out = this.done;
    this.done = [];
    return out;
  }
}

export interface ScapExport {
  handler: ScapHandler;
  out: ByteCollector;
  /** Event blocks written. */
  readonly events: number;
}

/** A reader handler that copies the capture's blocks to `out`: every non-event block, and the
 *  events `predicate` accepts (all of them without one). Two things sysdig 0.29.3 cannot read
 *  are left out of the copy: options after a section header's fixed fields and after an
 *  event (pcapng-style comments that editcap adds); the block is written without them. */
export function scapExport(predicate?: Predicate): ScapExport {
  const out = new ByteCollector();
  let buf: Uint8Array = new Uint8Array(0);
  let start = 0;
  let total = 0;
  let events = 0;
  const rawBlock = (b: Uint8Array, s: number, t: number) => {
    const type = new DataView(b.buffer, b.byteOffset + s, 4).getUint32(0, true);
    if (EVENT_BLOCK_LAYOUT.has(type)) {
      // Written once the event has been through the state and the filter.
      buf = b;
      start = s;
      total = t;
    } else if (type === SHB_BLOCK_TYPE && t > SHB_TOTAL) {
      writeBlock(out, b, s, SHB_TOTAL - 4);
    } else out.add(b, s, t);
  };
  const writeEvent = (ev: RawEvent) => {
    // The event ends at ev.end; whatever follows it in the block (past the padding) is options.
    const padded = start + 8 + Math.ceil((ev.end - start - 8) / 4) * 4;
    if (padded + 4 < start + total) writeBlock(out, buf, start, ev.end - start);
    else out.add(buf, start, total);
    events++;
  };
  if (!predicate) {
    return { handler: { rawBlock, event: writeEvent }, out, get events() { return events; } };
  }
  const filtering = filteringHandler((_ctx, ev) => writeEvent(ev), predicate);
  const handler: ScapHandler = {
    section: filtering.section, machineInfo: filtering.machineInfo, process: filtering.process,
    fdEntry: filtering.fdEntry, interfaces: filtering.interfaces, users: filtering.users,
    event: filtering.event, rawBlock,
  };
  return { handler, out, get events() { return events; } };
}

/** A section header's length without options: type, length, magic, version, section length,
 *  trailer. */
const SHB_TOTAL = 4 + 4 + 4 + 2 + 2 + 8 + 4;

/** The block at `b[s]` rewritten with its first `used` bytes (type and length included) kept,
 *  padded to 4 bytes, and its lengths set to match. */
function writeBlock(out: ByteCollector, b: Uint8Array, s: number, used: number): void {
  const total = Math.ceil(used / 4) * 4 + 4;
  const block = new Uint8Array(total);
  block.set(b.subarray(s, s + used));
  const dv = new DataView(block.buffer);
  dv.setUint32(4, total, true);
  dv.setUint32(total - 4, total, true);
  out.add(block, 0, total);
}
