// The workbench end to end: the real server (Next + store + WebSocket) on a free port, driven
// through Debian's Chromium with real uploads and clicks. Needs `npx next build` first.
//
//   node --import tsx --test e2e/workbench.test.ts
//
// Screenshots go to e2e/artifacts/ (kept out of git) so a person can look at what was tested.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import WebSocket from "ws";
import { projectRoot } from "../server/http/serve";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { sysdigLatencies } from "../server/testing/sysdig-analyses";
import { useWorkbench } from "./workbench-harness";

const CAT_WRITE = fixtureCapture("falco_cat_write.scap");
const CURL = fixtureCapture("curl_google.scap"); // 1221 events as sysdig prints them
const PING = fixtureCapture("falco_ping_sendto.scap"); // ping's sendmsg calls, one a second
const MAX_UPLOAD = 256 * 1024;

const h = useWorkbench("workbench", { serverOptions: { maxUpload: MAX_UPLOAD } });
let page: Page;

h.before(async () => {
  assert.ok(existsSync(CAT_WRITE), `missing test capture ${CAT_WRITE}`);
  page = await h.newPage();
});

test("upload, list, read the events, refuse strangers, report bad files, delete", { timeout: 120_000 }, async () => {
  const progress = await listenToServer();

  await page.goto(`${h.origin}/?token=${h.token}`);
  await page.getByTestId("captures-empty").waitFor();
  const cookie = (await page.context().cookies()).find((c) => c.name === `casefile_token_${h.port}`);
  assert.ok(cookie, "the ?token= visit sets the token cookie");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Strict");
  await h.shot(page, "01-empty");

  // Upload through the file input; the list shows it with sysdig's event count (the last
  // evt.num of sysdig -D: hidden events are numbered too).
  const catLines = sysdigLines(CAT_WRITE);
  const catEvents = Number(sysdigLines(CAT_WRITE, ["-D"]).at(-1)!.split(" ")[0]);
  await page.getByTestId("upload-input").setInputFiles(CAT_WRITE);
  const row = page.locator("tr", { hasText: "falco_cat_write.scap" });
  await waitForText(row.getByTestId("capture-events"), String(catEvents));
  await page.getByTestId("upload-done").waitFor();
  await h.shot(page, "02-uploaded");
  const done = await progress.doneMessage;
  assert.equal(done.events, catEvents, "the WebSocket reported the ingest with its event count");
  assert.equal(done.name, "falco_cat_write.scap");
  progress.close();

  // Open it: the first row is sysdig's first line (TZ=UTC),
  // `131 16:17:57.881730713 0 cat (20072) < execve res=0 ...`.
  await row.getByRole("link", { name: "open" }).click();
  await page.waitForURL(/\/captures\/[0-9a-f]+/);
  const captureId = new URL(page.url()).pathname.split("/").pop()!;
  const first = page.getByTestId("events-table").locator("tbody tr").first();
  await first.waitFor();
  const [, num, ts, cpu, proc, tid, dir, type, info] = /^(\d+) (\S+) (\d+) (.*) \((-?\d+)\) ([<>]) (\S+) ?(.*)$/.exec(catLines[0])!;
  assert.deepEqual(await cells(first), { num, ts, cpu, proc, tid, dir, type });
  assert.ok(info.startsWith("res=0 exe=cat args=/dev/null."), info);
  assert.ok((await first.locator("td.col-info").innerText()).startsWith(info.slice(0, 40)));
  const lastNum = catLines.at(-1)!.split(" ")[0];
  await waitForText(page.getByTestId("events-range"), `showing evt.num ${num}–${lastNum} (${catLines.length} rows)`);
  await h.shot(page, "03-events");

  // A link with ?from= reopens the view at that event.
  await page.goto(`${h.origin}/captures/${captureId}?from=200`);
  await waitForText(page.getByTestId("events-table").locator("tbody tr").first().locator("td.col-num"), "200");
  await h.shot(page, "04-events-from-200");

  // The API refuses a request without the token, and one for another Host even with it.
  const noToken = await h.request("GET", "/api/captures");
  assert.equal(noToken.status, 401);
  assert.equal(noToken.json.where, "token");
  const wrongHost = await h.api("GET", "/api/captures", null, { host: `evil.example:${h.port}` });
  assert.equal(wrongHost.status, 403);
  assert.equal(wrongHost.json.where, "host");
  const ok = await h.api("GET", "/api/captures");
  assert.equal(ok.status, 200);
  assert.equal(ok.json.length, 1);
  const filtered = await h.api("GET", `/api/captures/${captureId}/events?filter=${encodeURIComponent("proc.name=cat and evt.type=close")}`);
  assert.equal(filtered.status, 200);
  const sysdigNums = sysdigLines(CAT_WRITE, ["proc.name=cat and evt.type=close"]).map((l) => Number(l.split(" ")[0]));
  assert.ok(sysdigNums.length > 0);
  assert.deepEqual(filtered.json.events.map((e: { num: number }) => e.num), sysdigNums);
  const badFilter = await h.api("GET", `/api/captures/${captureId}/events?filter=${encodeURIComponent("proc.name=cat and")}`);
  assert.deepEqual([badFilter.status, badFilter.json.where], [400, "filter"]);
  assert.match(badFilter.json.error, /^filter error at position \d+: /);

  // An upload over the limit is refused and leaves nothing behind.
  const big = await h.api("POST", "/api/captures", Buffer.alloc(MAX_UPLOAD + 1), { "x-filename": "big.scap" });
  assert.equal(big.status, 413);
  assert.deepEqual(readdirSync(path.join(h.dataDir, "uploads")), []);

  // The WebSocket wants the token and a page of ours.
  assert.equal(await h.wsStatus(), 401);
  assert.equal(await h.wsStatus(`?token=${h.token}`, { origin: "http://evil.example" }), 403);

  // A file that is not a capture, dropped on the page, gets a readable error; it is refused from
  // its first bytes, so it is not listed.
  await page.goto(`${h.origin}/`);
  await dropFile(path.join(projectRoot, "package.json"));
  const error = page.getByTestId("upload-error");
  await error.waitFor();
  assert.match(await error.innerText(), /package\.json.*not a scap capture.*at byte 0/s);
  assert.deepEqual((await h.api("GET", "/api/captures")).json.map((c: { name: string }) => c.name), ["falco_cat_write.scap"]);
  await h.shot(page, "05-not-a-capture");
  // A large file refused before its body is read (here: over this server's upload limit): the
  // browser shows the refusal the server sent, not a lost connection (the server stops reading
  // what follows after 64 MB or 2 s).
  const noise = path.join(h.scratch, "noise.scap");
  writeFileSync(noise, randomBytes(96 * 1024 * 1024));
  await page.getByTestId("upload-input").setInputFiles(noise);
  const noiseError = page.getByTestId("upload-error").filter({ hasText: "noise.scap" });
  await noiseError.waitFor({ timeout: 30_000 });
  assert.match(await noiseError.innerText(), /the file is larger than the upload limit of 262144 bytes; set CASEFILE_MAX_UPLOAD/);
  rmSync(noise);

  // Delete everything; the list is empty.
  page.on("dialog", (d) => void d.accept());
  for (const name of ["falco_cat_write.scap"]) {
    const r = page.locator("tr", { hasText: name });
    await r.getByRole("button", { name: "delete" }).click();
    await r.waitFor({ state: "detached" });
  }
  await page.getByTestId("captures-empty").waitFor();
  await h.shot(page, "06-deleted");
  const after = await h.api("GET", "/api/captures");
  assert.deepEqual(after.json, []);

  assert.deepEqual(h.pageErrors, [], "no script errors in the page");
});

