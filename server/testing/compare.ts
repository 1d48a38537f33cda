// Line-by-line comparison of our output with a reference tool's.

export interface Comparison {
  total: number;
  same: number;
  percent: number;
  /** The first differing lines, for the test message. */
  diffs: { index: number; ours: string | undefined; theirs: string | undefined }[];
}

export function compareLines(ours: string[], theirs: string[], maxDiffs = 10): Comparison {
  const total = Math.max(ours.length, theirs.length);
  let same = 0;
  const diffs: Comparison["diffs"] = [];
  for (let i = 0; i < total; i++) {
    if (ours[i] === theirs[i]) same++;
    else if (diffs.length < maxDiffs) diffs.push({ index: i, ours: ours[i], theirs: theirs[i] });
  }
  return { total, same, percent: total === 0 ? 100 : (100 * same) / total, diffs };
}
