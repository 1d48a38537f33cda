// The order in which LuaJIT 2.1 (the Lua that sysdig 0.29.3 runs its chisels in) walks a table
// with `pairs`, for tables whose keys are integers set one by one (lua_rawseti), as sysdig's
// get_thread_table builds the thread and fd tables that the lsof and netstat chisels print.
//
// `pairs` walks the array part (slots 0..asize-1) and then the hash nodes in node order; where a
// key lands depends on LuaJIT's number hash, its collision rule (Brent's variation, free nodes
// taken from the top) and when it resizes. This models exactly that, for presence only (values
// are not kept). Facts from LuaJIT's lj_tab.c / lj_tab.h; our own code.

/** Max. bits of an array key, and the largest array part (LJ_MAX_ABITS, LJ_MAX_ASIZE). */
const MAX_ABITS = 28;
const MAX_ASIZE = (1 << (MAX_ABITS - 1)) + 1;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function rol(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** LuaJIT's hash of a number key (the x86/x64 variant of hashrot over the double's halves). */
function hashNum(k: number): number {
  f64[0] = k;
  let lo = u32[0];
  let hi = (u32[1] << 1) >>> 0;
  lo = (lo ^ hi) >>> 0;
  hi = rol(hi, 14);
  lo = (lo - hi) >>> 0;
  hi = rol(hi, 5);
  hi = (hi ^ lo) >>> 0;
  hi = (hi - rol(lo, 13)) >>> 0;
  return hi;
}

/** Index of the highest set bit (lj_fls). */
function fls(x: number): number {
  return 31 - Math.clz32(x);
}

function hsize2hbits(s: number): number {
  return s ? (s === 1 ? 1 : 1 + fls(s - 1)) : 0;
}

const NIL = -1;

export class LuaIntTable {
  private asize = 0;
  private arr: Uint8Array = new Uint8Array(0);
  /** 0: no hash part (LuaJIT's shared nil node). */
  private hmask = 0;
  private nodeKey: number[] = [];
  private nodeHas: Uint8Array = new Uint8Array(0);
  private nodeNext: Int32Array = new Int32Array(0);
  private freetop = 0;

  /** lua_rawseti(L, idx, key) with a non-nil value. */
  set(key: number): void {
    key |= 0;
    if (key >>> 0 < this.asize) {
      this.arr[key] = 1;
      return;
    }
    this.setHash(key);
  }

