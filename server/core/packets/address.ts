// Addresses as tshark prints them with name resolution off (-n): dotted IPv4, RFC 5952 IPv6
// (lower case, the longest run of two or more zero groups as ::, the leftmost of equal runs,
// IPv4-mapped and -compatible forms with a dotted tail as inet_ntop writes them), colon MACs.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** IPv4 texts already made, in a direct-mapped cache of V4_SLOTS by a hash of the address (the
 *  address kept beside its text to tell it from another with the same slot): a capture names
 *  few hosts, each in most of its packets, and the ingest hashes and compares every packet's two
 *  addresses (conversations, interned columns). A new text each time was built from four number
 *  texts, then flattened and hashed again for each lookup; one text per address is looked up
 *  once. Bounded by its slots: a scan of more addresses makes some texts again. (Maps by the
 *  first byte, then the other three, were a twelfth of the summary decoder's time.) */
const V4_SLOTS = 1 << 16;
/** The 32-bit word at o (an int32: the caches' keys). */
const word = (b: Uint8Array, o: number) => (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
const v4Addrs = new Int32Array(V4_SLOTS);
const v4Texts: (string | undefined)[] = new Array(V4_SLOTS).fill(undefined);

export function ipv4(b: Uint8Array, o: number): string {
  const a = word(b, o);
  const h = Math.imul(a, 0x9e3779b1) >>> 16;
  const cached = v4Texts[h];
  if (cached !== undefined && v4Addrs[h] === a) return cached;
  const text = `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  v4Addrs[h] = a;
  v4Texts[h] = text;
  return text;
}

export function mac(b: Uint8Array, o: number): string {
  return `${HEX[b[o]]}:${HEX[b[o + 1]]}:${HEX[b[o + 2]]}:${HEX[b[o + 3]]}:${HEX[b[o + 4]]}:${HEX[b[o + 5]]}`;
}

/** IPv6 texts already made, in a direct-mapped cache of V6_SLOTS by a hash of the address (its
 *  four 32-bit words kept beside the text to tell it from another with the same slot): as for
 *  IPv4, each packet's two addresses were made anew, eight groups' texts each. */
const V6_SLOTS = 4096;
const v6Words = new Int32Array(V6_SLOTS * 4);
const v6Texts: (string | undefined)[] = new Array(V6_SLOTS).fill(undefined);

export function ipv6(b: Uint8Array, o: number): string {
  const w0 = word(b, o), w1 = word(b, o + 4), w2 = word(b, o + 8), w3 = word(b, o + 12);
  let h = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca6b) ^ Math.imul(w3, 0xc2b2ae35), 0x27d4eb2f);
  h = (h ^ (h >>> 15)) & (V6_SLOTS - 1);
  const k = h * 4;
  const cached = v6Texts[h];
  if (cached !== undefined && v6Words[k] === w0 && v6Words[k + 1] === w1 && v6Words[k + 2] === w2 && v6Words[k + 3] === w3) return cached;
  const text = ipv6Text(b, o);
  v6Words[k] = w0;
  v6Words[k + 1] = w1;
  v6Words[k + 2] = w2;
  v6Words[k + 3] = w3;
  v6Texts[h] = text;
  return text;
}

/** The text of an IPv6 address, made anew (ipv6() caches it). */
export function ipv6Text(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  // inet_ntop's IPv4 forms: ::ffff:a.b.c.d and ::a.b.c.d (not :: nor ::1, nor ::0.0.x.x).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && (g[5] === 0xffff || (g[5] === 0 && g[6] !== 0))) {
    return `::${g[5] === 0xffff ? "ffff:" : ""}${ipv4(b, o + 12)}`;
  }
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  if (bestAt < 0) return groups(g, 0, 8);
  return `${groups(g, 0, bestAt)}::${groups(g, bestAt + bestLen, 8)}`;
}

function groups(g: number[], from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += (i > from ? ":" : "") + g[i].toString(16);
  return s;
}
