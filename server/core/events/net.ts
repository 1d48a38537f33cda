// Address formatting the way sysdig prints it (inet_ntop forms, host-order ports).

/** IPv4 stored as 4 raw network-order bytes at buf[o..o+4). */
export function ipv4At(buf: Uint8Array, o: number): string {
  return `${buf[o]}.${buf[o + 1]}.${buf[o + 2]}.${buf[o + 3]}`;
}

/** An IPv4 address held as the little-endian u32 read from those 4 bytes. */
export function ipv4FromU32(v: number): string {
  return `${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}.${v >>> 24}`;
}

/** IPv6 in RFC 5952 form, as inet_ntop prints it (v4-mapped addresses keep the dotted tail). */
export function ipv6At(buf: Uint8Array, o: number): string {
  const words = ipv6Words(buf, o);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 &&
      words[5] === 0xffff) {
    return `::ffff:${ipv4At(buf, o + 12)}`;
  }
  return ipv6Compressed(words);
}

/** The 8 big-endian 16-bit words of the IPv6 address at o. */
export function ipv6Words(buf: Uint8Array, o: number): number[] {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((buf[o + 2 * i] << 8) | buf[o + 2 * i + 1]);
  return words;
}

/** Hex words joined by ":", the longest run of two or more zero words as "::" (the first, on a
 *  tie). */
export function ipv6Compressed(words: readonly number[]): string {
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return words.map((w) => w.toString(16)).join(":");
  const head = words.slice(0, bestStart).map((w) => w.toString(16)).join(":");
  const tail = words.slice(bestStart + bestLen).map((w) => w.toString(16)).join(":");
  return `${head}::${tail}`;
}

/** libsinsp's is_ipv4_mapped_ipv6: true when 16 bytes at o are an IPv4-mapped IPv6 address
 *  (::ffff:a.b.c.d), and also for the all-zero address `::`, which libsinsp takes for IPv4 too
 *  (measured with sysdig 0.29.3: a tuple `:: -> ::` prints `0.0.0.0:p->0.0.0.0:q`, and a
 *  connect to `::` leaves an IPv4 socket IPv4). */
export function isV4Mapped(buf: Uint8Array, o: number): boolean {
  for (let i = 0; i < 10; i++) if (buf[o + i] !== 0) return false;
  if (buf[o + 10] === 0xff && buf[o + 11] === 0xff) return true;
  for (let i = 10; i < 16; i++) if (buf[o + i] !== 0) return false;
  return true;
}

export function isZero(buf: Uint8Array, o: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[o + i] !== 0) return false;
  return true;
}
