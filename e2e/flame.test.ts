// Flame graphs end to end, in Chromium, against the reference tools: the syscall-time flame graph
// of a fixture capture gives each container, and each process in it, the total sysdig's
// evt.latency sums give (side table and tooltip); a folded file and a live `perf script` recording are uploaded through the page
// and searched, their matched share checked against plain sums over the folded text and against
// perf's own "Children" share of the symbol; a differential of two profiles shows its legend and
// each frame's before and after. Screenshots in e2e/artifacts/. Needs `npx next build` first.
//
//   node --import tsx --test e2e/flame.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { buildScenario } from "../server/testing/scap-scenario";
import { CONTAINER_SCENARIO } from "../server/testing/container-scenario";
import { perfRecord, perfReportChildren, perfScript } from "../server/testing/perf-oracle";
import { useWorkbench } from "./workbench-harness";

const CURL = fixtureCapture("curl_google.scap");
const h = useWorkbench("flame");
let page: Page;

h.before(async () => {
  page = await h.newPage({ viewport: { width: 1400, height: 1000 } });
});

/** The side table's rows: name → total (raw value). */
async function tableTotals(): Promise<Map<string, number>> {
  const rows = page.getByTestId("flame-row");
  await rows.first().waitFor();
  const out = new Map<string, number>();
  for (const r of await rows.all()) out.set((await r.getAttribute("data-name"))!, Number(await r.getAttribute("data-total")));
  return out;
}

test("the syscall-time flame graph: each container's and process's total is sysdig's sum of evt.latency", { timeout: 120_000 }, async () => {
  const id = await h.upload(CURL);
  const perContainer = new Map<string, number>();
  const perProcess = new Map<string, number>(); // of the busiest container
  const lines = sysdigLines(CURL, ["-p", "%evt.latency %container.id %proc.name", "evt.dir=<"]).map((l) => /^(\d+) (\S+) (.*)$/.exec(l)!);
  for (const [, ns, container] of lines) perContainer.set(container, (perContainer.get(container) ?? 0) + Number(ns));
  const busiest = [...perContainer].sort((a, b) => b[1] - a[1])[0];
  for (const [, ns, container, proc] of lines) if (container === busiest[0]) perProcess.set(proc, (perProcess.get(proc) ?? 0) + Number(ns));
  await page.goto(`${h.origin}/captures/${id}?token=${h.token}`);
  await page.getByTestId("view-tab-flame").click();
  await page.getByTestId("flame-canvas").waitFor();
  assert.deepEqual(new Map([...(await tableTotals())].sort()), new Map([...perContainer].sort()));
  // The tooltip of the widest container (its row just above "all", at the left).
  const canvas = page.getByTestId("flame-canvas");
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height - 17 - 8);
  const tip = page.getByTestId("flame-tooltip");
  await tip.waitFor();
  assert.match(await tip.innerText(), new RegExp(`^${busiest[0]}\\n`));
  await h.shot(page, "flame-01-syscall-time");
  // Click it: zoomed, with a breadcrumb; the URL keeps the zoom; the table lists its processes.
  await page.mouse.click(box.x + 20, box.y + box.height - 17 - 8);
  await page.getByTestId("flame-crumbs").waitFor();
  assert.match(page.url(), /view=flame/);
  assert.match(page.url(), /fz=/);
  await page.locator('[data-testid="flame-row"][data-name="curl"]').waitFor();
  assert.deepEqual(new Map([...(await tableTotals())].sort()), new Map([...perProcess].sort()));
  await h.shot(page, "flame-02-zoomed");
  // A thread's events: the events view with the frame's filter, the rows sysdig's filter gives.
  await page.locator('[data-testid="flame-row"][data-name="curl"]').getByTestId("flame-row-zoom").click();
  const thread = page.locator('[data-testid="flame-row"][data-name="17498"]');
  await thread.getByTestId("flame-row-events").click();
  await page.getByTestId("events-table").locator("tbody tr").first().waitFor();
  const filter = `container.id=${busiest[0]} and proc.name=curl and thread.tid=17498`;
  assert.equal(new URL(page.url()).searchParams.get("filter"), filter);
  const firstNum = await page.getByTestId("events-table").locator("tbody tr").first().locator("td").first().innerText();
  assert.equal(firstNum.trim(), sysdigLines(CURL, [filter])[0].split(" ")[0]);
  assert.deepEqual(h.pageErrors, []);
});

