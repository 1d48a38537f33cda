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

/** The kinds whose every finding has the same detail: the store keeps it once, in its view
 *  (db/migrations/packets-005.sql, which must say the same). */
export const FIXED_DETAILS: Readonly<Partial<Record<FindingKind, string>>> = { "lost-segment": "previous segment not captured" };

const FIN = 0x001, SYN = 0x002, RST = 0x004, ACK = 0x010;
const TCP = 6, UDP = 17;

/** a > b in sequence space. */
const gtSeq = (a: number, b: number) => ((b - a) | 0) < 0;
const ltSeq = (a: number, b: number) => ((a - b) | 0) < 0;
const leSeq = (a: number, b: number) => ((a - b) | 0) <= 0;
const u32 = (v: number) => v >>> 0;

// Wireshark's per-packet analysis flags (TCP_A_*), the ones we report or need later.
const A_RETRANSMISSION = 0x1, A_LOST_PACKET = 0x2, A_ACK_LOST_PACKET = 0x4, A_KEEP_ALIVE = 0x8,
  A_DUPLICATE_ACK = 0x10, A_ZERO_WINDOW = 0x20, A_ZERO_WINDOW_PROBE = 0x40,
  A_ZERO_WINDOW_PROBE_ACK = 0x80, A_KEEP_ALIVE_ACK = 0x100, A_OUT_OF_ORDER = 0x200,
  A_FAST_RETRANSMISSION = 0x400, A_WINDOW_UPDATE = 0x800, A_SPURIOUS_RETRANSMISSION = 0x2000;
/** A segment's numbers in a direction's unacked segments: frame, seq, nextseq. */
const SEGMENT = 3;
/** Wireshark keeps this many unacked segments per direction at most. */
const MAX_UNACKED = 10000;

// A conversation's numbers in PacketAnalysis.state, CONV float64s each (NaN: not yet): endpoint
// a's and b's numbers (PacketAnalysis.endpoint), its figures, its handshake's packets, whether a
// TCP segment was seen, its IP protocol (with the endpoints, the key ConversationIndex checks
// here), then TCP's two directions (from a, from b), DIR numbers each as Wireshark keeps a
// direction (tcp_flow_t and its seq info). One record in one typed array, not objects (a
// conversation, its two directions): bench/packets has 36k conversations, thousands open at a
// time, and each object was a cache miss on every packet, which made the analysis three times
// as dear per packet on 1 M packets as on 50k.
const A_ID = 0, B_ID = 1, PACKETS_AB = 2, BYTES_AB = 3, PACKETS_BA = 4, BYTES_BA = 5, RETRANSMISSIONS = 6, LAST_NUM = 7,
  SYN_NUM = 8, SYNACK_NUM = 9, ACK_NUM = 10, TCP_SEEN = 11, IP_PROTO = 12, TIMES0 = 13;
/** A direction's numbers, from its DIR0 + DIR × direction: the first sequence number (the SYN's,
 *  else one before the first segment's; NaN until its first segment); the next expected one (0:
 *  no segment yet, Wireshark's sentinel too) and the packet that set it; the last ACK; the window
 *  (G_MAXUINT32 until a segment, so the first one is never a duplicate); duplicate ACKs so far;
 *  the last packet with a new ACK; the highest sequence number to be acked; the last packet's
 *  analysis flags; how many of its unacked segments' numbers it holds, where (their slab in
 *  SegmentPool) and the slab's room in segments (0: none yet). */
const BASE_SEQ = 0, NEXTSEQ = 1, NEXTSEQ_FRAME = 2, LASTACK = 3, WINDOW = 4, DUPACKNUM = 5, LASTNONDUPACK = 6,
  MAXSEQTOBEACKED = 7, LAST_FLAGS = 8, UNACKED = 9, SEG_AT = 10, SEG_ROOM = 11, DIR = 12;
