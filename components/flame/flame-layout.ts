// The flame graph's geometry, without a canvas (Grafana's flamegraph split: data container →
// pure geometry → canvas): the rectangles of a tree for a width, in flame order (root at the
// bottom) or icicle order (root at the top), children alphabetical (Gregg's flamegraph.pl, which
// sorts the folded stacks) or left-heavy (the heaviest first, as speedscope), zoomed on a node
// (its ancestors drawn full width above or below it), and anything narrower than half a pixel
// left out with its whole subtree, so that 100k frames cost only what shows. Plus the search's
// matches and their share, hit testing, and the colours (Gregg's warm palette by name, kernel
// frames orange, differential red for growth and blue for shrinkage).

import type { FlameTree } from "../../server/core/analyses/flame-tree";

export type FlameOrder = "flame" | "icicle";
export type FlameSort = "alpha" | "heavy";

export interface LayoutOptions {
  width: number;
  rowHeight: number;
  order: FlameOrder;
  sort: FlameSort;
  /** The node shown full width (0: the root). */
  focus: number;
  /** Rectangles narrower than this (px) are left out, with everything under them. */
  minWidth?: number;
}

/** Rectangles as parallel typed arrays: rect i is node[i] at (x[i], y[i]), w[i] wide. */
export interface FlameRects {
  n: number;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  node: Int32Array;
  depth: Int32Array;
  /** Rows drawn, and the height they take. */
  rows: number;
  height: number;
  /** Nodes left out for being narrower than minWidth (their subtrees not counted). */
  culled: number;
}

export const MIN_WIDTH = 0.5;

/** Children of every node, sorted for an order: by name, or heaviest first (ties by name).
 *  Built for 100k-node trees on the page's thread: one flat array with a view per parent, every
 *  leaf sharing one empty view, names compared by rank (one sort of the distinct names). */
export function sortedChildren(t: FlameTree, sort: FlameSort): Int32Array[] {
  const n = t.name.length;
  const count = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) count[t.parent[i] + 1]++;
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const flat = new Int32Array(Math.max(n - 1, 0));
  const fill = count.slice(0, n);
  for (let i = 1; i < n; i++) flat[fill[t.parent[i]]++] = i;
  // Rank of each distinct name in byte order: comparing two numbers, not two strings.
  const order = t.names.map((_, i) => i).sort((a, b) => (t.names[a] < t.names[b] ? -1 : t.names[a] > t.names[b] ? 1 : 0));
  const rank = new Int32Array(t.names.length);
  order.forEach((id, r) => (rank[id] = r));
  const nameRank = (i: number) => (t.name[i] < 0 ? -1 : rank[t.name[i]]);
  const cmp = sort === "alpha"
    ? (a: number, b: number) => nameRank(a) - nameRank(b)
    : (a: number, b: number) => t.total[b] - t.total[a] || nameRank(a) - nameRank(b);
  const none = new Int32Array(0);
  const out: Int32Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const lo = count[i], hi = count[i + 1];
    if (hi === lo) out[i] = none;
    else {
      const v = flat.subarray(lo, hi);
      if (hi - lo > 1) v.sort(cmp);
      out[i] = v;
    }
  }
  return out;
}

/** Depth of each node (root 0). Parents come before children in a FlameTree. */
export function depths(t: FlameTree): Int32Array {
  const d = new Int32Array(t.name.length);
  for (let i = 1; i < t.name.length; i++) d[i] = d[t.parent[i]] + 1;
  return d;
}

export function layoutFlame(t: FlameTree, kids: Int32Array[], opts: LayoutOptions): FlameRects {
  const cap = t.name.length;
  const r: FlameRects = {
    n: 0, x: new Float64Array(cap), y: new Float64Array(cap), w: new Float64Array(cap),
    node: new Int32Array(cap), depth: new Int32Array(cap), rows: 0, height: 0, culled: 0,
  };
  const min = opts.minWidth ?? MIN_WIDTH;
  const focus = opts.focus > 0 && opts.focus < cap ? opts.focus : 0;
  const push = (node: number, x: number, w: number, depth: number) => {
    const i = r.n++;
    r.node[i] = node;
    r.x[i] = x;
    r.w[i] = w;
    r.depth[i] = depth;
  };
  // The ancestors of the focus, root first, full width.
  const chain: number[] = [];
  for (let n = focus; n > 0; n = t.parent[n]) chain.push(n);
  chain.push(0);
  chain.reverse();
  for (let d = 0; d < chain.length - 1; d++) push(chain[d], 0, opts.width, d);
  const total = t.total[focus];
  let maxDepth = chain.length - 1;
  if (total > 0) {
    const scale = opts.width / total;
    // Depth-first, with an explicit stack (stacks can be thousands of frames deep).
    const stackNode: number[] = [focus];
    const stackX: number[] = [0];
    const stackDepth: number[] = [chain.length - 1];
    while (stackNode.length) {
      const node = stackNode.pop()!;
      const x = stackX.pop()!;
      const depth = stackDepth.pop()!;
      push(node, x, t.total[node] * scale, depth);
      if (depth > maxDepth) maxDepth = depth;
      let cx = x;
      const k = kids[node];
      // Pushed in reverse so that they come out left to right.
      const xs: number[] = [];
      for (let j = 0; j < k.length; j++) {
        xs.push(cx);
        cx += t.total[k[j]] * scale;
      }
      for (let j = k.length - 1; j >= 0; j--) {
        const c = k[j];
        if (t.total[c] * scale < min) {
          r.culled++;
          continue;
        }
        stackNode.push(c);
        stackX.push(xs[j]);
        stackDepth.push(depth + 1);
      }
    }
  } else {
    push(focus, 0, opts.width, chain.length - 1);
  }
  r.rows = maxDepth + 1;
  r.height = r.rows * opts.rowHeight;
  for (let i = 0; i < r.n; i++) {
    r.y[i] = (opts.order === "icicle" ? r.depth[i] : maxDepth - r.depth[i]) * opts.rowHeight;
  }
  return r;
}