test("a long capture loads page by page as the table scrolls, and the URL follows the view", { timeout: 120_000 }, async () => {
  const id = await h.upload(CURL);
  try {
    await page.goto(`${h.origin}/captures/${id}`);
    const rows = page.getByTestId("events-table").locator("tbody tr");
    await rows.first().waitFor();
    const firstPage = await rows.count();
    const curlRows = sysdigLines(CURL).length;
    assert.ok(curlRows > 1000);
    assert.ok(firstPage < curlRows, `the first page is a page, not everything (${firstPage} rows)`);
    const end = page.getByText("End of capture.");
    for (let i = 0; i < 50 && !(await end.isVisible()); i++) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await rows.count(), curlRows, "scrolling to the bottom loads every page");

    // Put row 700 at the top of the screen; the address bar's ?from= follows.
    await rows.nth(700).evaluate((el) => {
      const header = document.querySelector(".events-table thead th")!.getBoundingClientRect().height;
      window.scrollTo(0, window.scrollY + el.getBoundingClientRect().top - header);
    });
    const want = Number(await rows.nth(700).getAttribute("data-num"));
    let from = NaN;
    for (let i = 0; i < 30 && from !== want; i++) {
      await new Promise((r) => setTimeout(r, 100));
      from = Number(new URL(page.url()).searchParams.get("from"));
    }
    assert.equal(from, want, "?from= names the first row on screen");
    await h.shot(page, "07-scrolled", false);

    // Reopening that address starts the view at that row.
    await page.reload();
    await waitForText(rows.first().locator("td.col-num"), String(want));
  } finally {
    assert.equal((await h.api("DELETE", `/api/captures/${id}`)).status, 200);
  }
});

