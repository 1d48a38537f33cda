// `casefile serve` on a fresh data folder, as `npm start` runs it: the demo capture is listed,
// ready, with its profile beside it, and its events are those sysdig prints. Needs
// `npx next build` first.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { projectRoot } from "../server/http/serve";
import { sysdigLines } from "../server/testing/oracle";
import { DEMO_NAME, DEMO_PROFILE_NAME } from "../server/api/demo";
import { mkdirSync } from "node:fs";
import { ARTIFACTS, launchChromium } from "./browser";


const TOKEN = "demo-0123456789abcdef0123456789abcdef";
let child: ChildProcess | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), "casefile-demo-e2e-"));

after(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test("a fresh data folder lists the demo capture, ready to open, and its profile", async () => {
  assert.ok(existsSync(path.join(projectRoot, ".next", "BUILD_ID")), "run `npx next build` first");
  const env: NodeJS.ProcessEnv = { ...process.env, CASEFILE_TOKEN: TOKEN, CASEFILE_DATA: dataDir };
  delete env.CASEFILE_DEMO;
  child = spawn(path.join(projectRoot, "bin/casefile"), ["serve", "--port", "0"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child!.stdout! }).once("line", resolve);
    child!.once("exit", (code) => reject(new Error(`casefile serve exited (${code}) before it was listening`)));
  });
  const origin = new URL(first.replace(/^Casefile on /, "")).origin;
  const get = async (p: string) => {
    const r = await fetch(`${origin}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200, p);
    return r.json();
  };
  const list = (await get("/api/captures")) as { id: string; name: string; format: string; status: string; events: number }[];
  const demo = list.find((c) => c.name === DEMO_NAME);
  assert.ok(demo, JSON.stringify(list));
  assert.equal(demo.status, "ready");
  const theirs = sysdigLines(path.join(projectRoot, "public/demo/demo.scap.gz"));
  assert.equal(demo.events, theirs.length);
  assert.ok(list.some((c) => c.name === DEMO_PROFILE_NAME && c.format === "profile"), JSON.stringify(list));
  // Ready to open: its first events are sysdig's first lines.
  const page = (await get(`/api/captures/${demo.id}/events?limit=5`)) as { events: { num: number; type: string }[] };
  assert.deepEqual(page.events.map((e) => e.num), [1, 2, 3, 4, 5]);
  assert.deepEqual(page.events.map((e) => e.type), theirs.slice(0, 5).map((l) => l.split(" ")[6]));

  // As a user sees it: the captures list, the demo's page with its profile linked, the profile's
  // flame graph.
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  try {
    const tab = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(`${origin}/?token=${TOKEN}`);
    await tab.getByText(DEMO_NAME).first().waitFor();
    await tab.screenshot({ path: path.join(ARTIFACTS, "demo-list.png") });
    await tab.goto(`${origin}/captures/${demo.id}`);
    const linked = tab.getByTestId("linked-profiles");
    await linked.waitFor();
    assert.match(await linked.innerText(), new RegExp(DEMO_PROFILE_NAME.replace(/[()]/g, "\\$&")));
    await tab.screenshot({ path: path.join(ARTIFACTS, "demo-capture.png") });
    const href = await linked.getByRole("link").getAttribute("href");
    await linked.getByRole("link").click();
    await tab.waitForURL((u) => u.pathname === href);
    await tab.getByRole("heading", { name: DEMO_PROFILE_NAME }).waitFor();
    await tab.locator("canvas").first().waitFor({ timeout: 60_000 });
    await tab.waitForTimeout(500); // the canvas draws on the next animation frame
    await tab.screenshot({ path: path.join(ARTIFACTS, "demo-profile-flame.png") });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
