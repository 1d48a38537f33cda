// TCP (RFC 9293): ports, sequence and acknowledgement numbers, the 12 flag bits as tshark's
// tcp.flags, window, and the options MSS, window scale, SACK permitted, SACK and timestamps.
// The Info column shows absolute sequence numbers (tshark shows them relative to the
// conversation's first: that needs the conversation, which the views build).

import type { Dissection } from "./dissection";
import { decodeDns, DNS_PORTS } from "./dns";

const FLAG_NAMES: [number, string][] = [
  [0x100, "AE"], [0x080, "CWR"], [0x040, "ECE"], [0x020, "URG"], [0x010, "ACK"], [0x008, "PSH"],
  [0x004, "RST"], [0x002, "SYN"], [0x001, "FIN"],
];

/** Made once per flag combination (at most 512): the Info column of every TCP packet needs one. */
const FLAG_TEXT: string[] = [];

export function tcpFlagNames(flags: number): string {
  const k = flags & 0x1ff;
  let t = FLAG_TEXT[k];
  if (t === undefined) {
    // tshark's order: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE.
    const out: string[] = [];
    for (let i = FLAG_NAMES.length - 1; i >= 0; i--) if (k & FLAG_NAMES[i][0]) out.push(FLAG_NAMES[i][1]);
    t = FLAG_TEXT[k] = out.join(", ");
  }
  return t;
}

/** A segment's Info text but for its option words: ports, flags, numbers (absolute sequence
 *  numbers). The packet store makes the same text in SQL from the numbers it keeps, for the
 *  segments it keeps no text of (db/migrations/packets-004.sql): a change here is one there. */
export function tcpInfo(sport: number, dport: number, flags: number, seq: number, ack: number, win: number, len: number): string {
  let info = `${sport} → ${dport} [${tcpFlagNames(flags)}] Seq=${seq}`;
  if (flags & 0x010) info += ` Ack=${ack}`;
  return `${info} Win=${win} Len=${len}`;
}

/** The Protocol and Info columns of a segment: tcpInfo, then the option words. Without option
 *  words the Info is what the numbers say (plainTcpInfo), and is not made at all when the
 *  decoding was asked for no such text (the ingest: building 800k of them was a fifth of its
 *  reading thread, copying them to SQLite as much again). */
function column(d: Dissection, sport: number, dport: number, flags: number, seq: number, ack: number, win: number, len: number, words: string): void {
  const plain = words === "";
  d.column("TCP", plain && !d.tcpInfoText ? "" : tcpInfo(sport, dport, flags, seq, ack, win, len) + words);
  d.out.plainTcpInfo = plain;
}

