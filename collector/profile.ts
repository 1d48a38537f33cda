// CPU profiles: runs bpf/profiler (root) for a duration, reads what the kernel counted and
// writes a casefile profile (server/core/formats/stacks/casefile-profile.ts): an on-CPU section
// (samples at HZ) and an off-CPU section (ns), each stack named by collector/profile-symbols.ts.

import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Symbolizer, kernelAddress, parseMapsLine, type MapEntry } from "./profile-symbols";
import { addStack, newSection, type Profile } from "../server/core/formats/stacks/profile";
import { foldFrames, writeCasefileProfile, type SectionAttrs } from "../server/core/formats/stacks/casefile-profile";

export interface ProfileOptions {
  durationS: number;
  pid?: number;
  hz?: number;
  /** Leave out one of the two sections. */
  onCpu?: boolean;
  offCpu?: boolean;
  /** Stops the profile early (what was counted so far is kept). */
  signal?: AbortSignal;
  /** Called once the programs are attached: counting has begun. */
  onReady?: () => void;
}

/** A stack as the loader prints it: addresses leaf first, or why there is none. */
type RawStack = { addrs: string[] } | { none: true } | { error: number };

export interface RawRecord {
  section: "on" | "off";
  tgid: number;
  pid: number;
  value: number;
  user: RawStack;
  kernel: RawStack;
  comm: string;
}

export interface RawProfile {
  hz: number;
  durationNs: number;
  cpus: number;
  lostOnCpu: number;
  lostOffCpu: number;
  maps: Map<number, MapEntry[]>;
  records: RawRecord[];
}

function rawStack(text: string): RawStack {
  if (text === "-") return { none: true };
  if (text.startsWith("!")) return { error: Number(text.slice(1)) };
  return { addrs: text.split(",") };
}

/** bpf/profiler's output (its header comment documents it). */
export function parseProfilerOutput(text: string): RawProfile {
  const raw: RawProfile = { hz: 0, durationNs: 0, cpus: 0, lostOnCpu: 0, lostOffCpu: 0, maps: new Map(), records: [] };
  let sawHeader = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    if (line.startsWith("# casefile-profiler ")) {
      const kv = Object.fromEntries(line.slice(20).split(" ").map((w) => w.split("=") as [string, string]));
      raw.hz = Number(kv.hz);
      raw.durationNs = Number(kv.duration_ns);
      raw.cpus = Number(kv.cpus);
      raw.lostOnCpu = Number(kv.lost_oncpu);
      raw.lostOffCpu = Number(kv.lost_offcpu);
      sawHeader = true;
      continue;
    }
    if (line.startsWith("M ")) {
      const sp = line.indexOf(" ", 2);
      const tgid = Number(line.slice(2, sp));
      const e = parseMapsLine(line.slice(sp + 1));
      if (e) {
        let list = raw.maps.get(tgid);
        if (!list) raw.maps.set(tgid, (list = []));
        list.push(e);
      }
      continue;
    }
    const m = /^(on|off) (\d+) (\d+) (\d+) (\S+) (\S+) ?(.*)$/.exec(line);
    if (!m) throw new Error(`bpf/profiler output, line ${i + 1}: unexpected ${JSON.stringify(line.slice(0, 80))}`);
    raw.records.push({
      section: m[1] as "on" | "off", tgid: Number(m[2]), pid: Number(m[3]), value: Number(m[4]),
      user: rawStack(m[5]), kernel: rawStack(m[6]), comm: m[7],
    });
  }
  if (!sawHeader) throw new Error("bpf/profiler output has no header line: it did not finish");
  return raw;
}

export interface BuiltProfile {
  profile: Profile;
  attrs: SectionAttrs[];
  comments: string[];
  /** Processes whose user frames could not be named (they exited before their maps were read). */
  withoutMaps: number[];
}

/** The raw counts named and folded: `comm (pid);user frames...;kernel frames_[k] VALUE`. */
/** Mangled C++ names → their demangled form, through binutils' c++filt (one run for all);
 *  names it cannot demangle, or no c++filt, stay as they are. */
export function demangleCxx(names: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!names.length) return out;
  try {
    const lines = execFileSync("c++filt", [], { input: `${names.join("\n")}\n`, encoding: "utf8", maxBuffer: 1 << 28 }).split("\n");
    names.forEach((n, i) => {
      if (lines[i] && lines[i] !== n) out.set(n, lines[i]);
    });
  } catch {
    // no c++filt: mangled names are still names
  }
  return out;
}

