// `casefile profile --duration D [--pid P] [--hz 99] -o OUT [--no-offcpu] [--no-oncpu]
// [--capture ID]` (root): a CPU profile of this host (on-CPU samples and off-CPU time by stack,
// collector/profile.ts) written as a casefile profile; with --capture, also stored in the data
// folder (CASEFILE_DATA) beside that capture.

import { writeFileSync } from "node:fs";
import { parseDuration } from "../core/analyses/duration";
import { fail } from "./output";
import { readOptions } from "./options";

const USAGE = "usage: casefile profile --duration D [--pid P] [--hz HZ] -o OUT [--no-offcpu] [--no-oncpu] [--capture ID]";

/** A duration with a unit (2s, 500ms), or a bare number of seconds. */
export function profileSeconds(text: string): number {
  const ns = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) * 1e9 : parseDuration(text);
  if (!(ns >= 1e6) || ns > 3600e9) throw new Error(`--duration ${text}: between 1ms and 1h`);
  return ns / 1e9;
}

export async function profileCommand(args: string[]): Promise<number> {
  const o = readOptions(args.map((a) => (a === "-o" ? "--output" : a)), {
    values: ["duration", "pid", "hz", "output", "capture"], flags: ["--no-offcpu", "--no-oncpu"],
  });
  if ("error" in o) return fail(`${o.error}\n${USAGE}`);
  const out = o.values.get("output");
  if (o.positional.length || !out || !o.values.has("duration")) return fail(USAGE);
  let durationS: number, pid: number | undefined, hz: number;
  try {
    durationS = profileSeconds(o.values.get("duration")!);
    const p = o.values.get("pid");
    pid = p === undefined ? undefined : Number(p);
    if (pid !== undefined && !(Number.isInteger(pid) && pid > 0)) throw new Error(`--pid ${p}: not a process id`);
    hz = Number(o.values.get("hz") ?? 99);
    if (!(Number.isInteger(hz) && hz >= 1 && hz <= 10000)) throw new Error(`--hz ${o.values.get("hz")}: an integer from 1 to 10000`);
  } catch (e) {
    return fail((e as Error).message);
  }
  const onCpu = !o.flags.includes("--no-oncpu"), offCpu = !o.flags.includes("--no-offcpu");
  if (!onCpu && !offCpu) return fail("--no-oncpu and --no-offcpu leave nothing to record");
  if (process.getuid?.() !== 0) return fail("profile loads BPF programs: run it as root");
  const capture = o.values.get("capture");
  const dataDir = process.env.CASEFILE_DATA ?? "./data";
  if (capture !== undefined) {
    // Checked before recording: a typo should not cost the profile's duration.
    const { openStore } = await import("../api/store");
    const store = openStore(dataDir, { queries: { workers: 0 } });
    const found = store.getCapture(capture);
    await store.close();
    if (!found) return fail(`--capture ${capture}: no such capture in ${dataDir}`);
  }
  const { recordProfile } = await import("../../collector/profile");
  const ac = new AbortController();
  // Ctrl-C ends the profile early and keeps what was counted.
  const stop = () => ac.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const { text, built } = await recordProfile({ durationS, pid, hz, onCpu, offCpu, signal: ac.signal });
    writeFileSync(out, text);
    const totals = built.profile.sections.map((s) => {
      let t = 0;
      for (const v of s.stacks.values()) t += v;
      return `${s.name}: ${s.stacks.size} stacks, ${s.unit === "ns" ? `${(t / 1e9).toFixed(3)} s` : `${t} samples`}`;
    });
    process.stderr.write(`casefile: wrote ${out} (${totals.join("; ")})\n`);
    if (capture) {
      const { Profiles } = await import("../api/profiles");
      const profiles = new Profiles(dataDir);
      try {
        process.stdout.write(`${profiles.add(out, `profile ${new Date().toISOString()}`, capture)}\n`);
      } finally {
        profiles.close();
      }
    }
    return 0;
  } catch (e) {
    return fail((e as Error).message);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
