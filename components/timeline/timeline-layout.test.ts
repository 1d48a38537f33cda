import { test } from "node:test";
import assert from "node:assert/strict";
import { binRects, brushRange, gapMarks, panWindow, rowsToDraw, ticks, timeAt, xOf, zoomWindow, type TimeWindow } from "./timeline-layout";

const span: TimeWindow = { from: 1534527342999999999n, to: 1534527352999999999n }; // 10 s

test("pixels and instants map both ways; a brush is a range with both ends, a short drag a click", () => {
  assert.equal(timeAt(span, 1000, 0), span.from);
  assert.equal(timeAt(span, 1000, 1000), span.to);
  assert.equal(timeAt(span, 1000, 250), span.from + 2_500_000_000n);
  assert.equal(xOf(span, 1000, span.from + 2_500_000_000n), 250);
  // Nanoseconds survive: no double rounding of the 61-bit instants.
  assert.equal(brushRange(span, 1000, 700, 100)?.from, "1534527343999999999");
  assert.equal(brushRange(span, 1000, 100, 700)?.to, "1534527349999999999");
  assert.equal(brushRange(span, 1000, 100, 102), undefined);
});

test("zoom keeps the instant under the cursor and stays in the capture; pan stays in it too", () => {
  const w = zoomWindow(span, 1000, 250, 0.5, span);
  assert.equal(w.to - w.from, 5_000_000_000n);
  assert.equal(timeAt(w, 1000, 250), timeAt(span, 1000, 250));
  // Zooming out past the capture gives the capture.
  assert.deepEqual(zoomWindow(w, 1000, 500, 4, span), span);
  // Near the start, the window is moved inside rather than cut.
  const early = zoomWindow(span, 1000, 0, 0.1, span);
  assert.equal(early.from, span.from);
  assert.equal(early.to - early.from, 1_000_000_000n);
  // No narrower than a microsecond.
  let z = span;
  for (let i = 0; i < 100; i++) z = zoomWindow(z, 1000, 500, 0.1, span);
  assert.equal(z.to - z.from, 1000n);
  const p = panWindow(early, 1000, 500, span);
  assert.equal(p.from, span.from + 500_000_000n);
  assert.deepEqual(panWindow(early, 1000, -5000, span), early);
  assert.equal(panWindow(early, 1000, 1e9, span).to, span.to);
});

test("rows: the busiest as sent, then the rest folded; rectangles per non-empty bin, log-scaled", () => {
  const rows = rowsToDraw(
    [{ key: "thread:3:17", proc: "curl", tid: 17, total: 11, counts: [10, 0, 1, 0] }],
    { rows: 4, total: 2, counts: [0, 2, 0, 0] },
  );
  assert.deepEqual(rows.map((r) => [r.label, r.total, r.folded]), [["curl (17)", 11, undefined], ["4 more", 2, 4]]);
  const rects = binRects(rows, 4, 400, 20, 30);
  assert.deepEqual(rects.map((r) => [r.row, r.bin, r.x, r.y, r.w, r.count]), [[0, 0, 0, 30, 100, 10], [0, 2, 200, 30, 100, 1], [1, 1, 100, 50, 100, 2]]);
  assert.equal(rects[0].level, 1);
  assert.ok(rects[1].level > 0.15 && rects[1].level < 1, "one event still shows, fainter");
  // Bins narrower than a pixel are drawn a pixel wide.
  assert.equal(binRects(rows, 4, 2, 20)[0].w, 1);
});

test("gap marks: only gaps that overlap the window, clipped to it; ticks are round steps", () => {
  const g = (a: number, b: number, num: number) => ({ startTs: span.from + BigInt(a * 1e9), endTs: span.from + BigInt(b * 1e9), num });
  assert.deepEqual(gapMarks([g(1, 3, 10), g(-5, -1, 11), g(9, 12, 12)], span, 1000), [{ x0: 100, x1: 300, num: 10 }, { x0: 900, x1: 1000, num: 12 }]);
  const t = ticks(span);
  assert.ok(t.length >= 5 && t.length <= 11, `${t.length} ticks`);
  assert.ok(t.every((x) => x % 1_000_000_000n === 0n), "whole seconds for a 10 s window");
  assert.ok(t[0] >= span.from && t[t.length - 1] <= span.to);
});
