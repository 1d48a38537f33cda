// The packet analyses against tshark 4.0: on the packets exactly as tshark decodes them, our
// findings must mark the same packets as Wireshark's expert info (retransmissions of all three
// kinds, duplicate ACKs, out-of-order segments, zero windows, resets), and the conversations'
// handshake RTT must be tshark's tcp.analysis.initial_rtt.
//
// Files: the project's recordings (scripts/seeds/) and every tcpdump fixture in which tshark
// reports at least one of these findings (found by running tshark over all 406; 13 files).

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { PCAPS_DIR } from "../../testing/oracle";
import { tsharkPackets } from "../../testing/tshark-analysis";
import { PacketAnalysis, type FindingKind } from "./packet-analysis";
import type { PacketRow } from "../filter/packet-fields";

interface Finding { num: number; kind: FindingKind; detail: string; refNum?: number; flow?: number }

/** An analysis whose findings are collected as objects, in the order found. */
function analysis(): { a: PacketAnalysis; found: Finding[] } {
  const found: Finding[] = [];
  const a = new PacketAnalysis({
    finding: (num, kind, detail, refNum, flow) => found.push({
      num, kind, detail, ...(refNum !== undefined ? { refNum } : {}), ...(flow !== undefined ? { flow } : {}),
    }),
  });
  return { a, found };
}

const RECORDED = join(PCAPS_DIR, "../recorded");
const FILES = [
  join(RECORDED, "tcp-trouble.pcap"), join(RECORDED, "mtu-1480.pcap"),
  ...["pptp.pcap", "mptcp-v0.pcap", "kday4.pcap", "of10_pf5240.pcap", "mptcp-fclose.pcap",
    "bgp-shutdown-msg-variations.pcap", "bgp-4byte-asn.pcap", "tcp_rst_diag_payload.pcap",
    "tcp_rst_data-trunc.pcap", "of10_inv_OFPST_FLOW.pcap", "of10_7050sx_bsn.pcap",
    "bgp-infinite-loop.pcap", "bgp-as-path-oobr.pcap"].map((f) => join(PCAPS_DIR, f)),
];

