// A CPU profile asked over HTTP (POST /api/live/hosts/:host/profile), recorded by a real
// collector (`casefile collector`, root: BPF) connected to the server, kept linked to a capture
// and read back. Needs `npx next build` first.

import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../server/http/serve";
import { fixtureCapture } from "../server/testing/oracle";
import { casefileProfileImporter } from "../server/core/formats/stacks/casefile-profile";
import { useWorkbench } from "./workbench-harness";

const HOST = "e2e-profile-host";

before(() => {
  if (process.getuid?.() !== 0) throw new Error("the collector loads BPF programs: run as root");
  execFileSync("make", ["-s", "-C", path.join(projectRoot, "bpf")], { stdio: "inherit" });
});
const h = useWorkbench("live-profile");
let spin: ChildProcess | undefined;
h.onCleanup(() => spin?.kill("SIGKILL"));

h.before(async () => {
  h.spawnCasefile(["collector", "--server", h.origin, "--host", HOST], { stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; i < 300; i++) {
    const { hosts } = (await h.api("GET", "/api/live/hosts")).json as { hosts: { host: string }[] };
    if (hosts.some((x) => x.host === HOST)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the collector did not connect in 30 s");
});

test("POST /api/live/hosts/:host/profile: the collector's profile, kept with the capture, read back", async () => {
  const dir = h.scratch;
  writeFileSync(path.join(dir, "spin.c"), `
    volatile unsigned long sink;
    __attribute__((noinline)) unsigned long burn_cpu_hot_loop(unsigned long n) { unsigned long x = sink; for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005ul + i; return x; }
    int main(void) { for (;;) sink += burn_cpu_hot_loop(10000000); }
  `);
  execFileSync("cc", ["-O1", "-fno-omit-frame-pointer", "-fno-inline", "-o", path.join(dir, "spin"), path.join(dir, "spin.c")]);
  spin = spawn(path.join(dir, "spin"), { stdio: "ignore" });

  // A capture to link it to.
  const captureId = await h.upload(fixtureCapture("curl_google.scap"));
  assert.equal((await h.waitReady(captureId)).format, "scap", "the uploaded capture is ready");

  const post = (b: unknown, host = HOST) => h.api("POST", `/api/live/hosts/${encodeURIComponent(host)}/profile`, JSON.stringify(b), { "content-type": "application/json" });
  // Refusals name what is wrong.
  const bad = await post({ seconds: 0 });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /seconds must be/);
  const nohost = await post({ seconds: 1 }, "no-such-host");
  assert.equal(nohost.status, 404);
  assert.match(nohost.json.error, /no collector for host "no-such-host"/);
  const nocap = await post({ seconds: 1, captureId: "0123456789abcdef" });
  assert.equal(nocap.status, 404);

  const r = await post({ seconds: 1.5, pid: spin.pid, captureId });
  const answer = r.json as { id: string; captureId: string; sections: { name: string; unit: string; total: number }[]; error?: string };
  assert.equal(r.status, 201, answer.error ?? "");
  assert.equal(answer.captureId, captureId);
  assert.deepEqual(answer.sections.map((s) => s.name), ["on-cpu", "off-cpu"]);

  const linked = (await h.api("GET", `/api/captures/${captureId}/profiles`)).json as { id: string }[];
  assert.deepEqual(linked.map((p) => p.id), [answer.id]);
  const text = (await h.api("GET", `/api/profiles/${answer.id}`)).text;
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
  const folded = (await h.api("GET", `/api/profiles/${answer.id}?section=on-cpu`)).text;
  assert.ok(folded.length > 0 && !folded.includes("#"));
  assert.equal(folded.trim().split("\n").length, onCpu.stacks.size);
});

test("the Live page's profile control: profile the host, see the totals, open the flame graph", { timeout: 120_000 }, async () => {
  const page = await h.newPage();
  await page.goto(`${h.origin}/live?token=${h.token}`);
  const control = page.getByTestId("live-profile");
  await control.waitFor();
  assert.match(await control.innerText(), /CPU profile of every process/);
  await page.getByTestId("live-profile-seconds").fill("2");
  await page.getByTestId("live-profile-start").click();
  await page.getByTestId("live-profile-start").filter({ hasText: /profiling/ }).waitFor();
  await h.shot(page, "live-profile-running", false);
  const result = page.getByTestId("live-profile-result");
  await result.waitFor({ timeout: 60_000 });
  const text = await result.innerText();
  assert.match(text, /on-cpu [\d,]+ samples · off-cpu [\d.]+ s/);
  await h.shot(page, "live-profile-done", false);
  await page.getByTestId("live-profile-open").click();
  await page.waitForURL(/\/captures\/[0-9a-f]{16}/);
  await page.locator("canvas").first().waitFor({ timeout: 60_000 });
  await h.shot(page, "live-profile-flame", false);
  assert.deepEqual(h.pageErrors, []);
});
