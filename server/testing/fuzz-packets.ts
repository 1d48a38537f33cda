// The fuzzer's packet-capture targets (test code only): pcap, pcapng and gzip of either, seeded
// with the packet fixtures and a generated pcapng holding every block kind, mutated in the
// formats' framing (record and block lengths, trailers, interface ids, link types, timestamp
// resolution, options, unknown blocks, byte orders), run through `casefile packets`' path
// (readPacketFile and decodePacket with layers) and, on request, the packet ingest. A case
// fails when anything throws, when the damage error does not end with the offset it names, when
// the ingest's summary (decoded in the reader's chunk, where a read past the packet's end finds
// the next record's bytes, not undefined) differs from the packet's own, or when ingest keeps
// other packets than the reader read.

import { readFileSync, rmSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { gzipSync } from "node:zlib";
import { decodePacket, summaryDecoder } from "../core/packets/decode";
import { NotPacketCaptureError, readPacketFile } from "../ingest/packet-stream";
import { decodeForIngest, ingestPacketCapture } from "../ingest/packet-ingest";
import { fixturePcaps } from "./oracle";
import { buildPcapng } from "./pcap-builder";
import { caseRng, describe, FuzzFailure, GZIP_MUTATIONS, type CaseOutcome, type FuzzCase, type Rng } from "./fuzz";

interface PacketSeed {
  name: string;
  bytes: Uint8Array;
  /** Record (pcap) or block (pcapng) offsets, after the pcap file header. */
  units: number[];
  le: boolean;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function pcapSeed(name: string, input: Uint8Array): PacketSeed {
  const bytes = Uint8Array.from(input);
  const dv = view(bytes);
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  const units: number[] = [];
  for (let o = 24; o + 16 <= bytes.length;) {
    units.push(o);
    o += 16 + dv.getUint32(o + 8, le);
  }
  return { name, bytes, units, le };
}

function pcapngSeed(name: string, input: Uint8Array): PacketSeed {
  const bytes = Uint8Array.from(input);
  const dv = view(bytes);
  let le = true;
  const units: number[] = [];
  for (let o = 0; o + 12 <= bytes.length;) {
    if (dv.getUint32(o, true) === 0x0a0d0d0a) le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
    const len = dv.getUint32(o + 4, le);
    if (len < 12) break;
    units.push(o);
    o += len;
  }
  return { name, bytes, units, le: view(bytes).getUint32(8, true) === 0x1a2b3c4d };
}

let seeds: { pcap: PacketSeed[]; pcapng: PacketSeed[] } | undefined;

function packetSeeds(): { pcap: PacketSeed[]; pcapng: PacketSeed[] } {
  if (seeds) return seeds;
  const pcap: PacketSeed[] = [];
  const pcapng: PacketSeed[] = [];
  for (const f of fixturePcaps()) {
    const b = readFileSync(f);
    (f.endsWith(".pcapng") ? pcapng : pcap).push((f.endsWith(".pcapng") ? pcapngSeed : pcapSeed)(f.split("/").pop()!, b));
  }
  const frame = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0, 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 8, 0, 0]);
  pcapng.push(pcapngSeed("generated-blocks", buildPcapng([
    { le: true, comment: "s1", interfaces: [{ linktype: 1, tsresol: 9 }, { linktype: 101, tsresol: 0x8a, tsoffset: 5n }],
      blocks: [{ kind: "epb", iface: 0, ticks: 1n << 60n, data: frame, comments: ["c"] }, { kind: "nrb" }, { kind: "custom" },
        { kind: "opb", iface: 1, ticks: 123n, data: frame.subarray(14) }, { kind: "isb", iface: 1 }, { kind: "unknown", type: 0x77 }] },
    { le: false, interfaces: [{ linktype: 1, snaplen: 30 }], blocks: [{ kind: "spb", data: frame.subarray(0, 30), origLen: 42 }, { kind: "epb", iface: 0, ticks: 9n, data: frame }] },
  ])));
  seeds = { pcap, pcapng };
  return seeds;
}

/** Lengths that lie: zero, off by one or four, the widths' extremes, anything. */
function lie(rng: Rng, truth: number): number {
  return rng.pick([0, 1, 11, 12, truth - 1, truth + 1, truth + 4, truth * 2, 0xffff, 0x40000, 0x7fffffff, 0xffffffff, rng.u32()]) >>> 0;
}

type PacketMutation = (rng: Rng, s: PacketSeed) => Uint8Array;

const anyUnit = (rng: Rng, s: PacketSeed) => (s.units.length ? rng.pick(s.units) : 0);