// A conversation's times, TIMES int64s in its record from TIMES0, read and written through
// PacketAnalysis.times (ns, exact; 0n until set; the SYN's and the RTT are set with SYN_NUM and
// ACK_NUM, which say whether they are): its last packet's, the SYN's, the handshake's RTT, the
// RTT the out-of-order test uses (0n until the handshake), then per direction the time its next
// expected sequence number was set and its last ACK's. In the record, not an array of their
// own: a packet reads and writes them with its conversation's numbers, and a second array was a
// second cache miss.
const LAST_TS = 0, SYN_TS = 1, RTT = 2, FIRST_RTT = 3, DIR_TS = 4, NEXTSEQ_TS = 0, LASTACK_TS = 1, TIMES = DIR_TS + 4;
const DIR0 = TIMES0 + TIMES;
const CONV = DIR0 + 2 * DIR;

/** What a conversation keeps that no packet changes. */
class ConvInfo {
  constructor(
    readonly ipProto: number,
    readonly aAddr: string, readonly aPort: number | undefined, readonly bAddr: string, readonly bPort: number | undefined,
    /** Whether the conversation is keyed by ports (TCP and UDP with them). */
    readonly hasPorts: boolean,
    readonly firstNum: number, readonly firstTs: bigint,
  ) {}
}

function endpoint(addr: string, port: number | undefined): string {
  return port === undefined ? addr : `${addr}\u0000${port}`;
}

/** Past this address number the numeric keys below would lose exactness (2^28: a capture
 *  would need over a hundred million packets to get there). */
const MAX_ADDRESSES = 2 ** 28;

/** Numbers for address texts, the same number for the same text, below MAX_ADDRESSES. */
export interface AddressIds {
  /** The address's number, made for it if it has none. */
  id(address: string): number;
  /** Its number, undefined if it has none. */
  find(address: string): number | undefined;
}

/** AddressIds of its own, for an analysis without a store that numbers addresses already. */
class AddressMap implements AddressIds {
  private readonly ids = new Map<string, number>();

  id(address: string): number {
    let id = this.ids.get(address);
    if (id === undefined) this.ids.set(address, (id = this.ids.size));
    return id;
  }

  find(address: string): number | undefined {
    return this.ids.get(address);
  }
}

export class PacketAnalysis {
  /** Conversations by IP protocol and their two endpoints as numbers (an address's id × 65537 +
   *  its port, or + 65536 without one), the lower one first, in one open-addressing table of
   *  typed arrays (ConversationIndex). A 5-tuple key built as a string for every packet was a
   *  third of the ingest's main thread; three nested Maps of numbers after it still a fifth
   *  (three hash lookups per packet, keys past V8's small integers, cache misses on 36k
   *  conversations' Maps). */
  private readonly index = new ConversationIndex();
  /** Conversation i (its id is i + 1): convs[i], its numbers at state[i × CONV], its times at
   *  state[i × CONV + TIMES0] (through times), its directions' unacked segments in segments
   *  (SEGMENT numbers each, as many as UNACKED says, from SEG_AT). */
  private readonly convs: ConvInfo[] = [];
  private state = new Float64Array(1024 * CONV);
  private readonly times = new Times(this.state.buffer);
  private readonly segments = new SegmentPool();
  /** Set by slot(): whether the source is the lower endpoint, the table's slot of the 5-tuple
   *  (ConversationIndex.find), the source's and destination's numbers (fields, not a returned
   *  object: it runs for every packet). */
  private keyForward = true;
  private slotAt = 0;
  private srcId = 0;
  private dstId = 0;

  /** `addresses`: the ingest's interned texts (its row builder's), so that a packet's addresses
   *  are hashed once, not again here (two Map lookups per packet were a tenth of the analysis). */
  constructor(private readonly findings: FindingSink, private readonly addresses: AddressIds = new AddressMap()) {}

