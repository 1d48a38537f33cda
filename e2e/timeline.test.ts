// The timeline end to end, in Chromium on the real server: brush the timeline around a known
// gap of a fixture (ping's sendmsg calls, one a second, with longer silences) and see the
// events view and the spectrogram follow the range, each against sysdig's answer for the very
// filter the page prints (the evt.rawtime bounds included); a click opens the nearest event.
// Needs `npx next build` first. Screenshots in e2e/artifacts/timeline-*.png.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { expectedSpectrogram, sysdigGaps, sysdigLatencies } from "../server/testing/sysdig-analyses";
import { useWorkbench } from "./workbench-harness";

const PING = fixtureCapture("falco_ping_sendto.scap");
const FILTER = "evt.type=sendmsg";
/** The timeline's label column (components/timeline/timeline.tsx LABEL_W). */
const LABEL_W = 170;

const h = useWorkbench("timeline");
let page: Page;

h.before(async () => {
  page = await h.newPage();
});

/** What `sysdig -r FILE FILTER` prints: evt.num and evt.rawtime. */
function sysdigEvents(filter: string): { num: number; ts: bigint }[] {
  return sysdigLines(PING, ["-p", "%evt.num %evt.rawtime", filter]).map((l) => {
    const [num, ts] = l.split(" ");
    return { num: Number(num), ts: BigInt(ts) };
  });
}

test("brush the timeline around a gap: the events view and the spectrogram follow the range, as sysdig answers it", { timeout: 180_000 }, async () => {
  const c = await h.waitReady(await h.upload(PING));
  const span = { from: BigInt(c.firstTs), to: BigInt(c.lastTs) + 1n };
  // A known gap of the sendmsg calls, from sysdig's own times.
  const gaps = sysdigGaps(PING, FILTER, 500_000_000n);
  assert.ok(gaps.length >= 3, `${gaps.length} gaps`);
  const gap = gaps[Math.floor(gaps.length / 2)];
  const before = sysdigEvents(FILTER).find((e) => e.num === gap.prevNum)!;
  const afterGap = sysdigEvents(FILTER).find((e) => e.num === gap.num)!;

  await page.goto(`${h.origin}/captures/${c.id}?token=${h.token}&filter=${encodeURIComponent(FILTER)}&min=500ms`);
  const canvas = page.getByTestId("timeline-canvas");
  await canvas.waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=timeline-canvas]")?.getAttribute("data-source"));
  const box = (await canvas.boundingBox())!;
  const plotW = box.width - LABEL_W;
  const xOf = (t: bigint) => box.x + LABEL_W + (Number(t - span.from) / Number(span.to - span.from)) * plotW;
  await h.shot(page, "timeline-01-whole");

  // Brush from a little before the event ahead of the gap to a little after the one behind it.
  const margin = (afterGap.ts - before.ts) / 4n;
  const y = box.y + box.height - 8;
  await page.mouse.move(xOf(before.ts - margin), y);
  await page.mouse.down();
  await page.mouse.move(xOf(afterGap.ts + margin), y, { steps: 8 });
  await page.mouse.up();
  await page.waitForURL((u) => u.searchParams.has("t0") && u.searchParams.has("t1"));
  const url = new URL(page.url());
  const range = { from: url.searchParams.get("t0")!, to: url.searchParams.get("t1")! };
  assert.ok(BigInt(range.from) <= before.ts && BigInt(range.to) >= afterGap.ts, `the brush ${range.from}–${range.to} holds the gap`);
  assert.equal(url.searchParams.get("filter"), FILTER, "the user's filter is kept apart from the range");

  // The command line the page prints is the filter the views run; sysdig answers it.
  const shown = `(${FILTER}) and evt.rawtime>=${range.from} and evt.rawtime<=${range.to}`;
  await page.getByTestId("filter-command").filter({ hasText: shown }).waitFor();
  const theirs = sysdigEvents(shown);
  assert.ok(theirs.some((e) => e.num === gap.prevNum) && theirs.some((e) => e.num === gap.num), "sysdig's answer holds both ends of the gap");
  // The events view: exactly sysdig's events, every one inside the range.
  const rows = page.getByTestId("events-table").locator("tbody tr");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=events-table] tbody tr").length === n, theirs.length);
  const nums = (await rows.locator("td.col-num").allInnerTexts()).map(Number);
  assert.deepEqual(nums, theirs.map((e) => e.num));
  await h.shot(page, "timeline-02-brushed-events");

  // The spectrogram follows: its bins span the range, its cells are sysdig's for the same
  // filter binned over the range, all inside it.
  await page.getByTestId("view-tab-spectrogram").click();
  await page.waitForURL((u) => u.searchParams.get("view") === "spectrogram" && u.searchParams.get("t0") === range.from);
  await page.getByTestId("spectrogram-total").waitFor();
  await page.getByText(`--bins 100 --from ${range.from} --to ${range.to}`).first().waitFor();
  const answer = await page.evaluate(async ([id, f, a, b]) => (await fetch(`/api/captures/${id}/spectrogram?bins=100&filter=${encodeURIComponent(f)}&from=${a}&to=${b}`)).json(), [c.id, FILTER, range.from, range.to]);
  assert.equal(answer.startTs, range.from);
  const want = expectedSpectrogram({ ...sysdigLatencies(PING, shown), first: BigInt(range.from), last: BigInt(range.to) }, 100);
  assert.ok(want.cells.length > 0);
  assert.deepEqual(answer.cells, want.cells);
  const total = want.cells.reduce((n, x) => n + x.count, 0);
  assert.equal((await page.getByTestId("spectrogram-total").innerText()).trim(), String(total));
  for (const cell of answer.cells as { t: number }[]) {
    const lo = BigInt(answer.startTs) + BigInt(cell.t) * BigInt(answer.binNs);
    assert.ok(lo <= BigInt(range.to) && lo + BigInt(answer.binNs) > BigInt(range.from), `cell at bin ${cell.t} lies in the range`);
  }
  await h.shot(page, "timeline-03-brushed-spectrogram");

  // A click on the timeline opens the nearest matching event in the events view.
  await page.mouse.click(xOf(afterGap.ts), y);
  await page.waitForURL((u) => u.searchParams.has("at") && (u.searchParams.get("view") ?? "events") === "events");
  const at = Number(new URL(page.url()).searchParams.get("at"));
  const matching = sysdigEvents(FILTER);
  const picked = matching.find((e) => e.num === at);
  assert.ok(picked, `the event opened (#${at}) is one sysdig's filter keeps`);
  // Within a pixel's worth of time of the click.
  const pixelNs = Number(span.to - span.from) / plotW;
  const abs = (v: bigint) => Number(v < 0n ? -v : v);
  assert.ok(abs(picked.ts - afterGap.ts) <= abs(matching.reduce((b, e) => (abs(e.ts - afterGap.ts) < abs(b.ts - afterGap.ts) ? e : b)).ts - afterGap.ts) + 2 * pixelNs);

  // Clearing the range gives every view the whole capture again.
  await page.getByTestId("timeline-clear-range").click();
  await page.waitForURL((u) => !u.searchParams.has("t0"));
  await h.shot(page, "timeline-04-cleared");
  assert.deepEqual(h.pageErrors, []);
});
