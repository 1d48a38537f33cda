// Investigations and share links end to end: the owner (token) writes notes, pins an event and
// shares the view; a fresh browser context without the token opens the link and sees the same
// rows, the same selected event and the notes; the link then tries everything it must not do;
// the owner revokes it and it stops at once. Needs `npx next build` first.
//
//   node --import tsx --test e2e/share.test.ts

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import WebSocket from "ws";
import { startServer, type RunningServer } from "../server/http/serve";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { ARTIFACTS, launchChromium, requireBuild } from "./browser";

const TOKEN = "e2e-share-0123456789abcdef0123456789ab";
const CURL = fixtureCapture("curl_google.scap");
const CAT_WRITE = fixtureCapture("falco_cat_write.scap");
const FILTER = "proc.name=curl and evt.type=connect";

let server: RunningServer;
let browser: Browser;
let dataDir: string;

before(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), "casefile-e2e-share-"));
  server = await startServer({ host: "127.0.0.1", port: 0, dataDir, token: TOKEN });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("share a view with its investigation; the link reads that capture only, changes nothing, and dies when revoked", { timeout: 180_000 }, async () => {
  const curlId = await upload(CURL);
  const otherId = await upload(CAT_WRITE);

  // The oracle: the events sysdig prints for the filter; the second one is the event we select.
  const expected = sysdigLines(CURL, [FILTER]).map((l) => Number(l.split(" ")[0]));
  assert.ok(expected.length >= 2, `sysdig prints ${expected.length} events for ${FILTER}`);
  const selected = expected[1];

  // The owner: the filtered view with an event selected, an investigation with notes and a pin.
  const owner = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const op = await owner.newPage();
  await op.goto(`${server.origin}/?token=${TOKEN}`);
  await op.goto(`${server.origin}/captures/${curlId}?filter=${encodeURIComponent(FILTER)}&at=${selected}&state=netstat`);
  await waitRows(op, expected);
  await op.getByTestId("investigation-toggle").click();
  await op.getByTestId("investigation-title-new").fill("curl reaches google");
  await op.getByRole("button", { name: "start" }).click();
  await op.getByTestId("investigation").waitFor();
  await op.getByTestId("investigation-notes").fill("two connects: the DNS server, then google on :80");
  await op.getByTestId("pin-comment").fill("the connect to google");
  await op.getByTestId("pin-event").click();
  await op.getByTestId(`pin-${selected}`).waitFor();
  await op.getByTestId("share-view").click();
  const linkUrl = (await op.getByTestId("share-link").locator("code").innerText()).trim();
  assert.match(linkUrl, new RegExp(`^${server.origin}/s/[A-Za-z0-9_-]{22}$`));
  const linkId = linkUrl.split("/").pop()!;
  await op.screenshot({ path: path.join(ARTIFACTS, "share-01-owner.png"), fullPage: false });

  // The link is not the token and holds no part of it.
  assert.ok(!linkUrl.includes(TOKEN));
  const asOwner = await request("GET", `/api/links/${linkId}`, { authorization: `Bearer ${TOKEN}` });
  assert.equal(asOwner.status, 200);
  assert.equal(asOwner.json.capture, curlId);
  assert.equal(asOwner.json.state.filter, FILTER);
  assert.equal(asOwner.json.state.at, selected);
  // The owner sees every open link to the capture (to revoke any of them later).
  const listed = await request("GET", `/api/links?capture=${curlId}`, { authorization: `Bearer ${TOKEN}` });
  assert.deepEqual(listed.json.map((l: { id: string }) => l.id), [linkId]);
  await op.getByTestId(`share-link-${linkId}`).waitFor({ state: "attached" });

  // A colleague: a fresh browser context, no token anywhere.
  const guest = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const gp = await guest.newPage();
  const pageErrors: string[] = [];
  gp.on("pageerror", (e) => pageErrors.push(e.message));
  await gp.goto(linkUrl);
  await gp.waitForURL(new RegExp(`/captures/${curlId}\\?`));
  await waitRows(gp, expected);
  const sel = gp.locator('tr[aria-selected="true"]');
  await sel.waitFor();
  assert.equal(await sel.getAttribute("data-num"), String(selected), "the same event is selected");
  await waitText(gp.getByTestId("state-at"), String(selected));
  assert.equal(await gp.getByTestId("state-tab-netstat").getAttribute("aria-selected"), "true", "the same state tab");
  const inv = gp.getByTestId("investigation");
  await inv.waitFor();
  await waitText(gp.getByTestId("investigation-notes"), "two connects: the DNS server, then google on :80");
  await gp.getByTestId(`pin-${selected}`).waitFor();
  assert.equal(await gp.getByTestId("share-view").count(), 0, "a link's holder cannot share further");
  assert.equal(await gp.getByTestId("pin-event").count(), 0, "nor pin");
  assert.equal(await gp.getByRole("link", { name: "← captures" }).count(), 0, "nor reach the catalog");
  await gp.screenshot({ path: path.join(ARTIFACTS, "share-02-guest.png"), fullPage: false });
  const cookies = await guest.cookies();
  assert.deepEqual(cookies.map((c) => c.name), [`casefile_share_${server.port}`], "the guest holds the link's cookie and no token");
  assert.equal(cookies[0].httpOnly, true);
  assert.equal(cookies[0].sameSite, "Strict");
  const cookie = `${cookies[0].name}=${cookies[0].value}`;

  // What the link may read: its capture's API, its link, its investigation.
  const invId = asOwner.json.investigation as string;
  for (const p of [`/api/captures/${curlId}/events?filter=${encodeURIComponent(FILTER)}`, `/api/captures/${curlId}/lsof?at=${selected}`, `/api/links/${linkId}`, `/api/investigations/${invId}`, `/api/captures/${curlId}/flame?source=syscalls`,
    // A base in the link's scope, and a filter value that only looks like an id.
    `/api/captures/${curlId}/flame?source=syscalls&baseId=${curlId}`, `/api/captures/${curlId}/flame?source=syscalls&filter=fd.name%3D${otherId}`]) {
    assert.equal((await request("GET", p, { cookie })).status, 200, `GET ${p}`);
  }
  // What it may not: change anything, list the catalog, read another capture, open live sessions.
  const refused: [string, string, Buffer?][] = [
    ["DELETE", `/api/captures/${curlId}`],
    ["POST", "/api/captures", readFileSync(CAT_WRITE)],
    ["GET", "/api/captures"],
    ["GET", "/"],
    ["GET", `/captures/${otherId}`],
    ["GET", `/api/captures/${otherId}/events`],
    ["GET", `/api/captures/${otherId}/lsof?at=10`],
    // The differential flame graph of the shared capture against one outside the link's
    // investigation reads the other (the flame route refuses it).
    ["GET", `/api/captures/${curlId}/flame?source=syscalls&baseId=${otherId}`],
    ["GET", "/api/investigations"],
    ["GET", `/api/links?capture=${curlId}`],
    ["PATCH", `/api/investigations/${invId}`, Buffer.from('{"notes":"changed"}')],
    ["DELETE", `/api/investigations/${invId}`],
    ["POST", `/api/investigations/${invId}/pins`, Buffer.from(`{"capture":"${curlId}","num":1}`)],
    ["POST", "/api/links", Buffer.from(`{"capture":"${otherId}"}`)],
    ["DELETE", `/api/links/${linkId}`],
  ];
  for (const [method, p, body] of refused) {
    const r = await request(method, p, { cookie, "x-filename": "x.scap", origin: server.origin, "sec-fetch-site": "same-origin" }, body);
    assert.equal(r.status, 403, `${method} ${p} with the link's cookie: ${r.status} ${JSON.stringify(r.json)}`);
  }
  // The same from the page itself (its own fetch, its own cookie).
  // (No named functions inside: tsx would wrap them in a helper the page does not have.)
  const fromPage = await gp.evaluate(async ([cid, oid]) => [
    (await fetch(`/api/captures/${cid}`, { method: "DELETE" })).status,
    (await fetch(`/api/captures/${oid}/events`)).status,
    (await fetch("/api/captures")).status,
  ], [curlId, otherId]);
  assert.deepEqual(fromPage, [403, 403, 403]);
  assert.equal(await wsStatus(cookie), 401, "no WebSocket (live sessions, ingest progress) on a link");
  // A client cannot claim a link by the header the server uses to tell the pages.
  assert.equal((await request("GET", `/captures/${curlId}`, { "x-casefile-share": linkId })).status, 401);
  // Nothing changed: both captures and the notes are still there.
  const list = await request("GET", "/api/captures", { authorization: `Bearer ${TOKEN}` });
  assert.deepEqual(list.json.map((c: { id: string }) => c.id).sort(), [curlId, otherId].sort());
  const after = await request("GET", `/api/investigations/${invId}`, { authorization: `Bearer ${TOKEN}` });
  assert.equal(after.json.notes, "two connects: the DNS server, then google on :80");
  assert.equal(after.json.pins.length, 1);
  assert.deepEqual(pageErrors, []);

  // The owner revokes; the guest's next request fails at once, and so does the link.
  await op.getByTestId("revoke-link").click();
  await op.getByTestId("share-link").getByText("revoked").waitFor();
  assert.equal((await request("GET", `/api/captures/${curlId}/events`, { cookie })).status, 410);
  assert.equal((await request("GET", `/s/${linkId}`, {})).status, 410);
  const reload = await gp.goto(`${server.origin}/captures/${curlId}`);
  assert.equal(reload?.status(), 410);
  const unknown = await request("GET", `/s/${"A".repeat(22)}`, {});
  assert.equal(unknown.status, 404);
  assert.deepEqual((await request("GET", `/api/links?capture=${curlId}`, { authorization: `Bearer ${TOKEN}` })).json, [], "a revoked link is no longer listed");

  await owner.close();
  await guest.close();
});

