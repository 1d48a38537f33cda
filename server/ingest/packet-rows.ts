// A packet's summary as a row of the packets table (db/migrations/packets-002.sql: packet_rows,
// read through the view `packets`) and back.

import type { PacketRow } from "../core/filter/packet-fields";
import { FIXED_DETAILS, type AddressIds, type Conversation, type FindingKind, type FindingSink } from "../core/analyses/packet-analysis";
import type { DecodedPacket } from "../core/packets/types";
import { CONVERSATION_COLS, FINDING_KIND_CODES, NCOLS, NumberColumn, TextColumn, type PacketBatch } from "./packet-writer";

/** Where a packet lives in the kept file. */
export interface PacketPlace {
  offset: number;
  linktype: number;
}

/** Packets as batches of rows for the writer (packet-writer.ts): PACKET_COLS float64s each, the
 *  texts of Protocol, Source, Destination and malformed interned (a capture has few distinct
 *  ones), the Info texts (but a plain TCP segment's, which its numbers make) and the findings'
 *  details as buffers of texts (TextColumn). */
export class PacketRowBuilder implements FindingSink, AddressIds {
  private readonly ids = new Map<string, number>();
  private strings: [number, string][] = [];
  private rows: Float64Array;
  private readonly infos = new TextColumn();
  private readonly infoNums = new NumberColumn();
  private readonly details = new TextColumn();
  private readonly findings = new NumberColumn();
  private conversations: Float64Array | undefined;
  count = 0;
  /** The last row's Source and Destination as interned (the analysis keys conversations by them). */
  srcId = 0;
  dstId = 0;
  /** The last Protocol text and its number: most packets have their previous one's (the same
   *  constant text from the decoder), a Map lookup less. */
  private lastProto: string | undefined;
  private lastProtoId = 0;

