// What a packet capture says beyond its packets, computed in one pass in file order (ingest,
// or a stream): conversations per 5-tuple and Wireshark's expert findings.
//
// - Conversations: one per (IP protocol, address:port, address:port), either direction;
//   endpoint a is the side whose packet came first. Packets and bytes each way, first and last
//   packet, retransmissions, and the handshake (SYN -> SYN/ACK -> ACK) with its round-trip time
//   (Wireshark's tcp.analysis.initial_rtt: the ACK's time minus the SYN's). A TCP SYN on a
//   conversation that was closed (FIN or RST seen) or that started with another SYN sequence
//   number begins a new conversation, as Wireshark's port-reuse rule does.
// - TCP findings follow Wireshark 4.0's tcp_analyze_sequence_number (packet-tcp.c, read for its
//   rules; this is our own code): retransmissions (its three kinds: plain, fast, spurious, which
//   all answer tshark's tcp.analysis.retransmission), out-of-order segments, duplicate ACKs,
//   zero windows, previous segment not captured; resets are every RST.
// - ICMP frag-needed (type 3 code 4) and ICMPv6 packet-too-big (type 2) with their MTU and the
//   conversation their quoted header belongs to; malformed packets.
// Sequence numbers compare modulo 2^32, as TCP's do.

import type { PacketRow } from "../filter/packet-fields";

export type FindingKind =
  | "retransmission" | "out-of-order" | "lost-segment" | "duplicate-ack" | "zero-window" | "reset"
  | "frag-needed" | "packet-too-big" | "malformed";

/** Where the findings go, one call each, in the order they are found (a finding of a kind a
 *  packet already has comes after the first). `refNum`: a packet it refers to (the segment a
 *  retransmission repeats, the last ACK a duplicate repeats); `flow`: the conversation it belongs
 *  to (for frag-needed: the conversation of the quoted packet); each undefined when none. A call,
 *  not an object per finding: a capture may have one for most packets (bench/packets: 535k for
 *  1 M), and their objects and arrays were a tenth of the ingest's reading thread. */
export interface FindingSink {
  finding(num: number, kind: FindingKind, detail: string, refNum: number | undefined, flow: number | undefined): void;
}

export interface Conversation {
  id: number;
  ipProto: number;
  aAddr: string;
  aPort?: number;
  bAddr: string;
  bPort?: number;
  firstNum: number;
  lastNum: number;
  firstTs: bigint;
  lastTs: bigint;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  retransmissions: number;
  synNum?: number;
  synAckNum?: number;
  ackNum?: number;
  /** ACK time minus SYN time, once the handshake is complete. */
  rttNs?: bigint;
}

const FIN = 0x001, SYN = 0x002, RST = 0x004, ACK = 0x010;
const TCP = 6, UDP = 17;

/** a > b in sequence space. */
const gtSeq = (a: number, b: number) => ((b - a) | 0) < 0;
const ltSeq = (a: number, b: number) => ((a - b) | 0) < 0;
const leSeq = (a: number, b: number) => ((a - b) | 0) <= 0;
const u32 = (v: number) => v >>> 0;

/** One direction of a TCP conversation, as Wireshark keeps it (tcp_flow_t + its seq info). */
class TcpDir {
  /** The first sequence number of this direction (the SYN's, else one before the first
   *  segment's), set by its first segment. */
  baseSeq?: number;
  /** 0: no segment seen yet (Wireshark's sentinel too). */
  nextseq = 0;
  nextseqTs = 0n;
  nextseqFrame = 0;
  lastack = 0;
  lastackTs = 0n;
  /** G_MAXUINT32 until a segment is seen, so the first one is never a duplicate. */
  window = 0xffffffff;
  dupacknum = 0;
  lastnondupack = 0;
  maxseqtobeacked = 0;
  /** The unacked segments, SEGMENT numbers each (their frame, seq and nextseq) one after the
   *  other: an object per segment lived until the other side's ACK, tens of thousands of
   *  packets later in a busy capture, so most were promoted to the old generation and died
   *  there (the ingest's reading thread spent a fifth of its time in the collector). */
  segments: number[] = [];
  lastFlags = 0;
}

