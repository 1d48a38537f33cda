// Runs bpf/workload under bpf/loader (filtered to the workload's pid) and returns the loader's
// raw stream, the facts the workload printed, and the loader's stats lines. Used by
// bpf/collector.test.ts and by bpf/record-fixture.ts (which keeps one such stream as a fixture).
// Needs root and a BTF kernel.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ScapWriter } from "../server/core/formats/scap/writer";

export const BPF_DIR = dirname(fileURLToPath(import.meta.url));
export const LOADER = join(BPF_DIR, "loader");
export const WORKLOAD = join(BPF_DIR, ".build/workload");

/** Builds the loader (make) and the workload (cc). */
export function buildAll(): void {
  execFileSync("make", ["-s", "-C", BPF_DIR, "loader"], { stdio: "inherit" });
  mkdirSync(dirname(WORKLOAD), { recursive: true });
  execFileSync("cc", ["-O2", "-Wall", "-o", WORKLOAD, join(BPF_DIR, "workload.c")], { stdio: "inherit" });
}

export interface WorkloadFacts {
  pid: number; fd: number; wrote: number; port: number; clientPort: number; clientFd: number;
  acceptFd: number; bindRes: number; bindErrno: number; udpPort: number; udpFd: number;
  sent: number; child: number; childStatus: number;
}

export interface WorkloadTexts { file: string; text: string; udpText: string; echoText: string }

export interface LoaderRun {
  stream: Buffer;
  /** The `stats ...` lines of the loader's stderr, in order. */
  stats: string[];
  /** Its network facts ({"net":...} lines of its stderr). */
  net: Record<string, unknown>[];
  ready: Record<string, unknown>;
}

/** Starts the loader with `args`, waits for its ready line, runs `during`, then stops it with
 *  SIGINT and returns what it wrote. */
export async function withLoader(args: string[], during: () => Promise<void>, opts: { keepStream?: boolean } = {}): Promise<LoaderRun> {
  const loader = spawn(LOADER, args, { stdio: ["ignore", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  // An unfiltered recording of a busy host is large: tests that look at the network lines only
  // read the stream and drop it.
  loader.stdout.on("data", (c: Buffer) => {
    if (opts.keepStream !== false) chunks.push(c);
  });
  let err = "";
  const stats: string[] = [];
  const net: Record<string, unknown>[] = [];
  let ready: Record<string, unknown> | undefined;
  const readyP = new Promise<void>((resolve, reject) => {
    loader.stderr.setEncoding("utf8");
    loader.stderr.on("data", (s: string) => {
      err += s;
      const lines = err.split("\n");
      err = lines.pop() ?? "";
      for (const l of lines) {
        if (l.startsWith("stats ")) stats.push(l);
        else if (l.startsWith("{\"net\"")) net.push(JSON.parse(l));
        else if (l.startsWith("{") && /"ready"/.test(l)) { ready = JSON.parse(l); resolve(); }
        else process.stderr.write(`loader: ${l}\n`);
      }
    });
    loader.on("exit", (code) => reject(new Error(`the loader exited (${code}) before it was ready: ${err}`)));
  });
  const closed = once(loader, "close");
  await readyP;
  try {
    await during();
  } finally {
    // Records still in the ring are drained within ~5 ms; give the last ones time to arrive.
    await new Promise((r) => setTimeout(r, 100));
    loader.kill("SIGINT");
  }
  const [code] = await closed;
  if (code !== 0) throw new Error(`the loader exited with ${code}`);
  return { stream: Buffer.concat(chunks), stats, net, ready: ready! };
}

/** Runs the workload under `sh -c 'read x; exec workload ...'`: the loader filters on the
 *  shell's pid, so the exec into the workload is recorded (and names the process). */
export async function runWorkload(texts: WorkloadTexts, extraArgs: string[] = []): Promise<LoaderRun & { facts: WorkloadFacts }> {
  const sh = spawn("/bin/sh", ["-c", 'read x; exec "$0" "$@"', WORKLOAD, texts.file, texts.text, texts.udpText, texts.echoText], {
    stdio: ["pipe", "pipe", "inherit"],
    // The exec events carry the environment: only what the workload needs, nothing of ours.
    env: { PATH: "/usr/bin:/bin", LANG: "C" } as unknown as NodeJS.ProcessEnv,
  });
  let out = "";
  sh.stdout.setEncoding("utf8");
  sh.stdout.on("data", (s: string) => (out += s));
  const exited = once(sh, "close");
  const run = await withLoader(["--pid", String(sh.pid), ...extraArgs], async () => {
    sh.stdin.write("go\ngo\n");
    sh.stdin.end();
    const [code] = await exited;
    if (code !== 0) throw new Error(`the workload exited with ${code}`);
  });
  const factsLine = out.split("\n").find((l) => l.startsWith("{\"pid\""));
  if (!factsLine) throw new Error(`the workload printed no facts: ${out}`);
  return { ...run, facts: JSON.parse(factsLine) as WorkloadFacts };
}

/** A capture of a loader stream: section header, machine info and an empty process list (the
 *  recorded exec names the process), then the stream as it is. */
export function captureOf(stream: Uint8Array): Buffer {
  const head = new ScapWriter().machineInfo({ numCpus: 2, hostname: "casefile-bpf-test" }).procs([]).bytes();
  return Buffer.concat([head, stream]);
}
