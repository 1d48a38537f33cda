// The iteration order of a libstdc++ (GCC 12) std::unordered_map<int64_t, ...>: sysdig 0.29.3
// keeps its thread table and each fd table in one, and the chisels' Lua tables are filled in
// that order, which decides the order in which the lsof and netstat chisels print rows.
//
// The map is one singly linked list of nodes; the nodes of a bucket (key mod bucket count, as
// std::hash of an integer is the integer itself) are contiguous. A new key goes first in its
// bucket, or first in the whole list when its bucket is empty. Growing re-threads the nodes in
// list order the same way. The bucket counts follow libstdc++'s prime rehash policy (load factor
// 1, growth factor 2, 11 buckets at least on the first insertion). Facts from libstdc++'s
// hashtable.h and hashtable_c++0x.cc; our own code.
//
// Only the order is modelled here, with O(1) work per insert and erase.

/** libstdc++'s __prime_list from 17 on (what _M_next_bkt returns for 14 ≤ n ≤ 2^32-5). */
const PRIMES = [
  17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113, 127,
  137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409,
  439, 467, 503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493,
  1613, 1741, 1879, 2029, 2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087,
  5503, 5953, 6427, 6949, 7517, 8123, 8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411,
  17749, 19183, 20753, 22447, 24281, 26267, 28411, 30727, 33223, 35933, 38873, 42043, 45481, 49201,
  53201, 57557, 62233, 67307, 72817, 78779, 85229, 92203, 99733, 107897, 116731, 126271, 136607,
  147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279, 277261, 299951, 324503, 351061,
  379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697, 771049, 834181, 902483,
  976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859, 1832561, 1982627, 2144977,
  2320627, 2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031, 4355707, 4712381, 5098259,
  5515729, 5967347, 6456007, 6984629, 7556579, 8175383, 8844859, 9569143, 10352717, 11200489,
  12117689, 13109983, 14183539, 15345007, 16601593, 17961079, 19431899, 21023161, 22744717,
  24607243, 26622317, 28802401, 31160981, 33712729, 36473443, 39460231, 42691603, 46187573,
  49969847, 54061849, 58488943, 63278561, 68460391, 74066549, 80131819, 86693767, 93793069,
  101473717, 109783337, 118773397, 128499677, 139022417, 150406843, 162723577, 176048909,
  190465427, 206062531, 222936881, 241193053, 260944219, 282312799, 305431229, 330442829,
  357502601, 386778277, 418451333, 452718089, 489790921, 529899637, 573292817, 620239453,
  671030513, 725980837, 785430967, 849749479, 919334987, 994618837, 1076067617, 1164186217,
  1259520799, 1362662261, 1474249943, 1594975441, 1725587117, 1866894511, 2019773507, 2185171673,
  2364114217, 2557710269, 2767159799, 2993761039, 3238918481, 3504151727, 3791104843, 4101556399,
  4294967291,
];
/** Stands for INT64_MAX as a key (a double cannot hold it): sysdig files an fd whose close was
 *  overtaken under that number. */
export const INT64_MAX_KEY = 2 ** 63;

const FAST_BKT = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];

/** Where the order keeps a key: the neighbours in the list. */
interface Links {
  prev: number | undefined;
  next: number | undefined;
}

export interface StdHashOrderState {
  /** Keys in iteration order. */
  keys: number[];
  buckets: number;
  nextResize: number;
}

export class StdHashOrder {
  private bucketCount = 1;
  private nextResize = 0;
  private head: number | undefined = undefined;
  private readonly links = new Map<number, Links>();
  /** Per non-empty bucket, its first key in list order. */
  private readonly first = new Map<number, number>();

  get size(): number {
    return this.links.size;
  }

  has(key: number): boolean {
    return this.links.has(key);
  }

  private bucket(key: number, count = this.bucketCount): number {
    if (key === INT64_MAX_KEY) return Number(((1n << 63n) - 1n) % BigInt(count));
    if (key >= 0) return key % count;
    // A negative int64 hashes to its two's complement as a size_t.
    return Number(BigInt.asUintN(64, BigInt(key)) % BigInt(count));
  }

