// The chunk handling the packet readers share: records are framed by a length the reader reads
// from each record's header; a record that spans chunks is gathered in a small buffer of its
// own, every other record is handed on as a view into the chunk (no copy on the hot path).
// Memory stays at one record, never the file.

/** Damage in the input at a byte offset of the stream. */
export class FramingError extends Error {
  constructor(readonly reason: string, readonly offset: number) {
    super(`${reason} (at byte ${offset})`);
    this.name = "FramingError";
  }
}

export abstract class RecordFramer {
  /** Bytes of the stream consumed (whole records). */
  offset = 0;
  /** Set once the input met damage: further input is ignored. */
  failed = false;

  /** `onError`: where damage is reported, once. */
  constructor(private readonly onError: (e: { message: string; offset: number }) => void) {}

  /** Feeds a chunk; damage is reported and stops the reading, with every record before it
   *  handed on. */
  feed(chunk: Uint8Array): void {
    if (this.failed || chunk.length === 0) return;
    try {
      this.frame(chunk);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Reports a FramingError (anything else is a bug, thrown on). */
  protected fail(e: unknown): void {
    if (!(e instanceof FramingError)) throw e;
    this.failed = true;
    this.onError({ message: e.message, offset: e.offset });
  }
  private carry = new Uint8Array(0);
  private carryLen = 0;

  /** How many bytes the record starting at `pos` takes, given `avail` bytes there: a header
   *  length when fewer than a header's bytes are in (asked again when they are), else the whole
   *  record's. Throws a FramingError for a length that cannot be. */
  protected abstract need(buf: Uint8Array, dv: DataView, pos: number, avail: number): number;
  /** One whole record of `len` bytes at `pos`; `this.offset` is its stream offset. */
  protected abstract record(buf: Uint8Array, dv: DataView, pos: number, len: number): void;

  /** Feeds a chunk; a FramingError leaves every record before the damage handed on. */
  protected frame(input: Uint8Array): void {
    // A plain view of a Node Buffer: the packets' data views are then plain Uint8Arrays, which
    // are cheaper to make than Buffer slices (one per packet).
    const chunk = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    let pos = 0;
    const n = chunk.length;
    while (this.carryLen > 0) {
      const cdv = new DataView(this.carry.buffer, this.carry.byteOffset, this.carryLen);
      const need = this.need(this.carry, cdv, 0, this.carryLen);
      if (need > this.carryLen) {
        if (pos >= n) return;
        const take = Math.min(need - this.carryLen, n - pos);
        this.grow(this.carryLen + take);
        this.carry.set(chunk.subarray(pos, pos + take), this.carryLen);
        this.carryLen += take;
        pos += take;
        if (this.carryLen < need) return;
        // Enough for a header or for the whole record: ask again (a header makes need grow).
        continue;
      }
      const rec = this.carry;
      this.carryLen = 0;
      this.record(rec, new DataView(rec.buffer, rec.byteOffset, need), 0, need);
      this.offset += need;
      this.carry = new Uint8Array(0);
    }
    if (pos >= n) return;
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const avail = n - pos;
      if (avail === 0) return;
      const need = this.need(chunk, dv, pos, avail);
      if (need > avail) break;
      this.record(chunk, dv, pos, need);
      this.offset += need;
      pos += need;
    }
    this.grow(n - pos);
    this.carry.set(chunk.subarray(pos), 0);
    this.carryLen = n - pos;
  }

  /** Bytes of an incomplete record held at the end of the input. */
  protected get pendingBytes(): number {
    return this.carryLen;
  }

  private grow(len: number): void {
    if (len <= this.carry.length) return;
    // Grown as the bytes come, never to the length a header claims before they do: a lying
    // length in a small file costs no more memory than the file.
    const next = new Uint8Array(Math.max(len, Math.min(this.carry.length * 2, len * 2), 64));
    next.set(this.carry.subarray(0, this.carryLen));
    this.carry = next;
  }
}
