// The decoders on packets built for each protocol's edges (tunnels inside tunnels, ICMP errors
// quoting their flow, VRRP v2 and v3, QinQ, every cooked and loopback link type, IPv6
// extension headers and fragments, TCP options), written to a pcapng with one interface per
// link type and read by tshark 4.0: every field below, every occurrence, must equal tshark's.
// The values are printed as tshark prints them, by the base and type its own field table
// (`tshark -G fields`) gives; the expected answer is tshark's, never ours.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodePacket } from "./decode";
import { ipv4, ipv6, ipv6Text } from "./address";
import { buildPcapng, type NgBlock } from "../../testing/pcap-builder";
import { requireTshark, TSHARK_OPTIONS } from "../../testing/tshark-packets";

const FIELDS = [
  "eth.type", "vlan.id", "sll.pkttype", "null.family", "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
  "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.id", "ip.hdr_len", "ip.len", "ipv6.src", "ipv6.dst", "ipv6.nxt", "ipv6.plen",
  "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.window_size_value", "tcp.hdr_len", "tcp.len",
  "tcp.options.mss_val", "tcp.options.wscale.shift", "udp.srcport", "udp.dstport", "udp.length",
  "icmp.type", "icmp.code", "icmp.mtu", "icmp.ident", "icmp.seq", "icmpv6.type", "icmpv6.code", "icmpv6.mtu",
  "vrrp.version", "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.adver_int", "vrrp.short_adver_int",
  "dns.id", "dns.count.queries", "dns.qry.name", "gre.key", "gre.sequence_number", "vxlan.vni", "geneve.vni",
];

// --- packet builders (network byte order) -----------------------------------------------
const u16 = (v: number) => [v >> 8, v & 0xff];
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const v4 = (s: string) => s.split(".").map(Number);
function v6(last: number): number[] {
  return [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...u16(last)];
}
const eth = (type: number, ...rest: number[][]) => [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, ...u16(type), ...rest.flat()];
function ip4(proto: number, src: string, dst: string, payload: number[], opts: { id?: number; frag?: number; options?: number[] } = {}): number[] {
  const o = opts.options ?? [];
  const h = [0x45 + o.length / 4, 0, ...u16(20 + o.length + payload.length), ...u16(opts.id ?? 0x1234), ...u16(opts.frag ?? 0x4000), 64, proto, 0, 0, ...v4(src), ...v4(dst), ...o];
  return [...h, ...payload];
}
const ip6 = (next: number, a: number, b: number, payload: number[]) => [0x60, 0, 0, 0, ...u16(payload.length), next, 64, ...v6(a), ...v6(b), ...payload];
function tcp(sp: number, dp: number, seq: number, ack: number, flags: number, options: number[] = [], data: number[] = []): number[] {
  const hl = 20 + options.length;
  return [...u16(sp), ...u16(dp), ...u32(seq), ...u32(ack), (hl / 4) << 4, flags, ...u16(29200), 0, 0, 0, 0, ...options, ...data];
}
const udp = (sp: number, dp: number, payload: number[]) => [...u16(sp), ...u16(dp), ...u16(8 + payload.length), 0, 0, ...payload];
const dnsQuery = (id: number) => [...u16(id), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...[...Buffer.from("example")], 3, ...[...Buffer.from("com")], 0, 0, 1, 0, 1];
const icmpEcho = (id: number, seq: number) => [8, 0, 0, 0, ...u16(id), ...u16(seq), 1, 2, 3, 4];

interface Pkt { iface: number; bytes: number[] }