  /** Insert a key that is not there yet (emplace / operator[] of a new key). */
  insert(key: number): void {
    if (this.links.has(key)) return;
    const grow = this.needRehash(this.links.size);
    if (grow) this.rehash(grow);
    this.link(key, { prev: undefined, next: undefined });
  }

  erase(key: number): void {
    const l = this.links.get(key);
    if (!l) return;
    const b = this.bucket(key);
    if (this.first.get(b) === key) {
      if (l.next !== undefined && this.bucket(l.next) === b) this.first.set(b, l.next);
      else this.first.delete(b);
    }
    if (l.prev !== undefined) this.links.get(l.prev)!.next = l.next;
    else this.head = l.next;
    if (l.next !== undefined) this.links.get(l.next)!.prev = l.prev;
    this.links.delete(key);
  }

  /** Every key, in iteration order. */
  *keys(): IterableIterator<number> {
    for (let k = this.head; k !== undefined; k = this.links.get(k)!.next) yield k;
  }

  /** A copy, as the copy assignment of the map makes it (same buckets, same order). */
  clone(): StdHashOrder {
    return StdHashOrder.restore(this.state());
  }

  state(): StdHashOrderState {
    const keys: number[] = [];
    for (let k = this.head; k !== undefined; k = this.links.get(k)!.next) keys.push(k);
    return { keys, buckets: this.bucketCount, nextResize: this.nextResize };
  }

  static restore(s: StdHashOrderState): StdHashOrder {
    const o = new StdHashOrder();
    o.bucketCount = s.buckets;
    o.nextResize = s.nextResize;
    let prev: number | undefined;
    for (const k of s.keys) {
      o.links.set(k, { prev, next: undefined });
      if (prev === undefined) o.head = k;
      else o.links.get(prev)!.next = k;
      const b = o.bucket(k);
      if (!o.first.has(b)) o.first.set(b, k);
      prev = k;
    }
    return o;
  }

  /** Put a key first in its bucket, or first in the list if its bucket is empty. */
  private link(key: number, l: Links): void {
    const b = this.bucket(key);
    const f = this.first.get(b);
    if (f !== undefined) {
      const fl = this.links.get(f)!;
      l.prev = fl.prev;
      l.next = f;
      if (fl.prev !== undefined) this.links.get(fl.prev)!.next = key;
      else this.head = key;
      fl.prev = key;
    } else {
      l.prev = undefined;
      l.next = this.head;
      if (this.head !== undefined) this.links.get(this.head)!.prev = key;
      this.head = key;
    }
    this.first.set(b, key);
    this.links.set(key, l);
  }

  /** _M_need_rehash for one insertion: the new bucket count, or 0. */
  private needRehash(elements: number): number {
    if (elements + 1 <= this.nextResize) return 0;
    const minBkts = Math.max(elements + 1, this.nextResize ? 0 : 11);
    if (minBkts >= this.bucketCount) return this.nextBkt(Math.max(Math.floor(minBkts) + 1, this.bucketCount * 2));
    this.nextResize = this.bucketCount;
    return 0;
  }

  /** _M_next_bkt: the first bucket count ≥ n (and the size at which to grow next). */
  private nextBkt(n: number): number {
    if (n < FAST_BKT.length) {
      if (n === 0) return 1;
      this.nextResize = FAST_BKT[n];
      return FAST_BKT[n];
    }
    let lo = 0, hi = PRIMES.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (PRIMES[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    const p = PRIMES[lo];
    this.nextResize = lo === PRIMES.length - 1 ? Number.MAX_SAFE_INTEGER : p;
    return p;
  }

  /** Re-thread every node, in list order, into the new buckets. */
  private rehash(count: number): void {
    const order = [...this.keys()];
    this.bucketCount = count;
    this.first.clear();
    this.head = undefined;
    for (const k of order) this.link(k, this.links.get(k)!);
  }
}
