// The fuzzer's pieces (test code only): a seeded random source, the mutation classes, one
// target per reader, and the run of one case through the real code paths of `casefile events`
// and `casefile ingest` (the file read by readCaptureFile, printed by the event printer with
// its state engine, ingested by ingestCapture). scripts/fuzz.ts drives it (`npm run fuzz`),
// fuzz.test.ts runs a smoke slice of it in npm test, and fuzz-regressions.test.ts replays the
// files in test/fixtures/fuzz/.
//
// A new reader plugs in as one more FuzzTarget: its seeds, its own mutation classes (the
// format's framing: lengths, counts, unknown blocks) and how one input runs through it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { eventPrinter } from "../core/events/printer";
import { EVENT_BLOCK_LAYOUT, SHB_BLOCK_TYPE } from "../core/formats/scap/blocks";
import { ScapError } from "../core/formats/scap/reader";
import { readCaptureFile } from "../ingest/capture-stream";
import { ingestCapture } from "../ingest/ingest";
import { fixtureCaptures } from "./oracle";
import { generatedCaptures } from "./generated-captures";
import { writerVersions } from "./writer-versions";
import { isPacketCase, packetCase, packetMutations, runPacketCase } from "./fuzz-packets";

/** A small fast seeded generator (sfc32, 128 bits of state): the same seed gives the same
 *  cases on every machine, so a failure is replayed from its seed and case number alone. (A
 *  32-bit counter generator such as mulberry32 made two cases' streams overlap: the same
 *  mutation at the same place.) */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const r = (t + this.d) | 0;
    this.c = (this.c + r) | 0;
    return (r >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  u32(): number {
    return (this.next() * 4294967296) >>> 0;
  }
}

/** The generator of case `index` of target `target` under run seed `seed`: each case has its
 *  own, so `--seed S --case I` replays one case without running the ones before it. */
