// A live session that records packets beside its syscalls, from the Live page in Chromium, with
// the real server and a real collector (BPF loader and tcpdump: root): "record packets too" on
// lo, a small client and server on loopback talk while it records, stop; the page links the
// packet capture, whose page already has the syscall capture beside it (one investigation), and
// selecting the connection shows its syscalls and its packets. Oracles on the kept files: sysdig
// 0.29.3 for the connection's syscalls, tshark for its packets. Needs `npx next build` first.
// Screenshots in e2e/artifacts/live-packets-*.png.

import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { CollectorClient } from "../collector/collector-client";
import { outputLines, runSysdig } from "../server/testing/oracle";
import { tsharkLines } from "../server/testing/tshark-analysis";
import { loopbackConversation } from "../server/testing/loopback-conversation";
import { useWorkbench } from "./workbench-harness";
import { selectConnection } from "./connection-panel";

const HOST = "e2e-packets-host";
const PORT = 20000 + Math.floor(Math.random() * 20000);

before(() => {
  if (process.getuid?.() !== 0) throw new Error("the collector loads BPF programs and runs tcpdump: run this test as root");
});
const h = useWorkbench("live-packets");
let page: Page;
let collector: CollectorClient | undefined;
h.onCleanup(() => collector?.close());

h.before(async () => {
  page = await h.newPage({ viewport: { width: 1500, height: 1000 } });
});

const shot = (name: string) => h.shot(page, `live-packets-${name}`);

/** tcpdump processes recording for this server's collector (its own port left out). */
function tcpdumps(): number[] {
  const port = String(h.port);
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "tcpdump" && readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`tcp port ${port}`);
    } catch {
      return false;
    }
  }).map(Number);
}

test("record packets too: the live session gives a syscall capture and a packet capture, and the connection shows both", { timeout: 180_000 }, async () => {
  collector = new CollectorClient({ server: `${h.origin.replace("http", "ws")}/ws/collector`, token: h.token, host: HOST, reconnect: false, log: () => {} });
  await collector.start();
  await page.goto(`${h.origin}/live?token=${h.token}`);
  await page.getByTestId("live-processes").waitFor({ timeout: 15_000 });
  await page.getByTestId("live-packets").check();
  await page.getByTestId("live-iface").fill("lo");
  await page.getByTestId("live-filter").fill("evt.type in (execve,clone,clone3,socket,bind,listen,connect,accept,accept4,sendto,recvfrom,close,shutdown)");
  await page.getByTestId("live-record").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.textContent === "live", undefined, { timeout: 20_000 });
  await shot("01-recording");
  assert.equal(tcpdumps().length, 1, "tcpdump records beside the loader");

  const app = loopbackConversation(PORT);
  assert.equal(app.status, 0, app.stderr);
  await new Promise((r) => setTimeout(r, 500));
  await page.getByTestId("live-stop").click();
  const openPackets = page.getByTestId("live-open-packets");
  await openPackets.waitFor({ timeout: 30_000 });
  await shot("02-stopped");
  assert.deepEqual(tcpdumps(), [], "no tcpdump left after the stop");
  assert.match(await page.getByTestId("live-packets-result").innerText(), /Packets on lo: \d+ captured/);

  // The two captures, from the API; the oracles read their kept files.
  const sessions = (await h.api("GET", "/api/live/sessions")).json as { sessions: { id: string; packets: { capture: string } }[] };
  const scapId = sessions.sessions[0].id, pcapId = sessions.sessions[0].packets.capture;
  const scap = path.join(h.dataDir, "captures", `${scapId}.capture`), pcap = path.join(h.dataDir, "captures", `${pcapId}.capture`);
  const pkts = tsharkLines(pcap, ["-T", "fields", "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.dstport", "-Y", `tcp.port==${PORT}`]).map((l) => l.split("\t"));
  assert.ok(pkts.length >= 10, `${pkts.length} packets of the connection`);
  const cport = pkts[0][1] === String(PORT) ? pkts[0][2] : pkts[0][1];
  const sys = outputLines(runSysdig(["-r", scap, "-p", "%evt.num %proc.name", `fd.l4proto=tcp and fd.cport=${cport} and fd.sport=${PORT}`]).stdout).map((l) => l.split(" "));
  assert.ok(sys.length >= 6, `${sys.length} syscalls of the connection`);

  // The packet capture's page: the syscall capture is already beside it (the investigation).
  await openPackets.click();
  await page.waitForURL(new RegExp(`/captures/${pcapId}`));
  await page.getByLabel("correlation").getByText("Select a TCP or UDP packet, or a conversation").waitFor({ timeout: 20_000 });
  const { panel, syscalls } = await selectConnection(page, PORT);
  await shot("03-connection");
  const shown = (await syscalls.allInnerTexts()).map((t) => t.split(" "));
  assert.deepEqual(shown.map((t) => Number(t[0])), sys.map((e) => Number(e[0])), "the connection's syscalls are sysdig's for its tuple");
  assert.deepEqual(shown.map((t) => t[1]), sys.map((e) => e[1]), "with sysdig's process names");
  assert.match(await panel.innerText(), new RegExp(`${sys.length} syscalls · ${pkts.length} packets`));
  assert.deepEqual(h.pageErrors, []);
});
