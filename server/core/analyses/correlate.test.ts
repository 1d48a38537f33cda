// Correlation: a socket's fd name split into its tuple exactly as sysdig's own fd.cip/cport/
// sip/sport fields split it (every IPv4 and IPv6 socket of the fixture captures), and the
// matching of connections with conversations by tuple (either direction) and time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureCapture, outputLines, runSysdig } from "../../testing/oracle";
import { connectionsOf, conversationsOf, packetEndpoints, parseFdTuple, tupleKey, type PacketConversation, type SyscallConnection } from "./correlate";

test("fd names split into the tuple sysdig gives as fd.cip, fd.cport, fd.sip, fd.sport", () => {
  let n = 0;
  for (const name of ["falco_connect_localhost.scap", "single_ipv6_conn.scap", "curl_google.scap"]) {
    const r = runSysdig(["-r", fixtureCapture(name), "-p", "%fd.name|%fd.l4proto|%fd.cip|%fd.cport|%fd.sip|%fd.sport", "fd.type in (ipv4,ipv6) and fd.l4proto in (tcp,udp)"]);
    for (const line of new Set(outputLines(r.stdout))) {
      const [fdName, l4, cip, cport, sip, sport] = line.split("|");
      // A connected socket's name always names both ends; sysdig leaves the fields <NA> otherwise.
      if (!fdName.includes("->") || cip === "<NA>") continue;
      const t = parseFdTuple(fdName, l4 as "tcp" | "udp");
      assert.deepEqual(t, { proto: l4, aAddr: cip, aPort: Number(cport), bAddr: sip, bPort: Number(sport) }, line);
      n++;
    }
  }
  assert.ok(n >= 4, `${n} sockets compared`);
  assert.equal(parseFdTuple("/etc/passwd", "tcp"), undefined);
  assert.equal(parseFdTuple("127.0.0.1:80", "tcp"), undefined);
  assert.equal(parseFdTuple("a:1->b:99999", "tcp"), undefined);
});

const S = 1_000_000_000n;
const T = 1_700_000_000n * S;

test("a connection matches the conversations of its tuple, either direction, near its time; and the reverse", () => {
  const conn: SyscallConnection = { proto: "tcp", aAddr: "127.0.0.1", aPort: 47192, bAddr: "127.0.0.1", bPort: 80, firstTs: T + 10n * S, lastTs: T + 12n * S };
  const convs: PacketConversation[] = [
    // the same tuple, written from the server's side, during the connection
    { id: 1, proto: "tcp", aAddr: "127.0.0.1", aPort: 80, bAddr: "127.0.0.1", bPort: 47192, firstTs: T + 10n * S + 5n, lastTs: T + 12n * S + 100n },
    // the same tuple a minute later: the port used again by another connection
    { id: 2, proto: "tcp", aAddr: "127.0.0.1", aPort: 47192, bAddr: "127.0.0.1", bPort: 80, firstTs: T + 70n * S, lastTs: T + 71n * S },
    // UDP with the same ports
    { id: 3, proto: "udp", aAddr: "127.0.0.1", aPort: 47192, bAddr: "127.0.0.1", bPort: 80, firstTs: T + 10n * S, lastTs: T + 11n * S },
    // another port, same time
    { id: 4, proto: "tcp", aAddr: "127.0.0.1", aPort: 47193, bAddr: "127.0.0.1", bPort: 80, firstTs: T + 10n * S, lastTs: T + 11n * S },
    // the same tuple ending 0.5 s before the connection starts: within the slack, after conversation 1
    { id: 5, proto: "tcp", aAddr: "127.0.0.1", aPort: 47192, bAddr: "127.0.0.1", bPort: 80, firstTs: T + 9n * S, lastTs: T + 9n * S + S / 2n },
  ];
  assert.deepEqual(conversationsOf(conn, convs).map((c) => c.id), [1, 5]);
  assert.deepEqual(conversationsOf(conn, convs, 0n).map((c) => c.id), [1]);
  assert.deepEqual(conversationsOf(conn, convs, 100n * S).map((c) => c.id), [1, 5, 2]);
  assert.deepEqual(connectionsOf(convs[0], [conn]), [conn]);
  assert.deepEqual(connectionsOf(convs[1], [conn]), []);
  assert.deepEqual(connectionsOf(convs[2], [conn]), []);
});

test("a packet's tuple keys the same as its socket's, whichever end sent it", () => {
  const conn = parseFdTuple("2001:db8::4:54405->2001:db8::3:1234", "tcp")!;
  const fromServer = packetEndpoints({ ipProto: 6, src: "2001:db8::3", dst: "2001:db8::4", sport: 1234, dport: 54405 })!;
  const fromClient = packetEndpoints({ ipProto: 6, src: "2001:db8::4", dst: "2001:db8::3", sport: 54405, dport: 1234 })!;
  assert.equal(tupleKey(fromServer), tupleKey(conn));
  assert.equal(tupleKey(fromClient), tupleKey(conn));
  assert.notEqual(tupleKey({ ...fromClient, proto: "udp" }), tupleKey(conn));
  assert.equal(packetEndpoints({ ipProto: 1, src: "a", dst: "b" }), undefined);
});

test("the filters built from a tuple select the connection's syscalls in sysdig and its packets in our packet filter", async () => {
  const { syscallFilterFor, packetFilterFor } = await import("./correlate");
  const { parsePacketFilter, compilePacketFilter } = await import("../filter/packet-filter");
  // sysdig on a real capture: the filter selects exactly the events on the socket of that tuple.
  const file = fixtureCapture("falco_connect_localhost.scap");
  const t = parseFdTuple("127.0.0.1:47192->127.0.0.1:80", "tcp")!;
  const ours = runSysdig(["-r", file, "-p", "%evt.num", syscallFilterFor(t)]);
  const byName = runSysdig(["-r", file, "-p", "%evt.num", "fd.name=127.0.0.1:47192->127.0.0.1:80"]);
  assert.ok(outputLines(ours.stdout).length > 0);
  assert.deepEqual(outputLines(ours.stdout), outputLines(byName.stdout));
  // Reversed ends select the same; a span leaves out what falls outside it.
  const rev = { ...t, aAddr: t.bAddr, aPort: t.bPort, bAddr: t.aAddr, bPort: t.aPort };
  assert.deepEqual(outputLines(runSysdig(["-r", file, "-p", "%evt.num", syscallFilterFor(rev)]).stdout), outputLines(byName.stdout));
  assert.deepEqual(outputLines(runSysdig(["-r", file, "-p", "%evt.num", syscallFilterFor(t, { firstTs: 0n, lastTs: 1n })]).stdout), []);
  const match = compilePacketFilter(parsePacketFilter(packetFilterFor(t)));
  const pkt = (src: string, sport: number, dst: string, dport: number) => ({ num: 1, ts: 0n, len: 60, caplen: 60, proto: "TCP", info: "", src, dst, ipVersion: 4 as const, ipProto: 6, sport, dport });
  assert.equal(match(pkt("127.0.0.1", 47192, "127.0.0.1", 80)), true);
  assert.equal(match(pkt("127.0.0.1", 80, "127.0.0.1", 47192)), true);
  assert.equal(match(pkt("127.0.0.1", 47193, "127.0.0.1", 80)), false);
});