test("containers: a capture whose threads are in two containers and on the host, each container's and its processes' totals sysdig's", { timeout: 120_000 }, async () => {
  const file = path.join(h.scratch, "containers.scap");
  writeFileSync(file, buildScenario(CONTAINER_SCENARIO).bytes);
  const containersId = await h.upload(file);
  const lines = sysdigLines(file, ["-p", "%evt.latency %container.id %proc.name", "evt.dir=<"]).map((l) => /^(\d+) (\S+) (.*)$/.exec(l)!);
  const sum = (keep: (container: string) => boolean, by: (container: string, proc: string) => string) => {
    const m = new Map<string, number>();
    for (const [, ns, container, proc] of lines) if (keep(container)) m.set(by(container, proc), (m.get(by(container, proc)) ?? 0) + Number(ns));
    return new Map([...m].sort());
  };
  const perContainer = sum(() => true, (c) => c);
  assert.equal(perContainer.size, 3);
  await page.goto(`${h.origin}/captures/${containersId}?token=${h.token}&view=flame`);
  await page.getByTestId("flame-canvas").waitFor();
  assert.deepEqual(new Map([...(await tableTotals())].sort()), perContainer);
  await h.shot(page, "flame-09-containers");
  // One container zoomed: its processes (a thread that executed into it counts here with its
  // calls after the execve only).
  const container = [...perContainer.keys()].find((c) => c !== "host")!;
  await page.locator(`[data-testid="flame-row"][data-name="${container}"]`).getByTestId("flame-row-zoom").click();
  await page.getByTestId("flame-crumbs").waitFor();
  await page.waitForFunction((c) => document.querySelector('[data-testid="flame-crumbs"]')?.textContent?.includes(c), container);
  assert.deepEqual(new Map([...(await tableTotals())].sort()), sum((c) => c === container, (_, p) => p));
  await h.shot(page, "flame-10-container-zoomed");
  assert.deepEqual(h.pageErrors, []);
});

test("a folded file and a perf script recording, uploaded and searched: the matched share is the tools'", { timeout: 180_000 }, async () => {
  // Folded: the expected share by plain sums over the text (stacks with a frame named read).
  const folded = "app;main;loop;read_[k] 30\napp;main;loop;compute 50\napp;main;read_[k] 5\napp;gc;sweep 15\napp;main;loop;read_[k];read_[k] 2\n";
  const foldedFile = path.join(h.scratch, "before.folded");
  writeFileSync(foldedFile, folded);
  const lines = folded.trim().split("\n").map((l) => [l.slice(0, l.lastIndexOf(" ")).split(";"), Number(l.slice(l.lastIndexOf(" ") + 1))] as const);
  const total = lines.reduce((s, [, v]) => s + v, 0);
  const withRead = lines.filter(([f]) => f.includes("read_[k]")).reduce((s, [, v]) => s + v, 0);
  const id = await h.uploadThroughPage(page, foldedFile);
  await page.goto(`${h.origin}/captures/${id}?token=${h.token}`);
  await page.getByTestId("flame-canvas").waitFor();
  await page.getByTestId("flame-search").fill("read");
  await page.getByTestId("flame-search").press("Enter");
  const matched = page.getByTestId("flame-matched");
  await matched.waitFor();
  assert.match(await matched.innerText(), new RegExp(`^matched ${(100 * withRead / total).toFixed(1)}% \\(${withRead} samples of ${total} samples\\)`));
  await h.shot(page, "flame-03-folded-search");

  // perf script of a live recording of dd; perf report's Children share of do_syscall_64.
  const data = path.join(h.scratch, "perf.data");
  perfRecord(data, 999, ["dd", "if=/dev/zero", "of=/dev/null", "bs=64", "count=400000"], false);
  const perfFile = path.join(h.scratch, "dd.perf.txt");
  writeFileSync(perfFile, perfScript(data));
  const sym = perfReportChildren(data).filter((r) => r.kernel && r.symbol === "do_syscall_64")[0];
  assert.ok(sym, "perf saw do_syscall_64");
  const pid = await h.uploadThroughPage(page, perfFile);
  await page.goto(`${h.origin}/captures/${pid}?token=${h.token}`);
  await page.getByTestId("flame-canvas").waitFor();
  await page.getByTestId("flame-search").fill("/^do_syscall_64_\\[k\\]$/");
  await page.getByTestId("flame-search").press("Enter");
  await matched.waitFor();
  const m = /^matched [\d.]+% \(([\d,]+) samples? of ([\d,]+) samples\)/.exec(await matched.innerText());
  assert.ok(m, await matched.innerText());
  const [n, all] = [Number(m[1].replace(/,/g, "")), Number(m[2].replace(/,/g, ""))];
  // perf prints the share to two decimals of a percent: the count it stands for, exactly.
  assert.equal(n, Math.round(sym.children * all), `perf: ${(100 * sym.children).toFixed(2)}% of ${all}`);
  await h.shot(page, "flame-04-perf-search");

  // Icicle and left-heavy, from the URL's controls.
  await page.getByTestId("flame-order-icicle").click();
  await page.getByTestId("flame-sort-heavy").click();
  await page.waitForURL(/ford=icicle/);
  await h.shot(page, "flame-05-perf-icicle");

  // The sandwich of read_[k] in the folded profile: callers above, callees below.
  await page.goto(`${h.origin}/captures/${id}?token=${h.token}&fsw=read_%5Bk%5D`);
  await page.getByTestId("flame-sandwich").waitFor();
  assert.match(await page.getByTestId("flame-sandwich").innerText(), new RegExp(`read_\\[k\\]: ${withRead} samples total`));
  await h.shot(page, "flame-06-sandwich");

  // A differential of two profiles: before (the folded file), after (one where compute grew).
  const afterFile = path.join(h.scratch, "after.folded");
  writeFileSync(afterFile, "app;main;loop;read_[k] 10\napp;main;loop;compute 120\napp;gc;sweep 20\n");
  const aid = await h.uploadThroughPage(page, afterFile);
  await page.goto(`${h.origin}/captures/${aid}?token=${h.token}`);
  await page.getByTestId("flame-canvas").waitFor();
  await page.getByTestId("flame-compare").click();
  await page.getByTestId("flame-base").selectOption(id);
  await page.getByTestId("flame-compare-go").click();
  await page.getByTestId("flame-legend").waitFor();
  assert.match(page.url(), new RegExp(`fb=${id}`));
  // The table of the root's children: app, after 150, before 102 scaled to 150 (difffolded -n).
  const row = page.locator('[data-testid="flame-row"][data-name="app"]');
  await row.waitFor();
  assert.equal(Number(await row.getAttribute("data-total")), 150);
  assert.match(await row.innerText(), /150 samples.*150 samples/s);
  await h.shot(page, "flame-07-differential");
  assert.deepEqual(h.pageErrors, []);
});