// Wireshark's per-packet analysis flags (TCP_A_*), the ones we report or need later.
const A_RETRANSMISSION = 0x1, A_LOST_PACKET = 0x2, A_ACK_LOST_PACKET = 0x4, A_KEEP_ALIVE = 0x8,
  A_DUPLICATE_ACK = 0x10, A_ZERO_WINDOW = 0x20, A_ZERO_WINDOW_PROBE = 0x40,
  A_ZERO_WINDOW_PROBE_ACK = 0x80, A_KEEP_ALIVE_ACK = 0x100, A_OUT_OF_ORDER = 0x200,
  A_FAST_RETRANSMISSION = 0x400, A_WINDOW_UPDATE = 0x800, A_SPURIOUS_RETRANSMISSION = 0x2000;
/** A segment's numbers in TcpDir.segments: frame, seq, nextseq. */
const SEGMENT = 3;
/** Wireshark keeps this many unacked segments per direction at most. */
const MAX_UNACKED = 10000;

/** A conversation as the analysis keeps it: its figures, its endpoints' numbers and its TCP
 *  state in one object (they were four: the conversation, its TCP state, the array of its two
 *  directions; each a cache miss on a packet of one of tens of thousands of conversations). */
class ConvState {
  packetsAB = 0;
  bytesAB = 0;
  packetsBA = 0;
  bytesBA = 0;
  retransmissions = 0;
  lastNum: number;
  lastTs: bigint;
  synNum?: number = undefined;
  synAckNum?: number = undefined;
  ackNum?: number = undefined;
  rttNs?: bigint = undefined;
  synTs?: bigint = undefined;
  firstRttNs = 0n;
  /** TCP's two directions: from endpoint a (d0) and from b (d1); null until a TCP segment. */
  d0: TcpDir | null = null;
  d1: TcpDir | null = null;

  constructor(
    readonly id: number, readonly ipProto: number,
    readonly aAddr: string, readonly aPort: number | undefined, readonly bAddr: string, readonly bPort: number | undefined,
    /** Whether the conversation is keyed by ports (TCP and UDP with them). */
    readonly hasPorts: boolean,
    readonly firstNum: number, readonly firstTs: bigint,
    /** Endpoint a's and b's numbers (endpointId). */
    readonly aId: number, readonly bId: number,
  ) {
    this.lastNum = firstNum;
    this.lastTs = firstTs;
  }

  toConversation(): Conversation {
    const c: Conversation = {
      id: this.id, ipProto: this.ipProto, aAddr: this.aAddr, bAddr: this.bAddr,
      ...(this.hasPorts ? { aPort: this.aPort, bPort: this.bPort } : {}),
      firstNum: this.firstNum, lastNum: this.lastNum, firstTs: this.firstTs, lastTs: this.lastTs,
      packetsAB: this.packetsAB, bytesAB: this.bytesAB, packetsBA: this.packetsBA, bytesBA: this.bytesBA,
      retransmissions: this.retransmissions,
    };
    if (this.synNum !== undefined) c.synNum = this.synNum;
    if (this.synAckNum !== undefined) c.synAckNum = this.synAckNum;
    if (this.ackNum !== undefined) c.ackNum = this.ackNum;
    if (this.rttNs !== undefined) c.rttNs = this.rttNs;
    return c;
  }
}

function endpoint(addr: string, port: number | undefined): string {
  return port === undefined ? addr : `${addr}\u0000${port}`;
}

/** Past this many distinct addresses the numeric keys below would lose exactness (2^28: a
 *  capture would need over a hundred million packets to get there). */
const MAX_ADDRESSES = 2 ** 28;

