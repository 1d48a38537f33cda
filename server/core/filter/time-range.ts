// A time range as a sysdig filter: the timeline's range, which every view follows, is written
// into the filter the views run as evt.rawtime bounds (both ends included). sysdig 0.29.3 reads
// exactly this text (server/api/timeline.test.ts runs it); the store compiles it to SQL exactly.

/** from, to: ns since the epoch, strings of digits. */
export function rawtimeBounds(from: string, to: string): string {
  return `evt.rawtime>=${from} and evt.rawtime<=${to}`;
}

/** The filter and the range's bounds: `(F) and evt.rawtime>=A and evt.rawtime<=B`. */
export function withTimeRange(filter: string, range: { from: string; to: string } | null | undefined): string {
  if (!range) return filter;
  const bounds = rawtimeBounds(range.from, range.to);
  return filter.trim() ? `(${filter.trim()}) and ${bounds}` : bounds;
}
