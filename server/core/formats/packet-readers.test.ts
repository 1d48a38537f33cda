// The pcap and pcapng readers: generated files with every edge the formats allow, read by
// tshark 4.0 as the oracle (number, ns time, lengths, interface, comment); every fixture re-read
// in 1-byte and 7-byte chunks gives the same packets; a file cut anywhere keeps its whole
// packets and names the offset of the one cut; gzip gives the same packets as the plain file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { PcapReader } from "./pcap/reader";
import { PcapngReader } from "./pcapng/reader";
import type { PacketReadError, RawPacket } from "./raw-packet";
import { sniffCapture } from "./sniff";
import { fixturePcaps } from "../../testing/oracle";
import { buildPcap, buildPcapng, type NgSection } from "../../testing/pcap-builder";
import { epochToNs, requireTshark } from "../../testing/tshark-packets";
import { readPacketFile } from "../../ingest/packet-stream";

/** A small valid Ethernet/IPv4/UDP frame, `n` bytes of payload. */
function frame(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(42 + n);
  b.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00], 0);
  const ip = [0x45, 0, 0, 28 + n, 0, seed & 0xff, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  ip[2] = (28 + n) >> 8;
  ip[3] = (28 + n) & 0xff;
  b.set(ip, 14);
  b.set([0x30, 0x39, 0x00, 0x35, (8 + n) >> 8, (8 + n) & 0xff, 0, 0], 34);
  for (let i = 0; i < n; i++) b[42 + i] = (seed * 31 + i) & 0xff;
  return b;
}

interface Seen { num: number; tsNs: bigint; caplen: number; origLen: number; ifIndex: number; comment: string; offset: number; hash: number }

function digest(p: RawPacket): Seen {
  let h = 0x811c9dc5;
  for (const x of p.data) h = Math.imul(h ^ x, 16777619) >>> 0;
  return { num: p.num, tsNs: p.tsNs, caplen: p.caplen, origLen: p.origLen, ifIndex: p.ifIndex, comment: p.comment ?? "", offset: p.offset, hash: h };
}

function readBytes(bytes: Uint8Array, chunk: number, kind = sniffCapture(bytes.subarray(0, 64 * 1024 + 8), true)): { packets: Seen[]; error?: PacketReadError } {
  const packets: Seen[] = [];
  let error: PacketReadError | undefined;
  const handler = { onPacket: (p: RawPacket) => packets.push(digest(p)), onError: (e: PacketReadError) => { error = e; } };
  assert.ok(kind === "pcap" || kind === "pcapng", `sniffed as ${kind}`);
  const r = kind === "pcap" ? new PcapReader(handler) : new PcapngReader(handler);
  for (let o = 0; o < bytes.length; o += chunk) r.feed(bytes.subarray(o, Math.min(o + chunk, bytes.length)));
  r.end();
  return { packets, error };
}

