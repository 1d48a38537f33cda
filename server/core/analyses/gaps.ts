// Time gaps between consecutive matching events (the keepalived story: VRRP sendmsg calls that
// should come every second, and a 5 s hole), and what ran while the matching events were silent.

export interface Gap {
  /** The matching event after the gap. */
  num: number;
  /** The matching event before it. */
  prevNum: number;
  gapNs: number;
}

/** Streams matching events in order; collects every one that follows a gap longer than minNs. */
export class GapFinder {
  readonly gaps: Gap[] = [];
  private prevNum = -1;
  private prevTs = 0;

  constructor(private readonly minNs: number) {}

  /** ts: ns on any fixed origin (exact as a double within a capture). */
  add(num: number, ts: number): Gap | undefined {
    let gap: Gap | undefined;
    if (this.prevNum >= 0 && ts - this.prevTs > this.minNs) {
      gap = { num, prevNum: this.prevNum, gapNs: ts - this.prevTs };
      this.gaps.push(gap);
    }
    this.prevNum = num;
    this.prevTs = ts;
    return gap;
  }
}

/** What ran in a window: events counted by process and event type, busiest first. */
export interface ActivityRow {
  proc: string;
  type: string;
  count: number;
}

export class ActivityCounter {
  private readonly counts = new Map<string, ActivityRow>();

  add(proc: string, type: string): void {
    const key = `${proc}\u0000${type}`;
    const row = this.counts.get(key);
    if (row) row.count++;
    else this.counts.set(key, { proc, type, count: 1 });
  }

  rows(): ActivityRow[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.proc.localeCompare(b.proc) || a.type.localeCompare(b.type));
  }
}