  constructor(readonly capacity: number) {
    this.rows = new Float64Array(capacity * NCOLS);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  id(address: string): number {
    return this.intern(address);
  }

  find(address: string): number | undefined {
    return this.ids.get(address);
  }

  private intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(s, id);
      this.strings.push([id, s]);
    }
    return id;
  }

  /** One packet's row, its conversation NULL until flow() gives one; `relTs`: its time in ns
   *  since the capture's base time (meta.base_ts), as stored (a double holds the difference
   *  exactly for 104 days; the absolute ns would not fit one). */
  add(p: PacketRow & Partial<Pick<DecodedPacket, "plainTcpInfo">>, place: PacketPlace, relTs: number): void {
    const r = this.rows;
    const o = this.count++ * NCOLS;
    r[o] = p.num;
    r[o + 1] = relTs;
    r[o + 2] = p.len;
    r[o + 3] = p.caplen;
    r[o + 4] = place.offset;
    r[o + 5] = place.linktype;
    if (p.proto !== this.lastProto) {
      this.lastProtoId = this.intern(p.proto);
      this.lastProto = p.proto;
    }
    r[o + 6] = this.lastProtoId;
    r[o + 7] = this.srcId = this.intern(p.src);
    r[o + 8] = this.dstId = this.intern(p.dst);
    r[o + 9] = p.ipVersion ?? NaN;
    r[o + 10] = p.ipProto ?? NaN;
    r[o + 11] = p.sport ?? NaN;
    r[o + 12] = p.dport ?? NaN;
    r[o + 13] = p.tcpFlags ?? NaN;
    r[o + 14] = p.tcpSeq ?? NaN;
    r[o + 15] = p.tcpAck ?? NaN;
    r[o + 16] = p.tcpWin ?? NaN;
    r[o + 17] = p.tcpLen ?? NaN;
    r[o + 18] = p.icmpType ?? NaN;
    r[o + 19] = p.icmpCode ?? NaN;
    r[o + 20] = p.icmpMtu ?? NaN;
    r[o + 21] = p.vrrpVrid ?? NaN;
    r[o + 22] = p.vrrpPriority ?? NaN;
    r[o + 23] = p.dnsId ?? NaN;
    r[o + 24] = p.malformed === undefined ? NaN : this.intern(p.malformed);
    r[o + 25] = NaN;
    if (!p.plainTcpInfo) {
      this.infoNums.push(p.num);
      this.infos.add(p.info);
    }
  }

  /** The last row's conversation. */
  flow(id: number | undefined): void {
    if (id !== undefined) this.rows[(this.count - 1) * NCOLS + 25] = id;
  }

  finding(num: number, kind: FindingKind, detail: string, refNum: number | undefined, flow: number | undefined): void {
    const f = this.findings;
    f.push(num);
    f.push(FINDING_KIND_CODES[kind]);
    f.push(refNum ?? NaN);
    f.push(flow ?? NaN);
    // A kind's fixed detail is not stored (packets-005.sql): an empty text stands for it.
    this.details.add(detail === FIXED_DETAILS[kind] ? "" : detail);
  }

  /** The capture's conversations, as rows of CONVERSATION_COLS, for the next take (after the
   *  last packet); times stored relative to `baseTs`, as the packets'. */
  addConversations(list: Conversation[], baseTs: bigint): void {
    const n = CONVERSATION_COLS.length;
    const r = new Float64Array(list.length * n);
    const opt = (v: number | bigint | undefined) => (v === undefined ? NaN : Number(v));
    list.forEach((c, i) => {
      r.set([
        c.id, c.ipProto, this.intern(c.aAddr), opt(c.aPort), this.intern(c.bAddr), opt(c.bPort), c.firstNum, c.lastNum,
        Number(c.firstTs - baseTs), Number(c.lastTs - baseTs), c.packetsAB, c.bytesAB, c.packetsBA, c.bytesBA,
        c.retransmissions, opt(c.synNum), opt(c.synAckNum), opt(c.ackNum), opt(c.rttNs),
      ], i * n);
    });
    this.conversations = r;
  }

  /** What was added since the last take, or undefined when nothing was; `spare` (a rows
   *  buffer the writer is done with) is filled next. */
  take(spare?: Float64Array): PacketBatch | undefined {
    if (this.count === 0 && this.findings.length === 0 && this.strings.length === 0 && !this.conversations) return undefined;
    const infos = this.infos.take(), infoNums = this.infoNums.take();
    const findings = this.findings.take(), details = this.details.take();
    const b: PacketBatch = {
      rows: this.rows, count: this.count, strings: this.strings, infos, infoNums, findings, details,
      chunks: [{ data: infos }, { data: new Uint8Array(infoNums.buffer) }, { data: new Uint8Array(findings.buffer) }, { data: details }],
    };
    if (this.conversations) {
      b.conversations = this.conversations;
      b.chunks.push({ data: new Uint8Array(this.conversations.buffer) });
      this.conversations = undefined;
    }
    this.rows = spare ?? new Float64Array(this.capacity * NCOLS);
    this.count = 0;
    this.strings = [];
    return b;
  }
}

/** A stored row (SELECT p.* ...) back to a PacketRow; `baseTs` as it was stored with. */
export function rowToPacket(r: Record<string, unknown>, baseTs: bigint): PacketRow {
  const opt = (v: unknown) => (v === null || v === undefined ? undefined : (v as number));
  const p: PacketRow = {
    num: r.num as number, ts: baseTs + BigInt(r.ts as number), len: r.len as number,
    caplen: r.caplen as number, proto: r.proto as string, info: r.info as string,
    src: r.src as string, dst: r.dst as string,
  };
  const set = <K extends keyof PacketRow>(k: K, v: unknown) => {
    if (v !== null && v !== undefined) p[k] = v as PacketRow[K];
  };
  set("ipVersion", opt(r.ip_version));
  set("ipProto", opt(r.ip_proto));
  set("sport", opt(r.sport));
  set("dport", opt(r.dport));
  set("tcpFlags", opt(r.tcp_flags));
  set("tcpSeq", opt(r.tcp_seq));
  set("tcpAck", opt(r.tcp_ack));
  set("tcpWin", opt(r.tcp_win));
  set("tcpLen", opt(r.tcp_len));
  set("icmpType", opt(r.icmp_type));
  set("icmpCode", opt(r.icmp_code));
  set("icmpMtu", opt(r.icmp_mtu));
  set("vrrpVrid", opt(r.vrrp_vrid));
  set("vrrpPriority", opt(r.vrrp_prio));
  set("dnsId", opt(r.dns_id));
  set("malformed", r.malformed);
  return p;
}
