// Durations as users type them (`5s`, `200ms`, `1.5us`, `300ns`, a bare number = ns) → ns.

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 };

export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min|h)?\s*$/.exec(text);
  if (!m) throw new Error(`not a duration: "${text}" (expected e.g. 5s, 200ms, 50us, 300ns)`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? "ns"]);
}

/** ns → the shortest readable form with three significant decimals: 5.002s, 12.5ms, 800ns. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${trim(ns / 1e9)}s`;
  if (ns >= 1e6) return `${trim(ns / 1e6)}ms`;
  if (ns >= 1e3) return `${trim(ns / 1e3)}us`;
  return `${ns}ns`;
}

function trim(v: number): string {
  return v.toFixed(3).replace(/\.?0+$/, "");
}
