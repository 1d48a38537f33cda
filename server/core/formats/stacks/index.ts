// Stack files, told apart by their content (never their name): the first lines that are not
// blank decide. A casefile profile names itself in a `# casefile-profile` header; perf script
// output has a `comm tid … time: … event:` line followed by indented `ip symbol (module)`
// frames; a bpftrace map starts its entries with `@name[`; folded stacks are `frames VALUE`.

import { bpftraceImporter } from "./bpftrace";
import { PROFILE_HEADER, casefileProfileImporter } from "./casefile-profile";
import { foldedImporter, looksFolded } from "./folded";
import { looksPerfEvent, looksPerfFrame, perfScriptImporter } from "./perf-script";
import { StacksError, type Profile, type StackFormat, type StackImporter } from "./profile";

export * from "./profile";

/** How many characters of a file's start the sniffer looks at. */
export const SNIFF_CHARS = 64 * 1024;

export type StacksSniff = { format: StackFormat } | { format: undefined; why: string } | { more: true };

/**
 * What stack format `head` (the file's first characters) is. `ended`: the file has no more.
 * A decision needs a complete first meaningful line, or two for perf script.
 */
export function sniffStacks(head: string, ended: boolean): StacksSniff {
  if (head.includes("\u0000")) return { format: undefined, why: "binary data (a NUL byte), not a text stack file" };
  const complete = ended ? head : head.slice(0, head.lastIndexOf("\n") + 1);
  const lines = complete.split(/\r?\n/);
  if (!ended && head.length >= SNIFF_CHARS && complete === "") return { format: undefined, why: `no line break in the first ${SNIFF_CHARS} characters` };
  let sawComment = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === "") continue;
    if (l.startsWith(PROFILE_HEADER)) return { format: "casefile-profile" };
    if (l.startsWith("#")) {
      sawComment = true;
      continue;
    }
    if (/^@\w*\[/.test(l)) return { format: "bpftrace" };
    if (/^Attaching \d+ probes?/.test(l)) continue;
    if (looksPerfEvent(l)) {
      // The next non-blank line: a frame, or another event line (samples without stacks).
      const next = lines.slice(i + 1).find((x) => x.trim() !== "");
      if (next === undefined) return ended ? { format: "perf-script" } : { more: true };
      if (looksPerfFrame(next) || looksPerfEvent(next)) return { format: "perf-script" };
    }
    if (looksFolded(l)) return { format: "folded" };
    return { format: undefined, why: `not a profile: the first line ${JSON.stringify(l.slice(0, 60))} is neither folded stacks, perf script output nor a bpftrace map (at line ${i + 1})` };
  }
  if (!ended && head.length < SNIFF_CHARS) return { more: true };
  return { format: undefined, why: sawComment ? "only comments, no stacks" : "no stacks in the file" };
}

export function importerFor(format: StackFormat): StackImporter {
  switch (format) {
    case "folded":
      return foldedImporter();
    case "casefile-profile":
      return casefileProfileImporter();
    case "perf-script":
      return perfScriptImporter();
    case "bpftrace":
      return bpftraceImporter();
  }
}

/** A whole text at once (tests, small files): sniffed, then read. */
export function parseStacks(text: string): Profile {
  const s = sniffStacks(text.slice(0, SNIFF_CHARS), text.length <= SNIFF_CHARS);
  if ("more" in s) throw new StacksError("too short to tell what it is", 1);
  if (!s.format) throw new StacksError(s.why.replace(/ \(at line \d+\)$/, ""), Number(/at line (\d+)/.exec(s.why)?.[1] ?? 1));
  const imp = importerFor(s.format);
  imp.push(text);
  return imp.end();
}
