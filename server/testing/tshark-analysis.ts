// tshark as the oracle of the packet analyses: which packets Wireshark's TCP analysis marks
// (tcp.analysis.retransmission, duplicate_ack, zero_window, out_of_order), which carry a RST,
// and its conversations' initial RTT. Also tshark's own decoding of each packet as a PacketRow,
// so that the analysis rules can be compared with Wireshark's on exactly the packets Wireshark
// decoded (the decoders have their own differential test).

import { spawnSync } from "node:child_process";
import type { PacketRow } from "../core/filter/packet-fields";
import { requireTool } from "./oracle";

export function requireTshark(): void {
  requireTool("tshark", ["--version"], /TShark \(Wireshark\) 4\.0\./, "tshark 4.0 (Debian)");
}

/** tshark -r FILE -n ARGS: its stdout lines. Fails when tshark cannot run at all; a damaged
 *  file's non-zero status still leaves what it printed as the answer. */
export function tsharkLines(file: string, args: string[]): string[] {
  requireTshark();
  const r = spawnSync("tshark", ["-r", file, "-n", ...args], { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, TZ: "UTC" } });
  if (r.error || r.status === null) throw new Error(`tshark ${args.join(" ")} on ${file} could not run: ${r.error?.message ?? r.signal}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** Frame numbers tshark's display filter selects. */
export function tsharkFrames(file: string, filter: string): number[] {
  return tsharkLines(file, ["-Y", filter, "-T", "fields", "-e", "frame.number"]).map(Number);
}

function epochNs(s: string): bigint {
  const [sec, frac = ""] = s.split(".");
  return BigInt(sec) * 1_000_000_000n + BigInt((frac + "000000000").slice(0, 9));
}

const FIELDS = [
  "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
  "ip.proto", "ipv6.nxt", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw",
  "tcp.window_size_value", "tcp.len", "udp.srcport", "udp.dstport", "icmp.type", "icmp.code", "icmp.mtu",
  "_ws.col.Protocol", "tcp.analysis.initial_rtt", "_ws.expert.message",
] as const;

/** A packet as tshark decodes it, with what its expert info says (every message) and the
 *  initial RTT of its TCP conversation, when known. */
export interface TsharkPacket {
  row: PacketRow;
  expert: string[];
  initialRttNs?: bigint;
}

/** Each packet as tshark decodes it, in our PacketRow shape (the outermost IP header and its
 *  transport: the files these are used on have no tunnels), with its expert messages. */
export function tsharkPackets(file: string): TsharkPacket[] {
  // Every occurrence, joined by \u0001 (the expert messages); the other fields take the first.
  const lines = tsharkLines(file, ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\u0001", "-E", "separator=/t", ...FIELDS.flatMap((f) => ["-e", f])]);
  return lines.map((line) => {
    const all = Object.fromEntries(line.split("\t").map((v, i) => [FIELDS[i], v])) as Record<(typeof FIELDS)[number], string>;
    const c = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.split("\u0001")[0]])) as typeof all;
    const n = (v: string) => (v === "" ? undefined : Number(v));
    const v6 = c["ipv6.src"] !== "" && c["ip.src"] === "";
    const ipProto = n(v6 ? c["ipv6.nxt"] : c["ip.proto"]);
    const row: PacketRow = {
      num: Number(c["frame.number"]), ts: epochNs(c["frame.time_epoch"]), len: Number(c["frame.len"]),
      caplen: Number(c["frame.cap_len"]), proto: c["_ws.col.Protocol"], info: "",
      src: v6 ? c["ipv6.src"] : c["ip.src"], dst: v6 ? c["ipv6.dst"] : c["ip.dst"],
    };
    if (row.src !== "") { row.ipVersion = v6 ? 6 : 4; row.ipProto = ipProto; }
    if (ipProto === 6 && c["tcp.flags"] !== "") {
      Object.assign(row, {
        sport: n(c["tcp.srcport"]), dport: n(c["tcp.dstport"]), tcpFlags: Number(c["tcp.flags"]),
        tcpSeq: n(c["tcp.seq_raw"]), tcpAck: n(c["tcp.ack_raw"]), tcpWin: n(c["tcp.window_size_value"]), tcpLen: n(c["tcp.len"]),
      });
    } else if (ipProto === 17 && c["udp.srcport"] !== "") {
      Object.assign(row, { sport: n(c["udp.srcport"]), dport: n(c["udp.dstport"]) });
    } else if (ipProto === 1 && c["icmp.type"] !== "") {
      Object.assign(row, { icmpType: n(c["icmp.type"]), icmpCode: n(c["icmp.code"]), icmpMtu: n(c["icmp.mtu"]) });
    }
    const rtt = c["tcp.analysis.initial_rtt"];
    return {
      row, expert: all["_ws.expert.message"] === "" ? [] : all["_ws.expert.message"].split("\u0001"),
      ...(rtt ? { initialRttNs: epochNs(rtt) } : {}),
    };
  });
}
