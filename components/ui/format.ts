// Display formats. Timestamps arrive as strings of integer nanoseconds, which a double cannot
// hold exactly (2^53 ns is about 104 days), so the arithmetic below is done in BigInt.

const NS_PER_S = 1_000_000_000n;

const two = (n: bigint | number) => String(n).padStart(2, "0");

/** `HH:MM:SS.nnnnnnnnn` in UTC, as `TZ=UTC sysdig -r` prints evt.time. */
export function timeOfDayUtc(ts: string): string {
  const t = BigInt(ts);
  const secs = t / NS_PER_S;
  const ns = t % NS_PER_S;
  const day = secs % 86_400n;
  return `${two(day / 3600n)}:${two((day / 60n) % 60n)}:${two(day % 60n)}.${String(ns).padStart(9, "0")}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm UTC`; milliseconds are enough to tell a capture's start and end. */
export function dateTimeUtc(ts: string | null): string {
  if (ts === null) return "–";
  const ms = Number(BigInt(ts) / 1_000_000n);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "–";
  return `${d.toISOString().replace("T", " ").replace("Z", "")} UTC`;
}

/** The span between two timestamps, e.g. `1.234 s`. */
export function duration(firstTs: string | null, lastTs: string | null): string {
  if (firstTs === null || lastTs === null) return "–";
  const ns = BigInt(lastTs) - BigInt(firstTs);
  const s = Number(ns) / 1e9;
  if (s < 1e-3) return `${Number(ns) / 1e3} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(3)} ms`;
  if (s < 120) return `${s.toFixed(3)} s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A length of time given in ns (a string of an integer, as the API sends it, or a number):
 *  `1.002 s`, `12.5 ms`, `850 µs`, `800 ns`, three decimals at most. */
export function durationNs(ns: string | number | bigint): string {
  const v = Number(ns);
  const fmt = (x: number) => x.toFixed(3).replace(/\.?0+$/, "");
  if (v >= 120e9) return duration("0", String(ns));
  if (v >= 1e9) return `${fmt(v / 1e9)} s`;
  if (v >= 1e6) return `${fmt(v / 1e6)} ms`;
  if (v >= 1e3) return `${fmt(v / 1e3)} µs`;
  return `${v} ns`;
}
