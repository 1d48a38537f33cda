// `casefile serve` on a fresh data folder, as `npm start` runs it: the demo capture is listed,
// ready, with its profile beside it, and its events are those sysdig prints. Needs
// `npx next build` first.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { createInterface } from "node:readline";
import { projectRoot } from "../server/http/serve";
import { sysdigLines } from "../server/testing/oracle";
import { DEMO_NAME, DEMO_PROFILE_NAME } from "../server/api/demo";
import { useWorkbench } from "./workbench-harness";

const h = useWorkbench("demo", { server: false });

test("a fresh data folder lists the demo capture, ready to open, and its profile", async () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CASEFILE_DEMO;
  const child = h.spawnCasefile(["serve", "--port", "0"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`casefile serve exited (${code}) before it was listening`)));
  });
  h.setOrigin(new URL(first.replace(/^Casefile on /, "")).origin);
  const get = async (p: string) => {
    const r = await h.api("GET", p);
    assert.equal(r.status, 200, p);
    return r.json;
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
  const tab = await h.newPage();
  await tab.goto(`${h.origin}/?token=${h.token}`);
  await tab.getByText(DEMO_NAME).first().waitFor();
  await h.shot(tab, "demo-list", false);
  await tab.goto(`${h.origin}/captures/${demo.id}`);
  const linked = tab.getByTestId("linked-profiles");
  await linked.waitFor();
  assert.match(await linked.innerText(), new RegExp(DEMO_PROFILE_NAME.replace(/[()]/g, "\\$&")));
  await h.shot(tab, "demo-capture", false);
  const href = await linked.getByRole("link").getAttribute("href");
  await linked.getByRole("link").click();
  await tab.waitForURL((u) => u.pathname === href);
  await tab.getByRole("heading", { name: DEMO_PROFILE_NAME }).waitFor();
  await tab.locator("canvas").first().waitFor({ timeout: 60_000 });
  await tab.waitForTimeout(500); // the canvas draws on the next animation frame
  await h.shot(tab, "demo-profile-flame", false);
  assert.deepEqual(h.pageErrors, []);
});