test("filter like sysdig, select an event, read lsof at it like the chisel, all in the URL", { timeout: 120_000 }, async () => {
  const id = await h.upload(CURL);
  try {
    const filter = "proc.name=curl and evt.type=connect";
    const rows = page.getByTestId("events-table").locator("tbody tr");
    await page.goto(`${h.origin}/captures/${id}`);
    await rows.first().waitFor();

    // Enter applies the filter; the rows are sysdig's, and the URL and the count line name it.
    await page.getByTestId("filter-input").fill(filter);
    await page.getByTestId("filter-input").press("Enter");
    const want = sysdigLines(CURL, [filter]).map((l) => Number(l.split(" ")[0]));
    assert.ok(want.length > 2, `sysdig finds connects (${want.length})`);
    await waitForText(page.getByTestId("events-range"), `showing evt.num ${want[0].toLocaleString("en-US")}–${want.at(-1)!.toLocaleString("en-US")} (${want.length} rows)`);
    assert.deepEqual((await rows.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.num)))), want);
    assert.equal(new URL(page.url()).searchParams.get("filter"), filter);
    assert.equal((await page.getByTestId("events-filter").innerText()).trim(), `matching ${filter}`);

    // A filter is a navigation (made in the browser, no page load): Back shows every event
    // again, Forward the filtered ones.
    const allFirst = Number(sysdigLines(CURL)[0].split(" ")[0]);
    await page.goBack();
    await waitForText(page.getByTestId("events-filter"), "· no filter: every event");
    await waitForText(rows.first().locator("td.col-num"), String(allFirst));
    assert.equal(await page.getByTestId("filter-input").inputValue(), "");
    await page.goForward();
    await waitForText(page.getByTestId("events-range"), `showing evt.num ${want[0].toLocaleString("en-US")}–${want.at(-1)!.toLocaleString("en-US")} (${want.length} rows)`);
    assert.deepEqual((await rows.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.num)))), want);
    assert.equal(await page.getByTestId("filter-input").inputValue(), filter);

    // Selecting a row opens lsof at it: the chisel's lines exactly, and the command to get them.
    const at = want.at(-1)!;
    await page.locator(`.events-table tr[data-num="${at}"]`).click();
    await page.waitForURL((u) => u.searchParams.get("at") === String(at) && u.searchParams.get("state") === "lsof");
    await waitForText(page.getByTestId("state-shown-at"), String(at));
    assert.equal(await page.getByTestId("state-command").innerText(), `sysdig -r curl_google.scap -c lsof "" "evt.num=${at}"`);
    const lsof = sysdigLines(CURL, ["-c", "lsof", "", `evt.num=${at}`]);
    assert.ok(lsof.length > 1 && lsof[0].startsWith("COMMAND"), "sysdig prints an lsof table");
    assert.equal(await page.getByTestId("state-table").locator("tbody tr").count(), lsof.length - 1);
    await h.shot(page, "08-filter-and-lsof", false);
    await page.getByTestId("state-as-text").click();
    assert.deepEqual((await page.getByTestId("state-text").textContent())!.split("\n"), lsof);

    // The link reopens the same view; k moves the selection up, Esc closes the panel.
    await page.reload();
    await waitForText(page.getByTestId("state-shown-at"), String(at));
    assert.equal(await page.locator(".events-table tr.selected").getAttribute("data-num"), String(at));
    await page.keyboard.press("k");
    await page.waitForURL((u) => u.searchParams.get("at") === String(want.at(-2)));
    await waitForText(page.getByTestId("state-shown-at"), String(want.at(-2)));
    await page.keyboard.press("Escape");
    await page.getByTestId("state-panel").waitFor({ state: "detached" });
    assert.equal(new URL(page.url()).searchParams.get("at"), null);

    // A filter sysdig would refuse: the server's words under the bar, no rows.
    await page.getByTestId("filter-input").fill("proc.name=curl and");
    await page.getByTestId("filter-input").press("Enter");
    const error = page.getByTestId("filter-error");
    await error.waitFor();
    assert.match(await error.innerText(), /^filter error at position \d+: /);
    assert.equal(await rows.count(), 0);
    await h.shot(page, "09-bad-filter", false);
    assert.deepEqual(h.pageErrors, [], "no script errors in the page");
  } finally {
    assert.equal((await h.api("DELETE", `/api/captures/${id}`)).status, 200);
  }
});