export const PCAP_MUTATIONS: Record<string, PacketMutation> = {
  bitflip(rng, s) {
    const b = s.bytes.slice();
    for (let n = 1 + rng.int(8); n > 0; n--) b[rng.int(b.length)] ^= 1 << rng.int(8);
    return b;
  },
  truncate(rng, s) {
    return s.bytes.slice(0, rng.int(s.bytes.length + 1));
  },
  caplen(rng, s) {
    const b = s.bytes.slice();
    const u = anyUnit(rng, s);
    if (u + 16 <= b.length) view(b).setUint32(u + (rng.next() < 0.7 ? 8 : 12), lie(rng, view(b).getUint32(u + 8, s.le)), s.le);
    return b;
  },
  linktype(rng, s) {
    // Any decoder behind any bytes: the link type of the file changed.
    const b = s.bytes.slice();
    view(b).setUint32(20, rng.pick([0, 1, 7, 9, 12, 50, 101, 104, 105, 107, 108, 113, 127, 129, 228, 229, 239, 276, rng.u32()]), s.le);
    return b;
  },
  timestamp(rng, s) {
    const b = s.bytes.slice();
    const u = anyUnit(rng, s);
    if (u + 8 <= b.length) view(b).setUint32(u + rng.pick([0, 4]), rng.pick([0, 999_999, 1_000_000, 999_999_999, 0xffffffff, rng.u32()]), s.le);
    return b;
  },
  header(rng, s) {
    // The file header's version, snaplen or magic.
    const b = s.bytes.slice();
    const at = rng.pick([0, 4, 6, 16]);
    if (at === 0) view(b).setUint32(0, rng.pick([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, rng.u32()]));
    else if (at === 16) view(b).setUint32(16, lie(rng, 65535), s.le);
    else view(b).setUint16(at, rng.int(65536), s.le);
    return b;
  },
};

export const PCAPNG_MUTATIONS: Record<string, PacketMutation> = {
  bitflip: PCAP_MUTATIONS.bitflip,
  truncate: PCAP_MUTATIONS.truncate,
  blocklength(rng, s) {
    const b = s.bytes.slice();
    const u = anyUnit(rng, s);
    if (u + 8 <= b.length) view(b).setUint32(u + 4, lie(rng, view(b).getUint32(u + 4, s.le)), s.le);
    return b;
  },
  trailer(rng, s) {
    const b = s.bytes.slice();
    const u = anyUnit(rng, s);
    const len = view(b).getUint32(u + 4, s.le);
    if (u + len <= b.length && len >= 12) view(b).setUint32(u + len - 4, lie(rng, len), s.le);
    return b;
  },
  fields(rng, s) {
    // A word inside a block body: interface ids, link types, snaplens, caplens, option codes
    // and lengths, if_tsresol, the byte-order magic.
    const b = s.bytes.slice();
    const u = anyUnit(rng, s);
    const len = view(b).getUint32(u + 4, s.le);
    if (len > 12 && u + len <= b.length) {
      const at = u + 8 + 2 * rng.int((len - 12) / 2);
      if (rng.next() < 0.5) view(b).setUint16(at, lie(rng, view(b).getUint16(at, s.le)) & 0xffff, s.le);
      else if (at + 4 <= u + len) view(b).setUint32(at, lie(rng, view(b).getUint32(at, s.le)), s.le);
    }
    return b;
  },
  blocks(rng, s) {
    // A block of another type (unknown, custom, a second section header, a packet block naming
    // an interface no one described) spliced in between two blocks.
    const type = rng.pick([0x77, 0xbad, 0x40000bad, 0x0a0d0d0a, 6, 3, 2, 1, 5, 4, rng.u32()]);
    const bodyLen = rng.pick([0, 4, 16, 20, 28, 100]);
    const blk = new Uint8Array(12 + bodyLen);
    const dv = view(blk);
    dv.setUint32(0, type, s.le);
    dv.setUint32(4, blk.length, s.le);
    for (let i = 8; i < blk.length - 4; i++) blk[i] = rng.int(256);
    if (type === 0x0a0d0d0a && bodyLen >= 16) { dv.setUint32(8, 0x1a2b3c4d, s.le); dv.setUint16(12, 1, s.le); }
    dv.setUint32(blk.length - 4, blk.length, s.le);
    const at = rng.pick([...s.units.slice(1), s.bytes.length]);
    const b = new Uint8Array(s.bytes.length + blk.length);
    b.set(s.bytes.subarray(0, at));
    b.set(blk, at);
    b.set(s.bytes.subarray(at), at + blk.length);
    return b;
  },
};

