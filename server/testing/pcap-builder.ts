// Test code: writes pcap and pcapng files with the edges the readers must handle (both byte
// orders, micro/nanosecond pcap, several pcapng sections, interfaces with if_tsresol (powers of
// 10 and of 2), if_tsoffset and if_fcslen, enhanced/simple/obsolete packet blocks, comments,
// name-resolution, statistics, custom and unknown blocks). tshark reads what it writes: the
// tests compare our reading of these files with tshark's, never with what was meant.

export interface PcapPacket {
  sec: number;
  frac: number;
  data: Uint8Array;
  origLen?: number;
}

export function buildPcap(o: { le: boolean; nano: boolean; linktype: number; snaplen?: number; packets: PcapPacket[] }): Uint8Array {
  const parts: Uint8Array[] = [];
  const h = new DataView(new ArrayBuffer(24));
  h.setUint32(0, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, o.le);
  h.setUint16(4, 2, o.le);
  h.setUint16(6, 4, o.le);
  h.setUint32(16, o.snaplen ?? 262144, o.le);
  h.setUint32(20, o.linktype, o.le);
  parts.push(new Uint8Array(h.buffer));
  for (const p of o.packets) {
    const r = new DataView(new ArrayBuffer(16));
    r.setUint32(0, p.sec, o.le);
    r.setUint32(4, p.frac, o.le);
    r.setUint32(8, p.data.length, o.le);
    r.setUint32(12, p.origLen ?? p.data.length, o.le);
    parts.push(new Uint8Array(r.buffer), p.data);
  }
  return concat(parts);
}

export interface NgInterface {
  linktype: number;
  snaplen?: number;
  /** if_tsresol byte. */
  tsresol?: number;
  /** if_tsoffset, seconds. */
  tsoffset?: bigint;
  name?: string;
}

export type NgBlock =
  | { kind: "epb"; iface: number; ticks: bigint; data: Uint8Array; origLen?: number; comments?: string[] }
  | { kind: "opb"; iface: number; ticks: bigint; data: Uint8Array; origLen?: number; comments?: string[] }
  | { kind: "spb"; data: Uint8Array; origLen?: number }
  | { kind: "nrb" }
  | { kind: "isb"; iface: number }
  | { kind: "custom" }
  | { kind: "unknown"; type: number };

export interface NgSection {
  le: boolean;
  comment?: string;
  interfaces: NgInterface[];
  blocks: NgBlock[];
}

const enc = new TextEncoder();

export function buildPcapng(sections: NgSection[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const s of sections) {
    const le = s.le;
    const opts = (list: [number, Uint8Array][]) => {
      if (list.length === 0) return new Uint8Array(0);
      const out: Uint8Array[] = [];
      for (const [code, v] of list) {
        const h = new DataView(new ArrayBuffer(4));
        h.setUint16(0, code, le);
        h.setUint16(2, v.length, le);
        out.push(new Uint8Array(h.buffer), v, new Uint8Array(pad(v.length) - v.length));
      }
      out.push(new Uint8Array(4)); // opt_endofopt
      return concat(out);
    };
    const block = (type: number, body: Uint8Array) => {
      const total = 12 + body.length;
      const h = new DataView(new ArrayBuffer(8));
      h.setUint32(0, type, le);
      h.setUint32(4, total, le);
      const t = new DataView(new ArrayBuffer(4));
      t.setUint32(0, total, le);
      parts.push(new Uint8Array(h.buffer), body, new Uint8Array(t.buffer));
    };
    const shb = new DataView(new ArrayBuffer(16));
    shb.setUint32(0, 0x1a2b3c4d, le);
    shb.setUint16(4, 1, le);
    shb.setUint16(6, 0, le);
    shb.setBigInt64(8, -1n, le);
    block(0x0a0d0d0a, concat([new Uint8Array(shb.buffer), opts(s.comment ? [[1, enc.encode(s.comment)]] : [])]));
    for (const i of s.interfaces) {
      const f = new DataView(new ArrayBuffer(8));
      f.setUint16(0, i.linktype, le);
      f.setUint32(4, i.snaplen ?? 262144, le);
      const o: [number, Uint8Array][] = [];
      if (i.name) o.push([2, enc.encode(i.name)]);
      if (i.tsresol !== undefined) o.push([9, new Uint8Array([i.tsresol])]);
      if (i.tsoffset !== undefined) {
        const v = new DataView(new ArrayBuffer(8));
        v.setBigInt64(0, i.tsoffset, le);
        o.push([14, new Uint8Array(v.buffer)]);
      }
      block(1, concat([new Uint8Array(f.buffer), opts(o)]));
    }
    for (const b of s.blocks) {
      if (b.kind === "epb" || b.kind === "opb") {
        const f = new DataView(new ArrayBuffer(20));
        if (b.kind === "epb") f.setUint32(0, b.iface, le);
        else { f.setUint16(0, b.iface, le); f.setUint16(2, 0, le); }
        f.setUint32(4, Number(b.ticks >> 32n), le);
        f.setUint32(8, Number(b.ticks & 0xffffffffn), le);
        f.setUint32(12, b.data.length, le);
        f.setUint32(16, b.origLen ?? b.data.length, le);
        block(b.kind === "epb" ? 6 : 2, concat([new Uint8Array(f.buffer), b.data, new Uint8Array(pad(b.data.length) - b.data.length),
          opts((b.comments ?? []).map((c) => [1, enc.encode(c)] as [number, Uint8Array]))]));
      } else if (b.kind === "spb") {
        const f = new DataView(new ArrayBuffer(4));
        f.setUint32(0, b.origLen ?? b.data.length, le);
        block(3, concat([new Uint8Array(f.buffer), b.data, new Uint8Array(pad(b.data.length) - b.data.length)]));
      } else if (b.kind === "nrb") {
        // One IPv4 record (type 1): 10.0.0.1 "host.example", then the end record.
        const name = enc.encode("host.example\0");
        const rec = new DataView(new ArrayBuffer(4));
        rec.setUint16(0, 1, le);
        rec.setUint16(2, 4 + name.length, le);
        const v = concat([new Uint8Array(rec.buffer), new Uint8Array([10, 0, 0, 1]), name]);
        block(4, concat([v, new Uint8Array(pad(v.length) - v.length), new Uint8Array(4)]));
      } else if (b.kind === "isb") {
        const f = new DataView(new ArrayBuffer(12));
        f.setUint32(0, b.iface, le);
        block(5, new Uint8Array(f.buffer));
      } else if (b.kind === "custom") {
        const f = new DataView(new ArrayBuffer(8));
        f.setUint32(0, 32473, le); // a private enterprise number
        block(0x40000bad, new Uint8Array(f.buffer));
      } else {
        block(b.type, new Uint8Array(8));
      }
    }
  }
  return concat(parts);
}

function pad(n: number): number {
  return (n + 3) & ~3;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