  /** The conversations so far, in order of their first packet. */
  conversations(): Conversation[] {
    return this.convs.map((info, i) => {
      const r = this.state, o = i * CONV, t = o + TIMES0;
      const c: Conversation = {
        id: i + 1, ipProto: info.ipProto, aAddr: info.aAddr, bAddr: info.bAddr,
        ...(info.hasPorts ? { aPort: info.aPort, bPort: info.bPort } : {}),
        firstNum: info.firstNum, lastNum: r[o + LAST_NUM], firstTs: info.firstTs, lastTs: this.times.get(t + LAST_TS),
        packetsAB: r[o + PACKETS_AB], bytesAB: r[o + BYTES_AB], packetsBA: r[o + PACKETS_BA], bytesBA: r[o + BYTES_BA],
        retransmissions: r[o + RETRANSMISSIONS],
      };
      if (!Number.isNaN(r[o + SYN_NUM])) c.synNum = r[o + SYN_NUM];
      if (!Number.isNaN(r[o + SYNACK_NUM])) c.synAckNum = r[o + SYNACK_NUM];
      if (!Number.isNaN(r[o + ACK_NUM])) {
        c.ackNum = r[o + ACK_NUM];
        c.rttNs = this.times.get(t + RTT);
      }
      return c;
    });
  }

  /** An endpoint's number: its address's and its port. */
  private static endpoint(addressId: number, port: number | undefined): number {
    if (addressId >= MAX_ADDRESSES) throw new Error(`more than ${MAX_ADDRESSES} distinct addresses`);
    return addressId * 65537 + (port ?? 65536);
  }

  /** Finds the table's slot of a 5-tuple (slotAt), its addresses by number; sets keyForward,
   *  srcId and dstId. */
  private slot(proto: number, srcAddr: number, sport: number | undefined, dstAddr: number, dport: number | undefined): void {
    const a = PacketAnalysis.endpoint(srcAddr, sport), b = PacketAnalysis.endpoint(dstAddr, dport);
    this.srcId = a;
    this.dstId = b;
    this.keyForward = a <= b;
    this.slotAt = a <= b ? this.index.find(this.state, proto, a, b) : this.index.find(this.state, proto, b, a);
  }

  /** Whether the packet goes from endpoint a to b of conversation i (a conversation of an
   *  endpoint with itself: by the key's order, which is the first packet's). Endpoint numbers
   *  stand for address and port (as the conversation was keyed), so no texts are compared. */
  private isAB(i: number, forward: boolean): boolean {
    const r = this.state, o = i * CONV;
    if (r[o + A_ID] === r[o + B_ID]) {
      const c = this.convs[i];
      return forward === (endpoint(c.aAddr, c.aPort) <= endpoint(c.bAddr, c.bPort));
    }
    return r[o + A_ID] === this.srcId;
  }

  /** One packet, in file order: its findings go to the sink; returns its conversation's id
   *  (undefined: none). `srcAddr` and `dstAddr`: its addresses' numbers when the caller has them
   *  (from the AddressIds given to the constructor). */
  add(p: PacketRow, srcAddr?: number, dstAddr?: number): number | undefined {
    if (p.malformed !== undefined) this.findings.finding(p.num, "malformed", p.malformed, undefined, undefined);
    const isIcmpError = (p.ipProto === 1 && p.icmpType === 3 && p.icmpCode === 4) || (p.ipProto === 58 && p.icmpType === 2);
    if (isIcmpError) {
      const q = p.icmpQuoted;
      // The conversation of the quoted packet as it stands.
      let hit = -1;
      // An address without a number is in no conversation.
      const qSrc = q && this.addresses.find(q.src), qDst = q && this.addresses.find(q.dst);
      if (q && qSrc !== undefined && qDst !== undefined) {
        this.slot(q.ipProto, qSrc, q.sport, qDst, q.dport);
        hit = this.index.at(this.slotAt);
      }
      const what = q ? `${q.src}${q.sport !== undefined ? `:${q.sport}` : ""} → ${q.dst}${q.dport !== undefined ? `:${q.dport}` : ""}` : "an unquoted packet";
      const mtu = p.icmpMtu !== undefined ? `MTU ${p.icmpMtu}` : "no MTU";
      this.findings.finding(p.num, p.ipProto === 1 ? "frag-needed" : "packet-too-big",
        `${p.ipProto === 1 ? "fragmentation needed" : "packet too big"}, ${mtu}, from ${p.src} for ${what}`,
        hit < 0 ? undefined : this.state[hit * CONV + LAST_NUM], hit < 0 ? undefined : hit + 1);
      return undefined;
    }
    if (p.ipProto === undefined || p.ipVersion === undefined) return undefined;
    return this.track(p, srcAddr ?? this.addresses.id(p.src), dstAddr ?? this.addresses.id(p.dst));
  }

