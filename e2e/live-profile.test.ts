// A CPU profile asked over HTTP (POST /api/live/hosts/:host/profile), recorded by a real
// collector (`casefile collector`, root: BPF) connected to the server, kept linked to a capture
// and read back. Needs `npx next build` first.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot, startServer, type RunningServer } from "../server/http/serve";
import { fixtureCapture } from "../server/testing/oracle";
import { casefileProfileImporter } from "../server/core/formats/stacks/casefile-profile";
import { ARTIFACTS, launchChromium } from "./browser";


const TOKEN = "liveprofile-0123456789abcdef0123456789";
const HOST = "e2e-profile-host";
const dataDir = mkdtempSync(path.join(tmpdir(), "casefile-live-profile-"));
let server: RunningServer;
let collector: ChildProcess | undefined;
let spin: ChildProcess | undefined;

const auth = { authorization: `Bearer ${TOKEN}` };

before(async () => {
  assert.ok(existsSync(path.join(projectRoot, ".next", "BUILD_ID")), "run `npx next build` first");
  if (process.getuid?.() !== 0) throw new Error("the collector loads BPF programs: run as root");
  execFileSync("make", ["-s", "-C", path.join(projectRoot, "bpf")], { stdio: "inherit" });
  server = await startServer({ host: "127.0.0.1", port: 0, dataDir, token: TOKEN });
  collector = spawn(path.join(projectRoot, "bin/casefile"), ["collector", "--server", server.origin, "--host", HOST], {
    env: { ...process.env, CASEFILE_TOKEN: TOKEN }, stdio: ["ignore", "inherit", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    const { hosts } = (await (await fetch(`${server.origin}/api/live/hosts`, { headers: auth })).json()) as { hosts: { host: string }[] };
    if (hosts.some((h) => h.host === HOST)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the collector did not connect in 30 s");
});

after(async () => {
  spin?.kill("SIGKILL");
  if (collector && collector.exitCode === null) {
    const exited = new Promise((r) => collector!.once("exit", r));
    collector.kill("SIGTERM");
    await exited;
  }
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("POST /api/live/hosts/:host/profile: the collector's profile, kept with the capture, read back", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "spin-"));
  writeFileSync(path.join(dir, "spin.c"), `
    volatile unsigned long sink;
    __attribute__((noinline)) unsigned long burn_cpu_hot_loop(unsigned long n) { unsigned long x = sink; for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005ul + i; return x; }
    int main(void) { for (;;) sink += burn_cpu_hot_loop(10000000); }
  `);
  execFileSync("cc", ["-O1", "-fno-omit-frame-pointer", "-fno-inline", "-o", path.join(dir, "spin"), path.join(dir, "spin.c")]);
  spin = spawn(path.join(dir, "spin"), { stdio: "ignore" });

  // A capture to link it to.
  const body = readFileSync(fixtureCapture("curl_google.scap"));
  const up = await fetch(`${server.origin}/api/captures`, { method: "POST", headers: { ...auth, "X-Filename": "curl_google.scap" }, body });
  assert.ok(up.status < 300, `upload: ${up.status}`);
  let captureId = "";
  for (let i = 0; i < 100 && !captureId; i++) {
    const list = (await (await fetch(`${server.origin}/api/captures`, { headers: auth })).json()) as { id: string; status: string; format: string }[];
    captureId = list.find((c) => c.status === "ready" && c.format === "scap")?.id ?? "";
    if (!captureId) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(captureId, "the uploaded capture is ready");

  const post = (b: unknown, host = HOST) => fetch(`${server.origin}/api/live/hosts/${encodeURIComponent(host)}/profile`, {
    method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(b),
  });
  // Refusals name what is wrong.
  const bad = await post({ seconds: 0 });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /seconds must be/);
  const nohost = await post({ seconds: 1 }, "no-such-host");
  assert.equal(nohost.status, 404);
  assert.match(((await nohost.json()) as { error: string }).error, /no collector for host "no-such-host"/);
  const nocap = await post({ seconds: 1, captureId: "0123456789abcdef" });
  assert.equal(nocap.status, 404);

  const r = await post({ seconds: 1.5, pid: spin.pid, captureId });
  const answer = (await r.json()) as { id: string; captureId: string; sections: { name: string; unit: string; total: number }[]; error?: string };
  assert.equal(r.status, 201, answer.error ?? "");
  assert.equal(answer.captureId, captureId);
  assert.deepEqual(answer.sections.map((s) => s.name), ["on-cpu", "off-cpu"]);

  const linked = (await (await fetch(`${server.origin}/api/captures/${captureId}/profiles`, { headers: auth })).json()) as { id: string }[];
  assert.deepEqual(linked.map((p) => p.id), [answer.id]);
  const text = await (await fetch(`${server.origin}/api/profiles/${answer.id}`, { headers: auth })).text();
  const imp = casefileProfileImporter();
  imp.push(text);
  const p = imp.end();
  const onCpu = p.sections.find((s) => s.name === "on-cpu")!;
  let total = 0, hot = 0;
  for (const [stack, v] of onCpu.stacks) {
    assert.ok(stack.startsWith(`spin (${spin.pid});`), stack);
    total += v;
    if (stack.split(";").includes("burn_cpu_hot_loop")) hot += v;
  }
  assert.equal(total, answer.sections[0].total);
  assert.ok(total > 0 && hot >= 0.5 * total, `${hot} of ${total} samples in burn_cpu_hot_loop`);
  // One section as plain folded stacks.
  const folded = await (await fetch(`${server.origin}/api/profiles/${answer.id}?section=on-cpu`, { headers: auth })).text();
  assert.ok(folded.length > 0 && !folded.includes("#"));
  assert.equal(folded.trim().split("\n").length, onCpu.stacks.size);
  rmSync(dir, { recursive: true, force: true });
});

test("the Live page's profile control: profile the host, see the totals, open the flame graph", { timeout: 120_000 }, async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.origin}/live?token=${TOKEN}`);
    const control = page.getByTestId("live-profile");
    await control.waitFor();
    assert.match(await control.innerText(), /CPU profile of every process/);
    await page.getByTestId("live-profile-seconds").fill("2");
    await page.getByTestId("live-profile-start").click();
    await page.getByTestId("live-profile-start").filter({ hasText: /profiling/ }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "live-profile-running.png") });
    const result = page.getByTestId("live-profile-result");
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    assert.match(text, /on-cpu [\d,]+ samples · off-cpu [\d.]+ s/);
    await page.screenshot({ path: path.join(ARTIFACTS, "live-profile-done.png") });
    await page.getByTestId("live-profile-open").click();
    await page.waitForURL(/\/captures\/[0-9a-f]{16}/);
    await page.locator("canvas").first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, "live-profile-flame.png") });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
