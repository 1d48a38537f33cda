// Makes the packet benchmark's capture with our pcap writer: a traffic mix of the kind the
// seed investigations read (TCP conversations with handshakes, data and ACKs over IPv4 and
// IPv6, some VLAN-tagged; DNS over UDP; ICMP echo and frag-needed; ARP; VRRP adverts), captured
// at a snaplen of 128 bytes as `tcpdump -s 128` would (headers, not payloads: origLen keeps the
// size on the wire). A seeded generator: the same file for the same count on every machine.

import { openSync, writeSync, closeSync } from "node:fs";
import { pcapFileHeader, writePcapRecord } from "../server/core/formats/pcap/writer";

const SNAPLEN = 128;

class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    // xorshift32: enough for a traffic mix.
    let x = this.s;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
}

function eth(b: Uint8Array, type: number, vlan: number): number {
  b.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2], 0);
  let p = 12;
  if (vlan) {
    b[p] = 0x81; b[p + 1] = 0; b[p + 2] = vlan >> 8; b[p + 3] = vlan & 0xff;
    p += 4;
  }
  b[p] = type >> 8; b[p + 1] = type & 0xff;
  return p + 2;
}

function ipv4(b: Uint8Array, p: number, proto: number, src: number, dst: number, payload: number): number {
  const tot = 20 + payload;
  b.set([0x45, 0, tot >> 8, tot & 0xff, 0x12, 0x34, 0x40, 0, 64, proto, 0, 0], p);
  new DataView(b.buffer, b.byteOffset).setUint32(p + 12, src);
  new DataView(b.buffer, b.byteOffset).setUint32(p + 16, dst);
  return p + 20;
}

function ipv6(b: Uint8Array, p: number, next: number, a: number, c: number, payload: number): number {
  b.set([0x60, 0, 0, 0, payload >> 8, payload & 0xff, next, 64], p);
  b.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, a >> 8, a & 0xff], p + 8);
  b.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, c >> 8, c & 0xff], p + 24);
  return p + 40;
}

function tcp(b: Uint8Array, p: number, sport: number, dport: number, seq: number, ack: number, flags: number, opts: boolean): number {
  const dv = new DataView(b.buffer, b.byteOffset);
  const hlen = opts ? 32 : 20;
  dv.setUint16(p, sport); dv.setUint16(p + 2, dport);
  dv.setUint32(p + 4, seq >>> 0); dv.setUint32(p + 8, ack >>> 0);
  b[p + 12] = (hlen / 4) << 4; b[p + 13] = flags;
  dv.setUint16(p + 14, 64240); dv.setUint16(p + 16, 0); dv.setUint16(p + 18, 0);
  if (opts) b.set([2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10], p + 20);
  return p + hlen;
}

