// Latency spectrogram cells (sysdig's spectrogram chisel, as data): exit events counted per
// (time bin, decade of latency), with an example event per cell to jump to. Time bins split the
// capture's span, from its first timed event to its last, into `bins` equal parts.

export interface SpectrogramCell {
  /** Time bin index, 0 .. bins-1, from the first timed event. */
  t: number;
  /** floor(log10(latency in ns)), 0 for 0–9 ns, at most 12: 3 = 1–10 us, 6 = 1–10 ms. */
  l: number;
  count: number;
  /** The first event of the cell. */
  example: number;
}

export interface Spectrogram {
  bins: number;
  binNs: number;
  cells: SpectrogramCell[];
}

export const MAX_DECADE = 12;

/** The width of a time bin: the span (ns from the first timed event to the last) in `bins`. */
export function binWidth(spanNs: number, bins: number): number {
  return Math.max(1, Math.ceil((spanNs + 1) / bins));
}

export function decadeOf(latencyNs: number): number {
  let d = 0;
  for (let v = 10; d < MAX_DECADE && latencyNs >= v; v *= 10) d++;
  return d;
}

/** Collects (evt.num, ns since the first timed event, latency) of the events to count. */
export class SpectrogramBuilder {
  private nums: number[] = [];
  private ts: number[] = [];
  private decades: number[] = [];

  add(num: number, tsNs: number, latencyNs: number): void {
    this.nums.push(num);
    this.ts.push(tsNs);
    this.decades.push(decadeOf(latencyNs));
  }

  /** The cells, by time bin then decade, for a capture spanning spanNs. */
  cells(spanNs: number, bins: number): Spectrogram {
    const binNs = binWidth(spanNs, bins);
    const byCell = new Map<number, SpectrogramCell>();
    for (let i = 0; i < this.nums.length; i++) {
      const t = Math.floor(this.ts[i] / binNs);
      const l = this.decades[i];
      const key = t * (MAX_DECADE + 1) + l;
      const c = byCell.get(key);
      if (c) {
        c.count++;
        if (this.nums[i] < c.example) c.example = this.nums[i];
      } else byCell.set(key, { t, l, count: 1, example: this.nums[i] });
    }
    return { bins, binNs, cells: [...byCell.values()].sort((a, b) => a.t - b.t || a.l - b.l) };
  }
}