export function buildProfile(raw: RawProfile, symbolizer: Symbolizer, opts: { pid?: number; sections?: ("on" | "off")[]; demangle?: (names: string[]) => Map<string, string> } = {}): BuiltProfile {
  for (const [tgid, entries] of raw.maps) symbolizer.setMaps(tgid, entries);
  const wanted = opts.sections ?? ["on", "off"];
  const on = newSection("on-cpu", "samples", raw.hz);
  const off = newSection("off-cpu", "ns");
  const named = raw.records.map((r) => {
    const frames = [`${r.comm || "?"} (${r.tgid})`];
    if ("addrs" in r.user) frames.push(...symbolizer.userFrames(r.tgid, r.user.addrs.map((h) => parseInt(h, 16))));
    else if ("error" in r.user) frames.push("[unknown]"); // lost to a stack map collision
    if ("addrs" in r.kernel) frames.push(...symbolizer.kernelFrames(r.kernel.addrs.map(kernelAddress)));
    else if ("error" in r.kernel) frames.push("[unknown]_[k]");
    return frames;
  });
  // C++ symbols (node, the JVM, ...) as people read them, as perf shows them.
  const demangled = (opts.demangle ?? demangleCxx)([...new Set(named.flat().filter((f) => f.startsWith("_Z")))]);
  raw.records.forEach((r, i) => {
    const frames = named[i].map((f) => demangled.get(f) ?? f);
    addStack(r.section === "on" ? on : off, foldFrames(frames), r.value);
  });
  const sections = [];
  const attrs: SectionAttrs[] = [];
  const common: SectionAttrs = { duration_ns: String(raw.durationNs), ...(opts.pid ? { pid: String(opts.pid) } : {}) };
  if (wanted.includes("on")) {
    sections.push(on);
    attrs.push({ ...common, cpus: String(raw.cpus), ...(raw.lostOnCpu ? { lost: String(raw.lostOnCpu) } : {}) });
  }
  if (wanted.includes("off")) {
    sections.push(off);
    attrs.push({ ...common, ...(raw.lostOffCpu ? { lost: String(raw.lostOffCpu) } : {}) });
  }
  const withoutMaps = [...symbolizer.withoutMaps].sort((a, b) => a - b);
  const comments = [`casefile profile of ${opts.pid ? `process ${opts.pid}` : "every process"} on ${hostname()}, ${new Date().toISOString()}`];
  if (withoutMaps.length) {
    comments.push(`user frames of ${withoutMaps.length} process(es) that exited before their memory map was read are [unknown]: ${withoutMaps.slice(0, 20).join(" ")}${withoutMaps.length > 20 ? " ..." : ""}`);
  }
  if (raw.lostOnCpu || raw.lostOffCpu) comments.push(`lost (a counting map was full): ${raw.lostOnCpu} samples, ${raw.lostOffCpu} switches`);
  // Stacks the kernel could not keep (a full or colliding stack map: EEXIST, ENOMEM), as
  // profile.py reports its "missed stacks": their frames are [unknown].
  const missed = raw.records.filter((r) => "error" in r.user || "error" in r.kernel).length;
  if (missed) comments.push(`${missed} stack(s) the kernel could not keep (stack map full or colliding) are [unknown]`);
  return { profile: { format: "casefile-profile", sections }, attrs, comments, withoutMaps };
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The loader binary: bpf/profiler, built by `make -C bpf` (scripts/setup.sh). */
export function profilerBinary(): string {
  const bin = process.env.CASEFILE_PROFILER ?? join(ROOT, "bpf/profiler");
  if (!existsSync(bin)) throw new Error(`${bin} is not built: run make -C bpf (scripts/setup.sh does it)`);
  return bin;
}

/** Runs the loader and returns its raw counts. Needs root (loading BPF). */
export function runProfiler(opts: ProfileOptions): Promise<RawProfile> {
  const args = ["--duration", String(opts.durationS), "--hz", String(opts.hz ?? 99)];
  if (opts.pid) args.push("--pid", String(opts.pid));
  if (opts.onCpu === false) args.push("--no-oncpu");
  if (opts.offCpu === false) args.push("--no-offcpu");
  const child = spawn(profilerBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (b: Buffer) => out.push(b));
  let ready = false;
  child.stderr.on("data", (b: Buffer) => {
    err.push(b);
    if (!ready && Buffer.concat(err).includes("profiler: attached\n")) {
      ready = true;
      opts.onReady?.();
    }
  });
  const stop = () => child.kill("SIGINT"); // the loader prints what it counted so far
  opts.signal?.addEventListener("abort", stop, { once: true });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, sig) => {
      opts.signal?.removeEventListener("abort", stop);
      const stderr = Buffer.concat(err).toString().replace("profiler: attached\n", "").trim();
      if (code !== 0) {
        reject(new Error(stderr || `bpf/profiler ended with ${sig ?? `status ${code}`}`));
        return;
      }
      try {
        resolve(parseProfilerOutput(Buffer.concat(out).toString()));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** A profile of the running host as casefile profile text. */
export async function recordProfile(opts: ProfileOptions): Promise<{ text: string; built: BuiltProfile }> {
  const raw = await runProfiler(opts);
  const sections: ("on" | "off")[] = [];
  if (opts.onCpu !== false) sections.push("on");
  if (opts.offCpu !== false) sections.push("off");
  const built = buildProfile(raw, new Symbolizer(), { pid: opts.pid, sections });
  return { text: writeCasefileProfile(built.profile, { comments: built.comments, attrs: built.attrs }), built };
}
