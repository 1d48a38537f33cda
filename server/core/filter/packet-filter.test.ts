// Packet filters: the parser with the packet fields, the predicate, and the SQL over the packets
// table (an in-memory database with the real migrations), which must select exactly the packets
// the predicate selects. The answers for the hand-made packets are written out here; the
// differential test against tshark on recorded files is in server/api/packet-store.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { openInMemoryDb } from "../../../db/open-db";
import { PacketRowBuilder } from "../../ingest/packet-rows";
import { PacketBatchWriter } from "../../ingest/packet-writer";
import { spawnSync } from "node:child_process";
import { NOT_TSHARK_NAMES, PACKET_FIELDS, type PacketRow } from "./packet-fields";
import { compilePacketFilter, packetFilterToSql, parsePacketFilter } from "./packet-filter";
import { FilterError } from "./parser";
import { hostServices } from "../../ingest/host-services";

const T0 = 1_700_000_000_000_000_000n;
const base = { caplen: 60, info: "", ts: T0 };
const PACKETS: PacketRow[] = [
  // 1: a SYN 10.0.0.1:40000 -> 10.0.0.2:80
  { ...base, num: 1, len: 74, proto: "TCP", src: "10.0.0.1", dst: "10.0.0.2", ipVersion: 4, ipProto: 6, sport: 40000, dport: 80, tcpFlags: 0x002, tcpSeq: 100, tcpAck: 0, tcpWin: 64240, tcpLen: 0, info: "40000 → 80 [SYN]" },
  // 2: its SYN/ACK
  { ...base, num: 2, len: 74, proto: "TCP", src: "10.0.0.2", dst: "10.0.0.1", ipVersion: 4, ipProto: 6, sport: 80, dport: 40000, tcpFlags: 0x012, tcpSeq: 900, tcpAck: 101, tcpWin: 0, tcpLen: 0 },
  // 3: ICMP frag needed, mtu 1480, from the router
  { ...base, num: 3, len: 590, proto: "ICMP", src: "10.0.0.254", dst: "10.0.0.1", ipVersion: 4, ipProto: 1, icmpType: 3, icmpCode: 4, icmpMtu: 1480, info: "Destination unreachable (Fragmentation needed)" },
  // 4: VRRP advert
  { ...base, num: 4, len: 54, proto: "VRRP", src: "192.168.205.8", dst: "224.0.0.18", ipVersion: 4, ipProto: 112, vrrpVrid: 51, vrrpPriority: 100 },
  // 5: DNS over UDP, IPv6
  { ...base, num: 5, len: 90, proto: "DNS", src: "2001:db8::1", dst: "2001:db8::53", ipVersion: 6, ipProto: 17, sport: 5353, dport: 53, dnsId: 0x1234 },
  // 6: ARP (no IP at all), malformed
  { ...base, num: 6, len: 42, proto: "ARP", src: "aa:bb:cc:dd:ee:ff", dst: "ff:ff:ff:ff:ff:ff", malformed: "truncated" },
  // 7: ICMPv6 packet too big
  { ...base, num: 7, len: 1280, proto: "ICMPv6", src: "2001:db8::fe", dst: "2001:db8::1", ipVersion: 6, ipProto: 58, icmpType: 2, icmpCode: 0, icmpMtu: 1280 },
];

const db = openInMemoryDb("packets");
// Stored as the ingest stores them (interned texts, rows of numbers), read through the view.
const rowBuilder = new PacketRowBuilder(PACKETS.length);
for (const p of PACKETS) rowBuilder.add(p, { offset: 0, linktype: 1 }, Number(p.ts - T0));
new PacketBatchWriter(db, { extension: false }).apply(rowBuilder.take()!);

function both(filter: string): number[] {
  const f = parsePacketFilter(filter, hostServices());
  const pred = compilePacketFilter(f);
  const byPred = PACKETS.filter(pred).map((p) => p.num);
  const sql = packetFilterToSql(f);
  if (sql.ok) {
    const bySql = db.prepare(`SELECT num FROM packets p WHERE ${sql.sql} ORDER BY num`).pluck().all(...sql.params);
    assert.deepEqual(bySql, byPred, `SQL and predicate differ on ${filter}: ${sql.sql}`);
  }
  return byPred;
}

const CASES: [string, number[]][] = [
  ["", [1, 2, 3, 4, 5, 6, 7]],
  ["icmp.type=3 and icmp.code=4", [3]],
  ["icmp.mtu=1480", [3]],
  ["icmp.mtu exists", [3]],
  ["icmpv6.mtu < 1500", [7]],
  ["icmp.type exists", [3]],
  ["vrrp.vrid=51", [4]],
  ["vrrp.virt_rtr_id in (1, 51)", [4]],
  ["ip.src=10.0.0.1", [1]],
  ["ip.addr=10.0.0.1", [1, 2, 3]],
  ["ip.addr!=10.0.0.1", [4]],
  ["not ip.addr=10.0.0.1", [4, 5, 6, 7]],
  ["ip.src in (10.0.0.2, 192.168.205.8)", [2, 4]],
  ["ipv6.addr=2001:db8::1", [5, 7]],
  ["ipv6.dst=2001:0db8:0:0:0:0:0:53", [5]],
  ["tcp.port=80", [1, 2]],
  ["tcp.dstport=http", [1]],
  ["udp.port=53", [5]],
  ["tcp.port!=80", []],
  ["tcp.flags.syn=true and tcp.flags.ack=false", [1]],
  ["tcp.flags=18", [2]],
  ["tcp.window_size_value=0", [2]],
  ["tcp.flags.reset=true", []],
  ["frame.len > 500", [3, 7]],
  ["frame.len>=74 and frame.len<=90", [1, 2, 5]],
  ["frame.number in (2, 6)", [2, 6]],
  ["frame.protocol=VRRP or frame.protocol=ARP", [4, 6]],
  ["frame.protocol icontains icmp", [3, 7]],
  ["frame.info contains Fragmentation", [3]],
  ["frame.info startswith 40000", [1]],
  ["frame.info endswith \"(Fragmentation needed)\"", [3]],
  ["frame.protocol endswith \"\"", [1, 2, 3, 4, 5, 6, 7]],
  ["frame.malformed=true", [6]],
  ["ip.proto=112", [4]],
  ["ip.version=6", [5, 7]],
  ["dns.id=4660", [5]],
  ["(tcp.port=80 or udp.port=53) and not ip.src=10.0.0.2", [1, 5]],
];

