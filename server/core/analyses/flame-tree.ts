// The tree a flame graph draws, built from folded stacks (or any path → value pairs): node 0 is
// the root, every other node a frame under its parent, `total` its value with everything it
// calls, `self` the value of stacks that end in it. Kept as parallel number arrays with
// interned names, so that a tree of 100k frames is a few typed arrays on the wire and in the
// browser, not 100k objects. A differential tree (two profiles, Gregg's difffolded) carries the
// first profile's values in `baseTotal`/`baseSelf` beside the second's.

export interface FlameTree {
  unit: "ns" | "samples";
  names: string[];
  /** Per node: index into names (root: -1), parent (root: -1). */
  name: number[];
  parent: number[];
  total: number[];
  self: number[];
  /** Differential trees: the first ("before") profile's values, on the same nodes. */
  baseTotal?: number[];
  baseSelf?: number[];
}

/** The wire form: names, then per node [name, parent, total, self(, baseTotal, baseSelf)]. */
export interface FlameTreeJson {
  unit: "ns" | "samples";
  names: string[];
  /** Values per node, flat. */
  nodes: number[];
  diff?: boolean;
}

export class FlameTreeBuilder {
  readonly tree: FlameTree;
  private readonly nameIds = new Map<string, number>();
  /** (parent, name) → node; keys as parent * 2^21 + name would overflow names, so a map per parent. */
  private readonly kids: Map<number, number>[] = [new Map()];

  constructor(unit: "ns" | "samples", diff = false) {
    this.tree = { unit, names: [], name: [-1], parent: [-1], total: [0], self: [0] };
    if (diff) {
      this.tree.baseTotal = [0];
      this.tree.baseSelf = [0];
    }
  }

  private nameId(s: string): number {
    let id = this.nameIds.get(s);
    if (id === undefined) {
      id = this.tree.names.length;
      this.tree.names.push(s);
      this.nameIds.set(s, id);
    }
    return id;
  }

  private child(parent: number, name: string): number {
    const id = this.nameId(name);
    const k = this.kids[parent];
    let node = k.get(id);
    if (node === undefined) {
      const t = this.tree;
      node = t.name.length;
      t.name.push(id);
      t.parent.push(parent);
      t.total.push(0);
      t.self.push(0);
      t.baseTotal?.push(0);
      t.baseSelf?.push(0);
      this.kids.push(new Map());
      k.set(id, node);
    }
    return node;
  }

  /** Adds one stack (root first). `base`: the value goes to the first profile's columns. */
  add(frames: readonly string[], value: number, base = false): void {
    const t = this.tree;
    const total = base ? t.baseTotal! : t.total;
    const self = base ? t.baseSelf! : t.self;
    let node = 0;
    total[0] += value;
    for (const f of frames) {
      node = this.child(node, f);
      total[node] += value;
    }
    self[node] += value;
  }

  addFolded(stacks: Iterable<[string, number]>, base = false): this {
    for (const [k, v] of stacks) this.add(k.split(";"), v, base);
    return this;
  }
}

export function treeFromFolded(stacks: Iterable<[string, number]>, unit: "ns" | "samples"): FlameTree {
  return new FlameTreeBuilder(unit).addFolded(stacks).tree;
}

/**
 * Gregg's difffolded.pl: the tree of the second profile (widths are "after"), with the first
 * profile's values beside it. `normalise` (his -n) scales the first profile to the second's
 * total, so that a longer or busier recording does not read as growth everywhere.
 */
export function diffTree(before: Iterable<[string, number]>, after: Iterable<[string, number]>, unit: "ns" | "samples", normalise = true): FlameTree {
  const b = [...before];
  const a = [...after];
  const sb = b.reduce((s, [, v]) => s + v, 0);
  const sa = a.reduce((s, [, v]) => s + v, 0);
  const scale = normalise && sb > 0 ? sa / sb : 1;
  const builder = new FlameTreeBuilder(unit, true);
  builder.addFolded(a);
  builder.addFolded(b.map(([k, v]) => [k, v * scale] as [string, number]), true);
  return builder.tree;
}

