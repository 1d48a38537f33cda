// The Live page in Chromium, against the real server and a real collector (CollectorClient with
// the BPF loader: root): the page without a collector says what to run; with one, it lists the
// host's processes, attaches to a test process found by the search, shows its events arriving,
// stops, and opens the result as a capture whose events are the ones recorded. Needs
// `npx next build` first. Screenshots in e2e/artifacts/live-*.png.

import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { projectRoot } from "../server/http/serve";
import { CollectorClient } from "../collector/collector-client";
import { runCasefile, runSysdig, sysdigLines } from "../server/testing/oracle";
import { useWorkbench } from "./workbench-harness";

const HOST = "e2e-live-host";

before(() => {
  if (process.getuid?.() !== 0) throw new Error("the collector loads BPF programs: run the live e2e test as root");
  if (!existsSync(path.join(projectRoot, "bpf", "loader"))) throw new Error("bpf/loader is not built: make -C bpf");
});
const h = useWorkbench("live");
let page: Page;
let collector: CollectorClient | undefined;
let target: ChildProcess | undefined;
h.onCleanup(async () => {
  target?.kill("SIGKILL");
  await collector?.close();
});

h.before(async () => {
  page = await h.newPage({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
});

const shot = (name: string, fullPage = true) => h.shot(page, `live-${name}`, fullPage);

async function until(what: string, cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

test("the Live page: attach to a process, watch its events arrive, stop, open the capture", { timeout: 180_000 }, async () => {
  // No collector yet: the page says so, and which command to run.
  await page.goto(`${h.origin}/?token=${h.token}`);
  await page.getByTestId("live-link").click();
  await page.getByTestId("live-no-collector").waitFor();
  assert.match(await page.getByTestId("live-no-collector").innerText(), /casefile collector --server ws:\/\/127\.0\.0\.1:\d+\/ws\/collector/);
  await shot("01-no-collector");

  collector = new CollectorClient({ server: `${h.origin.replace("http", "ws")}/ws/collector`, token: h.token, host: HOST, reconnect: false, log: () => {} });
  await collector.start();
  // A process to attach to: it opens a file of a name of its own every 200 ms.
  const marker = `casefile-live-e2e-${process.pid}`;
  target = spawn("/bin/sh", ["-c", `while :; do cat /etc/hostname > /dev/null; : > /tmp/${marker}; sleep 0.2; done`], { stdio: "ignore" });
  const pid = target.pid!;

  await page.getByTestId("live-processes").waitFor({ timeout: 15_000 });
  // The host's list is refreshed every 3 s: the new process shows up in it.
  await page.getByTestId("live-search").fill(String(pid));
  await until("the test process in the list", async () => (await page.locator(`tr[data-pid="${pid}"]`).count()) === 1);
  await shot("02-processes");
  await page.locator(`tr[data-pid="${pid}"]`).getByTestId("live-attach").click();
  await until("the session to be live", async () => (await page.getByTestId("live-status").innerText().catch(() => "")) === "live");

  // Its events arrive: the loop's cat, its file, its sleep.
  const rows = page.getByTestId("live-rows").locator("tbody tr");
  await until("events of the attached process", async () => (await rows.count()) > 20 && (await page.getByTestId("live-rows").innerText()).includes(marker));
  const storedBefore = Number((await page.getByTestId("live-stored").innerText()).replace(/,/g, ""));
  assert.ok(storedBefore > 0, "the counter of stored events moves");
  await until("the counter to move", async () => Number((await page.getByTestId("live-stored").innerText()).replace(/,/g, "")) > storedBefore);
  const text = await page.getByTestId("live-rows").innerText();
  assert.match(text, /\bcat\b/, "the loop's cat (a child of the attached shell) is recorded");
  assert.equal(await page.getByTestId("live-drops").innerText(), "0");
  await shot("03-recording");

  await page.getByTestId("live-stop").click();
  await page.getByTestId("live-open").waitFor({ timeout: 20_000 });
  assert.equal(await page.getByTestId("live-status").innerText(), "ready");
  await shot("04-stopped");
  const stored = Number((await page.getByTestId("live-stored").innerText()).replace(/,/g, ""));

  // The result is an ordinary capture: listed, ready, its events the ones recorded.
  const href = await page.getByTestId("live-open").getAttribute("href");
  const id = href!.split("/").pop()!;
  const capture = ((await h.api("GET", "/api/captures")).json as { id: string; status: string; events: number }[]).find((c) => c.id === id)!;
  assert.equal(capture.status, "ready");
  assert.equal(capture.events, stored, "the page's last count is the capture's");
  await page.getByTestId("live-open").click();
  await page.waitForURL(new RegExp(`/captures/${id}`));
  await until("the capture's events table", async () => (await page.locator("tbody tr").count()) > 10);
  // The table adds its first page a block of rows per frame, and a block off screen is not laid
  // out (content-visibility: auto), so its text is not in innerText: read the rows' text.
  await until("the capture page to show the recorded file opens", async () => ((await page.locator("main").textContent()) ?? "").includes(marker));
  await shot("05-capture", false);

  // Export .scap from the capture page: sysdig reads the download with the same lines as
  // casefile events, and as many events as were recorded.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-scap").click()]);
  const file = path.join(h.scratch, "exported.scap");
  await download.saveAs(file);
  const theirs = sysdigLines(file);
  assert.ok(theirs.length > 10, `sysdig reads the export (${statSync(file).size} bytes, ${download.suggestedFilename()}): ${theirs.slice(0, 3).join("\n")} ${runSysdig(["-r", file]).stderr}`);
  assert.equal(Number(sysdigLines(file, ["-D"]).at(-1)!.split(" ")[0]), stored, "the export holds every recorded event");
  assert.deepEqual(runCasefile(["events", file]).stdout.split("\n").filter(Boolean), theirs);
  assert.deepEqual(h.pageErrors, []);
});