test("gaps, spectrogram and a chisel's summary follow the filter, as sysdig answers them", { timeout: 60_000 }, async () => {
  const id = await h.upload(PING);
  try {
    const filter = "evt.type=sendmsg and evt.dir='>'";
    await page.goto(`${h.origin}/captures/${id}?filter=${encodeURIComponent(filter)}`);
    await page.getByTestId("events-table").locator("tbody tr").first().waitFor();

    // Gaps longer than 500 ms: the pairs a gap computation over sysdig's timestamps finds.
    await page.getByTestId("view-tab-gaps").click();
    await page.getByTestId("gaps-min").fill("500ms");
    await page.getByTestId("gaps-min").press("Enter");
    await page.waitForURL((u) => u.searchParams.get("view") === "gaps" && u.searchParams.get("min") === "500ms");
    const rows = page.getByTestId("gaps-table").locator("tbody tr");
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [Number((tr as HTMLElement).dataset.prev), Number((tr as HTMLElement).dataset.num)]));
    const events = sysdigLines(PING, [filter]).map((l) => {
      const [num, time] = l.split(" ");
      const [h, m, sec] = time.split(":");
      const [whole, frac] = sec.split(".");
      return { num: Number(num), ns: ((BigInt(h) * 60n + BigInt(m)) * 60n + BigInt(whole)) * 1_000_000_000n + BigInt(frac) };
    });
    const want = events.slice(1).flatMap((e, i) => (e.ns - events[i].ns > 500_000_000n ? [[events[i].num, e.num]] : []));
    assert.ok(want.length > 2, `sysdig's sendmsg calls have gaps (${want.length})`);
    assert.deepEqual(shown, want);
    // Selecting one shows what ran in it: here only the call's own exit event.
    await rows.first().click();
    const [p0, n0] = want[0];
    await page.waitForURL((u) => u.searchParams.get("gap") === String(n0));
    const between = sysdigLines(PING, [`evt.num>${p0} and evt.num<${n0}`]).length;
    await page.getByTestId("gap-activity").waitFor();
    const ran = await page.getByTestId("gap-activity").locator("tbody td.num").evaluateAll((tds) => tds.map((td) => Number(td.textContent!.replace(/,/g, ""))));
    assert.equal(ran.reduce((a, b) => a + b, 0), between);
    await h.shot(page, "10-gaps", false);

    // The summary by topscalls: the chisel's own lines, and the command that prints them.
    await page.getByTestId("view-tab-chisel").click();
    await page.getByTestId("summary-chisel").selectOption("topscalls");
    await page.waitForURL((u) => u.searchParams.get("chisel") === "topscalls");
    const command = `sysdig -r falco_ping_sendto.scap -c topscalls "${filter}"`;
    await waitForText(page.getByTestId("summary-command"), command);
    await page.getByTestId("summary-table").waitFor();
    await h.shot(page, "11-summary-topscalls", false);
    await page.getByTestId("summary-as-text").click();
    const lines = (await page.getByTestId("summary-text").textContent())!.split("\n").filter((l) => l.length > 0);
    assert.deepEqual(lines, sysdigLines(PING, ["-c", "topscalls", filter]));

    // The spectrogram counts exit events: this filter keeps none, and the view says so and
    // offers the exits; their cells hold every exit event sysdig gives a latency for that filter.
    await page.getByTestId("view-tab-spectrogram").click();
    await page.getByTestId("spectrogram-empty").waitFor();
    await page.getByTestId("spectrogram-use-exits").click();
    const exits = "evt.type=sendmsg and evt.dir='<'";
    await page.waitForURL((u) => u.searchParams.get("filter") === exits && u.searchParams.get("view") === "spectrogram");
    const cells = page.locator("rect.heatmap-cell");
    await cells.first().waitFor();
    const sum = (await cells.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("data-count"))))).reduce((a, b) => a + b, 0);
    const exitCount = sysdigLatencies(PING, exits).exits.length;
    assert.ok(exitCount > 0);
    assert.equal(sum, exitCount);
    assert.equal(await page.getByTestId("spectrogram-total").innerText(), String(exitCount));
    await cells.nth(3).hover();
    await page.getByTestId("spectrogram-tip").waitFor();
    await h.shot(page, "12-spectrogram", false);
    // A cell opens the events view at its first event, with the state panel.
    const example = await cells.nth(3).getAttribute("data-example");
    await cells.nth(3).click();
    await page.waitForURL((u) => u.searchParams.get("at") === example && u.searchParams.get("view") === null);
    await waitForText(page.getByTestId("state-shown-at"), example!);
    assert.deepEqual(h.pageErrors, [], "no script errors in the page");
  } finally {
    assert.equal((await h.api("DELETE", `/api/captures/${id}`)).status, 200);
  }
});

