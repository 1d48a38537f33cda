// What every stack importer makes: a profile of one or more sections (on-CPU samples, off-CPU
// time, one per perf event), each a set of folded stacks (frames root first, joined by ";") with
// their summed value. Folded keys rather than trees: they are what `casefile flame` prints, what
// two profiles are compared by (Gregg's difffolded), and a tree is built from them in one pass.

export type StackUnit = "samples" | "ns";

export interface StackSection {
  /** "on-cpu", "off-cpu", a perf event's name ("cpu-clock"), or "samples" for a plain file. */
  name: string;
  unit: StackUnit;
  /** Sampling frequency, when the file says it (on-CPU profiles). */
  hz?: number;
  /** Folded stack → summed value. Insertion order is first appearance. */
  stacks: Map<string, number>;
}

export interface Profile {
  /** The importer that read it: "folded", "perf-script", "bpftrace", "casefile-profile". */
  format: StackFormat;
  sections: StackSection[];
}

export type StackFormat = "folded" | "perf-script" | "bpftrace" | "casefile-profile";

/** Bad input, with the 1-based line it was found on. */
export class StacksError extends Error {
  override name = "StacksError";
  constructor(message: string, readonly line: number) {
    super(`${message} (at line ${line})`);
  }
}

export function newSection(name: string, unit: StackUnit, hz?: number): StackSection {
  return hz === undefined ? { name, unit, stacks: new Map() } : { name, unit, hz, stacks: new Map() };
}

export function addStack(section: StackSection, folded: string, value: number): void {
  section.stacks.set(folded, (section.stacks.get(folded) ?? 0) + value);
}

export function sectionTotal(section: StackSection): number {
  let t = 0;
  for (const v of section.stacks.values()) t += v;
  return t;
}

/** Folded lines, `frames VALUE`, sorted by stack as stackcollapse-perf.pl sorts them (byte
 *  order, so two runs and two tools compare line by line). */
export function foldedLines(section: StackSection): string[] {
  return [...section.stacks.keys()].sort(byteOrder).map((k) => `${k} ${section.stacks.get(k)}`);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Splits text given in chunks of any size into lines, numbered from 1, calling `line` for each
 * (without its "\n" or "\r\n"): the importers read a file of any size one line at a time, and
 * are tested by feeding the same text in chunks of a few bytes.
 */
export class LineSplitter {
  private rest = "";
  private n = 0;
  constructor(private readonly line: (text: string, n: number) => void) {}

  push(chunk: string): void {
    let text = this.rest + chunk;
    let start = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", start)) {
      const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      this.line(text.slice(start, end), ++this.n);
      start = i + 1;
    }
    text = text.slice(start);
    // A single line longer than this is not a stack file (a binary someone sniffed as text).
    if (text.length > MAX_LINE) throw new StacksError(`a line longer than ${MAX_LINE} characters`, this.n + 1);
    this.rest = text;
  }

  end(): void {
    if (this.rest) {
      const r = this.rest.endsWith("\r") ? this.rest.slice(0, -1) : this.rest;
      this.rest = "";
      this.line(r, ++this.n);
    }
  }

  get lines(): number {
    return this.n;
  }
}

export const MAX_LINE = 1 << 20;

/** An importer fed text chunk by chunk. */
export interface StackImporter {
  push(chunk: string): void;
  end(): Profile;
}