export function decodeTcp(d: Dissection, off: number, end: number): void {
  d.layer("tcp", off, Math.min(20, end - off));
  const quoted = d.quoted > 0;
  if (end - off < 4) {
    if (!quoted) d.column("TCP", "");
    d.malformed("tcp", `${end - off} bytes, shorter than a TCP header`, off);
    return;
  }
  const sport = d.u16(off);
  const dport = d.u16(off + 2);
  d.field("tcp.srcport", sport, off, 2);
  d.field("tcp.dstport", dport, off + 2, 2);
  if (quoted) {
    const q = d.out.icmpQuoted;
    if (q && q.sport === undefined) { q.sport = sport; q.dport = dport; }
  } else {
    d.out.sport = sport;
    d.out.dport = dport;
  }
  if (end - off < 20) {
    // An ICMP error quotes 8 bytes: ports and sequence number, not a fault (tshark shows the
    // ports of such a header and no more).
    if (!quoted) {
      d.column("TCP", `${sport} → ${dport} [header cut short]`);
      d.malformed("tcp", `${end - off} bytes, shorter than a TCP header`, off);
    }
    return;
  }
  const seq = d.u32(off + 4);
  const ack = d.u32(off + 8);
  const hlen = (d.u8(off + 12) >> 4) * 4;
  const flags = ((d.u8(off + 12) & 0x0f) << 8) | d.u8(off + 13);
  const win = d.u16(off + 14);
  d.field("tcp.seq_raw", seq, off + 4, 4);
  d.field("tcp.ack_raw", ack, off + 8, 4);
  d.field("tcp.hdr_len", hlen, off + 12, 1);
  d.field("tcp.flags", flags, off + 12, 2);
  d.field("tcp.window_size_value", win, off + 14, 2);
  d.field("tcp.checksum", d.u16(off + 16), off + 16, 2);
  d.field("tcp.urgent_pointer", d.u16(off + 18), off + 18, 2);
  if (hlen < 20) {
    // tshark stops at a bogus header length, after the flags.
    if (!quoted) {
      d.out.tcpFlags = flags;
      d.column("TCP", `${sport} → ${dport} [TCP Bogus header length (${hlen}, must be at least 20)]`);
    }
    d.malformed("tcp", `header length ${hlen}, under 20`, off + 12);
    return;
  }
  const len = Math.max(0, end - off - hlen);
  if (!quoted) {
    const o = d.out;
    o.tcpFlags = flags;
    o.tcpSeq = seq;
    o.tcpAck = ack;
    o.tcpWin = win;
    o.tcpLen = len;
    o.tcpWs = undefined;
    o.tcpMss = undefined;
  }
  if (end - off < hlen) {
    if (!quoted) column(d, sport, dport, flags, seq, ack, win, len, "");
    d.malformed("tcp", `header of ${hlen} bytes cut short at ${end - off}`, off);
    return;
  }
  d.layerLength(hlen);
  d.field("tcp.len", len, off, 0);
  const words = hlen > 20 ? options(d, off + 20, off + hlen, quoted) : "";
  if (!quoted) column(d, sport, dport, flags, seq, ack, win, len, words);
  if (len > 0 && !quoted && (DNS_PORTS.has(sport) || DNS_PORTS.has(dport)) && len >= 14) {
    // DNS over TCP: a two-byte length before the message.
    decodeDns(d, off + hlen + 2, end, "tcp");
    return;
  }
  d.payload(off + hlen, end);
}

/** The options, with tshark's Info words for the ones it shows (MSS, WS, SACK_PERM, TSval,
 *  TSecr, SLE/SRE). */
function options(d: Dissection, off: number, end: number, quoted: boolean): string {
  let info = "";
  while (off < end) {
    const kind = d.u8(off);
    if (kind === 0) break;
    if (kind === 1) { off++; continue; }
    if (off + 2 > end) { d.malformed("tcp", `option ${kind} cut short`, off); break; }
    const len = d.u8(off + 1);
    if (len < 2 || off + len > end) { d.malformed("tcp", `option ${kind} with a bad length ${len}`, off); break; }
    d.field("tcp.option_kind", kind, off, 1);
    if (kind === 2 && len === 4) {
      const mss = d.u16(off + 2);
      d.field("tcp.options.mss_val", mss, off + 2, 2);
      if (!quoted) d.out.tcpMss = mss;
      info += ` MSS=${mss}`;
    } else if (kind === 3 && len === 3) {
      const ws = d.u8(off + 2);
      d.field("tcp.options.wscale.shift", ws, off + 2, 1);
      if (!quoted) d.out.tcpWs = ws;
      info += ` WS=${2 ** Math.min(ws, 14)}`;
    } else if (kind === 4 && len === 2) {
      d.field("tcp.options.sack_perm", true, off, 2);
      info += " SACK_PERM";
    } else if (kind === 5 && (len - 2) % 8 === 0) {
      for (let p = off + 2; p + 8 <= off + len; p += 8) {
        d.field("tcp.options.sack_le", d.u32(p), p, 4);
        d.field("tcp.options.sack_re", d.u32(p + 4), p + 4, 4);
        info += ` SLE=${d.u32(p)} SRE=${d.u32(p + 4)}`;
      }
    } else if (kind === 8 && len === 10) {
      d.field("tcp.options.timestamp.tsval", d.u32(off + 2), off + 2, 4);
      d.field("tcp.options.timestamp.tsecr", d.u32(off + 6), off + 6, 4);
      info += ` TSval=${d.u32(off + 2)} TSecr=${d.u32(off + 6)}`;
    }
    off += len;
  }
  return info;
}