test("a profile of 100k frames: culled under half a pixel, drawn on a canvas, hover and zoom without long tasks", { timeout: 180_000 }, async () => {
  // 100,000 distinct leaves under 100 × 1,000 inner frames.
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) lines.push(`app;f${i % 100};g${i % 1000};h${i} ${1 + (i % 7)}`);
  const file = path.join(h.scratch, "wide.folded");
  writeFileSync(file, lines.join("\n") + "\n");
  await page.goto(`${h.origin}/captures/${await h.upload(file)}?token=${h.token}`);
  const canvas = page.getByTestId("flame-canvas");
  await canvas.waitFor();
  const frames = Number(await canvas.getAttribute("data-frames"));
  const culled = Number(await canvas.getAttribute("data-culled"));
  assert.ok(culled > 0, `${culled} subtrees culled`);
  assert.ok(frames > 1000 && frames < 100_000, `${frames} rectangles drawn of more than 101,000 frames`);
  // Long tasks since the page started (buffered: the tree built and laid out), then while
  // hovering across the graph and zooming in and out.
  await page.evaluate(() => {
    (window as unknown as { longest: number }).longest = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        const w = window as unknown as { longest: number };
        w.longest = Math.max(w.longest, e.duration);
      }
    }).observe({ type: "longtask", buffered: true });
  });
  const box = (await canvas.boundingBox())!;
  for (let i = 0; i < 30; i++) await page.mouse.move(box.x + (box.width * i) / 30, box.y + box.height - 17 * 2 - 8);
  await page.mouse.click(box.x + box.width - 5, box.y + box.height - 17 * 2 - 8);
  await page.getByTestId("flame-crumbs").waitFor();
  await page.getByTestId("flame-crumbs").getByRole("button", { name: "all" }).click();
  await page.getByTestId("flame-crumbs").waitFor({ state: "detached" });
  const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest);
  console.log(`100k-frame profile: ${frames} rectangles drawn, ${culled} culled; longest main-thread task from load through hovering and zooming: ${longest.toFixed(0)} ms`);
  await h.shot(page, "flame-08-100k", false);
  assert.deepEqual(h.pageErrors, []);
});