/** The rectangle under a point, or -1. */
export function hitTest(r: FlameRects, px: number, py: number, rowHeight: number): number {
  for (let i = 0; i < r.n; i++) {
    if (py >= r.y[i] && py < r.y[i] + rowHeight && px >= r.x[i] && px < r.x[i] + r.w[i]) return i;
  }
  return -1;
}

/** A search as the user typed it: a regular expression when it is one (`/…/` or with regex
 *  characters that compile), otherwise a substring, case-insensitive either way. */
export function searchTest(text: string): ((name: string) => boolean) | undefined {
  const q = text.trim();
  if (!q) return undefined;
  const slashed = /^\/(.+)\/([a-z]*)$/.exec(q);
  try {
    const re = slashed ? new RegExp(slashed[1], slashed[2].includes("i") ? "i" : "") : /[\\^$.*+?()[\]{}|]/.test(q) ? new RegExp(q, "i") : undefined;
    if (re) return (s) => re.test(s);
  } catch {
    // Not a valid expression: a substring then.
  }
  const lower = q.toLowerCase();
  return (s) => s.toLowerCase().includes(lower);
}

/** Which nodes match, and the share of the focus's total they hold: matched nodes with no
 *  matched ancestor inside the focus (a match under a match is not counted twice). */
export function searchMatches(t: FlameTree, test: (name: string) => boolean, focus = 0): { matched: Uint8Array; value: number; share: number } {
  const byName = t.names.map(test);
  const matched = new Uint8Array(t.name.length);
  for (let i = 1; i < t.name.length; i++) if (byName[t.name[i]]) matched[i] = 1;
  // Inside the focus: walk up from each matched node to see whether another match covers it.
  let value = 0;
  const inFocus = (n: number) => {
    for (let a = n; a >= 0; a = a === 0 ? -1 : t.parent[a]) if (a === focus) return true;
    return false;
  };
  for (let i = 1; i < t.name.length; i++) {
    if (!matched[i] || !inFocus(i)) continue;
    let covered = false;
    for (let a = t.parent[i]; a > 0 && a !== t.parent[focus]; a = t.parent[a]) {
      if (matched[a] && inFocus(a)) {
        covered = true;
        break;
      }
    }
    if (!covered) value += t.total[i];
  }
  const total = t.total[focus];
  return { matched, value, share: total > 0 ? value / total : 0 };
}

/** The node at a path of frame names from the root ("" or no match: the root). */
export function nodeAtPath(t: FlameTree, kids: Int32Array[], path: readonly string[]): number {
  let node = 0;
  for (const name of path) {
    const next = Array.from(kids[node]).find((k) => t.names[t.name[k]] === name);
    if (next === undefined) return node;
    node = next;
  }
  return node;
}

function hash(s: string): number {
  // FNV-1a: the same name gets the same colour in every graph and every run.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

/** Gregg's "hot" palette by name; kernel frames (`_[k]`) orange, inlined (`_[i]`) aqua. */
export function frameColor(name: string): string {
  const v = hash(name);
  if (name.endsWith("_[k]")) return `rgb(${Math.round(200 + 40 * v)},${Math.round(110 + 50 * v)},${Math.round(20 + 30 * v)})`;
  if (name.endsWith("_[i]")) return `rgb(${Math.round(80 + 40 * v)},${Math.round(190 + 30 * v)},${Math.round(190 + 30 * v)})`;
  return `rgb(${Math.round(205 + 50 * v)},${Math.round(230 * hash(name + "g"))},${Math.round(55 * hash(name + "b"))})`;
}

export const MATCH_COLOR = "rgb(230,0,230)";

/** The largest |after - before| of any node but the root: the differential's full colour. */
export function maxDelta(t: FlameTree): number {
  let m = 0;
  if (!t.baseTotal) return 0;
  for (let i = 1; i < t.name.length; i++) m = Math.max(m, Math.abs(t.total[i] - t.baseTotal[i]));
  return m;
}

/** difffolded's colours: red for a frame that grew, blue for one that shrank, by its delta
 *  normalised to the largest; white for no change. */
export function diffColor(after: number, before: number, max: number): string {
  if (max <= 0 || after === before) return "rgb(250,250,250)";
  const s = Math.min(1, Math.abs(after - before) / max);
  const fade = Math.round(250 * (1 - s));
  return after > before ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}