export function treeToJson(t: FlameTree): FlameTreeJson {
  const diff = t.baseTotal !== undefined;
  const width = diff ? 6 : 4;
  const nodes = new Array<number>(t.name.length * width);
  for (let i = 0; i < t.name.length; i++) {
    const o = i * width;
    nodes[o] = t.name[i];
    nodes[o + 1] = t.parent[i];
    nodes[o + 2] = t.total[i];
    nodes[o + 3] = t.self[i];
    if (diff) {
      nodes[o + 4] = t.baseTotal![i];
      nodes[o + 5] = t.baseSelf![i];
    }
  }
  return diff ? { unit: t.unit, names: t.names, nodes, diff } : { unit: t.unit, names: t.names, nodes };
}

export function treeFromJson(j: FlameTreeJson): FlameTree {
  const width = j.diff ? 6 : 4;
  const n = j.nodes.length / width;
  const t: FlameTree = { unit: j.unit, names: j.names, name: [], parent: [], total: [], self: [] };
  if (j.diff) {
    t.baseTotal = [];
    t.baseSelf = [];
  }
  for (let i = 0; i < n; i++) {
    const o = i * width;
    t.name.push(j.nodes[o]);
    t.parent.push(j.nodes[o + 1]);
    t.total.push(j.nodes[o + 2]);
    t.self.push(j.nodes[o + 3]);
    if (j.diff) {
      t.baseTotal!.push(j.nodes[o + 4]);
      t.baseSelf!.push(j.nodes[o + 5]);
    }
  }
  return t;
}

/** Children lists of every node, in node order (the order stacks first reached them). */
export function childrenOf(t: FlameTree): number[][] {
  const kids: number[][] = t.name.map(() => []);
  for (let i = 1; i < t.name.length; i++) kids[t.parent[i]].push(i);
  return kids;
}

/** A node's frames from the root (root excluded). */
export function pathOf(t: FlameTree, node: number): string[] {
  const out: string[] = [];
  for (let n = node; n > 0; n = t.parent[n]) out.push(t.names[t.name[n]]);
  return out.reverse();
}

/** The folded lines of a tree (stacks with self value), byte-sorted. */
export function treeFolded(t: FlameTree): string[] {
  const lines: string[] = [];
  for (let i = 1; i < t.name.length; i++) if (t.self[i] > 0) lines.push(`${pathOf(t, i).join(";")} ${t.self[i]}`);
  return lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The sandwich of one function: the stacks that call it, inverted (its callers, nearest first,
 * hanging from it), and what it calls (its callees merged over every place it appears); the
 * root of both trees is the function itself. Only the outermost occurrence on a path counts,
 * so recursion is not counted twice.
 */
export function sandwich(t: FlameTree, fn: string): { callers: FlameTree; callees: FlameTree; total: number; self: number } {
  const id = t.names.indexOf(fn);
  const callers = new FlameTreeBuilder(t.unit);
  const callees = new FlameTreeBuilder(t.unit);
  let total = 0;
  let self = 0;
  if (id < 0) return { callers: callers.tree, callees: callees.tree, total, self };
  const kids = childrenOf(t);
  const walk = (node: number, path: string[], inside: boolean) => {
    const name = t.names[t.name[node]];
    if (t.name[node] === id) self += t.self[node];
    if (!inside && t.name[node] === id) {
      total += t.total[node];
      callers.add(path.slice().reverse(), t.total[node]);
      // Callees: this node's subtree, re-rooted at fn.
      const sub = (n: number, p: string[]) => {
        if (t.self[n] > 0) callees.add(p, t.self[n]);
        for (const k of kids[n]) sub(k, [...p, t.names[t.name[k]]]);
      };
      sub(node, []);
      for (const k of kids[node]) walk(k, [], true);
      return;
    }
    for (const k of kids[node]) walk(k, inside ? path : [...path, name], inside);
  };
  for (const k of kids[0]) walk(k, [], false);
  return { callers: callers.tree, callees: callees.tree, total, self };
}
