// The state of one packet's decoding, shared by the protocol modules: the bytes, the layers
// being built (only when the detail is wanted: ingest asks for the summary alone, which is
// several times faster), and the summary fields. Each protocol module reads its header from
// `data` at an offset, adds its layer and fields, fills the summary, and hands the rest on.

import type { DecodedPacket, FieldValue, Layer } from "./types";

const NO_LAYERS = Object.freeze([]) as unknown as Layer[];

/** Tunnels inside tunnels: deeper than this is a crafted packet, not traffic. */
export const MAX_DEPTH = 8;

export class Dissection {
  private dv_: DataView | null = null;
  readonly layers: Layer[];
  readonly out: DecodedPacket;
  private cur: Layer | null = null;
  /** Nesting of IP headers (tunnels), bounded by MAX_DEPTH. */
  depth = 0;
  /** Inside an ICMP error's quoted packet: the summary (src, dst, ports) is the outer packet's,
   *  as in tshark's columns; what the quote says goes to `out.icmpQuoted`. */
  quoted = 0;

  /** Where the link layer's source and destination addresses lie (-1: none): formatted only
   *  when no network layer names the packet's ends, since most packets have one. */
  linkSrc = -1;
  linkDst = -1;

  /** `tcpInfoText` false: a TCP segment whose Info is what its numbers say (plainTcpInfo) gets
   *  no Info text (tcp.ts). */
  constructor(public data: Uint8Array, readonly detail: boolean, readonly tcpInfoText = true) {
    // Without the detail no layer is ever added: one shared, frozen empty list (a push into it
    // would throw, not pass unnoticed).
    this.layers = detail ? [] : NO_LAYERS;
    this.out = emptySummary(this.layers);
  }

  /** Where the packet's first byte is in `data` (0 but for a summary decoded in its reader's
   *  chunk: summaryDecoder): offsets in the texts are the packet's own. */
  base = 0;

  /** The next packet's decoding in this same object and summary (a summary-only stream, the
   *  ingest's: summaryDecoder in decode.ts), everything as the constructor leaves it; the packet
   *  is at `base` in `data`. */
  next(data: Uint8Array, base = 0): void {
    if (this.detail) throw new Error("Dissection.next: a detailed decoding's layers are kept, not used again");
    if (data !== this.data) this.dv_ = null;
    this.data = data;
    this.base = base;
    this.depth = this.quoted = 0;
    this.linkSrc = this.linkDst = -1;
    clearSummary(this.out);
  }

  /** For the few little-endian fields (made on demand: most packets need none). */
  get dv(): DataView {
    return (this.dv_ ??= new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength));
  }

  /** Starts a layer (a no-op without detail). */
  layer(name: string, offset: number, length: number): void {
    if (!this.detail) return;
    this.cur = { name, offset, length, fields: [] };
    this.layers.push(this.cur);
  }

  /** Shortens the current layer once its real length is known. */
  layerLength(length: number): void {
    if (this.cur) this.cur.length = length;
  }

  field(name: string, value: FieldValue, offset: number, length: number): void {
    if (this.cur) this.cur.fields.push({ name, value, offset, length });
  }

  /** Marks the packet malformed (the first reason wins: it is where decoding went wrong). */
  malformed(proto: string, why: string, offset: number): void {
    if (this.out.malformed === undefined) this.out.malformed = `${proto}: ${why} (at byte ${offset - this.base})`;
    if (this.detail) this.layers.push({ name: "_ws.malformed", offset, length: 0, fields: [{ name: "_ws.malformed", value: `${proto}: ${why}`, offset, length: 0 }] });
  }

  /** The protocol and info columns: the innermost protocol that speaks sets them (not from
   *  inside an ICMP error's quote). */
  column(proto: string, info: string): void {
    if (this.quoted) return;
    this.out.proto = proto;
    this.out.info = info;
    this.out.plainTcpInfo = false;
  }

  /** The rest of the bytes as payload. */
  payload(offset: number, end: number): void {
    if (end > offset) {
      this.layer("data", offset, end - offset);
      this.field("data.len", end - offset, offset, end - offset);
    }
  }

  // Big-endian reads straight from the bytes (callers check bounds first).
  u8(o: number): number { return this.data[o]; }
  u16(o: number): number { const b = this.data; return (b[o] << 8) | b[o + 1]; }
  u32(o: number): number { const b = this.data; return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]); }
}

/** A summary as a packet's decoding starts: every field from the start, so that all packets share
 *  one object shape (V8 hidden class): properties added in each packet's own order made the
 *  objects, and every function reading them, polymorphic. A literal: its fields are the
 *  object's own (in-object), not in a backing store as fields added one by one past the fourth. */
function emptySummary(layers: Layer[]): DecodedPacket {
  return {
    layers, src: "", dst: "", proto: "", info: "", sport: undefined, dport: undefined,
    ipProto: undefined, ipVersion: undefined, tcpFlags: undefined, tcpSeq: undefined, tcpAck: undefined,
    tcpWin: undefined, tcpLen: undefined, tcpWs: undefined, tcpMss: undefined, icmpType: undefined,
    icmpCode: undefined, icmpMtu: undefined, icmpQuoted: undefined, vrrpVrid: undefined,
    vrrpPriority: undefined, vrrpIntervalCs: undefined, dnsId: undefined, malformed: undefined,
    plainTcpInfo: false,
  };
}

/** A used summary back to emptySummary's values (the layers: the shared empty list), field by
 *  field: Object.assign from an empty summary cost more than the new objects it saved. Its fields
 *  are emptySummary's: summaryDecoder's test compares every fixture packet's summary with
 *  decodePacket's. */
function clearSummary(o: DecodedPacket): void {
  o.src = ""; o.dst = ""; o.proto = ""; o.info = ""; o.sport = undefined; o.dport = undefined;
  o.ipProto = undefined; o.ipVersion = undefined; o.tcpFlags = undefined; o.tcpSeq = undefined; o.tcpAck = undefined;
  o.tcpWin = undefined; o.tcpLen = undefined; o.tcpWs = undefined; o.tcpMss = undefined; o.icmpType = undefined;
  o.icmpCode = undefined; o.icmpMtu = undefined; o.icmpQuoted = undefined; o.vrrpVrid = undefined;
  o.vrrpPriority = undefined; o.vrrpIntervalCs = undefined; o.dnsId = undefined; o.malformed = undefined;
  o.plainTcpInfo = false;
}