test("packet filters select the packets written out for them, by predicate and SQL alike", () => {
  for (const [filter, want] of CASES) assert.deepEqual(both(filter), want, filter);
});

test("address ranges are answered by the predicate; SQL says it cannot", () => {
  const f = parsePacketFilter("ip.addr=10.0.0.0/24");
  assert.deepEqual(PACKETS.filter(compilePacketFilter(f)).map((p) => p.num), [1, 2, 3]);
  assert.deepEqual(packetFilterToSql(f), { ok: false, unanswerable: ["ip.addr ="] });
  assert.deepEqual(PACKETS.filter(compilePacketFilter(parsePacketFilter("ipv6.src=2001:db8::/120"))).map((p) => p.num), [5, 7]);
});

test("bad packet filters are refused with their position, and sysdig's fields are not packet fields", () => {
  const bad: [string, RegExp][] = [
    ["proc.name=nginx", /unrecognized field proc\.name at pos 0/],
    ["ip.src=10.0.0", /unrecognized IPv4 address 10\.0\.0/],
    ["ip.src=10.0.0.0/33", /invalid netmask/],
    ["tcp.port=http", /unrecognized protocol http/], // no service table given
    ["tcp.port=nosuchservice", /unrecognized protocol nosuchservice/],
    ["tcp.flags.syn=1", /unrecognized boolean value 1/],
    ["icmp.type=x", /x is not a valid number/],
    ["icmp.type=3 and", /unexpected end of filter/],
    ["a=1 and b=2 or c=3", /unrecognized field a/],
  ];
  for (const [filter, re] of bad) {
    assert.throws(() => parsePacketFilter(filter), (e: unknown) => e instanceof FilterError && re.test(e.message), filter);
  }
  assert.throws(() => compilePacketFilter(parsePacketFilter("ip.src contains 10.0.0.1")), /not supported for addresses/);
  assert.throws(() => compilePacketFilter(parsePacketFilter("frame.malformed > true")), /not supported for booleans/);
});

test("no filter value reaches the SQL text", () => {
  const sql = packetFilterToSql(parsePacketFilter("frame.info contains \"x; DROP TABLE packets; --\" or ip.src=10.9.8.7"));
  assert.ok(sql.ok);
  assert.doesNotMatch(sql.sql, /DROP|10\.9\.8\.7/);
  assert.deepEqual(db.prepare(`SELECT count(*) FROM packets p WHERE ${sql.sql}`).pluck().get(...sql.params), 0);
});

test("packet fields carry tshark's names and types (tshark -G fields), but for the few of our own", () => {
  const r = spawnSync("tshark", ["-G", "fields"], { encoding: "utf8", maxBuffer: 1 << 30 });
  assert.equal(r.error, undefined, "tshark must run (scripts/setup.sh installs it)");
  assert.equal(r.status, 0, r.stderr);
  const theirs = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const c = line.split("\t");
    if (c[0] === "F") theirs.set(c[2], c[3]);
  }
  // tshark's FT_ type of each of our types (a port is a UINT16 there, an IPv4 address FT_IPv4).
  const same: Record<string, string[]> = {
    UINT8: ["FT_UINT8"], UINT16: ["FT_UINT16"], UINT32: ["FT_UINT32", "FT_UINT16", "FT_UINT8"], UINT64: ["FT_UINT32", "FT_FRAMENUM"],
    PORT: ["FT_UINT16"], BOOL: ["FT_BOOLEAN"], IPADDR: ["FT_IPv4", "FT_IPv6"],
  };
  for (const [name, f] of PACKET_FIELDS) {
    if (NOT_TSHARK_NAMES.has(name)) {
      assert.equal(theirs.has(name), false, `${name} is tshark's too: say so`);
      continue;
    }
    assert.ok(theirs.has(name), `tshark has no field ${name}`);
    assert.ok(same[f.info.type]?.includes(theirs.get(name)!), `${name}: ours ${f.info.type}, tshark's ${theirs.get(name)}`);
  }
});

test("casefile fields lists every packet field after sysdig's, under its protocol", async () => {
  const { runCasefile } = await import("../../testing/oracle");
  const r = runCasefile(["fields"], "utf8");
  assert.equal(r.status, 0, r.stderr);
  const at = r.stdout.indexOf("Packet fields (pcap, pcapng");
  assert.ok(at > 0, "a heading after sysdig's fields");
  const packetPart = r.stdout.slice(at);
  for (const name of PACKET_FIELDS.keys()) assert.match(packetPart, new RegExp(`^${name.replace(/\./g, "\\.")} `, "m"), name);
  // sysdig's own list stays before it, untouched by the packet fields.
  assert.doesNotMatch(r.stdout.slice(0, at), /^icmp\.mtu /m);
});