export class PacketAnalysis {
  /** Conversations by IP protocol and their two endpoints as numbers (an address's id × 65537 +
   *  its port, or + 65536 without one), the lower one first, in one open-addressing table of
   *  typed arrays (ConversationIndex). A 5-tuple key built as a string for every packet was a
   *  third of the ingest's main thread; three nested Maps of numbers after it still a fifth
   *  (three hash lookups per packet, keys past V8's small integers, cache misses on 36k
   *  conversations' Maps). */
  private readonly index = new ConversationIndex();
  private readonly addrIds = new Map<string, number>();
  private readonly convs: ConvState[] = [];
  /** Set by slot(): whether the source is the lower endpoint, the table's slot of the 5-tuple
   *  (ConversationIndex.find), the source's and destination's numbers (fields, not a returned
   *  object: it runs for every packet). */
  private keyForward = true;
  private slotAt = 0;
  private srcId = 0;
  private dstId = 0;

  constructor(private readonly findings: FindingSink) {}

  /** The conversations so far, in order of their first packet. */
  conversations(): Conversation[] {
    return this.convs.map((c) => c.toConversation());
  }

  private endpointId(addr: string, port: number | undefined): number {
    let id = this.addrIds.get(addr);
    if (id === undefined) {
      id = this.addrIds.size;
      if (id >= MAX_ADDRESSES) throw new Error(`more than ${MAX_ADDRESSES} distinct addresses`);
      this.addrIds.set(addr, id);
    }
    return id * 65537 + (port ?? 65536);
  }

  /** Finds the table's slot of a 5-tuple (slotAt); sets keyForward, srcId and dstId. */
  private slot(proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined): void {
    const a = this.endpointId(src, sport), b = this.endpointId(dst, dport);
    this.srcId = a;
    this.dstId = b;
    this.keyForward = a <= b;
    this.slotAt = a <= b ? this.index.find(proto, a, b) : this.index.find(proto, b, a);
  }

  /** The conversation of a 5-tuple as it stands (for an ICMP error's quoted packet). */
  private lookup(proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined): ConvState | undefined {
    this.slot(proto, src, sport, dst, dport);
    const i = this.index.at(this.slotAt);
    return i < 0 ? undefined : this.convs[i];
  }

  /** Whether the packet goes from endpoint a to b (a conversation of an endpoint with itself:
   *  by the key's order, which is the first packet's). Endpoint numbers stand for address and
   *  port (as the conversation was keyed), so no texts are compared. */
  private isAB(st: ConvState, forward: boolean): boolean {
    if (st.aId === st.bId) return forward === (endpoint(st.aAddr, st.aPort) <= endpoint(st.bAddr, st.bPort));
    return st.aId === this.srcId;
  }

  /** One packet, in file order: its findings go to the sink; returns its conversation's id
   *  (undefined: none). */
  add(p: PacketRow): number | undefined {
    if (p.malformed !== undefined) this.findings.finding(p.num, "malformed", p.malformed, undefined, undefined);
    const isIcmpError = (p.ipProto === 1 && p.icmpType === 3 && p.icmpCode === 4) || (p.ipProto === 58 && p.icmpType === 2);
    if (isIcmpError) {
      const q = p.icmpQuoted;
      const hit = q && this.lookup(q.ipProto, q.src, q.sport, q.dst, q.dport);
      const what = q ? `${q.src}${q.sport !== undefined ? `:${q.sport}` : ""} → ${q.dst}${q.dport !== undefined ? `:${q.dport}` : ""}` : "an unquoted packet";
      const mtu = p.icmpMtu !== undefined ? `MTU ${p.icmpMtu}` : "no MTU";
      this.findings.finding(p.num, p.ipProto === 1 ? "frag-needed" : "packet-too-big",
        `${p.ipProto === 1 ? "fragmentation needed" : "packet too big"}, ${mtu}, from ${p.src} for ${what}`,
        hit ? hit.lastNum : undefined, hit ? hit.id : undefined);
      return undefined;
    }
    return p.ipProto !== undefined && p.ipVersion !== undefined ? this.track(p) : undefined;
  }