export function caseRng(seed: number, target: string, index: number): Rng {
  let h = 2166136261 ^ seed;
  for (const c of `${target}/${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return new Rng(h >>> 0);
}

/** One block of a scap stream, as laid out in the seed (before any mutation). */
interface BlockAt {
  off: number;
  type: number;
  len: number;
  /** Event blocks: offset of the event header (ts), and whether it has nparams (v2). */
  hdr?: number;
  v2?: boolean;
}

/** A seed capture: its inflated bytes and block layout, so that mutations can aim at fields. */
export interface ScapSeed {
  name: string;
  bytes: Uint8Array;
  blocks: BlockAt[];
}

export function scapSeed(name: string, input: Uint8Array): ScapSeed {
  // A plain copy: a Buffer's slice() is a view, and the mutations' copies would then write
  // into the seed itself (every later case built on the earlier ones' damage).
  const bytes = Uint8Array.from(input);
  const dv = view(bytes);
  const blocks: BlockAt[] = [];
  for (let off = 0; off + 12 <= bytes.length;) {
    const type = dv.getUint32(off, true);
    const len = dv.getUint32(off + 4, true);
    if (len < 12 || off + len > bytes.length) break;
    const layout = EVENT_BLOCK_LAYOUT.get(type);
    const b: BlockAt = { off, type, len };
    if (layout) {
      b.hdr = off + 8 + (layout.hasFlags ? 6 : 2);
      b.v2 = layout.hasNparams;
    }
    blocks.push(b);
    off += len;
  }
  return { name, bytes, blocks };
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Lengths that lie: zero, off by one or four, the widths' extremes, and anything at all. */
function lie(rng: Rng, truth: number, max: number): number {
  const choices = [0, 1, truth - 1, truth + 1, truth + 4, truth * 2, max, max - 1, Math.floor(max / 2), rng.u32() % (max + 1)];
  const v = rng.pick(choices);
  return Math.min(max, Math.max(0, v));
}

export type Mutation = (rng: Rng, seed: ScapSeed) => Uint8Array;

const events = (s: ScapSeed) => s.blocks.filter((b) => b.hdr !== undefined);
const others = (s: ScapSeed) => s.blocks.filter((b) => b.hdr === undefined && b.type !== SHB_BLOCK_TYPE);

/** The mutation classes of the scap format, by name. Each works on a copy of the inflated
 *  seed. Where the seed has nothing to aim at (no v2 events for a parameter count), the class
 *  falls back to a bit flip, so every class always yields a case. */
export const SCAP_MUTATIONS: Record<string, Mutation> = {
  bitflip(rng, s) {
    const b = s.bytes.slice();
    for (let n = 1 + rng.int(8); n > 0; n--) b[rng.int(b.length)] ^= 1 << rng.int(8);
    return b;
  },
  byterun(rng, s) {
    const b = s.bytes.slice();
    const at = rng.int(b.length);
    const n = Math.min(b.length - at, 1 + rng.int(64));
    const fill = rng.pick([0, 0xff, 0x7f, 0x80, -1]);
    for (let i = 0; i < n; i++) b[at + i] = fill < 0 ? rng.int(256) : fill;
    return b;
  },
  truncate(rng, s) {
    // Half the cuts inside the block list's framing (a few bytes around a block start).
    if (rng.next() < 0.5 && s.blocks.length) {
      const blk = rng.pick(s.blocks);
      return s.bytes.slice(0, Math.max(0, blk.off + rng.int(24) - 4));
    }
    return s.bytes.slice(0, rng.int(s.bytes.length));
  },
  blocklen(rng, s) {
    const b = s.bytes.slice();
    const blk = rng.pick(s.blocks);
    const v = lie(rng, blk.len, 0xffffffff);
    view(b).setUint32(blk.off + 4, v, true);
    // Sometimes the trailer tells the same lie, so the framing checks agree with it.
    if (rng.next() < 0.5 && blk.off + v - 4 >= 0 && blk.off + v <= b.length && v >= 12) view(b).setUint32(blk.off + v - 4, v, true);
    return b;
  },
  eventlen(rng, s) {
    const evs = events(s);
    if (!evs.length) return SCAP_MUTATIONS.bitflip(rng, s);
    const b = s.bytes.slice();
    const e = rng.pick(evs);
    const dv = view(b);
    dv.setUint32(e.hdr! + 16, lie(rng, dv.getUint32(e.hdr! + 16, true), 0xffffffff), true);
    return b;
  },
  paramlen(rng, s) {
    const evs = events(s);
    if (!evs.length) return SCAP_MUTATIONS.bitflip(rng, s);
    const b = s.bytes.slice();
    const e = rng.pick(evs);
    const dv = view(b);
    const lens = e.hdr! + (e.v2 ? 26 : 22);
    const end = e.off + e.len - 4;
    // A 2-byte length (most events); a 4-byte one is two neighbours together.
    const slots = Math.max(1, Math.floor((end - lens) / 2));
    const at = lens + 2 * rng.int(Math.min(slots, 8));
    if (at + 2 > end) return SCAP_MUTATIONS.bitflip(rng, s);
    dv.setUint16(at, lie(rng, dv.getUint16(at, true), 0xffff), true);
    return b;
  },
  nparams(rng, s) {
    const evs = events(s).filter((e) => e.v2);
    if (!evs.length) return SCAP_MUTATIONS.eventtype(rng, s);
    const b = s.bytes.slice();
    const e = rng.pick(evs);
    const dv = view(b);
    const v = rng.pick([0xffffffff, 0x80000000, 0x10000, 0, dv.getUint32(e.hdr! + 22, true) + 1, rng.u32()]);
    dv.setUint32(e.hdr! + 22, v >>> 0, true);
    return b;
  },
  eventtype(rng, s) {
    // The parameters of one event read as another's (a flipped type id).
    const evs = events(s);
    if (!evs.length) return SCAP_MUTATIONS.bitflip(rng, s);
    const b = s.bytes.slice();
    const e = rng.pick(evs);
    view(b).setUint16(e.hdr! + 20, rng.pick([rng.int(400), rng.int(65536), 0xffff]), true);
    return b;
  },
  listfield(rng, s) {
    // A count or length inside a process, fd, interface or user list, or the machine info.
    const list = others(s);
    if (!list.length) return SCAP_MUTATIONS.bitflip(rng, s);
    const b = s.bytes.slice();
    const blk = rng.pick(list);
    const dv = view(b);
    const at = blk.off + 8 + rng.int(Math.max(1, blk.len - 14));
    if (rng.next() < 0.5) dv.setUint16(at, lie(rng, dv.getUint16(at, true), 0xffff), true);
    else dv.setUint32(at, lie(rng, dv.getUint32(at, true), 0xffffffff), true);
    return b;
  },
  unknownblock(rng, s) {
    // A block of a type no reader knows, well framed or with a lying length, between two
    // blocks; or a known block's type changed to an unknown one.
    if (rng.next() < 0.3 && s.blocks.length > 1) {
      const b = s.bytes.slice();
      view(b).setUint32(rng.pick(s.blocks.slice(1)).off, rng.pick([0x223, 0x300, 0x8020abcd, rng.u32()]), true);
      return b;
    }
    const bodyLen = rng.pick([0, 1, 3, 4, 100, 4096]);
    const len = 12 + ((bodyLen + 3) & ~3);
    const blk = new Uint8Array(len);
    const dv = view(blk);
    dv.setUint32(0, rng.pick([0x223, 0x300, 0x8020abcd, 0xdeadbeef, rng.u32()]), true);
    dv.setUint32(4, rng.next() < 0.7 ? len : lie(rng, len, 0xffffffff), true);
    for (let i = 8; i < len - 4; i++) blk[i] = rng.int(256);
    dv.setUint32(len - 4, len, true);
    const at = rng.pick(s.blocks.slice(1).map((x) => x.off).concat(s.bytes.length));
    const b = new Uint8Array(s.bytes.length + len);
    b.set(s.bytes.subarray(0, at));
    b.set(blk, at);
    b.set(s.bytes.subarray(at), at + len);
    return b;
  },
};

/** Damage to a gzip stream itself (RFC 1952): its header, its deflate data, its trailer. */
export const GZIP_MUTATIONS: Record<string, (rng: Rng, gz: Uint8Array) => Uint8Array> = {
  // (Given a plain Uint8Array: see scapSeed on slice().)
  gzflip(rng, gz) {
    const b = gz.slice();
    for (let n = 1 + rng.int(4); n > 0; n--) {
      const at = 10 + rng.int(Math.max(1, b.length - 18));
      b[at] ^= 1 << rng.int(8);
    }
    return b;
  },
  gztruncate(rng, gz) {
    return gz.slice(0, rng.int(gz.length));
  },
  gzheader(rng, gz) {
    const b = gz.slice();
    // FLG bits (FEXTRA, FNAME, FCOMMENT, FHCRC, reserved) the stream does not honour, or a
    // method other than deflate.
    if (rng.next() < 0.8) b[3] = rng.pick([0x04, 0x08, 0x10, 0x02, 0xe0, rng.int(256)]);
    else b[2] = rng.int(256);
    return b;
  },
  gztrailer(rng, gz) {
    const b = gz.slice();
    const at = b.length - 8 + rng.int(8);
    b[at] ^= 1 + rng.int(255);
    return b;
  },
  gzappend(rng, gz) {
    // A second member, or bytes that are not one, after the first.
    const tail = rng.next() < 0.5 ? gz.slice(0, 10 + rng.int(gz.length - 10)) : Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256));
    const b = new Uint8Array(gz.length + tail.length);
    b.set(gz);
    b.set(tail, gz.length);
    return b;
  },
};

/** What one case did. `damage`: the reader's own clear error (message and offset). */
export interface CaseOutcome {
  events: number;
  lines: number;
  damage?: { message: string; offset: number };
  /** Events ingest kept, when the case also went through ingest. */
  ingested?: number;
}

/** A case whose run broke a promise: a crash (not the reader's damage error) or a broken
 *  invariant. `kind` names which. */
export class FuzzFailure extends Error {
  constructor(readonly kind: "crash" | "invariant", message: string, readonly original?: unknown) {
    super(message);
  }
}

export interface FuzzCase {
  target: string;
  index: number;
  mutation: string;
  seedName: string;
  /** The file's bytes as the reader gets them (gzip or not). */
  file: Uint8Array;
  /** File name extension for a regression file. */
  ext: string;
}

/** One reader under test: how to make case i, and its mutation classes. */
export interface FuzzTarget {
  name: string;
  mutations: string[];
  make(seed: number, index: number): FuzzCase;
}

let seedCache: ScapSeed[] | undefined;

/** The seed captures: the fixtures (real captures of several block versions) and the generated
 *  ones (every event type, every parameter type at its edges, every writer's block versions,
 *  v2 events with parameter counts). */
export function scapSeeds(): ScapSeed[] {
  if (seedCache) return seedCache;
  const out: ScapSeed[] = [];
  for (const f of fixtureCaptures()) {
    const raw = readFileSync(f);
    out.push(scapSeed(f.split("/").pop()!, raw[0] === 0x1f ? gunzipSync(raw) : raw));
  }
  for (const g of generatedCaptures()) out.push(scapSeed(`generated-${g.name}`, g.bytes));
  for (const w of writerVersions()) out.push(scapSeed(`writer-${w.name}`, w.bytes));
  seedCache = out;
  return out;
}

function scapCase(target: string, seed: number, index: number, gzipped: boolean): FuzzCase {
  const rng = caseRng(seed, target, index);
  const seeds = scapSeeds();
  const s = seeds[rng.int(seeds.length)];
  const scapNames = Object.keys(SCAP_MUTATIONS);
  const gzNames = Object.keys(GZIP_MUTATIONS);
  if (!gzipped) {
    const mutation = scapNames[index % scapNames.length];
    return { target, index, mutation, seedName: s.name, file: SCAP_MUTATIONS[mutation](rng, s), ext: "scap" };
  }
  // The gzip reader: half the cases damage the gzip stream of an intact capture, half carry a
  // damaged capture in an intact gzip stream (the offsets must then be of the inflated bytes).
  const all = [...gzNames, ...scapNames];
  const mutation = all[index % all.length];
  const file = mutation in GZIP_MUTATIONS
    ? GZIP_MUTATIONS[mutation](rng, Uint8Array.from(gzipSync(s.bytes, { level: 1 })))
    : gzipSync(SCAP_MUTATIONS[mutation](rng, s), { level: 1 });
  return { target, index, mutation, seedName: s.name, file, ext: "scap.gz" };
}

export const TARGETS: FuzzTarget[] = [
  { name: "scap", mutations: Object.keys(SCAP_MUTATIONS), make: (seed, i) => scapCase("scap", seed, i, false) },
  {
    name: "scap.gz", mutations: [...Object.keys(GZIP_MUTATIONS), ...Object.keys(SCAP_MUTATIONS)],
    make: (seed, i) => scapCase("scap.gz", seed, i, true),
  },
  // pcap, pcapng and gzip of either (fuzz-packets.ts; reached only inside the functions, since
  // that module imports this one).
  ...(["pcap", "pcapng", "pcap.gz", "pcapng.gz"] as const).map((name): FuzzTarget => ({
    name, get mutations() { return packetMutations(name); }, make: (seed, i) => packetCase(name, seed, i),
  })),
];

/** A scratch folder for the cases' files; removed by the returned function. */
export function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "casefile-fuzz-"));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const OFFSET_IN_MESSAGE = / at byte (\d+)( of the inflated data)?$/;

/** Runs one file through `casefile events`'s path (readCaptureFile, the event printer and its
 *  state engine), and with `ingest` through ingestCapture too. Throws FuzzFailure when the run
 *  crashes or breaks a promise: the error names the byte offset, as the message says; ingest
 *  keeps exactly the events read before the damage. */
export async function runCase(path: string, opts: { ingest?: string } = {}): Promise<CaseOutcome> {
  if (isPacketCase(path)) return runPacketCase(path, opts);
  // Offsets are of inflated data when the file is a gzip stream, as its first two bytes say (a
  // gzip cut to one byte is not one).
  const head = readFileSync(path).subarray(0, 2);
  const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  let lines = 0;
  const printer = eventPrinter(() => { lines++; });
  let out: CaseOutcome;
  try {
    const { error } = await readCaptureFile(path, printer);
    out = { events: printer.num, lines };
    if (error) out.damage = { message: error.message, offset: error.offset };
  } catch (e) {
    throw new FuzzFailure("crash", `events path threw ${describe(e)}`, e);
  }
  if (out.damage) {
    const m = OFFSET_IN_MESSAGE.exec(out.damage.message);
    if (!m || Number(m[1]) !== out.damage.offset) throw new FuzzFailure("invariant", `damage message does not end with its offset: ${out.damage.message}`);
    if (Boolean(m[2]) !== gzipped) throw new FuzzFailure("invariant", `damage message ${gzipped ? "does not say" : "says"} the offset is of inflated data: ${out.damage.message}`);
  }
  if (opts.ingest) {
    let r;
    try {
      r = await ingestCapture(opts.ingest, path, undefined, { worker: false });
    } catch (e) {
      throw new FuzzFailure("crash", `ingest threw ${describe(e)}`, e);
    } finally {
      for (const s of ["", "-wal", "-shm"]) rmSync(opts.ingest + s, { force: true });
    }
    out.ingested = r.events;
    if (r.events !== out.events) throw new FuzzFailure("invariant", `ingest kept ${r.events} events, the events path read ${out.events}`);
    if ((r.error === undefined) !== (out.damage === undefined)) throw new FuzzFailure("invariant", `ingest error ${JSON.stringify(r.error)}, events path error ${JSON.stringify(out.damage?.message)}`);
  }
  return out;
}

export function describe(e: unknown): string {
  if (e instanceof ScapError) return `ScapError: ${e.message}`;
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? `\n${e.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
  return String(e);
}

/** Writes a case's file under `dir` (no I/O elsewhere). */
export function writeCase(dir: string, c: FuzzCase, name = `case.${c.ext}`): string {
  const p = join(dir, name);
  writeFileSync(p, c.file);
  return p;
}
