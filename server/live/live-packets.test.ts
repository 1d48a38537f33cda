// A live session that records packets beside its syscalls (root: the BPF loader and tcpdump),
// end to end below the pages: a real collector over a WebSocket to a LiveHub on a real HTTP
// server and store; a small client and server on loopback talk while it records. The session
// gives two captures in one investigation, and the connection correlates
// (server/core/analyses/correlate.ts) between them. The oracles read the same kept files:
// tshark for the packets (numbers, nanosecond times, addresses, the connection's packet count),
// sysdig 0.29.3 for the connection's syscalls (its tuple and span). Recorded on `lo` without a
// packet filter: the collector's own frames to the server must not be in it, and no tcpdump may
// be left once the session stopped.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import { openStore } from "../api/store";
import type { Store } from "../api/store-types";
import { outputLines, runSysdig } from "../testing/oracle";
import { tsharkLines } from "../testing/tshark-analysis";
import { CollectorClient } from "../../collector/collector-client";
import { buildAll } from "../../bpf/workload-run";
import { conversationsOf, parseFdTuple, type PacketConversation } from "../core/analyses/correlate";
import { LiveHub } from "./live-hub";
import { loopbackConversation } from "../testing/loopback-conversation";

process.env.TZ = "UTC";
const TOKEN = "live-packets-test-token";

let dir: string, store: Store, hub: LiveHub, server: http.Server, url: string, hubPort: number;

before(async () => {
  assert.equal(process.getuid?.(), 0, "the collector (BPF loader, tcpdump) needs root");
  dir = mkdtempSync(join(tmpdir(), "casefile-live-packets-"));
  store = openStore(dir);
  hub = new LiveHub(dir, store);
  server = http.createServer((_req, res) => res.writeHead(404).end());
  const collectors = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  server.on("upgrade", (req, socket, head) => {
    if ((req.headers.authorization ?? "") !== `Bearer ${TOKEN}`) return socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
    collectors.handleUpgrade(req, socket, head, (ws) => hub.acceptCollector(ws));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  hubPort = (server.address() as { port: number }).port;
  url = `ws://127.0.0.1:${hubPort}/ws/collector`;
});

after(async () => {
  await hub?.close();
  server?.closeAllConnections();
  await Promise.race([new Promise((r) => server?.close(r)), new Promise((r) => setTimeout(r, 2000).unref())]);
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Pids of tcpdump processes whose command line holds `needle`. */
function tcpdumps(): number[] {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "tcpdump" && readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`host 127.0.0.1 and tcp port ${hubPort}`);
    } catch {
      return false;
    }
  }).map(Number);
}

const toNs = (t: string) => {
  const [s, f = ""] = t.split(".");
  return BigInt(s) * 1_000_000_000n + BigInt((f + "000000000").slice(0, 9));
};