/** Writes `count` packets to `path`; returns the number written. */
export function makeBigPcap(path: string, count: number): number {
  const rng = new Rng(20261206);
  const fd = openSync(path, "w");
  writeSync(fd, pcapFileHeader(1, SNAPLEN));
  const out = new Uint8Array(8 << 20);
  let pos = 0;
  const frame = new Uint8Array(1600);
  let ts = 1_765_000_000_000_000_000n;
  let n = 0;
  // Open TCP conversations: [client, server, sport, dport, seqC, seqS, v6, vlan, state].
  const convs: { c: number; s: number; sp: number; dp: number; seqC: number; seqS: number; v6: boolean; vlan: number; state: number }[] = [];
  const put = (len: number, wire: number) => {
    if (pos + 16 + SNAPLEN > out.length) { writeSync(fd, out.subarray(0, pos)); pos = 0; }
    pos = writePcapRecord(out, pos, ts, frame.subarray(0, Math.min(len, SNAPLEN)), wire);
    n++;
  };
  while (n < count) {
    ts += BigInt(1000 + rng.int(40_000));
    frame.fill(0);
    const r = rng.next();
    if (r < 0.8) {
      if (convs.length < 200 || rng.next() < 0.02) {
        convs.push({ c: 1 + rng.int(250), s: 1 + rng.int(20), sp: 32768 + rng.int(28000), dp: [80, 443, 5432, 6379][rng.int(4)],
          seqC: rng.int(2 ** 32), seqS: rng.int(2 ** 32), v6: rng.next() < 0.12, vlan: rng.next() < 0.2 ? 100 + rng.int(10) : 0, state: 0 });
      }
      const i = rng.int(convs.length);
      const cv = convs[i];
      const toServer = cv.state === 0 || cv.state === 2 || (cv.state >= 3 && rng.next() < 0.5);
      const payload = cv.state < 3 ? 0 : rng.next() < 0.4 ? 0 : 1 + rng.int(1448);
      let flags = 0x10;
      if (cv.state === 0) flags = 0x02;
      else if (cv.state === 1) flags = 0x12;
      else if (cv.state >= 3 && payload) flags = 0x18;
      if (cv.state > 40 && rng.next() < 0.05) flags = 0x11;
      let p = eth(frame, cv.v6 ? 0x86dd : 0x0800, cv.vlan);
      const src = toServer ? cv.c : cv.s + 1000;
      const dst = toServer ? cv.s + 1000 : cv.c;
      const thl = cv.state < 2 ? 32 : 20;
      p = cv.v6 ? ipv6(frame, p, 6, src, dst, thl + payload) : ipv4(frame, p, 6, 0x0a000000 | src, 0x0a000000 | dst, thl + payload);
      p = tcp(frame, p, toServer ? cv.sp : cv.dp, toServer ? cv.dp : cv.sp, toServer ? cv.seqC : cv.seqS,
        toServer ? cv.seqS : cv.seqC, flags, cv.state < 2);
      if (toServer) cv.seqC += payload + (cv.state === 0 ? 1 : 0);
      else cv.seqS += payload + (cv.state === 1 ? 1 : 0);
      cv.state++;
      if (flags & 1) convs.splice(i, 1);
      put(p + payload, p + payload);
    } else if (r < 0.9) {
      // DNS query or answer.
      let p = eth(frame, 0x0800, 0);
      const q = rng.next() < 0.5;
      p = ipv4(frame, p, 17, q ? 0x0a000005 : 0x0a000035, q ? 0x0a000035 : 0x0a000005, 8 + 40);
      const dv = new DataView(frame.buffer);
      dv.setUint16(p, q ? 40000 + rng.int(20000) : 53); dv.setUint16(p + 2, q ? 53 : 40000 + rng.int(20000)); dv.setUint16(p + 4, 48);
      dv.setUint16(p + 8, rng.int(65536)); dv.setUint16(p + 10, q ? 0x0100 : 0x8180); dv.setUint16(p + 12, 1);
      frame.set([7, 101, 120, 97, 109, 112, 108, 101, 3, 99, 111, 109, 0, 0, 1, 0, 1], p + 20);
      put(p + 48, p + 48);
    } else if (r < 0.95) {
      // ICMP echo, now and then a frag-needed quoting a TCP header.
      let p = eth(frame, 0x0800, 0);
      const fragNeeded = rng.next() < 0.1;
      p = ipv4(frame, p, 1, 0x0a0000fe, 0x0a000000 | (1 + rng.int(250)), fragNeeded ? 36 : 64);
      frame[p] = fragNeeded ? 3 : 8; frame[p + 1] = fragNeeded ? 4 : 0;
      if (fragNeeded) {
        frame[p + 6] = 1480 >> 8; frame[p + 7] = 1480 & 0xff;
        const q = ipv4(frame, p + 8, 6, 0x0a000001, 0x0a0003e9, 1480);
        new DataView(frame.buffer).setUint32(q, 0x9c400050);
        put(q + 8, q + 8);
      } else put(p + 64, p + 64);
    } else if (r < 0.98) {
      const p = eth(frame, 0x0806, 0);
      frame.set([0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 2, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1 + rng.int(250)], p);
      put(60, 60);
    } else {
      let p = eth(frame, 0x0800, 0);
      p = ipv4(frame, p, 112, 0x0a000002, 0xe0000012, 20);
      frame.set([0x31, 1 + rng.int(3), 100, 1, 0, 100, 0, 0, 10, 0, 0, 100], p);
      put(p + 20, p + 20);
    }
  }
  writeSync(fd, out.subarray(0, pos));
  closeSync(fd);
  return n;
}
