// `perf script` output (its default format), folded as Brendan Gregg's stackcollapse-perf.pl
// folds it, so that a flame graph made here and one made with his scripts from the same file
// agree:
// - a sample is an event line (`comm  tid  [cpu]  time:  [period]  event:`; comm may hold
//   spaces, even a number after one, which the script would cut at: the pid is the number
//   before the time; pid/tid may be `pid/tid`) then its stack, leaf first, one frame a line
//   (`  ip  symbol+0xoff (module)`), then a blank line; each sample counts 1;
// - the process name (spaces made "_") is the root frame; offsets `+0x…` are cut; a frame whose
//   symbol is `(…)` is skipped; `[unknown]` with a known module becomes `[module basename]`;
//   inlined frames `a->b` become `a;b_[i]`; the generic tidying (";" → ":", everything from the
//   first "(" unless it is a Go method or "(anonymous namespace)", quotes dropped; java's leading
//   "L" of class paths);
// - kernel frames (module `[kernel.*]` or `…vmlinux`) are suffixed `_[k]` (the script's --kernel,
//   which the casefile profile always uses);
// - stackcollapse-perf keeps the first event type it sees and drops the others; here each event
//   type is a section of its own, in the order first seen, so the first section is exactly the
//   script's answer and the others are not lost.
// `#` header lines are skipped. A line that is neither is an error naming its line number.

import { LineSplitter, StacksError, addStack, newSection, type Profile, type StackImporter, type StackSection } from "./profile";

/** stackcollapse-perf's event-line pattern: comm (may hold spaces), then pid[/tid]. */
const EVENT_LINE = /^(\S.+?)\s+(\d+)\/*(\d+)*\s+/;
/** The same, anchored on the time that follows pid[/tid] and the optional [cpu]: a comm that
 *  holds a number after a space ("Timer 1", "kworker/u8:2 7") is whole here, where the script's
 *  first match would cut it at that number (perf report names the whole comm; the live
 *  recording test compares with it). */
const EVENT_LINE_TIMED = /^(\S.*?)\s+(\d+)(?:\/(\d+))?\s+(?:\[\d+\]\s+)?\d+\.\d+:/;
/** The event's name: after `time:` and an optional period, up to its colon. */
const EVENT_NAME = /\s\d+\.\d+:\s+(?:\d+\s+)?(\S+?):(?:\s|$)/;
const STACK_LINE = /^\s*(\w+)\s*(.+) \((\S*)\)/;

export function tidyFrame(func: string, pname: string): string {
  let f = func.replace(/;/g, ":");
  if (!/\.\(.*\)\./.test(f)) f = f.replace(/\((?!anonymous namespace\)).*/, "");
  f = f.replace(/["']/g, "");
  if (pname === "java" && f.includes("/")) f = f.replace(/^L/, "");
  return f;
}

/** The folded frames of one stack line (root-most last within an inline chain reversed). */
export function stackLineFrames(pc: string, rawfuncIn: string, mod: string, pname: string): string[] | undefined {
  void pc;
  let rawfunc = rawfuncIn.replace(/\+0x[\da-f]+$/, "");
  if (/(kernel\.|vmlinux$)/.test(mod)) rawfunc += "_[k]";
  if (rawfunc.startsWith("(")) return undefined;
  const inline: string[] = [];
  for (let func of rawfunc.split("->")) {
    if (func === "[unknown]" && mod !== "[unknown]") func = `[${mod.replace(/.*\//, "")}]`;
    func = tidyFrame(func, pname);
    if (inline.length > 0) func += "_[i]";
    inline.push(func);
  }
  return inline;
}

export function perfScriptImporter(): StackImporter {
  const sections: StackSection[] = [];
  const byEvent = new Map<string, StackSection>();
  let pname: string | undefined;
  let event = "";
  let stack: string[] = [];

  const flush = () => {
    if (pname !== undefined) {
      let section = byEvent.get(event);
      if (!section) {
        section = newSection(event || "samples", "samples");
        byEvent.set(event, section);
        sections.push(section);
      }
      addStack(section, [pname, ...stack].join(";"), 1);
    }
    pname = undefined;
    stack = [];
  };

  const lines = new LineSplitter((text, n) => {
    if (text.startsWith("#")) return;
    if (text.trim() === "") return flush();
    const ev = EVENT_LINE_TIMED.exec(text) ?? EVENT_LINE.exec(text);
    if (ev) {
      // A sample with no blank line after its stack: the next event line ends it.
      if (pname !== undefined) flush();
      pname = ev[1].replace(/ /g, "_");
      event = EVENT_NAME.exec(text)?.[1] ?? "";
      return;
    }
    const st = STACK_LINE.exec(text);
    if (st) {
      if (pname === undefined) throw new StacksError(`a stack frame before any sample's event line: ${JSON.stringify(text.trim().slice(0, 80))}`, n);
      const frames = stackLineFrames(st[1], st[2], st[3], pname);
      if (frames) stack.unshift(...frames);
      return;
    }
    throw new StacksError(`not a line of perf script output: ${JSON.stringify(text.slice(0, 80))}`, n);
  });
  return {
    push: (c) => lines.push(c),
    end(): Profile {
      lines.end();
      flush();
      return { format: "perf-script", sections };
    },
  };
}

/** Does this look like the start of a sample in perf script output? */
export function looksPerfEvent(line: string): boolean {
  return EVENT_LINE.test(line) && EVENT_NAME.test(line);
}
export function looksPerfFrame(line: string): boolean {
  return /^\s+[0-9a-f]+\s+\S/.test(line) && STACK_LINE.test(line);
}
