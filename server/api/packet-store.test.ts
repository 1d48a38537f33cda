// Packet captures in the store: every pcap fixture ingests without a crash or a hang, each
// within 2 s; the project's recordings answer packet filters with exactly the packets tshark's
// display filter selects (through SQL and through the predicate), conversations with the
// packets and bytes each way that tshark's own per-packet fields add up to, findings with the
// frag-needed MTU and the conversation it hit, and one packet's layers and bytes with what
// tshark shows for it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { openStore } from "./store";
import { decodeForIngest, ingestPacketCapture } from "../ingest/packet-ingest";
import { fixturePcaps, PCAPS_DIR } from "../testing/oracle";
import { tsharkFrames, tsharkLines } from "../testing/tshark-analysis";
import type { Store } from "./store-types";
import type { PacketsPage } from "./packet-store";

const RECORDED = join(PCAPS_DIR, "../recorded");

/** A packet's bytes as tshark's hex dump (-x) shows them. */
function tsharkHex(file: string, num: number): string {
  return tsharkLines(file, ["-Y", `frame.number==${num}`, "-x"]).filter((l) => /^[0-9a-f]{4}  /.test(l)).map((l) => l.slice(6, 53).replace(/ /g, "")).join("");
}

test("every pcap fixture ingests without a crash or a hang, each within 2 s", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-pkt-ingest-"));
  try {
    let packets = 0, damaged = 0, slowest = 0, slowestName = "";
    for (const [i, file] of fixturePcaps().entries()) {
      const t0 = performance.now();
      const r = await ingestPacketCapture(join(dir, `${i}.db`), file, decodeForIngest);
      const ms = performance.now() - t0;
      if (ms > slowest) { slowest = ms; slowestName = basename(file); }
      assert.ok(ms < 2000, `${basename(file)}: ${ms.toFixed(0)} ms`);
      packets += r.packets;
      if (r.error) {
        damaged++;
        // A damaged file says where (a byte offset), and keeps the packets before it.
        assert.match(r.error, /at byte \d+/, `${basename(file)}: ${r.error}`);
      }
      rmSync(join(dir, `${i}.db`), { force: true });
    }
    assert.ok(packets > 1000, `${packets} packets`);
    console.log(`# ${fixturePcaps().length} files, ${packets} packets, ${damaged} damaged, slowest ${slowestName} ${slowest.toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cf-pkt-store-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  try {
    await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function allNums(store: Store, id: string, filter: string, limit = 97): Promise<number[]> {
  const out: number[] = [];
  for (let from: number | null = 1; from !== null;) {
    const page: PacketsPage = (await store.packets(id, { from, limit, filter }))!;
    out.push(...page.packets.map((p) => p.num));
    from = page.next;
  }
  return out;
}

/** Our filter and tshark's for the same packets. */
const FILTERS: [string, string][] = [
  ["", ""],
  ["icmp.type=3 and icmp.code=4", "icmp.type==3 && icmp.code==4"],
  ["icmp.mtu=1480", "icmp.mtu==1480"],
  ["tcp.flags.syn=true", "tcp.flags.syn==1"],
  ["tcp.flags.reset=true or tcp.flags.fin=true", "tcp.flags.reset==1 || tcp.flags.fin==1"],
  ["tcp.port=9001 and tcp.len>0", "tcp.port==9001 && tcp.len>0"],
  ["tcp.window_size_value=0", "tcp.window_size_value==0"],
  ["ip.src=10.77.0.2", "ip.src==10.77.0.2"],
  ["ip.addr=10.148.1.1", "ip.addr==10.148.1.1"],
  // (Not a tcp.port test on ICMP errors: tshark's fields include the quoted packet's, ours are
  // the packet's own headers; see packet-fields.ts.)
  ["ip.addr=10.148.0.0/16 and not ip.proto=1", "ip.addr==10.148.0.0/16 && !(ip.proto==1)"],
  ["frame.len>1000", "frame.len>1000"],
  ["vrrp.vrid=51", "vrrp.virt_rtr_id==51"],
  ["ip.proto=112", "ip.proto==112"],
  ["ipv6.addr exists", "ipv6"],
];

test("stored packet captures answer filters with the packets tshark selects", async () => {
  await withStore(async (store) => {
    for (const name of ["mtu-1480.pcap", "vrrp-stall.pcap", "tcp-trouble.pcap"]) {
      const file = join(RECORDED, name);
      const id = await store.ingestFile(file, name);
      const c = store.getCapture(id)!;
      assert.equal(c.status, "ready", c.error ?? "");
      assert.equal(c.format, "pcap");
      assert.equal(c.events, tsharkFrames(file, "").length || tsharkLines(file, ["-T", "fields", "-e", "frame.number"]).length);
      for (const [ours, theirs] of FILTERS) {
        const want = theirs === "" ? tsharkLines(file, ["-T", "fields", "-e", "frame.number"]).map(Number) : tsharkFrames(file, theirs);
        assert.deepEqual(await allNums(store, id, ours), want, `${name}: ${ours}`);
      }
    }
  });
});

test("a gzip-compressed pcap ingests as the same packets", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-pkt-gz-"));
  try {
    const gz = join(dir, "vrrp.pcap.gz");
    writeFileSync(gz, gzipSync(readFileSync(join(RECORDED, "vrrp-stall.pcap"))));
    await withStore(async (store) => {
      const id = await store.ingestFile(gz, "vrrp.pcap.gz");
      assert.equal(store.getCapture(id)!.events, 10);
      const gaps = await store.gaps(id, "vrrp.vrid=51", 3e9);
      assert.deepEqual(gaps!.map((g) => [g.prevNum, g.num]), [[5, 6]]);
      // The bytes of a packet come from the kept gzip, inflated up to its record.
      const p = (await store.packet(id, 6))!;
      assert.equal(p.hex, tsharkHex(join(RECORDED, "vrrp-stall.pcap"), 6));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("conversations: packets and bytes each way as tshark's packets add up to, the handshake RTT as its initial_rtt", async () => {
  await withStore(async (store) => {
    const file = join(RECORDED, "tcp-trouble.pcap");
    const id = await store.ingestFile(file, "tcp-trouble.pcap");
    const convs = (await store.conversations(id))!;
    // tshark: per packet, its stream, ends and length; added up here by stream and direction.
    const rows = tsharkLines(file, ["-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "ip.src", "-e", "tcp.srcport", "-e", "frame.len", "-e", "tcp.analysis.initial_rtt"]);
    const streams = new Map<string, { first: string; ab: [number, number]; ba: [number, number]; rtt?: string }>();
    for (const r of rows) {
      const [stream, src, sport, len, rtt] = r.split("\t");
      const from = `${src}:${sport}`;
      const s = streams.get(stream) ?? { first: from, ab: [0, 0], ba: [0, 0] };
      const side = from === s.first ? s.ab : s.ba;
      side[0]++;
      side[1] += Number(len);
      if (rtt) s.rtt = rtt;
      streams.set(stream, s);
    }
    const tcp = convs.filter((c) => c.proto === "TCP");
    assert.equal(tcp.length, streams.size);
    for (const [i, s] of [...streams.values()].entries()) {
      const c = tcp[i];
      assert.equal(c.a, s.first);
      assert.deepEqual([c.packetsAB, c.bytesAB, c.packetsBA, c.bytesBA], [...s.ab, ...s.ba], c.a);
      assert.equal(Number(c.rttNs) / 1e9, Number(s.rtt), `${c.a} rtt`);
    }
    assert.ok(tcp.some((c) => c.retransmissions > 0));
  });
});

test("findings: frag-needed with MTU 1480 and the conversation it hit; every finding links to its packet", async () => {
  await withStore(async (store) => {
    const file = join(RECORDED, "mtu-1480.pcap");
    const id = await store.ingestFile(file, "mtu-1480.pcap");
    const frag = (await store.findings(id, "frag-needed"))!;
    assert.deepEqual(frag.map((f) => f.num), tsharkFrames(file, "icmp.type==3 && icmp.code==4"));
    const convs = (await store.conversations(id))!;
    const tcp = convs.find((c) => c.proto === "TCP" && c.b === "10.148.2.2:8080")!;
    for (const f of frag) {
      assert.match(f.detail, /MTU 1480/);
      assert.equal(f.flow, tcp.id, "the frag-needed hit the client's TCP conversation");
    }
    const retrans = (await store.findings(id, "retransmission"))!;
    assert.deepEqual(retrans.map((f) => f.num), tsharkFrames(file, "tcp.analysis.retransmission"));
    // The packet list shows the flow of each TCP packet and none for the ICMP errors.
    const page = (await store.packets(id, { filter: "icmp.type=3" }))!;
    assert.ok(page.packets.every((p) => p.flow === null && /MTU 1480/.test(p.info)));
  });
});

test("one packet's layers name tshark's fields with its values; a bad filter is refused", async () => {
  await withStore(async (store) => {
    const file = join(RECORDED, "mtu-1480.pcap");
    const id = await store.ingestFile(file, "mtu-1480.pcap");
    const num = tsharkFrames(file, "icmp.type==3")[0];
    const d = (await store.packet(id, num))!;
    // The first occurrence of each (the quoted packet's ip.src comes after the header's own).
    const fields = new Map<string, string>();
    for (const f of d.layers.flatMap((l) => l.fields)) if (!fields.has(f.name)) fields.set(f.name, String(f.value));
    const [src, mtu, code] = tsharkLines(file, ["-Y", `frame.number==${num}`, "-T", "fields", "-e", "ip.src", "-e", "icmp.mtu", "-e", "icmp.code"])[0].split("\t");
    assert.equal(fields.get("ip.src"), src.split(",")[0]);
    assert.equal(fields.get("icmp.mtu"), mtu);
    assert.equal(fields.get("icmp.code"), code);
    assert.equal(d.hex, tsharkHex(file, num));
    await assert.rejects(store.packets(id, { filter: "icmp.type=x" }), /not a valid number/);
  });
});