async function waitForText(loc: Locator, want: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    last = (await loc.first().innerText({ timeout: end - Date.now() }).catch(() => "")).trim();
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited for ${JSON.stringify(want)}, last saw ${JSON.stringify(last)}`);
}

async function cells(row: Locator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const col of ["num", "ts", "cpu", "proc", "tid", "dir", "type"]) out[col] = (await row.locator(`td.col-${col}`).innerText()).trim();
  return out;
}

/** Drops a file on the upload zone the way a desktop drag does: a drop event with the file in
 *  its DataTransfer. */
async function dropFile(file: string): Promise<void> {
  const b64 = readFileSync(file).toString("base64");
  const dt = await page.evaluateHandle(
    ({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name));
      return dt;
    },
    { b64, name: path.basename(file) },
  );
  const zone = page.getByTestId("dropzone");
  await zone.dispatchEvent("dragover", { dataTransfer: dt });
  await zone.dispatchEvent("drop", { dataTransfer: dt });
}

/** Collects ingest progress the way the page does, to check the broadcast itself. */
async function listenToServer(): Promise<{ doneMessage: Promise<Record<string, any>>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws?token=${h.token}`, { origin: h.origin });
  await new Promise((r, j) => {
    ws.once("open", r);
    ws.once("error", j);
  });
  const doneMessage = new Promise<Record<string, any>>((resolve) => {
    ws.on("message", (data) => {
      const m = JSON.parse(String(data));
      if (m.type === "ingest" && m.done) resolve(m);
    });
  });
  return { doneMessage, close: () => ws.close() };
}
