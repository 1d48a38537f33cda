// What every packet-capture reader (pcap, pcapng) hands on: one record per packet, numbered as
// tshark numbers frames, and the push-reader contract the readers share. The packet decoders
// (server/core/packets/) and the packet store build on these types only, never on one format.

/** One captured packet, valid only during `onPacket`: a reader may hand the same object again,
 *  filled with the next packet (pcap does: an object per packet showed in the ingest's
 *  allocations), and `data` is a view into the chunk being fed (no copy on the hot path). Copy
 *  what is kept (`{ ...p, data: p.data.slice() }`). */
export interface RawPacket {
  /** 1-based, in file order, as tshark's frame.number. */
  num: number;
  /** Nanoseconds since the epoch. A bigint: ns since 1970 need 61 bits, past a double's 53. */
  tsNs: bigint;
  /** tsNs as two numbers, when the reader has them (pcap: a record's fields): whole seconds
   *  and the nanoseconds added to them (tsNs = tsSec × 10^9 + tsSubNs; a malformed record's
   *  fraction may be a second or more). Differences of times in numbers, not bigints: the
   *  packet ingest's per packet. */
  tsSec?: number;
  tsSubNs?: number;
  /** The LINKTYPE_ value of the packet's interface (pcap: the file header's, with the FCS bits
   *  taken off into `fcsLen`). */
  linktype: number;
  /** Bytes captured (data.length). */
  caplen: number;
  /** Bytes the packet had on the wire. */
  origLen: number;
  data: Uint8Array;
  /** data's bytes where the reader holds them, when it says (pcap): data is
   *  chunk.subarray(at, at + caplen), a view made when asked for (one per packet showed in the
   *  ingest's allocations); a decoder can read them in place. Valid during onPacket only. */
  chunk?: Uint8Array;
  at?: number;
  /** The pcapng interface id (0 for pcap and for simple packet blocks). */
  ifIndex: number;
  /** Byte offset of the packet's record (pcap record header, pcapng block) in the stream; for a
   *  gzip file, in the inflated stream. */
  offset: number;
  /** opt_comment(s) of the packet's block, joined by newlines. */
  comment?: string;
  /** Bytes of frame check sequence at the end of `data` (pcap header FCS bits, pcapng
   *  if_fcslen), 0 when none or unknown. */
  fcsLen?: number;
}

/** Damage in the input: every whole packet before it was delivered; `offset` is the byte offset
 *  where the damage starts (in the inflated stream for a gzip file: `inflated` says so). */
export interface PacketReadError {
  message: string;
  offset: number;
  inflated?: boolean;
}

/** One capture interface (pcapng interface description block; pcap has one, from its header). */
export interface CaptureInterface {
  index: number;
  linktype: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Nanoseconds per timestamp unit can be fractional (if_tsresol 2^-n): kept as the raw option. */
  tsresol?: number;
  /** if_tsoffset, in seconds. */
  tsoffset?: bigint;
  fcsLen?: number;
}

export interface PacketHandler {
  onPacket(p: RawPacket): void;
  /** Called once at most: the reader stops at the first damage and ignores what follows. */
  onError(e: PacketReadError): void;
  onInterface?(i: CaptureInterface): void;
  /** A pcapng section header (pcap: the file header), with its comment when it has one. */
  onSection?(s: { offset: number; littleEndian: boolean; major: number; minor: number; comment?: string }): void;
}

/** A push reader: feed it chunks of any size (down to one byte), then end(). */
export interface PacketReader {
  feed(chunk: Uint8Array): void;
  end(): void;
  /** Packets delivered so far. */
  readonly packets: number;
  /** Whole bytes consumed so far (records delivered or skipped). */
  readonly offset: number;
  /** Set once the reader has met damage (it then ignores further input). */
  readonly failed: boolean;
}

/** Largest packet record we buffer: tshark's own cap for most link types is 256 KiB
 *  (WTAP_MAX_PACKET_SIZE_STANDARD); a bigger length is a corrupt header, not a packet. */
export const MAX_PACKET_RECORD = 256 * 1024;
/** Largest pcapng block we buffer (packet blocks up to MAX_PACKET_RECORD plus their options; a
 *  name-resolution block can be big, but not this big). */
export const MAX_PCAPNG_BLOCK = 16 * 1024 * 1024;
