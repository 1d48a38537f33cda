// The order in which common.lua's pairs_top_by_val hands out a table's entries: the keys in
// `pairs` order, then table.sort with the chisel's comparison. LuaJIT's table.sort is Lua 5.1's
// quicksort (lib_table.c auxsort), not stable, so entries with equal values come out in an order
// that depends on where `pairs` put them:
// - number keys (fd.sport, proc.pid, fd.num...): LuaJIT hashes numbers the same way in every
//   run, so sysdig's order is fixed and we reproduce it (state/lua-table.ts models `pairs` for
//   integer keys; auxsort is below);
// - string keys (process names, file names...): LuaJIT 2.1 seeds its string hash per process, so
//   sysdig prints equal values in a different order from one run to the next (measured: five
//   runs of topfiles_bytes on curl_google.scap gave five orders). No order is "sysdig's"; we
//   print them by first appearance in the capture, which is at least stable.

import { luaPairsOrder } from "../state/lua-table";

/** Lua 5.1 / LuaJIT auxsort over a[0..n-1] (Lua's a[1..n]), with `lt` as the sort function. */
export function luaSort<T>(a: T[], lt: (x: T, y: T) => boolean): void {
  const A = (i: number) => a[i - 1];
  const swap = (i: number, j: number) => {
    const t = a[i - 1];
    a[i - 1] = a[j - 1];
    a[j - 1] = t;
  };
  const auxsort = (l: number, u: number): void => {
    while (l < u) {
      // Sort a[l], a[(l+u)/2] and a[u].
      if (lt(A(u), A(l))) swap(l, u);
      if (u - l === 1) break;
      let i = Math.floor((l + u) / 2);
      if (lt(A(i), A(l))) swap(i, l);
      else if (lt(A(u), A(i))) swap(i, u);
      if (u - l === 2) break;
      const p = A(i);
      swap(i, u - 1);
      // a[l] <= P == a[u-1] <= a[u]: partition a[l+1..u-2].
      i = l;
      let j = u - 1;
      for (;;) {
        while (lt(A(++i), p)) if (i >= u) throw new Error("invalid order function for sorting");
        while (lt(p, A(--j))) if (j <= l) throw new Error("invalid order function for sorting");
        if (j < i) break;
        swap(i, j);
      }
      swap(u - 1, i);
      // Recurse into the smaller half, loop on the larger one.
      if (i - l < u - i) {
        j = l;
        i = i - 1;
        l = i + 2;
      } else {
        j = i + 1;
        i = u;
        u = j - 2;
      }
      auxsort(j, i);
    }
  };
  auxsort(1, a.length);
}

export type LuaKey = string | number | boolean;

const isInt32 = (k: LuaKey) => typeof k === "number" && Number.isInteger(k) && k >= -2147483648 && k <= 2147483647;

/** Whether sysdig's order of equal values is fixed for these keys (and so reproduced here). */
export function orderIsExact(keys: Iterable<LuaKey>): boolean {
  for (const k of keys) if (!isInt32(k)) return false;
  return true;
}

/** pairs_top_by_val's order: the keys of `t` (in insertion order, as a Map keeps them) sorted
 *  so that `before(a, b)` (the chisel's `function(t, a, b)`) holds for a ahead of b. */
export function sortedKeys<K extends LuaKey>(keys: readonly K[], before: (a: K, b: K) => boolean): K[] {
  if (keys.length > 0 && orderIsExact(keys)) {
    const order = luaPairsOrder(keys as readonly number[] as number[]) as K[];
    luaSort(order, before);
    return order;
  }
  // Equal values keep their first appearance (Array.prototype.sort is stable).
  return [...keys].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