  /** The keys in `pairs` order. */
  keys(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.asize; i++) if (this.arr[i]) out.push(i);
    if (this.hmask > 0) {
      for (let i = 0; i <= this.hmask; i++) if (this.nodeHas[i]) out.push(this.nodeKey[i]);
    }
    return out;
  }

  private mainPos(key: number): number {
    return hashNum(key) & this.hmask;
  }

  /** lj_tab_setinth: find the key in its chain, or add it. */
  private setHash(key: number): void {
    if (this.hmask > 0) {
      let n = this.mainPos(key);
      do {
        if (this.nodeKey[n] === key) {
          this.nodeHas[n] = 1;
          return;
        }
        n = this.nodeNext[n];
      } while (n !== NIL);
    }
    this.newKey(key);
  }

  /** lj_tab_newkey: Brent's variation; free nodes are taken from the top down. */
  private newKey(key: number): void {
    if (this.hmask === 0) {
      this.rehash(key);
      this.set(key);
      return;
    }
    let n = this.mainPos(key);
    if (this.nodeHas[n]) {
      let free = this.freetop;
      do {
        if (free === 0) {
          this.rehash(key);
          this.set(key);
          return;
        }
        free--;
      } while (!Number.isNaN(this.nodeKey[free]));
      this.freetop = free;
      let collide = this.mainPos(this.nodeKey[n]);
      if (collide !== n) {
        // The node in our main position is not in its own: move it to the free node.
        while (this.nodeNext[collide] !== n) collide = this.nodeNext[collide];
        this.nodeNext[collide] = free;
        this.nodeKey[free] = this.nodeKey[n];
        this.nodeHas[free] = this.nodeHas[n];
        this.nodeNext[free] = this.nodeNext[n];
        this.nodeNext[n] = NIL;
        this.nodeHas[n] = 0;
        // Rechain keys further down whose main position is the freed node (LuaJIT does this
        // for resurrected keys; with inserts only it finds none, but it costs nothing to follow).
        let f = free;
        while (this.nodeNext[f] !== NIL) {
          let nn = this.nodeNext[f];
          if (this.nodeHas[nn] && this.mainPos(this.nodeKey[nn]) === n) {
            this.nodeNext[f] = this.nodeNext[nn];
            this.nodeNext[nn] = this.nodeNext[n];
            this.nodeNext[n] = nn;
            while ((nn = this.nodeNext[f]) !== NIL) {
              if (this.nodeHas[nn]) {
                const mn = this.mainPos(this.nodeKey[nn]);
                if (mn !== f && mn !== nn) {
                  this.nodeNext[f] = this.nodeNext[nn];
                  this.nodeNext[nn] = this.nodeNext[mn];
                  this.nodeNext[mn] = nn;
                } else {
                  f = nn;
                }
              } else {
                f = nn;
              }
            }
            break;
          }
          f = nn;
        }
      } else {
        // Chain the free node right after the main node.
        this.nodeNext[free] = this.nodeNext[n];
        this.nodeNext[n] = free;
        n = free;
      }
    }
    this.nodeKey[n] = key;
    this.nodeHas[n] = 1;
  }

  private countInt(key: number, bins: number[]): number {
    if (key >>> 0 < MAX_ASIZE && key >= 0) {
      bins[key > 2 ? fls(key - 1) : 0]++;
      return 1;
    }
    return 0;
  }

  private rehash(newKey: number): void {
    const bins = new Array<number>(MAX_ABITS).fill(0);
    // countarray
    let na = 0;
    if (this.asize > 0) {
      let i = 0;
      for (let b = 0; b < MAX_ABITS; b++) {
        let top = 2 ** (b + 1);
        if (top >= this.asize) {
          top = this.asize - 1;
          if (i > top) break;
        }
        let n = 0;
        for (; i <= top; i++) if (this.arr[i]) n++;
        bins[b] += n;
        na += n;
      }
    }
    let total = 1 + na;
    // counthash
    if (this.hmask > 0) {
      for (let i = 0; i <= this.hmask; i++) {
        if (this.nodeHas[i]) {
          na += this.countInt(this.nodeKey[i], bins);
          total++;
        }
      }
    }
    na += this.countInt(newKey, bins);
    // bestasize
    let sz = 0;
    let inArray = 0;
    for (let b = 0, sum = 0; 2 * na > 2 ** b && sum !== na; b++) {
      if (bins[b] > 0 && 2 * (sum += bins[b]) > 2 ** b) {
        sz = 2 ** (b + 1) + 1;
        inArray = sum;
      }
    }
    total -= inArray;
    this.resize(sz, hsize2hbits(total));
  }

  private resize(asize: number, hbits: number): void {
    const oldAsize = this.asize;
    const oldArr = this.arr;
    const oldHmask = this.hmask;
    const oldKey = this.nodeKey;
    const oldHas = this.nodeHas;
    if (asize > oldAsize) {
      const arr = new Uint8Array(asize);
      arr.set(oldArr.subarray(0, oldAsize));
      this.arr = arr;
      this.asize = asize;
    }
    if (hbits) {
      const hsize = 1 << hbits;
      this.nodeKey = new Array<number>(hsize).fill(NaN);
      this.nodeHas = new Uint8Array(hsize);
      this.nodeNext = new Int32Array(hsize).fill(NIL);
      this.freetop = hsize;
      this.hmask = hsize - 1;
    } else {
      this.nodeKey = [];
      this.nodeHas = new Uint8Array(0);
      this.nodeNext = new Int32Array(0);
      this.freetop = 0;
      this.hmask = 0;
    }
    if (asize < oldAsize) {
      this.asize = asize;
      for (let i = asize; i < oldAsize; i++) if (this.arr[i]) this.setHash(i);
      this.arr = this.arr.slice(0, asize);
    }
    if (oldHmask > 0) {
      for (let i = 0; i <= oldHmask; i++) if (oldHas[i]) this.set(oldKey[i]);
    }
  }
}

/** The keys in the order `pairs` gives them after setting each key of `keys`, in that order,
 *  on a new table (lua_newtable, then lua_rawseti per key). */
export function luaPairsOrder(keys: Iterable<number>): number[] {
  const t = new LuaIntTable();
  for (const k of keys) t.set(k);
  return t.keys();
}
