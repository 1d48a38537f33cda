// Times in the local zone, as sysdig prints them (localtime_r): the time of day of each event
// line and of evt.time, the date and time of evt.datetime and of plugin event lines. The one
// place the core reads the host's zone (Date's local fields follow TZ); tests run with TZ=UTC.

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Time of day with nanoseconds (HH:MM:SS.nnnnnnnnn), from ns since the epoch. */
export function timeOfDayBig(ts: bigint): string {
  const ns = Number(ts % 1_000_000_000n);
  const d = new Date(Number(ts / 1_000_000_000n) * 1000);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(ns).padStart(9, "0")}`;
}

/** Time of day with nanoseconds, from a ts split in 32-bit halves. */
export function timeOfDay(tsHi: number, tsLo: number): string {
  return timeOfDayBig((BigInt(tsHi) << 32n) | BigInt(tsLo));
}

/** Date and time of day (YYYY-MM-DD HH:MM:SS, with nanoseconds when `withNs`). */
export function dateTime(ts: bigint, withNs: boolean): string {
  const d = new Date(Number(ts / 1_000_000_000n) * 1000);
  const t = timeOfDayBig(ts);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${withNs ? t : t.slice(0, 8)}`;
}