function packets(): { linktypes: number[]; pkts: Pkt[] } {
  const linktypes = [1, 113, 276, 0, 108, 101];
  const synOpts = [2, 4, ...u16(1460), 4, 2, 8, 10, ...u32(1000), ...u32(0), 1, 3, 3, 7];
  const p: Pkt[] = [];
  const E = (bytes: number[]) => p.push({ iface: 0, bytes });
  // TCP handshake pieces with options; data.
  E(eth(0x0800, ip4(6, "10.0.0.1", "10.0.0.2", tcp(40000, 80, 1000, 0, 0x02, synOpts))));
  E(eth(0x0800, ip4(6, "10.0.0.2", "10.0.0.1", tcp(80, 40000, 5000, 1001, 0x12, [2, 4, ...u16(1400), 1, 1, 4, 2]))));
  E(eth(0x0800, ip4(6, "10.0.0.1", "10.0.0.2", tcp(40000, 80, 1001, 5001, 0x18, [], [71, 69, 84, 32]))));
  // QinQ and a DNS query.
  E(eth(0x88a8, [...u16(100), ...u16(0x8100), ...u16(200), ...u16(0x0800)], ip4(17, "10.0.0.5", "10.0.0.53", udp(5353 + 1, 53, dnsQuery(0xbeef)))));
  // ICMP frag-needed (MTU 1480) quoting the TCP flow; ICMPv6 packet-too-big quoting UDP.
  const quoted = ip4(6, "10.0.0.1", "10.0.0.2", tcp(40000, 80, 1001, 5001, 0x18).slice(0, 8)).slice(0, 28);
  quoted[2] = 0x05; quoted[3] = 0xdc;
  E(eth(0x0800, ip4(1, "10.9.9.9", "10.0.0.1", [3, 4, 0, 0, 0, 0, ...u16(1480), ...quoted])));
  E(eth(0x86dd, ip6(58, 9, 1, [2, 0, 0, 0, ...u32(1280), ...ip6(17, 1, 2, udp(1234, 4321, [0, 0, 0, 0])).slice(0, 48)])));
  // IPIP, 6in4, GRE with key and sequence, VXLAN, Geneve with an option.
  E(eth(0x0800, ip4(4, "192.0.2.1", "192.0.2.2", ip4(6, "10.1.0.1", "10.2.0.1", tcp(1111, 22, 7, 0, 0x02)))));
  E(eth(0x0800, ip4(41, "192.0.2.1", "192.0.2.2", ip6(17, 3, 4, udp(53, 53, dnsQuery(7))))));
  E(eth(0x0800, ip4(47, "192.0.2.1", "192.0.2.2", [0x30, 0, 0x08, 0, ...u32(0xabcdef01), ...u32(42), ...ip4(1, "10.3.0.1", "10.3.0.2", icmpEcho(0x99, 3))])));
  E(eth(0x0800, ip4(17, "192.0.2.1", "192.0.2.2", udp(55555, 4789, [0x08, 0, 0, 0, ...u32(0x123456 << 8), ...eth(0x0800, ip4(6, "10.4.0.1", "10.4.0.2", tcp(5000, 6000, 1, 2, 0x10)))]))));
  E(eth(0x86dd, ip6(17, 5, 6, udp(44444, 6081, [0x01, 0, 0x65, 0x58, ...u32(0x00abcd << 8), 0x01, 0x02, 0x80, 0x00, ...eth(0x86dd, ip6(6, 7, 8, tcp(1, 2, 3, 4, 0x04)))]))));
  // VRRP v2 over IPv4, v3 over IPv6.
  E(eth(0x0800, ip4(112, "10.0.0.2", "224.0.0.18", [0x21, 51, 150, 1, 0, 1, 0, 0, ...v4("10.0.0.100"), 0, 0, 0, 0, 0, 0, 0, 0])));
  E(eth(0x86dd, ip6(112, 2, 0x12, [0x31, 52, 200, 1, ...u16(100), 0, 0, ...v6(0x100)])));
  // ARP; IPv4 options; a later fragment (no transport header).
  E(eth(0x0806, [0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, ...v4("10.0.0.1"), 0, 0, 0, 0, 0, 0, ...v4("10.0.0.254")]));
  E(eth(0x0800, ip4(17, "10.0.0.1", "10.0.0.2", udp(1, 2, [9, 9]), { options: [7, 7, 4, 0, 0, 0, 0, 1] })));
  E(eth(0x0800, ip4(17, "10.0.0.1", "10.0.0.2", [1, 2, 3, 4, 5, 6, 7, 8], { frag: 0x0003, id: 0x4242 })));
  // Cooked v1 and v2, BSD loopback both orders, raw IP with IPv6 extension headers.
  p.push({ iface: 1, bytes: [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...u16(0x0800), ...ip4(17, "10.5.0.1", "10.5.0.2", udp(68, 67, [1, 2, 3, 4]))] });
  p.push({ iface: 2, bytes: [...u16(0x86dd), 0, 0, ...u32(3), 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...ip6(6, 9, 10, tcp(443, 50000, 10, 20, 0x11))] });
  p.push({ iface: 3, bytes: [2, 0, 0, 0, ...ip4(1, "127.0.0.1", "127.0.0.1", icmpEcho(1, 1))] });
  p.push({ iface: 4, bytes: [0, 0, 0, 24, ...ip6(58, 1, 1, [128, 0, 0, 0, 0, 1, 0, 2])] });
  p.push({ iface: 5, bytes: ip6(0, 11, 12, [60, 0, 1, 4, 0, 0, 0, 0, 44, 0, 0, 0, 0, 0, 0, 0, 44, 0, 0, 1, ...u32(77), 17, 0, 0, 1, ...u32(78), ...udp(7, 8, [1, 2, 3])]) });
  return { linktypes, pkts: p };
}