  private track(p: PacketRow): number {
    const proto = p.ipProto!;
    const ports = proto === TCP || proto === UDP;
    this.slot(proto, p.src, ports ? p.sport : undefined, p.dst, ports ? p.dport : undefined);
    const at = this.slotAt;
    const forward = this.keyForward;
    const found = this.index.at(at);
    let st = found < 0 ? undefined : this.convs[found];
    const flags = p.tcpFlags ?? 0;
    const isTcp = proto === TCP && p.tcpFlags !== undefined && p.tcpSeq !== undefined;
    // Port reuse, as Wireshark 4.0 tells it: a SYN whose sequence number is not the one its
    // direction started with begins a new conversation.
    if (st?.d0 && isTcp && (flags & (SYN | ACK)) === SYN) {
      const base = (this.isAB(st, forward) ? st.d0 : st.d1!).baseSeq;
      if (base !== undefined && base !== u32(p.tcpSeq!)) st = undefined;
    }
    if (!st) {
      const hasPorts = ports && p.sport !== undefined;
      st = new ConvState(this.convs.length + 1, proto, p.src, hasPorts ? p.sport : undefined, p.dst, hasPorts ? p.dport : undefined,
        hasPorts, p.num, p.ts, this.srcId, this.dstId);
      // The slot's conversation from now on (a reused port's new one replaces the old there).
      this.index.set(at, proto, forward ? this.srcId : this.dstId, forward ? this.dstId : this.srcId, this.convs.length);
      this.convs.push(st);
    }
    const c = st;
    const ab = this.isAB(st, forward);
    if (ab) { c.packetsAB++; c.bytesAB += p.len; } else { c.packetsBA++; c.bytesBA += p.len; }
    c.lastNum = p.num;
    c.lastTs = p.ts;
    if (isTcp) this.tcp(st, p, ab ? 0 : 1);
    return c.id;
  }