export function packetCase(target: string, seed: number, index: number): FuzzCase {
  const rng = caseRng(seed, target, index);
  const ng = target.startsWith("pcapng");
  const gz = target.endsWith(".gz");
  const list = ng ? packetSeeds().pcapng : packetSeeds().pcap;
  const s = list[rng.int(list.length)];
  const own = ng ? PCAPNG_MUTATIONS : PCAP_MUTATIONS;
  const names = gz ? [...Object.keys(GZIP_MUTATIONS), ...Object.keys(own)] : Object.keys(own);
  const mutation = names[index % names.length];
  const ext = ng ? "pcapng" : "pcap";
  if (!gz) return { target, index, mutation, seedName: s.name, file: own[mutation](rng, s), ext };
  const file = mutation in GZIP_MUTATIONS
    ? GZIP_MUTATIONS[mutation](rng, Uint8Array.from(gzipSync(s.bytes, { level: 1 })))
    : gzipSync(own[mutation](rng, s), { level: 1 });
  return { target, index, mutation, seedName: s.name, file, ext: `${ext}.gz` };
}

/** The mutation classes of a packet target ("pcap", "pcapng", "pcap.gz", "pcapng.gz"). */
export function packetMutations(target: string): string[] {
  const own = Object.keys(target.startsWith("pcapng") ? PCAPNG_MUTATIONS : PCAP_MUTATIONS);
  return target.endsWith(".gz") ? [...Object.keys(GZIP_MUTATIONS), ...own] : own;
}

/** Whether a case file is a packet capture case (by the extension its target gave it). */
export const isPacketCase = (path: string) => /\.pcap(ng)?(\.gz)?$/.test(path);

const OFFSET_AT_END = /\(at byte (\d+)( of the inflated data)?\)$/;

export async function runPacketCase(path: string, opts: { ingest?: string } = {}): Promise<CaseOutcome> {
  const head = readFileSync(path).subarray(0, 2);
  const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  let packets = 0;
  let out: CaseOutcome;
  const inChunk = summaryDecoder({ tcpInfoText: false });
  try {
    const o = await readPacketFile(path, {
      onPacket(p) {
        packets++;
        const d = decodePacket(p, { layers: true });
        // A decoder that threw is caught inside decodePacket and named: that is a bug to find.
        if (d.malformed?.startsWith("decoder error")) throw new FuzzFailure("crash", `packet ${p.num}: ${d.malformed}`);
        const own = decodePacket(p, { layers: false, tcpInfoText: false });
        const got = inChunk(p);
        if (!isDeepStrictEqual({ ...got }, { ...own })) {
          throw new FuzzFailure("invariant", `packet ${p.num}: its summary decoded in the reader's chunk differs from its own: ${JSON.stringify(got)} vs ${JSON.stringify(own)}`);
        }
      },
      onError() {},
    });
    out = { events: packets, lines: packets };
    if (o.error) out.damage = { message: o.error.message, offset: o.error.offset };
  } catch (e) {
    if (e instanceof FuzzFailure) throw e;
    // Not a packet capture at all (a header mutated away): a clear refusal, nothing read.
    if (e instanceof NotPacketCaptureError) return { events: 0, lines: 0, damage: { message: e.message, offset: 0 } };
    throw new FuzzFailure("crash", `packets path threw ${describe(e)}`, e);
  }
  if (out.damage) {
    const m = OFFSET_AT_END.exec(out.damage.message);
    if (!m || Number(m[1]) !== out.damage.offset) throw new FuzzFailure("invariant", `damage message does not end with its offset: ${out.damage.message}`);
    if (Boolean(m[2]) !== gzipped) throw new FuzzFailure("invariant", `damage message ${gzipped ? "does not say" : "says"} the offset is of inflated data: ${out.damage.message}`);
  }
  if (opts.ingest) {
    let r;
    try {
      r = await ingestPacketCapture(opts.ingest, path, decodeForIngest);
    } catch (e) {
      throw new FuzzFailure("crash", `packet ingest threw ${describe(e)}`, e);
    } finally {
      for (const s of ["", "-wal", "-shm"]) rmSync(opts.ingest + s, { force: true });
    }
    out.ingested = r.packets;
    if (r.packets !== out.events) throw new FuzzFailure("invariant", `packet ingest kept ${r.packets} packets, the packets path read ${out.events}`);
    if ((r.error === undefined) !== (out.damage === undefined)) throw new FuzzFailure("invariant", `packet ingest error ${JSON.stringify(r.error)}, packets path error ${JSON.stringify(out.damage?.message)}`);
  }
  return out;
}
