// The casefile profile (`casefile profile -o OUT` writes it, the flame view and `casefile flame`
// read it): folded stacks, as Brendan Gregg's stackcollapse scripts write them, in sections.
//
//   # casefile-profile section=on-cpu unit=samples hz=99 duration_ns=2000000000
//   burn (4242);_start;__libc_start_main;main;burn_cpu_hot_loop 187
//   burn (4242);main;clock_gettime;entry_SYSCALL_64_[k];do_syscall_64_[k] 3
//   # casefile-profile section=off-cpu unit=ns
//   sleeper (4243);main;__nanosleep;entry_SYSCALL_64_[k];...;__schedule_[k] 1000215022
//
// - One stack per line: its frames root first, joined by `;`, one space, then the stack's value
//   in the section's unit (samples, or ns of off-CPU time).
// - The first frame is the process: the thread's name and the process id, `comm (pid)`, as
//   sysdig prints a process in the event table, so that a frame leads back to that process's
//   events and two workers of the same name stay apart. User frames follow, then kernel frames,
//   each kernel frame suffixed `_[k]` as stackcollapse-perf.pl does. A frame that could not be
//   named is `[unknown]` (`[unknown]_[k]` in the kernel), or `file+0xADDR` (the ELF virtual
//   address inside that file: what `addr2line -e file ADDR` takes) when its file is known.
// - Frames never hold `;` (the writer turns one into `:`) nor a line break. They may hold
//   spaces (Node's JIT frames: `LazyCompile:*main /app/x.js:3`): the value is what follows the
//   line's last space.
// - `#` starts a comment line. `# casefile-profile key=value ...` starts a section: `section`
//   (its name: on-cpu, off-cpu), `unit` (samples or ns; samples when absent), `hz` (the
//   sampling rate of an on-CPU section) and any other keys (duration_ns, pid, host...), values
//   without spaces.
// - A plain folded file (no header) is one section of unit samples (named "samples", as the
//   folded importer names it); stacks before the first header are one too.
// - Bad input: the first line that is none of these stops the import with its line number
//   (StacksError), as the other importers of this folder do.

import { parseFoldedLine } from "./folded";
import { LineSplitter, StacksError, foldedLines, newSection, type Profile, type StackImporter, type StackSection, type StackUnit } from "./profile";

export const PROFILE_HEADER = "# casefile-profile";

const UNITS: readonly StackUnit[] = ["samples", "ns"];

/** The keys of a section header beyond section, unit and hz, kept for the writer. */
export type SectionAttrs = Record<string, string>;

/** A header line's key=value pairs, or the reason it is not one. */
export function parseProfileHeader(line: string): { section: StackSection; attrs: SectionAttrs } | { error: string } {
  const attrs: SectionAttrs = {};
  for (const w of line.slice(PROFILE_HEADER.length).trim().split(/\s+/).filter(Boolean)) {
    const eq = w.indexOf("=");
    if (eq <= 0) return { error: `section header: "${w}" is not key=value` };
    attrs[w.slice(0, eq)] = w.slice(eq + 1);
  }
  const name = attrs.section;
  if (!name) return { error: "section header without section=NAME" };
  const unit = (attrs.unit ?? "samples") as StackUnit;
  if (!UNITS.includes(unit)) return { error: `section header: unit=${attrs.unit} (expected ${UNITS.join(" or ")})` };
  let hz: number | undefined;
  if (attrs.hz !== undefined) {
    hz = Number(attrs.hz);
    if (!(hz > 0) || !Number.isFinite(hz)) return { error: `section header: hz=${attrs.hz} is not a positive number` };
  }
  const rest: SectionAttrs = {};
  for (const [k, v] of Object.entries(attrs)) if (k !== "section" && k !== "unit" && k !== "hz") rest[k] = v;
  return { section: newSection(name, unit, hz), attrs: rest };
}

export function casefileProfileImporter(): StackImporter & { attrs(): SectionAttrs[] } {
  const sections: StackSection[] = [];
  const attrs: SectionAttrs[] = [];
  let current: StackSection | undefined;
  const lines = new LineSplitter((text, n) => {
    if (text.trim() === "") return;
    if (text.startsWith(PROFILE_HEADER) && (text.length === PROFILE_HEADER.length || /\s/.test(text[PROFILE_HEADER.length]))) {
      const h = parseProfileHeader(text);
      if ("error" in h) throw new StacksError(h.error, n);
      current = h.section;
      sections.push(current);
      attrs.push(h.attrs);
      return;
    }
    if (text.startsWith("#")) return;
    if (!current) {
      current = newSection("samples", "samples");
      sections.push(current);
      attrs.push({});
    }
    parseFoldedLine(text, n, current);
  });
  return {
    push: (c) => lines.push(c),
    end(): Profile {
      lines.end();
      return { format: "casefile-profile", sections };
    },
    /** The extra header keys of each section, in the order of the sections. */
    attrs: () => attrs,
  };
}

/** A frame as the format allows it: no `;` (it separates frames), no line break, not empty. */
export function cleanFrame(frame: string): string {
  const f = frame.replace(/;/g, ":").replace(/[\r\n]+/g, " ");
  return f === "" ? "[unknown]" : f;
}

/** Frames (root first) as the folded key a section's stacks map uses. */
export function foldFrames(frames: readonly string[]): string {
  return frames.map(cleanFrame).join(";");
}

/** The profile as text, which casefileProfileImporter reads back the same. `comments` go first
 *  (without their `#`); `attrs[i]`: extra header keys of section i. Stacks are written sorted by
 *  their frames, so that two profiles of the same work compare line by line. */
export function writeCasefileProfile(profile: Profile, opts: { comments?: readonly string[]; attrs?: readonly SectionAttrs[] } = {}): string {
  const out: string[] = [];
  for (const c of opts.comments ?? []) out.push(`# ${c.replace(/[\r\n]+/g, " ")}`);
  profile.sections.forEach((s, i) => {
    const keys: [string, string][] = [["section", s.name], ["unit", s.unit]];
    if (s.hz !== undefined) keys.push(["hz", String(s.hz)]);
    keys.push(...Object.entries(opts.attrs?.[i] ?? {}));
    for (const [k, v] of keys) {
      if (!/^[^\s=]+$/.test(k) || v === "" || /\s/.test(v)) throw new Error(`section ${s.name}: header key ${JSON.stringify(k)}=${JSON.stringify(v)}: keys and values are one word`);
    }
    out.push(`${PROFILE_HEADER} ${keys.map(([k, v]) => `${k}=${v}`).join(" ")}`);
    out.push(...foldedLines(s));
  });
  return out.length ? `${out.join("\n")}\n` : "";
}

/** One section as plain folded stacks (`a;b;c N` lines, no comments): what flamegraph.pl and
 *  speedscope read. `section`: its name or index; the first when omitted. */
export function toFolded(profile: Profile, section?: string | number): string {
  const s = typeof section === "number" ? profile.sections[section]
    : section === undefined ? profile.sections[0]
    : profile.sections.find((x) => x.name === section);
  if (!s) {
    const names = profile.sections.map((x) => x.name).join(", ") || "none";
    throw new Error(`no section ${JSON.stringify(section ?? 0)} in this profile (it has: ${names})`);
  }
  return foldedLines(s).map((l) => `${l}\n`).join("");
}