function tsharkFieldTable(): Map<string, { type: string; base: string }> {
  const r = spawnSync("tshark", ["-G", "fields"], { encoding: "utf8", maxBuffer: 1 << 28 });
  const m = new Map<string, { type: string; base: string }>();
  for (const l of r.stdout.split("\n")) {
    const c = l.split("\t");
    if (c[0] === "F") m.set(c[2], { type: c[3], base: c[5] });
  }
  return m;
}

const HEX_WIDTH: Record<string, number> = { FT_UINT8: 2, FT_UINT16: 4, FT_UINT24: 6, FT_UINT32: 8 };

test("decoders on built packets of every protocol and link type: every field as tshark reads it", () => {
  requireTshark();
  const table = tsharkFieldTable();
  for (const f of FIELDS) assert.ok(table.has(f), `tshark has no field ${f}`);
  const { linktypes, pkts } = packets();
  const blocks: NgBlock[] = pkts.map((x, i) => ({ kind: "epb", iface: x.iface, ticks: 1_700_000_000_000_000n + BigInt(i), data: Uint8Array.from(x.bytes) }));
  const dir = mkdtempSync(join(tmpdir(), "decoders-"));
  try {
    const file = join(dir, "built.pcapng");
    writeFileSync(file, buildPcapng([{ le: true, interfaces: linktypes.map((linktype) => ({ linktype })), blocks }]));
    const r = spawnSync("tshark", ["-r", file, ...TSHARK_OPTIONS, "-T", "fields", "-E", "occurrence=a", ...FIELDS.flatMap((f) => ["-e", f])], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.split("\n").filter((l) => l).map((l) => l.split("\t"));
    assert.equal(theirs.length, pkts.length);
    let compared = 0;
    pkts.forEach((x, i) => {
      const d = decodePacket({ linktype: linktypes[x.iface], data: Uint8Array.from(x.bytes) });
      assert.equal(d.malformed, undefined, `packet ${i + 1}: ${d.malformed}`);
      FIELDS.forEach((f, j) => {
        const { type, base } = table.get(f)!;
        const ours = d.layers.flatMap((l) => l.fields.filter((y) => y.name === f)).map((y) => {
          const v = y.value;
          if (typeof v === "number" && (base === "BASE_HEX" || base === "BASE_HEX_DEC")) return `0x${v.toString(16).padStart(HEX_WIDTH[type] ?? 2, "0")}`;
          return String(v);
        }).join(",");
        const t = theirs[i][j] ?? "";
        if (t !== "") compared++;
        assert.equal(ours, t, `packet ${i + 1} ${f}`);
      });
    });
    assert.ok(compared > 150, `only ${compared} values compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the summary: innermost addresses and ports, the MTU and quoted flow of an ICMP error, VRRP", () => {
  // What tshark's columns show for the same built packets, for the summary fields the store
  // keeps (checked here against tshark's Source/Destination columns and the quoted fields).
  requireTshark();
  const { linktypes, pkts } = packets();
  const dir = mkdtempSync(join(tmpdir(), "decoders-"));
  try {
    const file = join(dir, "built.pcapng");
    const blocks: NgBlock[] = pkts.map((x, i) => ({ kind: "epb", iface: x.iface, ticks: BigInt(i), data: Uint8Array.from(x.bytes) }));
    writeFileSync(file, buildPcapng([{ le: true, interfaces: linktypes.map((linktype) => ({ linktype })), blocks }]));
    const r = spawnSync("tshark", ["-r", file, ...TSHARK_OPTIONS, "-T", "fields", "-e", "_ws.col.Source", "-e", "_ws.col.Destination",
      "-e", "icmp.mtu", "-e", "icmpv6.mtu", "-e", "vrrp.virt_rtr_id"], { encoding: "utf8" });
    const rows = r.stdout.split("\n").filter((l) => l).map((l) => l.split("\t"));
    pkts.forEach((x, i) => {
      const d = decodePacket({ linktype: linktypes[x.iface], data: Uint8Array.from(x.bytes) }, { layers: false });
      assert.equal(d.layers.length, 0);
      assert.equal(`${d.src} ${d.dst}`, `${rows[i][0]} ${rows[i][1]}`, `packet ${i + 1} columns`);
      const mtu = rows[i][2] || rows[i][3];
      assert.equal(d.icmpMtu === undefined ? "" : String(d.icmpMtu), mtu, `packet ${i + 1} MTU`);
      assert.equal(d.vrrpVrid === undefined ? "" : String(d.vrrpVrid), rows[i][4], `packet ${i + 1} VRRP`);
    });
    // The frag-needed packet quotes the TCP flow 10.0.0.1:40000 → 10.0.0.2:80.
    const fn = decodePacket({ linktype: 1, data: Uint8Array.from(pkts[4].bytes) }, { layers: false });
    assert.deepEqual(fn.icmpQuoted, { src: "10.0.0.1", dst: "10.0.0.2", ipProto: 6, sport: 40000, dport: 80 });
    assert.equal(fn.sport, undefined, "the quoted ports are not the packet's own");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("IPv6 texts from the cache are the texts made anew, for more addresses than it has slots, in any order", () => {
  let seed = 7;
  const rnd = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
  const addrs: Uint8Array[] = [];
  for (let i = 0; i < 20_000; i++) {
    const b = new Uint8Array(16);
    // Mostly zero groups, as real addresses have, so that the :: runs and the IPv4 forms come up.
    for (let g = 0; g < 8; g++) if (rnd() % 3 === 0) { const v = rnd(); b[2 * g] = v >> 8; b[2 * g + 1] = v; }
    if (i % 7 === 0) b.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 0);
    addrs.push(b);
  }
  for (const order of [addrs, [...addrs].reverse()]) {
    for (const b of order) assert.equal(ipv6(b, 0), ipv6Text(b, 0));
  }
});

test("IPv4 texts from the cache are the addresses' dotted texts, for more addresses than it has slots, in any order", () => {
  let seed = 11;
  const rnd = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
  const addrs = Array.from({ length: 200_000 }, (_, i) => new Uint8Array(new Uint32Array([i % 3 ? rnd() : i]).buffer));
  for (const order of [addrs, [...addrs].reverse()]) {
    for (const b of order) assert.equal(ipv4(b, 0), `${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
  }
});
