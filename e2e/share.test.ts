// Investigations and share links end to end: the owner (token) writes notes, pins an event and
// shares the view; a fresh browser context without the token opens the link and sees the same
// rows, the same selected event and the notes; the link then tries everything it must not do;
// the owner revokes it and it stops at once. Needs `npx next build` first.
//
//   node --import tsx --test e2e/share.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { useWorkbench } from "./workbench-harness";

const CURL = fixtureCapture("curl_google.scap");
const CAT_WRITE = fixtureCapture("falco_cat_write.scap");
const FILTER = "proc.name=curl and evt.type=connect";

const h = useWorkbench("share");

test("share a view with its investigation; the link reads that capture only, changes nothing, and dies when revoked", { timeout: 180_000 }, async () => {
  const curlId = await h.upload(CURL);
  const otherId = await h.upload(CAT_WRITE);

  // The oracle: the events sysdig prints for the filter; the second one is the event we select.
  const expected = sysdigLines(CURL, [FILTER]).map((l) => Number(l.split(" ")[0]));
  assert.ok(expected.length >= 2, `sysdig prints ${expected.length} events for ${FILTER}`);
  const selected = expected[1];

  // The owner: the filtered view with an event selected, an investigation with notes and a pin.
  const op = await h.newPage();
  await op.goto(`${h.origin}/?token=${h.token}`);
  await op.goto(`${h.origin}/captures/${curlId}?filter=${encodeURIComponent(FILTER)}&at=${selected}&state=netstat`);
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
  assert.match(linkUrl, new RegExp(`^${h.origin}/s/[A-Za-z0-9_-]{22}$`));
  const linkId = linkUrl.split("/").pop()!;
  await h.shot(op, "share-01-owner", false);

  // The link is not the token and holds no part of it.
  assert.ok(!linkUrl.includes(h.token));
  const asOwner = await h.api("GET", `/api/links/${linkId}`);
  assert.equal(asOwner.status, 200);
  assert.equal(asOwner.json.capture, curlId);
  assert.equal(asOwner.json.state.filter, FILTER);
  assert.equal(asOwner.json.state.at, selected);
  // The owner sees every open link to the capture (to revoke any of them later).
  const listed = await h.api("GET", `/api/links?capture=${curlId}`);
  assert.deepEqual(listed.json.map((l: { id: string }) => l.id), [linkId]);
  await op.getByTestId(`share-link-${linkId}`).waitFor({ state: "attached" });

  // A colleague: a fresh browser context, no token anywhere.
  const gp = await h.newPage();
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
  await h.shot(gp, "share-02-guest", false);
  const cookies = await gp.context().cookies();
  assert.deepEqual(cookies.map((c) => c.name), [`casefile_share_${h.port}`], "the guest holds the link's cookie and no token");
  assert.equal(cookies[0].httpOnly, true);
  assert.equal(cookies[0].sameSite, "Strict");
  const cookie = `${cookies[0].name}=${cookies[0].value}`;

  // What the link may read: its capture's API, its link, its investigation.
  const invId = asOwner.json.investigation as string;
  for (const p of [`/api/captures/${curlId}/events?filter=${encodeURIComponent(FILTER)}`, `/api/captures/${curlId}/lsof?at=${selected}`, `/api/links/${linkId}`, `/api/investigations/${invId}`, `/api/captures/${curlId}/flame?source=syscalls`,
    // A base in the link's scope, and a filter value that only looks like an id.
    `/api/captures/${curlId}/flame?source=syscalls&baseId=${curlId}`, `/api/captures/${curlId}/flame?source=syscalls&filter=fd.name%3D${otherId}`]) {
    assert.equal((await h.request("GET", p, null, { cookie })).status, 200, `GET ${p}`);
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
    const r = await h.request(method, p, body, { cookie, "x-filename": "x.scap", origin: h.origin, "sec-fetch-site": "same-origin" });
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
  assert.equal(await h.wsStatus("", { origin: h.origin, headers: { cookie } }), 401, "no WebSocket (live sessions, ingest progress) on a link");
  // A client cannot claim a link by the header the server uses to tell the pages.
  assert.equal((await h.request("GET", `/captures/${curlId}`, null, { "x-casefile-share": linkId })).status, 401);
  // Nothing changed: both captures and the notes are still there.
  const list = await h.api("GET", "/api/captures");
  assert.deepEqual(list.json.map((c: { id: string }) => c.id).sort(), [curlId, otherId].sort());
  const after = await h.api("GET", `/api/investigations/${invId}`);
  assert.equal(after.json.notes, "two connects: the DNS server, then google on :80");
  assert.equal(after.json.pins.length, 1);
  assert.deepEqual(h.pageErrors, []);

  // The owner revokes; the guest's next request fails at once, and so does the link.
  await op.getByTestId("revoke-link").click();
  await op.getByTestId("share-link").getByText("revoked").waitFor();
  assert.equal((await h.request("GET", `/api/captures/${curlId}/events`, null, { cookie })).status, 410);
  assert.equal((await h.request("GET", `/s/${linkId}`)).status, 410);
  const reload = await gp.goto(`${h.origin}/captures/${curlId}`);
  assert.equal(reload?.status(), 410);
  const unknown = await h.request("GET", `/s/${"A".repeat(22)}`);
  assert.equal(unknown.status, 404);
  assert.deepEqual((await h.api("GET", `/api/links?capture=${curlId}`)).json, [], "a revoked link is no longer listed");

  await op.context().close();
  await gp.context().close();
});

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
