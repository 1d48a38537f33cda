// Folded stacks, as Brendan Gregg's stackcollapse scripts write them and flamegraph.pl reads
// them: one line per stack, frames root first joined by ";", a space, then the value
// (`bash;main;read_[k] 12`). Frames may hold spaces ("V8 WorkerThread"), so the value is what
// follows the last space. Blank lines and `#` comments are skipped. A plain folded file is one
// section of samples; the casefile profile (casefile-profile.ts) adds section headers.

import { LineSplitter, StacksError, addStack, newSection, type Profile, type StackImporter, type StackSection } from "./profile";

const VALUE = /^(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** One folded line into `section`; false when it is not one (no value after its last space). */
export function parseFoldedLine(text: string, n: number, section: StackSection): void {
  const sp = text.lastIndexOf(" ");
  const frames = sp > 0 ? text.slice(0, sp).trimEnd() : "";
  const raw = sp > 0 ? text.slice(sp + 1) : text;
  if (!frames || !VALUE.test(raw)) {
    throw new StacksError(`not a folded stack: expected "frame;frame;… VALUE", got ${JSON.stringify(text.slice(0, 80))}`, n);
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new StacksError(`the value ${raw} is too large`, n);
  if (frames.split(";").some((f) => f === "")) throw new StacksError(`an empty frame in ${JSON.stringify(frames.slice(0, 80))}`, n);
  addStack(section, frames, value);
}

export function foldedImporter(): StackImporter {
  const section = newSection("samples", "samples");
  const lines = new LineSplitter((text, n) => {
    if (text.trim() === "" || text.startsWith("#")) return;
    parseFoldedLine(text, n, section);
  });
  return {
    push: (c) => lines.push(c),
    end(): Profile {
      lines.end();
      return { format: "folded", sections: [section] };
    },
  };
}

/** Does this line read as a folded stack? (Sniffing: frames, a space, a number.) */
export function looksFolded(line: string): boolean {
  const sp = line.lastIndexOf(" ");
  return sp > 0 && VALUE.test(line.slice(sp + 1)) && !/^\s/.test(line) && !line.startsWith("@");
}
