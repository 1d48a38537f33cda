// The overview tab end to end: its tiles show what sysdig answers for their filters, a click
// opens the events behind a tile (errors → evt.failed=true, as sysdig lists them), and the tab
// follows the filter. Screenshots in both themes. Needs `npx next build` first.
//
//   node --import tsx --test e2e/overview.test.ts

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startServer, type RunningServer } from "../server/http/serve";
import { fixtureCapture, outputLines, runSysdig, sysdigLines } from "../server/testing/oracle";
import { OVERVIEW_TILES } from "../server/core/analyses/overview-tiles";
import { ARTIFACTS, launchChromium, requireBuild } from "./browser";

const TOKEN = "e2e-overview-0123456789abcdef012345678";
const CURL = fixtureCapture("curl_google.scap");

let server: RunningServer;
let browser: Browser;
let dataDir: string;

before(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), "casefile-e2e-overview-"));
  server = await startServer({ host: "127.0.0.1", port: 0, dataDir, token: TOKEN });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("overview tiles equal sysdig's answers; a click opens the events behind a tile; the filter narrows every tile", { timeout: 180_000 }, async () => {
  const id = await upload(CURL);
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: "light" });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.origin}/captures/${id}?token=${TOKEN}&view=overview`);
  await page.getByTestId("overview").waitFor();

  // The oracle: sysdig on the same file with each tile's filter.
  const failed = sysdigLines(CURL, ["evt.failed=true"]);
  const expect: Record<string, number> = {
    events: sysdigLines(CURL).length,
    errors: failed.length,
    connections: sysdigLines(CURL, ["evt.type in (connect, accept) and evt.dir=< and fd.type in (ipv4, ipv6)"]).length,
    "net-in": outputLines(runSysdig(["-r", CURL, "-p", "%evt.rawres", "evt.type in (read, readv, recvfrom, recvmsg) and evt.dir=< and fd.type in (ipv4, ipv6)"]).stdout)
      .reduce((s, l) => s + Math.max(0, Number(l)), 0),
  };
  for (const [key, want] of Object.entries(expect)) {
    assert.ok(want > 0, `${key}: sysdig finds some`);
    assert.equal(Number(await page.getByTestId(`tile-${key}-value`).getAttribute("data-value")), want, key);
  }
  assert.equal(await page.locator(".overview-tile").count(), OVERVIEW_TILES.length);
  await page.screenshot({ path: path.join(ARTIFACTS, "overview-01-light.png") });
  await page.getByTestId("theme-toggle").click();
  await page.screenshot({ path: path.join(ARTIFACTS, "overview-02-dark.png") });
  await page.getByTestId("theme-toggle").click();

  // Errors → the events view with evt.failed=true, rows as sysdig lists them.
  await page.getByTestId("tile-errors").click();
  await page.waitForURL((u) => u.searchParams.get("filter") === "evt.failed=true" && !u.searchParams.has("view"));
  const firstNums = failed.slice(0, 5).map((l) => l.split(" ")[0]);
  const rows = page.getByTestId("events-table").locator("tbody tr");
  await rows.nth(4).waitFor();
  assert.deepEqual(await rows.evaluateAll((trs) => trs.slice(0, 5).map((tr) => (tr as HTMLElement).dataset.num)), firstNums);

  // With that filter, the overview counts within it: errors = events = sysdig's count.
  await page.getByTestId("view-tab-overview").click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("view") === "overview");
  await waitValue(page, "events", failed.length);
  await waitValue(page, "errors", failed.length);
  const failedConnects = sysdigLines(CURL, ["evt.failed=true and (evt.type=connect and evt.dir=< and evt.failed=true and not evt.res=EINPROGRESS)"]).length;
  await waitValue(page, "failed-connections", failedConnects);
  await page.screenshot({ path: path.join(ARTIFACTS, "overview-03-filtered.png") });
  assert.deepEqual(errors, []);
  await ctx.close();
});

async function waitValue(page: Page, key: string, want: number): Promise<void> {
  const loc = page.getByTestId(`tile-${key}-value`);
  const deadline = Date.now() + 40_000;
  let got = NaN;
  while (Date.now() < deadline) {
    got = Number(await loc.getAttribute("data-value").catch(() => "NaN"));
    if (got === want) return;
    await page.waitForTimeout(100);
  }
  assert.equal(got, want, key);
}

function upload(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1", port: server.port, method: "POST", path: "/api/captures",
      headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${TOKEN}`, "x-filename": path.basename(file) },
    }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => (res.statusCode === 201 ? resolve(JSON.parse(data).id) : reject(new Error(`${res.statusCode} ${data}`))));
    });
    req.on("error", reject);
    req.end(readFileSync(file));
  });
}
