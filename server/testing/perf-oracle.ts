// perf (Debian's linux-perf) as the oracle of the perf script importer: a live recording made
// here, its `perf script` text for our importer, and perf's own per-(comm, symbol) sample counts
// (`perf report`) to compare with. A perf that cannot record fails the test, like any oracle.

import { spawnSync } from "node:child_process";
import { requireTool } from "./oracle";

export function requirePerf(): void {
  requireTool("perf", ["--version"], /^perf version \d/m, "perf (Debian package linux-perf)");
}

function perf(args: string[]): string {
  requirePerf();
  const r = spawnSync("perf", args, { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error || r.status !== 0) {
    throw new Error(`perf ${args.join(" ")} failed (${r.error?.message ?? `status ${r.status}`}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" / ")}`);
  }
  return r.stdout;
}

/** Records cpu-clock samples with call graphs while `command` runs: of every CPU, or of the
 *  command alone (`allCpus` false). */
export function perfRecord(out: string, hz: number, command: string[], allCpus = true): void {
  perf(["record", "-q", "-e", "cpu-clock", "-F", String(hz), "-g", ...(allCpus ? ["-a"] : []), "-o", out, "--", ...command]);
}

export function perfScript(data: string): string {
  return perf(["script", "-i", data]);
}

export interface PerfLeafRow {
  comm: string;
  /** The sample's object: [kernel.kallsyms], a library's path, or a BPF program's own name. */
  dso: string;
  kernel: boolean;
  symbol: string;
  samples: number;
}

/** perf's own count of samples per (comm, object, symbol of the sampled ip): `perf report -s comm,dso,sym`. */
export function perfReportLeaves(data: string): PerfLeafRow[] {
  const text = perf(["report", "-i", data, "--stdio", "-n", "--no-children", "-g", "none", "-s", "comm,dso,sym", "-t", "\t"]);
  const rows: PerfLeafRow[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    const f = line.split("\t").map((s) => s.trim());
    const m = /^\[(.)\] (.*)$/.exec(f[4] ?? "");
    if (f.length !== 5 || !m) throw new Error(`perf report printed a line this test does not read: ${JSON.stringify(line)}`);
    rows.push({ comm: f[2], dso: f[3], kernel: m[1] === "k", symbol: m[2], samples: Number(f[1]) });
  }
  return rows;
}

/** perf's "Children" share of each symbol: the fraction of all samples with the symbol anywhere
 *  in their call chain (`perf report --children -s sym`), by (kernel?, symbol). */
export function perfReportChildren(data: string): { kernel: boolean; symbol: string; children: number }[] {
  const text = perf(["report", "-i", data, "--children", "--stdio", "-n", "-g", "none", "-s", "sym", "-t", "\t"]);
  const rows: { kernel: boolean; symbol: string; children: number }[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    const f = line.split("\t").map((x) => x.trim());
    const m = /^\[(.)\] (.*)$/.exec(f[3] ?? "");
    if (f.length !== 4 || !m || !f[0].endsWith("%")) throw new Error(`perf report printed a line this test does not read: ${JSON.stringify(line)}`);
    rows.push({ kernel: m[1] === "k", symbol: m[2], children: Number(f[0].slice(0, -1)) / 100 });
  }
  return rows;
}
