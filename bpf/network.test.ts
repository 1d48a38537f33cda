// The network facts of the BPF programs (bpf/loader's {"net":...} lines) against tshark 4.0 on
// the same traffic: the seed story "MTU 1480 after the tunnel" (scripts/seeds/mtu-1480.sh: a
// client sending with DF through a router whose next hop has MTU 1480, recorded with tcpdump on
// the client) while the loader records the host. Every ICMP "fragmentation needed" the router
// sent (tshark counts them on the client's wire) is an icmp_send line with tshark's next-hop MTU
// and the offending segment's addresses; the client's connection has its TCP state changes and
// the retransmits of the segments the router refused. Root and a BTF kernel.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { requireTool, PROJECT_ROOT } from "../server/testing/oracle";
import { buildAll, withLoader } from "./workload-run";

const dir = mkdtempSync(join(tmpdir(), "casefile-bpf-net-"));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => buildAll());

test("ICMP frag-needed with its MTU, TCP state changes and retransmits, as tshark sees them on the wire", async () => {
  requireTool("tshark", ["--version"], /TShark \(Wireshark\) 4\.0\./, "tshark 4.0");
  const pcap = join(dir, "mtu-1480.pcap");
  const run = await withLoader(["--no-switch"], async () => {
    // Not execFileSync: this process must go on reading the loader's pipes meanwhile.
    const script = spawn("bash", [join(PROJECT_ROOT, "scripts/seeds/mtu-1480.sh"), pcap], { stdio: ["ignore", "ignore", "inherit"] });
    const [code] = await once(script, "close");
    assert.equal(code, 0, "scripts/seeds/mtu-1480.sh");
  }, { keepStream: false });

  // tshark: the ICMP messages the client received, with the segment they quote.
  const icmp = execFileSync("tshark", ["-r", pcap, "-Y", "icmp.type==3 && icmp.code==4", "-T", "fields",
    "-e", "icmp.mtu", "-e", "ip.src", "-e", "ip.dst", "-e", "tcp.srcport", "-e", "tcp.dstport"]).toString().trim().split("\n");
  assert.ok(icmp.length > 0 && icmp[0] !== "", "tshark sees frag-needed messages");
  const [mtu, , quotedDst, sport, dport] = icmp[0].split("\t");
  const client = `${quotedDst.split(",")[0]}:${sport.split(",")[0]}`;
  const server = `${quotedDst.split(",")[1]}:${dport.split(",")[0]}`;
  for (const l of icmp) assert.equal(l, icmp[0], "one connection, one MTU");

  // The loader's lines for that connection (the client's port tells it from any other run).
  const mine = run.net.filter((n) => (n.src === client && n.dst === server) || (n.src === server && n.dst === client));
  const sent = mine.filter((n) => n.net === "icmp_send");
  assert.equal(sent.length, icmp.length, `icmp_send lines: ${JSON.stringify(sent)}`);
  for (const s of sent) {
    assert.equal(s.type, 3);
    assert.equal(s.code, 4);
    assert.equal(s.mtu, Number(mtu), "the next-hop MTU tshark reads in the message");
    assert.equal(s.proto, 6);
    assert.equal(s.src, client);
    assert.equal(s.dst, server);
  }
  const states = mine.filter((n) => n.net === "tcp_state" && n.src === client).map((n) => `${n.old}>${n.new}`);
  assert.ok(states.includes("SYN_SENT>ESTABLISHED"), `client states: ${states}`);
  const retrans = execFileSync("tshark", ["-r", pcap, "-Y", "tcp.analysis.retransmission && tcp.srcport==" + client.split(":")[1], "-T", "fields", "-e", "frame.number"]).toString().trim();
  const retransmits = mine.filter((n) => n.net === "tcp_retransmit" && n.src === client);
  assert.ok(retrans.length > 0, "tshark sees the client's retransmissions");
  assert.ok(retransmits.length > 0, "the kernel's retransmits of the client's segments");
});