  private track(p: PacketRow, srcAddr: number, dstAddr: number): number {
    if (!this.times.holds(p.ts)) this.times.widen();
    const proto = p.ipProto!;
    const ports = proto === TCP || proto === UDP;
    this.slot(proto, srcAddr, ports ? p.sport : undefined, dstAddr, ports ? p.dport : undefined);
    const at = this.slotAt;
    const forward = this.keyForward;
    let i = this.index.at(at);
    const flags = p.tcpFlags ?? 0;
    const isTcp = proto === TCP && p.tcpFlags !== undefined && p.tcpSeq !== undefined;
    // Port reuse, as Wireshark 4.0 tells it: a SYN whose sequence number is not the one its
    // direction started with begins a new conversation.
    if (i >= 0 && isTcp && (flags & (SYN | ACK)) === SYN && this.state[i * CONV + TCP_SEEN] === 1) {
      const base = this.state[i * CONV + (this.isAB(i, forward) ? DIR0 : DIR0 + DIR) + BASE_SEQ];
      if (!Number.isNaN(base) && base !== u32(p.tcpSeq!)) i = -1;
    }
    if (i < 0) {
      i = this.open(p, proto, ports && p.sport !== undefined);
      // The slot's conversation from now on (a reused port's new one replaces the old there).
      this.index.set(this.state, at, i);
    }
    const r = this.state, o = i * CONV;
    const ab = this.isAB(i, forward);
    if (ab) { r[o + PACKETS_AB]++; r[o + BYTES_AB] += p.len; } else { r[o + PACKETS_BA]++; r[o + BYTES_BA] += p.len; }
    r[o + LAST_NUM] = p.num;
    this.times.set(i * CONV + TIMES0 + LAST_TS, p.ts);
    if (isTcp) this.tcp(i, p, ab ? 0 : 1);
    return i + 1;
  }

  /** A new conversation, its first packet p (from endpoint a); returns its number. */
  private open(p: PacketRow, proto: number, hasPorts: boolean): number {
    const i = this.convs.length;
    this.convs.push(new ConvInfo(proto, p.src, hasPorts ? p.sport : undefined, p.dst, hasPorts ? p.dport : undefined, hasPorts, p.num, p.ts));
    if ((i + 1) * CONV > this.state.length) {
      const old = this.state;
      this.state = new Float64Array(old.length * 2);
      this.state.set(old);
      this.times.moved(this.state.buffer);
    }
    const r = this.state, o = i * CONV;
    r[o + A_ID] = this.srcId;
    r[o + B_ID] = this.dstId;
    r[o + IP_PROTO] = proto;
    r[o + LAST_NUM] = p.num;
    r[o + SYN_NUM] = r[o + SYNACK_NUM] = r[o + ACK_NUM] = NaN;
    for (const d of [o + DIR0, o + DIR0 + DIR]) {
      r[d + BASE_SEQ] = NaN;
      r[d + WINDOW] = 0xffffffff;
    }
    this.times.open(o + TIMES0, p.ts);
    return i;
  }