async function upload(file: string): Promise<string> {
  const r = await request("POST", "/api/captures", { authorization: `Bearer ${TOKEN}`, "x-filename": path.basename(file) }, readFileSync(file));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.id as string;
}

async function waitRows(page: Page, nums: number[]): Promise<void> {
  const rows = page.getByTestId("events-table").locator("tbody tr");
  const want = nums.map(String);
  const deadline = Date.now() + 40_000;
  let got: string[] = [];
  while (Date.now() < deadline) {
    got = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.num ?? ""));
    if (got.length === want.length && got.every((n, i) => n === want[i])) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(got, want, "the table shows the events sysdig prints for the filter");
}

async function waitText(loc: Locator, want: string): Promise<void> {
  const deadline = Date.now() + 40_000;
  let got = "";
  while (Date.now() < deadline) {
    got = (await loc.count()) ? ((await loc.first().inputValue().catch(() => null)) ?? (await loc.first().innerText())) : "";
    if (got.trim() === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(got.trim(), want);
}

function request(method: string, urlPath: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, method, path: urlPath, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => {
        let json: any = data;
        try {
          json = JSON.parse(data);
        } catch {
          // HTML pages stay text.
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

function wsStatus(cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { origin: server.origin, headers: { cookie } });
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.close();
    });
    ws.on("error", () => {});
  });
}
