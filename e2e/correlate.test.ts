// Correlation end to end: a small client and server on loopback, recorded together on this
// machine by the project's own tools (`casefile record --packets`: the collector for the
// syscalls and, beside them, tcpdump on lo for the packets, collector/packet-recorder.ts), both
// uploaded, put into one investigation
// through the packet capture's page, and the connection selected: its syscalls (matched by
// tuple and time) and its packets on one time axis. Checked against the oracles on the same
// files: sysdig 0.29.3 for the syscalls of that tuple, tshark for the packets, and the syscall
// nearest a selected packet by their own timestamps. Needs root (the collector) and
// `npx next build` first.
//   node --import tsx --test e2e/correlate.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";
import { outputLines, runSysdig } from "../server/testing/oracle";
import { tsharkLines } from "../server/testing/tshark-analysis";
import { loopbackConversation } from "../server/testing/loopback-conversation";
import { useWorkbench } from "./workbench-harness";
import { selectConnection } from "./connection-panel";

const PORT = 20000 + Math.floor(Math.random() * 20000);

const h = useWorkbench("correlate");
let page: Page;
const shot = (name: string) => h.shot(page, `correlate-${name}`);

function waitExit(p: ChildProcess): Promise<number | null> {
  return new Promise((r) => (p.exitCode !== null ? r(p.exitCode) : p.once("exit", (c) => r(c))));
}

/** Records the loopback client and server: syscalls and packets, started before, stopped after. */
async function record(scap: string, pcap: string): Promise<void> {
  assert.equal(process.getuid?.(), 0, "the collector needs root");
  // The socket calls, and the process calls that name the processes: a whole-host recording
  // of a few seconds is tens of MB.
  const rec = h.spawnCasefile(["record", "-w", scap, "--duration", "5s",
    "--packets", pcap, "--iface", "lo", "--packet-filter", `tcp port ${PORT}`,
    "evt.type in (execve,clone,clone3,fork,vfork,procexit,socket,bind,listen,connect,accept,accept4,sendto,recvfrom,sendmsg,recvmsg,read,write,close,shutdown)"], { stdio: ["ignore", "pipe", "pipe"] });
  let recOut = "";
  rec.stdout!.on("data", (b: Buffer) => (recOut += b.toString()));
  rec.stderr!.on("data", (b: Buffer) => (recOut += b.toString()));
  // Both recorders are attached once the command says it records.
  for (let i = 0; i < 100 && !/recording to/.test(recOut); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(recOut, /recording to/, recOut);
  await new Promise((r) => setTimeout(r, 1000));
  const app = loopbackConversation(PORT);
  assert.equal(app.status, 0, app.stderr);
  assert.equal(await waitExit(rec), 0, recOut);
}

test("a loopback connection's syscalls and packets, recorded together, are shown together", { timeout: 180_000 }, async () => {
  const scap = path.join(h.scratch, "app.scap"), pcap = path.join(h.scratch, "app.pcap");
  await record(scap, pcap);

  // The oracles. tshark: the connection's packets and the client's port.
  const pkts = tsharkLines(pcap, ["-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack"])
    .map((l) => l.split("\t")).map(([n, t, sp, dp, syn, ack]) => ({ num: Number(n), ts: t, sport: Number(sp), dport: Number(dp), syn: syn === "1" || syn === "True", ack: ack === "1" || ack === "True" }));
  assert.ok(pkts.length >= 10, `${pkts.length} packets`);
  const cport = pkts[0].sport === PORT ? pkts[0].dport : pkts[0].sport;
  // sysdig: the syscalls on the sockets of that tuple (either end's process).
  const sys = outputLines(runSysdig(["-r", scap, "-p", "%evt.num %evt.rawtime %evt.type %proc.name", `fd.l4proto=tcp and fd.cport=${cport} and fd.sport=${PORT}`]).stdout)
    .map((l) => l.split(" ")).map(([n, t, type, proc]) => ({ num: Number(n), ts: BigInt(t), type, proc }));
  const types = new Set(sys.map((e) => e.type));
  for (const t of ["connect", "sendto", "recvfrom"]) assert.ok(types.has(t), `sysdig shows ${t} on the connection: ${[...types]}`);

  // Chromium starts after the recording: its processes need not be in the recording.
  page = await h.newPage({ viewport: { width: 1500, height: 1000 } });
  const scapId = await h.upload(scap);
  await h.waitReady(scapId);
  const pcapId = await h.upload(pcap);
  await h.waitReady(pcapId);

  await page.goto(`${h.origin}/captures/${pcapId}?token=${h.token}`);
  const panel = page.getByLabel("correlation");
  await panel.getByRole("button", { name: "investigate together" }).waitFor();
  await panel.locator("select").selectOption(scapId);
  await shot("01-not-yet-together");
  await panel.getByRole("button", { name: "investigate together" }).click();
  await panel.getByText("Select a TCP or UDP packet, or a conversation").waitFor();

  // Select the connection in the conversations view.
  const { syscalls } = await selectConnection(page, PORT);
  await shot("02-connection");
  const shown = (await syscalls.allInnerTexts()).map((t) => t.split(" "));
  assert.deepEqual(shown.map((t) => Number(t[0])), sys.map((e) => e.num), "the connection's syscalls are sysdig's for its tuple");
  assert.deepEqual(shown.map((t) => t[1]), sys.map((e) => e.proc), "with sysdig's process names");
  const lanes = panel.getByLabel("connection timeline");
  assert.equal(await lanes.locator("line").count(), sys.length + pkts.length, "one mark per syscall and per packet");
  assert.match(await panel.innerText(), new RegExp(`${sys.length} syscalls · ${pkts.length} packets`));

  // The reverse: a packet selected in the list shows its connection's syscalls, the one nearest
  // in time marked.
  await page.getByRole("tab", { name: "packets" }).click();
  const pick = pkts.find((p) => !p.syn && p.ack && p.num > 3) ?? pkts[pkts.length - 1];
  await page.getByLabel("packet list").locator(`[data-num="${pick.num}"]`).click();
  await page.getByLabel("packet layers").waitFor();
  const toNs = (t: string) => { const [s, f = ""] = t.split("."); return BigInt(s) * 1_000_000_000n + BigInt((f + "000000000").slice(0, 9)); };
  const at = toNs(pick.ts);
  const nearest = sys.reduce((a, b) => ((b.ts - at < 0n ? at - b.ts : b.ts - at) < (a.ts - at < 0n ? at - a.ts : a.ts - at) ? b : a));
  await panel.locator(`li[data-num="${nearest.num}"]`).waitFor();
  await page.waitForFunction((n) => document.querySelector(`li[data-num="${n}"]`)?.className.includes("near"), nearest.num);
  await shot("03-packet-and-nearest-syscall");
  assert.deepEqual(h.pageErrors, []);
});
