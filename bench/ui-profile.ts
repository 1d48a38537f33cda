// Profiling aid (not a benchmark): a Chromium performance trace of the capture page's first view,
// brushing and scrolling on bench/big-capture.ts's capture, summarised per long task: how much of
// each task is script, style, layout, paint. node --import tsx bench/ui-profile.ts [--events N] OUT_DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_TOKEN, benchCapture, startBenchServer } from "./bench-server";
import { launchChromium } from "../e2e/browser";

const args = process.argv.slice(2);
const minEvents = Number(args[args.indexOf("--events") + 1]) || 2_000_000;
const out = args[args.length - 1];
mkdirSync(out, { recursive: true });
const { dataDir } = await benchCapture(minEvents);
const server = await startBenchServer(dataDir, { separate: true });
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // PROFILE_CSS: extra style rules, to try a layout idea without a rebuild.
  if (process.env.PROFILE_CSS) await context.addInitScript((css) => document.addEventListener("DOMContentLoaded", () => { const st = document.createElement("style"); st.textContent = css; document.head.append(st); }), process.env.PROFILE_CSS);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const apiTimes: string[] = [];
  page.on("requestfinished", (req) => { const t = req.timing(); apiTimes.push(`${t.startTime.toFixed(0)} +${t.responseEnd.toFixed(0)}ms ${req.url().slice(0, 160)}`); });
  await page.goto(`${server.origin}/?token=${BENCH_TOKEN}`);
  const pageUrl = `${server.origin}/captures/${server.capture.id}`;
  const trace = async (name: string, body: () => Promise<void>) => {
    const events: any[] = [];
    cdp.on("Tracing.dataCollected", (d: any) => events.push(...d.value));
    await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "disabled-by-default-v8.cpu_profiler", "toplevel"] }, transferMode: "ReportEvents" });
    const t0 = Date.now();
    await body();
    const wall = Date.now() - t0;
    const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.end");
    await done;
    writeFileSync(join(out, `${name}.json`), JSON.stringify({ traceEvents: events }));
    console.log(`\n== ${name} (${wall} ms wall, ${events.length} trace events)`);
    summarise(events);
  };
  await trace("first-view", async () => {
    await page.goto(pageUrl, { waitUntil: "commit" });
    await page.getByTestId("events-table").locator("tbody tr").first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector("[data-testid=timeline-canvas]")?.getAttribute("data-source"), undefined, { timeout: 60_000 });
  });
  console.log(apiTimes.join("\n")); apiTimes.length = 0;
  await trace("brush", async () => {
    const canvas = page.getByTestId("timeline-canvas");
    for (let i = 0; i < 3; i++) {
      const box = (await canvas.boundingBox())!;
      const x = (f: number) => box.x + 170 + f * (box.width - 170), y = box.y + box.height - 6;
      const before = new URL(page.url()).searchParams.get("t0");
      await page.mouse.move(x(0.1 + 0.25 * i), y); await page.mouse.down();
      await page.mouse.move(x(0.15 + 0.25 * i), y, { steps: 10 }); await page.mouse.up();
      await page.waitForURL((u) => u.searchParams.get("t0") !== before);
      await page.waitForLoadState("networkidle");
    }
  });
  console.log(apiTimes.join("\n")); apiTimes.length = 0;
  await page.goto(pageUrl);
  await page.getByTestId("events-table").locator("tbody tr").first().waitFor();
  await trace("scroll", async () => {
    for (let i = 0; i < Number(process.env.SCROLLS ?? 40); i++) { await page.mouse.move(700, 600); await page.mouse.wheel(0, 2000); await page.waitForTimeout(50); }
    await page.waitForLoadState("networkidle");
  });
  console.log(apiTimes.join("\n"));
  console.log("rows", await page.getByTestId("events-table").locator("tbody tr").count());
} finally {
  await browser.close();
  await server.close();
}

/** Each main-thread task over 50 ms: its length and the time inside it by kind. */
function summarise(events: any[]) {
  const main = events.filter((e) => e.name === "RunTask" && e.ph === "X" && e.dur > 50_000);
  const kinds = ["FunctionCall", "EvaluateScript", "v8.compile", "ParseHTML", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize", "ParseAuthorStyleSheet", "EventDispatch", "TimerFire", "FireAnimationFrame", "MajorGC", "MinorGC", "V8.GC_MARK_COMPACTOR", "XHRLoad", "ResourceReceivedData", "RunMicrotasks", "HitTest", "ScrollLayer", "IntersectionObserverController::computeIntersections", "UpdateLayer", "CompositeLayers"];
  for (const t of main) {
    const inside = events.filter((e) => e.ph === "X" && e.tid === t.tid && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e !== t);
    const by: Record<string, number> = {};
    for (const e of inside) if (kinds.includes(e.name)) by[e.name] = (by[e.name] ?? 0) + e.dur / 1000;
    const detail = inside.filter((e) => e.name === "FunctionCall" || e.name === "TimerFire" || e.name === "EventDispatch").map((e) => `${e.name}:${e.args?.data?.functionName ?? e.args?.data?.type ?? ""}@${(e.args?.data?.url ?? "").split("/").pop()}:${e.args?.data?.lineNumber ?? ""} ${(e.dur / 1000).toFixed(0)}`).slice(0, 4);
    const layouts = inside.filter((e) => e.name === "Layout").map((e) => `${(e.dur / 1000).toFixed(0)}ms/${e.args?.beginData?.dirtyObjects}of${e.args?.beginData?.totalObjects}`).slice(0, 4);
    console.log(`task ${(t.dur / 1000).toFixed(0)} ms: ${Object.entries(by).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")} | ${detail.join("; ")} | layout ${layouts.join(" ")}`);
  }
}
