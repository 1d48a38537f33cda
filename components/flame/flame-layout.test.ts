// The flame graph's geometry without a canvas: widths proportional to values, children in
// order, flame and icicle rows, zoom, culling below half a pixel, search share, and the
// differential colours. Trees come from folded text through the same builder the server uses.

import { test } from "node:test";
import assert from "node:assert/strict";
import { diffTree, sandwich, treeFromFolded, type FlameTree } from "../../server/core/analyses/flame-tree";
import { diffColor, hitTest, layoutFlame, maxDelta, nodeAtPath, searchMatches, searchTest, sortedChildren, type FlameRects } from "./flame-layout";

const T = treeFromFolded(new Map([["a;b;c", 30], ["a;b", 10], ["a;d", 20], ["e", 40]]), "samples");

function rectOf(t: FlameTree, r: FlameRects, name: string) {
  for (let i = 0; i < r.n; i++) if (t.names[t.name[r.node[i]]] === name) return { x: r.x[i], y: r.y[i], w: r.w[i], depth: r.depth[i] };
  return undefined;
}

test("widths are proportional to totals; alphabetical children left to right; flame rows bottom up", () => {
  const r = layoutFlame(T, sortedChildren(T, "alpha"), { width: 1000, rowHeight: 10, order: "flame", sort: "alpha", focus: 0 });
  assert.equal(r.n, T.name.length);
  const all = rectOf(T, r, "e")!;
  assert.deepEqual(rectOf(T, r, "a"), { x: 0, y: 20, w: 600, depth: 1 });
  assert.deepEqual(all, { x: 600, y: 20, w: 400, depth: 1 });
  assert.deepEqual(rectOf(T, r, "b"), { x: 0, y: 10, w: 400, depth: 2 });
  assert.deepEqual(rectOf(T, r, "d"), { x: 400, y: 10, w: 200, depth: 2 });
  assert.deepEqual(rectOf(T, r, "c"), { x: 0, y: 0, w: 300, depth: 3 });
  assert.equal(r.rows, 4);
  assert.equal(r.height, 40);
  // The root row ("all") at the bottom.
  assert.equal(r.y[0], 30);
});

test("icicle puts the root on top; left-heavy puts the heaviest child first", () => {
  const r = layoutFlame(T, sortedChildren(T, "heavy"), { width: 100, rowHeight: 10, order: "icicle", sort: "heavy", focus: 0 });
  assert.equal(r.y[0], 0);
  assert.deepEqual(rectOf(T, r, "a"), { x: 0, y: 10, w: 60, depth: 1 });
  // Under a: b (40) before d (20).
  assert.equal(rectOf(T, r, "b")!.x, 0);
  assert.equal(rectOf(T, r, "d")!.x, 40);
  assert.equal(rectOf(T, r, "c")!.y, 30);
});

test("zoom: the focus is full width, its ancestors full width above it, others gone", () => {
  const kids = sortedChildren(T, "alpha");
  const b = nodeAtPath(T, kids, ["a", "b"]);
  const r = layoutFlame(T, kids, { width: 800, rowHeight: 10, order: "icicle", sort: "alpha", focus: b });
  assert.deepEqual(rectOf(T, r, "b"), { x: 0, y: 20, w: 800, depth: 2 });
  assert.deepEqual(rectOf(T, r, "a"), { x: 0, y: 10, w: 800, depth: 1 });
  assert.deepEqual(rectOf(T, r, "c"), { x: 0, y: 30, w: 600, depth: 3 });
  assert.equal(rectOf(T, r, "e"), undefined);
  assert.equal(rectOf(T, r, "d"), undefined);
  assert.equal(nodeAtPath(T, kids, ["a", "nope"]), nodeAtPath(T, kids, ["a"]));
});

