// The overview tab end to end: its tiles show what sysdig answers for their filters, a click
// opens the events behind a tile (errors → evt.failed=true, as sysdig lists them), and the tab
// follows the filter. Screenshots in both themes. Needs `npx next build` first.
//
//   node --import tsx --test e2e/overview.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fixtureCapture, outputLines, runSysdig, sysdigLines } from "../server/testing/oracle";
import { OVERVIEW_TILES } from "../server/core/analyses/overview-tiles";
import { useWorkbench } from "./workbench-harness";

const CURL = fixtureCapture("curl_google.scap");
const h = useWorkbench("overview");

test("overview tiles equal sysdig's answers; a click opens the events behind a tile; the filter narrows every tile", { timeout: 180_000 }, async () => {
  const id = await h.upload(CURL);
  const page = await h.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: "light" });
  await page.goto(`${h.origin}/captures/${id}?token=${h.token}&view=overview`);
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
  await h.shot(page, "overview-01-light", false);
  await page.getByTestId("theme-toggle").click();
  await h.shot(page, "overview-02-dark", false);
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
  await h.shot(page, "overview-03-filtered", false);
  assert.deepEqual(h.pageErrors, []);
  await page.context().close();
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