  private tcp(i: number, p: PacketRow, d: 0 | 1): void {
    const r = this.state, o = i * CONV, times = this.times, t = o + TIMES0;
    r[o + TCP_SEEN] = 1;
    // The direction of this packet (fwd) and the other one (rev): their numbers, times, segments.
    const fwd = o + DIR0 + d * DIR, rev = o + DIR0 + (1 - d) * DIR;
    const fwdTs = t + DIR_TS + 2 * d, revTs = t + DIR_TS + 2 * (1 - d);
    const flags = p.tcpFlags!, seq = u32(p.tcpSeq!), ack = u32(p.tcpAck ?? 0);
    const seglen = p.tcpLen ?? 0, window = p.tcpWin ?? 0, ts = p.ts, num = p.num, id = i + 1;

    // The handshake, for the conversation's RTT (and Wireshark's out-of-order threshold).
    if ((flags & (SYN | ACK)) === SYN) {
      if (Number.isNaN(r[o + SYN_NUM])) { r[o + SYN_NUM] = num; times.set(t + SYN_TS, ts); }
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      if (Number.isNaN(r[o + SYNACK_NUM]) && !Number.isNaN(r[o + SYN_NUM])) r[o + SYNACK_NUM] = num;
    } else if ((flags & ACK) && !Number.isNaN(r[o + SYNACK_NUM]) && Number.isNaN(r[o + ACK_NUM]) && !Number.isNaN(r[o + SYN_NUM]) && !(flags & (RST | FIN)) && d === 0) {
      r[o + ACK_NUM] = num;
      const rtt = ts - times.get(t + SYN_TS);
      times.set(t + RTT, rtt);
      times.set(t + FIRST_RTT, rtt);
    }
    const sink = this.findings;
    if (flags & RST) sink.finding(num, "reset", `connection reset by ${p.src}:${p.sport}`, undefined, id);

    let a = 0;
    if (Number.isNaN(r[fwd + BASE_SEQ])) r[fwd + BASE_SEQ] = flags & SYN ? seq : u32(seq - 1);
    const nextseq0 = r[fwd + NEXTSEQ], lastack0 = r[fwd + LASTACK], window0 = r[fwd + WINDOW];

    let skipToFinished = false;
    // Zero window probe: 1 byte at the next expected sequence number into a zero window.
    if (seglen === 1 && seq === nextseq0 && r[rev + WINDOW] === 0) {
      a |= A_ZERO_WINDOW_PROBE;
      skipToFinished = true;
    }
    if (!skipToFinished) {
      if (window === 0 && (flags & (RST | FIN | SYN)) === 0) a |= A_ZERO_WINDOW;
      if (nextseq0 && gtSeq(seq, nextseq0) && (flags & RST) === 0) a |= A_LOST_PACKET;
      if ((seglen === 0 || seglen === 1) && seq === u32(nextseq0 - 1) && (flags & (SYN | FIN | RST)) === 0) a |= A_KEEP_ALIVE;
      const sameAck = seglen === 0 && seq === nextseq0 && ack === lastack0 && (flags & (SYN | FIN | RST)) === 0;
      if (sameAck && window && window !== window0) a |= A_WINDOW_UPDATE;
      if (sameAck && window && window === window0 && (r[rev + LAST_FLAGS] & A_KEEP_ALIVE)) {
        a |= A_KEEP_ALIVE_ACK;
        skipToFinished = true;
      } else if (sameAck && window === 0 && window === window0 && (r[rev + LAST_FLAGS] & A_ZERO_WINDOW_PROBE)) {
        a |= A_ZERO_WINDOW_PROBE_ACK;
        skipToFinished = true;
      } else if (sameAck && window && window === window0) {
        const n = r[fwd + DUPACKNUM] = r[fwd + DUPACKNUM] === -1 ? 1 : r[fwd + DUPACKNUM] + 1;
        a |= A_DUPLICATE_ACK;
        sink.finding(num, "duplicate-ack", `duplicate ACK #${n} of ${r[fwd + LASTNONDUPACK]}`, r[fwd + LASTNONDUPACK], id);
      }
    }
    // finished_fwd:
    if (ack !== lastack0) {
      r[fwd + LASTNONDUPACK] = num;
      r[fwd + DUPACKNUM] = 0;
    }
    if (r[rev + MAXSEQTOBEACKED] && gtSeq(ack, r[rev + MAXSEQTOBEACKED]) && (flags & ACK)) {
      // A plain comparison in Wireshark too, not a sequence-space one.
      if (r[rev + MAXSEQTOBEACKED] > r[rev + NEXTSEQ]) {
        r[rev + MAXSEQTOBEACKED] = r[rev + NEXTSEQ];
        a |= A_ACK_LOST_PACKET;
      } else {
        if (r[rev + DUPACKNUM] === 0) a |= A_ACK_LOST_PACKET;
        r[rev + DUPACKNUM] = -1;
      }
    }
    let retransmitOf: number | undefined;
    if (seglen > 0 || (flags & (SYN | FIN))) {
      let notAdvanced = nextseq0 !== 0 && ltSeq(seq, nextseq0);
      if (!(a & A_KEEP_ALIVE)) {
        if (seglen > 1 && u32(nextseq0 - 1) === seq) notAdvanced = false;
        if (seglen > 0 && r[rev + LASTACK] && leSeq(u32(seq + seglen), r[rev + LASTACK])) {
          a |= A_SPURIOUS_RETRANSMISSION;
        } else if (notAdvanced && r[rev + DUPACKNUM] >= 2 && r[rev + LASTACK] === seq && ts - times.get(revTs + LASTACK_TS) < 20_000_000n) {
          a |= A_FAST_RETRANSMISSION;
        } else if (notAdvanced && ts - times.get(fwdTs + NEXTSEQ_TS) < outOfOrderLimit(times.get(t + FIRST_RTT)) &&
                   nextseq0 !== u32(seq + seglen + (flags & (SYN | FIN) ? 1 : 0))) {
          a |= A_OUT_OF_ORDER;
        } else if (notAdvanced) {
          a |= A_RETRANSMISSION;
        }
        if (a & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) {
          // The segment it repeats: the eldest unacked one in this direction (Wireshark's rto_frame).
          retransmitOf = r[fwd + UNACKED] ? this.segments.data[r[fwd + SEG_AT]] : r[fwd + NEXTSEQ_FRAME];
        }
      }
    }
    if (a & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) {
      r[o + RETRANSMISSIONS]++;
      const kind = a & A_FAST_RETRANSMISSION ? "fast retransmission" : a & A_SPURIOUS_RETRANSMISSION ? "spurious retransmission" : "retransmission";
      sink.finding(num, "retransmission", `${kind} of ${seglen} bytes${retransmitOf ? ` (first sent in #${retransmitOf})` : ""}`, retransmitOf || undefined, id);
    }
    if (a & A_OUT_OF_ORDER) sink.finding(num, "out-of-order", `out-of-order segment of ${seglen} bytes`, undefined, id);
    if (a & A_LOST_PACKET) sink.finding(num, "lost-segment", FIXED_DETAILS["lost-segment"]!, undefined, id);
    if (a & A_ZERO_WINDOW) sink.finding(num, "zero-window", `${p.src}:${p.sport} advertises a zero window`, undefined, id);

    // finished_checking_retransmission_type:
    let nextseq = u32(seq + seglen);
    if ((seglen || (flags & (SYN | FIN)))) {
      if (flags & (SYN | FIN)) nextseq = u32(nextseq + 1);
      const n = r[fwd + UNACKED];
      if (n < MAX_UNACKED * SEGMENT) {
        if (n === r[fwd + SEG_ROOM] * SEGMENT) this.segments.grow(r, fwd);
        const segs = this.segments.data, at = r[fwd + SEG_AT] + n;
        segs[at] = num;
        segs[at + 1] = seq;
        segs[at + 2] = nextseq;
        r[fwd + UNACKED] = n + SEGMENT;
      }
    }
    if ((gtSeq(nextseq, r[fwd + NEXTSEQ]) || !r[fwd + NEXTSEQ]) && !(a & A_ZERO_WINDOW_PROBE)) {
      r[fwd + NEXTSEQ] = nextseq;
      r[fwd + NEXTSEQ_FRAME] = num;
      times.set(fwdTs + NEXTSEQ_TS, ts);
    }
    if ((seq === r[fwd + MAXSEQTOBEACKED] || !r[fwd + MAXSEQTOBEACKED]) && !(a & A_ZERO_WINDOW_PROBE)) r[fwd + MAXSEQTOBEACKED] = r[fwd + NEXTSEQ];
    r[fwd + WINDOW] = window;
    r[fwd + LASTACK] = ack;
    times.set(fwdTs + LASTACK_TS, ts);
    r[fwd + LAST_FLAGS] = a;
    // Segments of the other direction this ACK covers are done with (compacted in place: this
    // runs for every TCP packet).
    const unacked = r[rev + UNACKED];
    if (unacked === 0) return;
    const segs = this.segments.data, at = r[rev + SEG_AT];
    let keep = at;
    for (let k = at; k < at + unacked; k += SEGMENT) {
      const frame = segs[k], useq = segs[k + 1], unext = segs[k + 2];
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
    r[rev + UNACKED] = keep - at;
  }
}

/** Every direction's unacked segments, SEGMENT numbers each, in slabs of one Float64Array: room
 *  for 4 segments at first, twice as much each time it is full (the slab before goes to a free
 *  list of its size), kept when emptied. An array of them per direction (72k for bench/packets'
 *  36k conversations) cost two or three cache misses a packet reaching them (the arrays' list,
 *  the array, its backing store); a slab costs one. */
class SegmentPool {
  data = new Float64Array(1 << 16);
  private top = 0;
  /** Free slabs' offsets by size: [k] holds slabs of 4 << k segments. */
  private readonly free: number[][] = [];

  /** Gives the direction whose numbers start at r[dir] a slab twice as big, its segments moved
   *  there (`data` may be a new array after). */
  grow(r: Float64Array, dir: number): void {
    const room = r[dir + SEG_ROOM], at = r[dir + SEG_AT];
    const bigger = room === 0 ? 4 : room * 2;
    const to = this.alloc(bigger);
    if (room > 0) {
      this.data.copyWithin(to, at, at + room * SEGMENT);
      this.sizeClass(room).push(at);
    }
    r[dir + SEG_AT] = to;
    r[dir + SEG_ROOM] = bigger;
  }

  private sizeClass(room: number): number[] {
    return (this.free[29 - Math.clz32(room)] ??= []);
  }

  private alloc(room: number): number {
    const reused = this.sizeClass(room).pop();
    if (reused !== undefined) return reused;
    const at = this.top, end = at + room * SEGMENT;
    if (end > this.data.length) {
      const old = this.data;
      this.data = new Float64Array(Math.max(old.length * 2, end));
      this.data.set(old.subarray(0, at));
    }
    this.top = end;
    return at;
  }
}

/** Wireshark's out-of-order threshold: the handshake's RTT, 3 ms before one (a time read from
 *  Times is a new bigint: read only for a segment that did not advance, not for every one). */
const outOfOrderLimit = (firstRtt: bigint) => (firstRtt === 0n ? 3_000_000n : firstRtt);

/** Times within ±2^62 ns of 1970 (146 years: every pcap's), and the differences of two of them,
 *  fit an int64. */
const TIME_LIMIT = 2n ** 62n, TIME_FLOOR = -TIME_LIMIT;

/** The conversations' times, exact: int64s in the conversations' records (a BigInt64Array over
 *  the same memory as PacketAnalysis.state, same indexes), 8 bytes in place, not a bigint object
 *  per packet that an array of them kept alive (with thousands of conversations open, most lived
 *  past a young-generation collection: copied, then promoted). A capture with a time past ±2^62
 *  ns (a pcapng's resolution or offset can make one) has them all moved to an array of bigints
 *  at the same indexes (widen), as they were kept before. */
class Times {
  private packed: BigInt64Array;
  private wide: bigint[] | null = null;

  constructor(records: ArrayBufferLike) {
    this.packed = new BigInt64Array(records);
  }

  /** The records moved to a bigger buffer. */
  moved(records: ArrayBufferLike): void {
    this.packed = new BigInt64Array(records);
  }

  /** Whether a time can be set (and differences of such times) without widen() first. */
  holds(ts: bigint): boolean {
    return this.wide !== null || (ts < TIME_LIMIT && ts > TIME_FLOOR);
  }

  widen(): void {
    this.wide = Array.from(this.packed);
  }

  get(i: number): bigint {
    return this.wide === null ? this.packed[i] : this.wide[i];
  }

  set(i: number, v: bigint): void {
    if (this.wide === null) this.packed[i] = v;
    else this.wide[i] = v;
  }

  /** A new conversation's times, from `at`: its first packet's as its last, the others 0n (a new
   *  record's memory is zeros already). */
  open(at: number, ts: bigint): void {
    if (this.wide !== null) for (let k = 0; k < TIMES; k++) this.wide[at + k] = 0n;
    this.set(at + LAST_TS, ts);
  }
}

/** Conversation numbers (indexes into PacketAnalysis.convs) by (IP protocol, lower endpoint,
 *  higher endpoint): open addressing with linear probing, half full at most, a slot holding the
 *  conversation's number + 1 (0: empty) and its key checked against the conversation's own state
 *  record (A_ID, B_ID, IP_PROTO), which the packet reads next anyway. Slots of the key's numbers
 *  beside it (32 bytes, not 4) made a table of 36k conversations 8 times as big, and its lookup
 *  a cache miss of its own on most packets (bench/packets). Endpoints are below 2^45
 *  (MAX_ADDRESSES × 65537): exact in a double, not in an int32. */
class ConversationIndex {
  private slots = new Int32Array(1024);
  private mask = 1023;
  private used = 0;

  /** The slot holding the key, or the empty slot where it would go; `state`: the conversations'
   *  records (PacketAnalysis.state). */
  find(state: Float64Array, proto: number, lo: number, hi: number): number {
    // ToInt32 of each endpoint keeps its low 32 bits (an address id's low bits and the port).
    let h = Math.imul((lo | 0) ^ Math.imul(hi | 0, 0x9e3779b1), 0x85ebca6b) ^ proto;
    h ^= h >>> 15;
    const s = this.slots;
    let i = Math.imul(h, 0x2c1b3c6d) & this.mask;
    for (let c = s[i]; c !== 0; c = s[i]) {
      const o = (c - 1) * CONV, a = state[o + A_ID], b = state[o + B_ID];
      if (state[o + IP_PROTO] === proto && (a <= b ? a === lo && b === hi : b === lo && a === hi)) return i;
      i = (i + 1) & this.mask;
    }
    return i;
  }

  /** The conversation in a slot find() gave, or -1. */
  at(slot: number): number {
    return this.slots[slot] - 1;
  }

  /** Puts conversation `conv` (its key in `state`) in a slot find() gave for its key (the last
   *  call: it may grow). */
  set(state: Float64Array, slot: number, conv: number): void {
    if (this.slots[slot] === 0) this.used++;
    this.slots[slot] = conv + 1;
    if (this.used * 2 > this.mask) this.grow(state);
  }

  private grow(state: Float64Array): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const c of old) {
      if (c === 0) continue;
      const o = (c - 1) * CONV, a = state[o + A_ID], b = state[o + B_ID];
      this.slots[this.find(state, state[o + IP_PROTO], Math.min(a, b), Math.max(a, b))] = c;
    }
  }
}