test("a live session with packets: a syscall capture and a packet capture, one investigation, the connection correlates", { timeout: 120_000 }, async () => {
  buildAll();
  const client = new CollectorClient({ server: url, token: TOKEN, host: "this-host", reconnect: false, log: () => {} });
  await client.start();
  const port = 20000 + Math.floor(Math.random() * 20000);
  try {
    for (let i = 0; i < 200 && !hub.hosts().length; i++) await new Promise((r) => setTimeout(r, 20));
    const s = await hub.start({
      host: "this-host", packets: { iface: "lo" },
      filter: "evt.type in (socket,bind,listen,connect,accept,accept4,sendto,recvfrom,close,shutdown)",
    });
    assert.equal(s.packets?.iface, "lo");
    assert.equal(tcpdumps().length, 1, "one tcpdump records for the session");
    const app = loopbackConversation(port, 0.1);
    assert.equal(app.status, 0, app.stderr);
    await new Promise((r) => setTimeout(r, 300));
    const ended = await hub.stop(s.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    assert.deepEqual(tcpdumps(), [], "no tcpdump is left once the session stopped");
    const pk = ended.packets!;
    assert.equal(pk.error, undefined);
    assert.ok(pk.capture, "a packet capture was made");
    // tcpdump's own count (libpcap's ps_drop); seen non-zero on this loaded machine once, with the
    // connection's packets complete: reported, not assumed to be 0.
    assert.equal(typeof pk.dropped, "number", "tcpdump's counts came back with ended");

    // Two captures, one investigation.
    const pcap = store.getCapture(pk.capture)!;
    assert.equal(pcap.status, "ready", pcap.error ?? "");
    assert.equal(pcap.format, "pcap");
    assert.deepEqual(store.investigations.get(pk.investigation!)!.captures.sort(), [s.id, pk.capture].sort());
    const pcapFile = join(dir, "captures", `${pk.capture}.capture`), scapFile = join(dir, "captures", `${s.id}.capture`);
    assert.ok(existsSync(pcapFile) && existsSync(scapFile));
    assert.ok(!readdirSync(join(dir, "captures")).some((f) => f.startsWith("live-packets-")), "the part file was moved in");

    // tshark: every packet, as the store lists them; tcpdump's count; none of the collector's own.
    const all = tsharkLines(pcapFile, ["-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst", "-e", "tcp.srcport", "-e", "tcp.dstport"])
      .map((l) => l.split("\t"));
    assert.equal(all.length, pk.captured, "tshark reads as many packets as tcpdump captured");
    assert.equal(pcap.events, all.length, "the store holds every packet");
    assert.ok(!all.some(([, , , , sp, dp]) => sp === String(hubPort) || dp === String(hubPort)), "the collector's own frames to the server are not recorded");
    const page = (await store.packets(pk.capture, { limit: 100_000 }))!;
    assert.deepEqual(page.packets.map((p) => [p.num, BigInt(p.ts).toString(), p.src, p.dst]),
      all.map(([n, t, src, dst]) => [Number(n), toNs(t).toString(), src, dst]), "numbers, ns times and addresses are tshark's");
    const conn = all.filter(([, , , , sp, dp]) => sp === String(port) || dp === String(port));
    assert.ok(conn.length >= 10, `the connection's packets: ${conn.length}`);
    const cport = conn[0][4] === String(port) ? conn[0][5] : conn[0][4];

    // sysdig: the connection's syscalls on the recorded syscall capture, their tuple and span.
    const sys = outputLines(runSysdig(["-r", scapFile, "-p", "%evt.rawtime %evt.type %fd.name", `fd.l4proto=tcp and fd.cport=${cport} and fd.sport=${port}`]).stdout)
      .map((l) => l.split(" "));
    const types = new Set(sys.map((x) => x[1]));
    for (const t of ["connect", "sendto", "recvfrom"]) assert.ok(types.has(t), `sysdig shows ${t} on the connection: ${[...types]}`);
    const tuple = parseFdTuple(sys.find((x) => x[2]?.includes("->"))![2], "tcp")!;
    const times = sys.map((x) => BigInt(x[0]));
    const connection = { ...tuple, firstTs: times.reduce((a, b) => (b < a ? b : a)), lastTs: times.reduce((a, b) => (b > a ? b : a)) };

    // Our conversations of the packet capture; the connection finds exactly its own, whose
    // packets are tshark's count for the tuple.
    const convs: (PacketConversation & { packets: number; handshake: boolean })[] = (await store.conversations(pk.capture))!.map((c) => {
      const e = parseFdTuple(`${c.a}->${c.b}`, c.proto.toLowerCase() === "udp" ? "udp" : "tcp")!;
      return e && { ...e, id: c.id, firstTs: BigInt(c.firstTs), lastTs: BigInt(c.firstTs) + BigInt(c.durationNs), packets: c.packetsAB + c.packetsBA, handshake: c.synNum !== null && c.synAckNum !== null };
    }).filter(Boolean);
    const matched = conversationsOf(connection, convs);
    assert.equal(matched.length, 1, `one conversation for ${JSON.stringify(tuple)}`);
    assert.equal(matched[0].packets, conn.length);
    assert.ok(matched[0].handshake, "the connection's packets from its SYN: recorded from before it connected");
  } finally {
    await client.close();
  }
  assert.deepEqual(tcpdumps(), []);
});