function tshark(file: string): { num: number; tsNs: bigint; len: number; caplen: number; iface: number; comment: string }[] {
  requireTshark();
  const r = spawnSync("tshark", ["-r", file, "-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len",
    "-e", "frame.cap_len", "-e", "frame.interface_id", "-e", "frame.comment"], { encoding: "utf8" });
  assert.equal(r.status, 0, `tshark failed on ${file}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l).map((l) => {
    const [num, t, len, cap, iface, comment] = l.split("\t");
    return { num: Number(num), tsNs: epochToNs(t), len: Number(len), caplen: Number(cap), iface: Number(iface || 0), comment: comment ?? "" };
  });
}

/** `records`: frame numbers tshark gives to records that are not packets (custom blocks). */
function sameAsTshark(file: string, bytes: Uint8Array, records: number[] = []): void {
  writeFileSync(file, bytes);
  const all = tshark(file);
  const t = all.filter((r) => !records.includes(r.num));
  assert.equal(all.length - t.length, records.length, "tshark numbers the custom blocks as frames");
  const { packets, error } = readBytes(bytes, bytes.length);
  assert.equal(error, undefined);
  assert.ok(t.length > 0);
  assert.deepEqual(
    packets.map((p) => ({ num: p.num, tsNs: p.tsNs, len: p.origLen, caplen: p.caplen, iface: p.ifIndex, comment: p.comment.replace(/\n/g, ",") })),
    t,
  );
}

test("pcap in both byte orders, micro- and nanosecond: packets as tshark reads them", () => {
  const dir = mkdtempSync(join(tmpdir(), "pcap-"));
  try {
    for (const le of [true, false]) {
      for (const nano of [false, true]) {
        const packets = [0, 1, 2, 3, 4].map((i) => ({
          sec: 1_700_000_000 + i * 3, frac: nano ? 999_999_999 - i : 999_999 - i, data: frame(i * 5, i), origLen: i === 2 ? 1500 : undefined,
        }));
        sameAsTshark(join(dir, `${le}-${nano}.pcap`), buildPcap({ le, nano, linktype: 1, packets }));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pcapng: sections in both byte orders, if_tsresol/if_tsoffset, EPB/SPB/OPB, comments, skipped blocks: as tshark reads them", () => {
  const dir = mkdtempSync(join(tmpdir(), "pcapng-"));
  try {
    const sections: NgSection[] = [
      {
        le: true,
        comment: "first section",
        interfaces: [
          { linktype: 1, name: "eth0" },
          { linktype: 1, tsresol: 9 },
          { linktype: 1, tsresol: 0x80 | 20 },
          { linktype: 1, tsresol: 3, tsoffset: 1_000n },
        ],
        blocks: [
          { kind: "epb", iface: 0, ticks: 1_700_000_000_123_456n, data: frame(10, 1), comments: ["hello"] },
          { kind: "nrb" },
          { kind: "epb", iface: 1, ticks: 1_700_000_000_123_456_789n, data: frame(3, 2), origLen: 2000 },
          { kind: "custom" },
          { kind: "epb", iface: 2, ticks: (1_700_000_000n << 20n) + 123_457n, data: frame(0, 3), comments: ["two", "comments"] },
          { kind: "unknown", type: 0x1234 },
          { kind: "epb", iface: 3, ticks: 1_700_000_000_999n, data: frame(1, 4) },
          { kind: "isb", iface: 0 },
          { kind: "opb", iface: 1, ticks: 1_700_000_001_000_000_001n, data: frame(7, 5) },
        ],
      },
      {
        le: false,
        interfaces: [{ linktype: 1, snaplen: 50 }],
        blocks: [
          { kind: "epb", iface: 0, ticks: 1_700_000_002_000_000n, data: frame(2, 6) },
          { kind: "spb", data: frame(8, 7).subarray(0, 50), origLen: 50 },
        ],
      },
      {
        le: true,
        interfaces: [{ linktype: 1, tsresol: 6 }],
        blocks: [{ kind: "epb", iface: 0, ticks: 1_700_000_003_000_001n, data: frame(4, 8) }],
      },
    ];
    sameAsTshark(join(dir, "edges.pcapng"), buildPcapng(sections), [3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every fixture gives the same packets in 1-byte, 7-byte and 64 KiB chunks", () => {
  for (const file of fixturePcaps()) {
    const bytes = readFileSync(file);
    const whole = readBytes(bytes, bytes.length);
    for (const size of [1, 7, 65536]) {
      assert.deepEqual(readBytes(bytes, size), whole, `${basename(file)} in ${size}-byte chunks`);
    }
  }
});

test("a file cut anywhere keeps every whole packet and names the offset of the one cut", () => {
  const dir = mkdtempSync(join(tmpdir(), "pcap-cut-"));
  try {
    for (const name of ["icmpv6.pcap", "various_gre.pcap"]) {
      const file = fixturePcaps().find((f) => basename(f) === name)!;
      const bytes = readFileSync(file);
      const whole = readBytes(bytes, bytes.length).packets;
      // Every cut inside the last three records and a few inside the header.
      const cuts = [1, 10, 23, ...Array.from({ length: bytes.length - whole[whole.length - 3].offset }, (_, i) => whole[whole.length - 3].offset + i)];
      for (const cut of cuts) {
        const r = readBytes(bytes.subarray(0, cut), 7, "pcap");
        const kept = whole.filter((p) => p.offset + 16 + p.caplen <= cut);
        assert.deepEqual(r.packets, kept, `${name} cut at ${cut}`);
        const atBoundary = cut === 24 || kept.length === 0 ? cut === 24 : whole.some((p) => p.offset === cut);
        if (atBoundary) assert.equal(r.error, undefined, `${name} cut at a record boundary ${cut}`);
        else {
          assert.ok(r.error, `${name} cut at ${cut}: no error`);
          assert.equal(r.error.offset, cut < 24 ? 0 : kept.length ? kept[kept.length - 1].offset + 16 + kept[kept.length - 1].caplen : 24, `${name} cut at ${cut}`);
          assert.match(r.error.message, /cut short/);
        }
      }
      // tshark reads as many whole packets from one such cut.
      const cutFile = join(dir, name);
      writeFileSync(cutFile, bytes.subarray(0, bytes.length - 5));
      const t = spawnSync("tshark", ["-r", cutFile, "-T", "fields", "-e", "frame.number"], { encoding: "utf8" });
      assert.equal(t.stdout.split("\n").filter((l) => l).length, whole.length - 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a gzip file gives the plain file's packets; a gzip cut short keeps its whole packets and says the offset is inflated", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pcap-gz-"));
  try {
    const file = fixturePcaps().find((f) => basename(f) === "various_gre.pcap")!;
    const bytes = readFileSync(file);
    const gz = gzipSync(bytes);
    const read = async (path: string) => {
      const seen: Seen[] = [];
      const o = await readPacketFile(path, { onPacket: (p) => seen.push(digest(p)), onError: () => {} }, { chunkSize: 4096 });
      return { seen, o };
    };
    writeFileSync(join(dir, "a.pcap.gz"), gz);
    const plain = await read(file);
    const zipped = await read(join(dir, "a.pcap.gz"));
    assert.equal(zipped.o.gzip, true);
    assert.equal(zipped.o.format, "pcap");
    assert.deepEqual(zipped.seen, plain.seen);
    writeFileSync(join(dir, "cut.pcap.gz"), gz.subarray(0, Math.floor(gz.length * 0.6)));
    const cut = await read(join(dir, "cut.pcap.gz"));
    assert.ok(cut.seen.length > 0 && cut.seen.length < plain.seen.length);
    assert.deepEqual(cut.seen, plain.seen.slice(0, cut.seen.length));
    assert.ok(cut.o.error?.inflated);
    assert.match(cut.o.error!.message, /of the inflated data/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readPacketFile calls a handler's methods on its prototype (a class instance), and refuses an empty file by name", async () => {
  class Counter {
    packets = 0;
    interfaces = 0;
    onPacket(): void { this.packets++; }
    onInterface(): void { this.interfaces++; }
    onError(e: PacketReadError): void { throw new Error(e.message); }
  }
  const file = fixturePcaps().find((f) => basename(f) === "icmpv6.pcap")!;
  const c = new Counter();
  const o = await readPacketFile(file, c);
  assert.equal(c.packets, o.packets);
  assert.ok(c.packets > 0);
  assert.equal(c.interfaces, 1);
  const dir = mkdtempSync(join(tmpdir(), "pcap-none-"));
  try {
    writeFileSync(join(dir, "empty.pcap"), new Uint8Array(0));
    await assert.rejects(readPacketFile(join(dir, "empty.pcap"), new Counter()), /not a pcap or pcapng file \(at byte 0\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