test("culling: frames under half a pixel go with their subtrees, and 100k frames lay out fast", () => {
  const stacks = new Map<string, number>([["big", 1_000_000]]);
  for (let i = 0; i < 100_000; i++) stacks.set(`f${i % 100};g${i % 1000};h${i}`, 1 + (i % 7));
  const t = treeFromFolded(stacks, "samples");
  assert.ok(t.name.length > 100_000);
  const kids = sortedChildren(t, "alpha");
  const start = performance.now();
  const r = layoutFlame(t, kids, { width: 1200, rowHeight: 16, order: "flame", sort: "alpha", focus: 0 });
  const ms = performance.now() - start;
  for (let i = 0; i < r.n; i++) assert.ok(r.w[i] >= 0.5, "nothing narrower than half a pixel is drawn");
  assert.ok(r.culled > 0 && r.n < t.name.length, `${r.n} drawn, ${r.culled} culled`);
  assert.ok(ms < 500, `layout of ${t.name.length} nodes took ${ms.toFixed(0)} ms`);
  // Nothing culled when everything is wide enough.
  const wide = layoutFlame(t, kids, { width: 1e9, rowHeight: 16, order: "flame", sort: "alpha", focus: 0 });
  assert.equal(wide.n, t.name.length);
});

test("hit testing finds the rectangle under a point", () => {
  const r = layoutFlame(T, sortedChildren(T, "alpha"), { width: 1000, rowHeight: 10, order: "flame", sort: "alpha", focus: 0 });
  assert.equal(T.names[T.name[r.node[hitTest(r, 650, 25, 10)]]], "e");
  assert.equal(T.names[T.name[r.node[hitTest(r, 10, 5, 10)]]], "c");
  assert.equal(hitTest(r, 350, 5, 10), -1);
});

test("search: substring or regex, the share counts a match under a match once", () => {
  const t = treeFromFolded(new Map([["x;read;read", 10], ["y;read", 30], ["y;write", 60]]), "samples");
  const m = searchMatches(t, searchTest("READ")!);
  assert.equal(m.value, 40);
  assert.equal(m.share, 0.4);
  assert.equal(searchMatches(t, searchTest("^(read|write)$")!).share, 1);
  assert.equal(searchMatches(t, searchTest("/^w/")!).value, 60);
  // An invalid expression is a substring.
  assert.equal(searchMatches(t, searchTest("read(")!).value, 0);
  assert.equal(searchTest("  "), undefined);
  // Within a zoom, the share is of the focus.
  const y = nodeAtPath(t, sortedChildren(t, "alpha"), ["y"]);
  assert.equal(searchMatches(t, searchTest("read")!, y).share, 1 / 3);
});

test("differential: widths are the second profile's, colours red for growth and blue for shrinkage", () => {
  const d = diffTree(new Map([["a;b", 50], ["a;c", 50]]), new Map([["a;b", 80], ["a;c", 20]]), "samples");
  const kids = sortedChildren(d, "alpha");
  const b = nodeAtPath(d, kids, ["a", "b"]), c = nodeAtPath(d, kids, ["a", "c"]);
  assert.equal(d.total[b], 80);
  assert.equal(d.baseTotal![b], 50);
  const max = maxDelta(d);
  assert.equal(max, 30);
  assert.equal(diffColor(d.total[b], d.baseTotal![b], max), "rgb(255,0,0)");
  assert.equal(diffColor(d.total[c], d.baseTotal![c], max), "rgb(0,0,255)");
  assert.equal(diffColor(5, 5, max), "rgb(250,250,250)");
  // Normalised: a first profile twice as long is scaled to the second's total.
  const n = diffTree(new Map([["a", 200]]), new Map([["a", 100]]), "samples");
  assert.equal(n.baseTotal![0], 100);
});

test("sandwich: callers above the function, callees below, recursion counted once", () => {
  const t = treeFromFolded(new Map([["main;f;g", 10], ["main;h;f;f;k", 5], ["other;f", 2]]), "samples");
  const s = sandwich(t, "f");
  assert.equal(s.total, 17);
  assert.equal(s.callers.total[0], 17);
  const ck = sortedChildren(s.callers, "alpha");
  // Callers, nearest first, under f (the root): main, h ← main, other.
  assert.equal(s.callers.total[nodeAtPath(s.callers, ck, ["h", "main"])], 5);
  assert.equal(s.callers.total[nodeAtPath(s.callers, ck, ["other"])], 2);
  const ek = sortedChildren(s.callees, "alpha");
  assert.equal(s.callees.total[nodeAtPath(s.callees, ek, ["g"])], 10);
  assert.equal(s.callees.total[nodeAtPath(s.callees, ek, ["f", "k"])], 5);
});