/** Our finding kinds and the expert messages of tshark that mean them. */
const KINDS: [FindingKind, RegExp][] = [
  ["retransmission", /^This frame is a \(suspected\) (fast |spurious )?retransmission$/],
  ["duplicate-ack", /^Duplicate ACK \(#\d+\)$/],
  ["out-of-order", /^This frame is a \(suspected\) out-of-order segment$/],
  ["zero-window", /^TCP Zero Window segment$/],
  ["reset", /^Connection reset \(RST\)$/],
];

test("findings mark the packets Wireshark's expert info marks, file by file", () => {
  const totals = new Map<FindingKind, number>();
  for (const file of FILES) {
    const packets = tsharkPackets(file);
    assert.ok(packets.length > 0, `${file}: tshark read no packet`);
    const { a, found } = analysis();
    const ours = new Map<FindingKind, number[]>();
    for (const p of packets) {
      found.length = 0;
      a.add(p.row);
      for (const f of found) {
        if (!ours.has(f.kind)) ours.set(f.kind, []);
        // One duplicate ACK finding per packet, as tshark has one message per packet.
        if (ours.get(f.kind)!.at(-1) !== f.num) ours.get(f.kind)!.push(f.num);
      }
    }
    for (const [kind, re] of KINDS) {
      const theirs = packets.filter((p) => p.expert.some((m) => re.test(m))).map((p) => p.row.num);
      // tshark's RST message sits on TCP packets only; an RST quoted inside an ICMP error is not one.
      assert.deepEqual(ours.get(kind) ?? [], theirs, `${file}: ${kind}`);
      totals.set(kind, (totals.get(kind) ?? 0) + theirs.length);
    }
  }
  // The comparison compared something of every kind.
  for (const [kind] of KINDS) assert.ok((totals.get(kind) ?? 0) > 0, `no ${kind} in any file`);
});

test("the handshake RTT of each conversation is tshark's tcp.analysis.initial_rtt", () => {
  let compared = 0;
  for (const file of FILES) {
    const packets = tsharkPackets(file);
    const { a } = analysis();
    const flowOf = new Map<number, number>();
    for (const p of packets) {
      const flow = a.add(p.row);
      if (flow !== undefined) flowOf.set(p.row.num, flow);
    }
    const convs = new Map(a.conversations().map((c) => [c.id, c]));
    for (const p of packets) {
      if (p.row.ipProto !== 6 || flowOf.get(p.row.num) === undefined) continue;
      const c = convs.get(flowOf.get(p.row.num)!)!;
      // tshark shows the initial RTT on the packets after the handshake's ACK.
      if (p.initialRttNs === undefined || c.ackNum === undefined || p.row.num < c.ackNum) continue;
      assert.equal(c.rttNs, p.initialRttNs, `${file} #${p.row.num}`);
      compared++;
    }
  }
  assert.ok(compared > 100, `${compared} packets compared`);
});

test("frag-needed findings carry the MTU and point at the conversation their quoted packet belongs to", () => {
  const { a, found } = analysis();
  const T = 1_700_000_000_000_000_000n;
  const syn = { num: 1, ts: T, len: 74, caplen: 74, proto: "TCP", info: "", src: "10.148.1.2", dst: "10.148.2.2", ipVersion: 4 as const, ipProto: 6, sport: 38732, dport: 8080, tcpFlags: 2, tcpSeq: 1, tcpAck: 0, tcpWin: 64240, tcpLen: 0 };
  const flow = a.add(syn);
  const icmp = {
    num: 2, ts: T + 1000n, len: 590, caplen: 590, proto: "ICMP", info: "", src: "10.148.1.1", dst: "10.148.1.2", ipVersion: 4 as const, ipProto: 1,
    icmpType: 3, icmpCode: 4, icmpMtu: 1480, icmpQuoted: { src: "10.148.1.2", dst: "10.148.2.2", ipProto: 6, sport: 38732, dport: 8080 },
  };
  assert.equal(a.add(icmp), undefined, "the ICMP error is no packet of the conversation it reports on");
  assert.deepEqual(found, [{ num: 2, kind: "frag-needed", detail: "fragmentation needed, MTU 1480, from 10.148.1.1 for 10.148.1.2:38732 → 10.148.2.2:8080", flow, refNum: 1 }]);
});

test("times past ±2^62 ns (a pcapng's resolution or offset) are kept as exactly as the others", () => {
  // A handshake, a lost segment, its retransmission and a duplicate ACK, 1 ms apart, from `at` on.
  const tcp = (num: number, ts: bigint, fromA: boolean, flags: number, seq: number, ack: number, len: number): PacketRow => ({
    num, ts, len: 60 + len, caplen: 60 + len, proto: "TCP", info: "", src: fromA ? "10.0.0.1" : "10.0.0.2",
    dst: fromA ? "10.0.0.2" : "10.0.0.1", ipVersion: 4, ipProto: 6, sport: fromA ? 40000 : 80, dport: fromA ? 80 : 40000,
    tcpFlags: flags, tcpSeq: seq, tcpAck: ack, tcpWin: 1000, tcpLen: len,
  });
  const run = (at: bigint, before: PacketRow[] = []) => {
    const { a, found } = analysis();
    for (const p of before) a.add(p);
    const n = before.length, ms = 1_000_000n;
    for (const p of [
      tcp(n + 1, at, true, 0x002, 100, 0, 0), tcp(n + 2, at + ms, false, 0x012, 500, 101, 0),
      tcp(n + 3, at + 2n * ms, true, 0x010, 101, 501, 0), tcp(n + 4, at + 3n * ms, true, 0x018, 111, 501, 10),
      tcp(n + 5, at + 4n * ms, false, 0x010, 501, 101, 0), tcp(n + 6, at + 5n * ms, false, 0x010, 501, 101, 0),
      tcp(n + 7, at + 600n * ms, true, 0x018, 101, 501, 10),
    ]) a.add(p);
    return { conversations: a.conversations(), found };
  };
  const near = run(1_700_000_000_000_000_000n);
  assert.deepEqual(near.found.map((f) => f.kind), ["lost-segment", "duplicate-ack", "duplicate-ack", "retransmission"]);
  assert.equal(near.conversations[0].rttNs, 2_000_000n);
  const shift = (r: ReturnType<typeof run>, by: bigint) => ({
    found: r.found,
    conversations: r.conversations.map((c) => ({ ...c, firstTs: c.firstTs - by, lastTs: c.lastTs - by })),
  });
  for (const far of [2n ** 64n + 3n, -(2n ** 63n)]) {
    assert.deepEqual(shift(run(far), far - 1_700_000_000_000_000_000n), near, `at ${far}`);
  }
  // A conversation kept before the first far time keeps its times exact.
  const udp: PacketRow = { num: 1, ts: 1_700_000_000_123_456_789n, len: 60, caplen: 60, proto: "UDP", info: "", src: "10.0.0.3",
    dst: "10.0.0.4", ipVersion: 4, ipProto: 17, sport: 53, dport: 53 };
  const mixed = run(2n ** 70n, [udp]);
  assert.equal(mixed.conversations[0].lastTs, udp.ts);
  assert.equal(mixed.conversations[1].lastTs, 2n ** 70n + 600_000_000n);
  assert.equal(mixed.conversations[1].rttNs, 2_000_000n);
});
