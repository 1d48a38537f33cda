// `casefile flame FILE [--filter F] [--from T --to T] [--section S]`: the folded lines of a
// flame graph. For a capture (.scap, gzip or not): its syscall time, one line per process,
// thread and call, `proc;tid;syscall NANOSECONDS` (with --containers, the container first:
// `container;proc;tid;syscall NANOSECONDS`, where container is container.id, host for the
// host's threads), proc is proc.name and the value the summed evt.latency of the exit events
// (what `sysdig -r FILE -p "%container.id %proc.name %evt.latency" "evt.dir=<"` adds up), lines sorted by byte order of the stack (as
// stackcollapse-perf.pl). T is evt.rawtime (ns since the epoch) or `+DURATION` after the
// first event; from is inclusive, to exclusive. For a profile (folded stacks, perf script,
// bpftrace, casefile profile: told by content, gzip-compressed or not), its folded lines; a
// profile of several sections prints each under its `# casefile-profile section=…` header, so
// that the output reads back as a profile.

import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { parseDuration } from "../core/analyses/duration";
import { compileFilter, type Predicate } from "../core/filter/evaluate";
import { parseFilter } from "../core/filter/parser";
import { foldedLines, importerFor, sniffStacks, SNIFF_CHARS, StacksError, type Profile } from "../core/formats/stacks/index";
import { fileSyscallTime, syscallFolded, type TimeBound } from "../ingest/file-syscall-time";
import { hostServices } from "../ingest/host-services";
import { contentHead } from "../ingest/capture-kind";
import { sniffCapture } from "../core/formats/sniff";
import { readOptions } from "./options";
import { BufferedOut, fail } from "./output";

const USAGE = "usage: casefile flame FILE [--filter F] [--from T --to T] [--containers] [--section S]   (T: ns since the epoch, or +DURATION after the first event)";

export function parseTimeBound(text: string, name: string): TimeBound {
  const t = text.trim();
  if (/^\d{1,20}$/.test(t)) return { abs: BigInt(t) };
  if (t.startsWith("+")) {
    try {
      return { rel: parseDuration(t.slice(1)) };
    } catch (e) {
      throw new Error(`--${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`--${name} wants ns since the epoch (evt.rawtime) or +DURATION after the first event, not ${JSON.stringify(text)}`);
}

/** Is the file a capture (a section header, gzip-compressed or not) rather than a text
 *  profile (gzip-compressed or not)? */
async function isCapture(file: string): Promise<{ capture: boolean; gzip: boolean }> {
  const { head, gzip } = await contentHead(file);
  if (gzip) return { capture: sniffCapture(head, true) !== "unknown", gzip };
  return { capture: head.length >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === 0x0a0d0d0a, gzip };
}

/** Streams a text profile (inflated on the way when `gzip`) through the importer its first
 *  characters name. */
export async function readProfileFile(file: string, gzip = false): Promise<Profile> {
  const decoder = new TextDecoder("utf-8");
  let head = "";
  let imp: ReturnType<typeof importerFor> | undefined;
  const decide = (ended: boolean) => {
    const s = sniffStacks(head.slice(0, SNIFF_CHARS), ended);
    if ("more" in s) return;
    if (!s.format) throw new StacksError(s.why.replace(/ \(at line \d+\)$/, ""), Number(/at line (\d+)/.exec(s.why)?.[1] ?? 1));
    imp = importerFor(s.format);
    imp.push(head);
    head = "";
  };
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  for await (const chunk of gzip ? raw.pipe(createGunzip()) : raw) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (imp) imp.push(text);
    else {
      head += text;
      decide(false);
    }
  }
  const rest = decoder.decode();
  if (imp) imp.push(rest);
  else {
    head += rest;
    decide(true);
    if (!imp) throw new StacksError("too short to tell what kind of profile it is", 1);
  }
  return imp!.end();
}

export async function flameCommand(args: string[]): Promise<number> {
  const o = readOptions(args, { values: ["filter", "from", "to", "section"], flags: ["--containers"] });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const [file, extra] = o.positional;
  if (!file || extra !== undefined) return fail(USAGE);
  let kind: { capture: boolean; gzip: boolean };
  try {
    kind = await isCapture(file);
  } catch (e) {
    return fail(`${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  const out = new BufferedOut(process.stdout);
  if (!kind.capture) {
    for (const opt of ["filter", "from", "to"]) if (o.values.has(opt)) return fail(`--${opt} applies to captures; ${file} is a profile`);
    if (o.flags.includes("--containers")) return fail(`--containers applies to captures; ${file} is a profile`);
    let profile: Profile;
    try {
      profile = await readProfileFile(file, kind.gzip);
    } catch (e) {
      if (e instanceof StacksError) return fail(`${file}: ${e.message}`);
      throw e;
    }
    const want = o.values.get("section");
    const sections = want === undefined ? profile.sections : profile.sections.filter((s) => s.name === want);
    if (want !== undefined && sections.length === 0) return fail(`${file}: no section ${want}; it has ${profile.sections.map((s) => s.name).join(", ")}`);
    const headers = sections.length > 1;
    for (const s of sections) {
      if (headers) out.line(`# casefile-profile section=${s.name} unit=${s.unit}${s.hz ? ` hz=${s.hz}` : ""}`);
      for (const l of foldedLines(s)) out.line(l);
    }
    await out.flush();
    return 0;
  }
  if (o.values.has("section")) return fail("--section applies to profiles; a capture's flame graph is its syscall time");
  let predicate: Predicate | undefined;
  let from: TimeBound | undefined;
  let to: TimeBound | undefined;
  try {
    const filter = o.values.get("filter") ?? "";
    if (filter.trim()) predicate = compileFilter(parseFilter(filter, { services: hostServices() }));
    if (o.values.has("from")) from = parseTimeBound(o.values.get("from")!, "from");
    if (o.values.has("to")) to = parseTimeBound(o.values.get("to")!, "to");
  } catch (e) {
    return fail((e as Error).message);
  }
  const r = await fileSyscallTime(file, predicate, { from, to });
  for (const l of syscallFolded(r.rows, o.flags.includes("--containers"))) out.line(l);
  await out.flush();
  if (r.error) return fail(`${file}: ${r.error.message}`);
  return 0;
}