  private tcp(st: ConvState, p: PacketRow, d: 0 | 1): void {
    const c = st, t = st;
    const d0 = st.d0 ??= new TcpDir(), d1 = st.d1 ??= new TcpDir();
    const fwd = d === 0 ? d0 : d1, rev = d === 0 ? d1 : d0;
    const flags = p.tcpFlags!, seq = u32(p.tcpSeq!), ack = u32(p.tcpAck ?? 0);
    const seglen = p.tcpLen ?? 0, window = p.tcpWin ?? 0, ts = p.ts, num = p.num;

    // The handshake, for the conversation's RTT (and Wireshark's out-of-order threshold).
    if ((flags & (SYN | ACK)) === SYN) {
      if (c.synNum === undefined) { c.synNum = num; t.synTs = ts; }
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      if (c.synAckNum === undefined && c.synNum !== undefined) c.synAckNum = num;
    } else if ((flags & ACK) && c.synAckNum !== undefined && c.ackNum === undefined && t.synTs !== undefined && !(flags & (RST | FIN)) && d === 0) {
      c.ackNum = num;
      c.rttNs = ts - t.synTs;
      t.firstRttNs = c.rttNs;
    }
    const sink = this.findings;
    if (flags & RST) sink.finding(num, "reset", `connection reset by ${p.src}:${p.sport}`, undefined, c.id);

    let a = 0;
    fwd.baseSeq ??= flags & SYN ? seq : u32(seq - 1);

    let skipToFinished = false;
    // Zero window probe: 1 byte at the next expected sequence number into a zero window.
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      a |= A_ZERO_WINDOW_PROBE;
      skipToFinished = true;
    }
    if (!skipToFinished) {
      if (window === 0 && (flags & (RST | FIN | SYN)) === 0) a |= A_ZERO_WINDOW;
      if (fwd.nextseq && gtSeq(seq, fwd.nextseq) && (flags & RST) === 0) a |= A_LOST_PACKET;
      if ((seglen === 0 || seglen === 1) && seq === u32(fwd.nextseq - 1) && (flags & (SYN | FIN | RST)) === 0) a |= A_KEEP_ALIVE;
      const sameAck = seglen === 0 && seq === fwd.nextseq && ack === fwd.lastack && (flags & (SYN | FIN | RST)) === 0;
      if (sameAck && window && window !== fwd.window) a |= A_WINDOW_UPDATE;
      if (sameAck && window && window === fwd.window && (rev.lastFlags & A_KEEP_ALIVE)) {
        a |= A_KEEP_ALIVE_ACK;
        skipToFinished = true;
      } else if (sameAck && window === 0 && window === fwd.window && (rev.lastFlags & A_ZERO_WINDOW_PROBE)) {
        a |= A_ZERO_WINDOW_PROBE_ACK;
        skipToFinished = true;
      } else if (sameAck && window && window === fwd.window) {
        fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
        a |= A_DUPLICATE_ACK;
        sink.finding(num, "duplicate-ack", `duplicate ACK #${fwd.dupacknum} of ${fwd.lastnondupack}`, fwd.lastnondupack, c.id);
      }
    }
    // finished_fwd:
    if (ack !== fwd.lastack) {
      fwd.lastnondupack = num;
      fwd.dupacknum = 0;
    }
    if (rev.maxseqtobeacked && gtSeq(ack, rev.maxseqtobeacked) && (flags & ACK)) {
      // A plain comparison in Wireshark too, not a sequence-space one.
      if (rev.maxseqtobeacked > rev.nextseq) {
        rev.maxseqtobeacked = rev.nextseq;
        a |= A_ACK_LOST_PACKET;
      } else {
        if (rev.dupacknum === 0) a |= A_ACK_LOST_PACKET;
        rev.dupacknum = -1;
      }
    }
    let retransmitOf: number | undefined;
    if (seglen > 0 || (flags & (SYN | FIN))) {
      let notAdvanced = fwd.nextseq !== 0 && ltSeq(seq, fwd.nextseq);
      if (!(a & A_KEEP_ALIVE)) {
        if (seglen > 1 && u32(fwd.nextseq - 1) === seq) notAdvanced = false;
        if (seglen > 0 && rev.lastack && leSeq(u32(seq + seglen), rev.lastack)) {
          a |= A_SPURIOUS_RETRANSMISSION;
        } else if (notAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && ts - rev.lastackTs < 20_000_000n) {
          a |= A_FAST_RETRANSMISSION;
        } else if (notAdvanced && ts - fwd.nextseqTs < (t.firstRttNs === 0n ? 3_000_000n : t.firstRttNs) &&
                   fwd.nextseq !== u32(seq + seglen + (flags & (SYN | FIN) ? 1 : 0))) {
          a |= A_OUT_OF_ORDER;
        } else if (notAdvanced) {
          a |= A_RETRANSMISSION;
        }
        if (a & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) {
          // The segment it repeats: the eldest unacked one in this direction (Wireshark's rto_frame).
          retransmitOf = fwd.segments.length ? fwd.segments[0] : fwd.nextseqFrame;
        }
      }
    }
    if (a & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) {
      c.retransmissions++;
      const kind = a & A_FAST_RETRANSMISSION ? "fast retransmission" : a & A_SPURIOUS_RETRANSMISSION ? "spurious retransmission" : "retransmission";
      sink.finding(num, "retransmission", `${kind} of ${seglen} bytes${retransmitOf ? ` (first sent in #${retransmitOf})` : ""}`, retransmitOf || undefined, c.id);
    }
    if (a & A_OUT_OF_ORDER) sink.finding(num, "out-of-order", `out-of-order segment of ${seglen} bytes`, undefined, c.id);
    if (a & A_LOST_PACKET) sink.finding(num, "lost-segment", "previous segment not captured", undefined, c.id);
    if (a & A_ZERO_WINDOW) sink.finding(num, "zero-window", `${p.src}:${p.sport} advertises a zero window`, undefined, c.id);

    // finished_checking_retransmission_type:
    let nextseq = u32(seq + seglen);
    if ((seglen || (flags & (SYN | FIN)))) {
      if (flags & (SYN | FIN)) nextseq = u32(nextseq + 1);
      if (fwd.segments.length < MAX_UNACKED * SEGMENT) fwd.segments.push(num, seq, nextseq);
    }
    if ((gtSeq(nextseq, fwd.nextseq) || !fwd.nextseq) && !(a & A_ZERO_WINDOW_PROBE)) {
      fwd.nextseq = nextseq;
      fwd.nextseqFrame = num;
      fwd.nextseqTs = ts;
    }
    if ((seq === fwd.maxseqtobeacked || !fwd.maxseqtobeacked) && !(a & A_ZERO_WINDOW_PROBE)) fwd.maxseqtobeacked = fwd.nextseq;
    fwd.window = window;
    fwd.lastack = ack;
    fwd.lastackTs = ts;
    fwd.lastFlags = a;
    // Segments of the other direction this ACK covers are done with (compacted in place: this
    // runs for every TCP packet).
    const segs = rev.segments;
    let keep = 0;
    for (let i = 0; i < segs.length; i += SEGMENT) {
      const frame = segs[i], useq = segs[i + 1], unext = segs[i + 2];
      let kept = false, keptSeq = useq;
      if (ack !== unext) {
        if (gtSeq(ack, useq) && leSeq(ack, unext)) { keptSeq = ack; kept = true; }
        else if (gtSeq(unext, ack)) kept = true;
      }
      if (kept) {
        segs[keep] = frame;
        segs[keep + 1] = keptSeq;
        segs[keep + 2] = unext;
        keep += SEGMENT;
      }
    }
    segs.length = keep;
  }
}

/** Conversation numbers (indexes into PacketAnalysis.convs) by (IP protocol, lower endpoint,
 *  higher endpoint): open addressing with linear probing, half full at most, each slot's four
 *  numbers side by side in one Float64Array (lower, higher, protocol, conversation + 1; 0: an
 *  empty slot), so that a lookup touches one cache line. Endpoints are below 2^45
 *  (MAX_ADDRESSES × 65537): exact in a double, not in an int32. */
class ConversationIndex {
  private slots = new Float64Array(1024 * 4);
  private mask = 1023;
  private used = 0;

