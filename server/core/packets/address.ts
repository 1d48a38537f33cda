// Addresses as tshark prints them with name resolution off (-n): dotted IPv4, RFC 5952 IPv6
// (lower case, the longest run of two or more zero groups as ::, the leftmost of equal runs,
// IPv4-mapped and -compatible forms with a dotted tail as inet_ntop writes them), colon MACs.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function ipv4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

export function mac(b: Uint8Array, o: number): string {
  return `${HEX[b[o]]}:${HEX[b[o + 1]]}:${HEX[b[o + 2]]}:${HEX[b[o + 3]]}:${HEX[b[o + 4]]}:${HEX[b[o + 5]]}`;
}

export function ipv6(b: Uint8Array, o: number): string {
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
