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