  /** The slot holding the key, or the empty slot where it would go. */
  find(proto: number, lo: number, hi: number): number {
    // ToInt32 of each endpoint keeps its low 32 bits (an address id's low bits and the port).
    let h = Math.imul((lo | 0) ^ Math.imul(hi | 0, 0x9e3779b1), 0x85ebca6b) ^ proto;
    h ^= h >>> 15;
    const s = this.slots;
    let i = Math.imul(h, 0x2c1b3c6d) & this.mask;
    while (s[i * 4 + 3] !== 0) {
      if (s[i * 4] === lo && s[i * 4 + 1] === hi && s[i * 4 + 2] === proto) return i;
      i = (i + 1) & this.mask;
    }
    return i;
  }

  /** The conversation in a slot find() gave, or -1. */
  at(slot: number): number {
    return this.slots[slot * 4 + 3] - 1;
  }

  /** Puts a conversation in a slot find() gave for this key (the last call: it may grow). */
  set(slot: number, proto: number, lo: number, hi: number, conv: number): void {
    const s = this.slots, o = slot * 4;
    if (s[o + 3] === 0) this.used++;
    s[o] = lo;
    s[o + 1] = hi;
    s[o + 2] = proto;
    s[o + 3] = conv + 1;
    if (this.used * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length / 4 - 1;
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 3] === 0) continue;
      this.slots.set(old.subarray(o, o + 4), this.find(old[o + 2], old[o], old[o + 1]) * 4);
    }
  }
}
