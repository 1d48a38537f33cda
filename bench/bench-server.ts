// What the HTTP benchmarks share: bench/big-capture.ts's capture (real curl_google.scap events
// repeated to at least N events), ingested once per size and schema and kept between runs (they
// measure queries, not ingest), and a server on it.

import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { makeBigCapture } from "./big-capture";
import { CAPTURES_DIR, PROJECT_ROOT } from "../server/testing/oracle";
import { startServer } from "../server/http/serve";

export const BENCH_TOKEN = "bench-query-token-0123456789abcdef";

export interface BenchCapture {
  /** The .scap file. */
  file: string;
  /** A data folder holding it ingested. */
  dataDir: string;
}

export async function benchCapture(minEvents: number): Promise<BenchCapture> {
  const workDir = join(PROJECT_ROOT, "bench/out");
  mkdirSync(workDir, { recursive: true });
  const file = join(workDir, `big-${minEvents}.scap`);
  if (!existsSync(file)) await makeBigCapture(join(CAPTURES_DIR, "curl_google.scap"), file, minEvents);
  // A changed schema gets a new ingest.
  const hash = createHash("sha256");
  for (const f of readdirSync(join(PROJECT_ROOT, "db/migrations")).filter((n) => n.startsWith("capture-")).sort()) {
    hash.update(readFileSync(join(PROJECT_ROOT, "db/migrations", f)));
  }
  const schema = hash.update(readFileSync(join(PROJECT_ROOT, "db/open-db.ts"))).digest("hex").slice(0, 8);
  const dataDir = join(workDir, `query-data-${minEvents}-${schema}`);
  if (!existsSync(join(dataDir, "captures")) || !readdirSync(join(dataDir, "captures")).some((f) => f.endsWith(".db"))) {
    rmSync(dataDir, { recursive: true, force: true });
    execFileSync(join(PROJECT_ROOT, "bin/casefile"), ["ingest", file], { env: { ...process.env, CASEFILE_DATA: dataDir } });
  }
  return { file, dataDir };
}

export interface BenchServer {
  origin: string;
  close(): Promise<void>;
  /** GET with the token; throws unless 200 (the answer as JSON). */
  get(path: string): Promise<unknown>;
  /** GET with the token: status, time to the whole body, body. Rejects after a minute without
   *  an answer (a benchmark reports a hung request; it does not hang with it). */
  timedGet(path: string, signal?: AbortSignal): Promise<{ status: number; ms: number; body: unknown }>;
  capture: { id: string; events: number };
}

/** `separate`: the server in its own process (`casefile serve`), so that the clients' own work
 *  (sending, parsing answers) does not run on the server's event loop; otherwise in this one. */
export async function startBenchServer(dataDir: string, opts: { separate?: boolean } = {}): Promise<BenchServer> {
  const server = opts.separate ? await serveProcess(dataDir) : await startServer({ host: "127.0.0.1", port: 0, dataDir, token: BENCH_TOKEN });
  const headers = { Authorization: `Bearer ${BENCH_TOKEN}` };
  const timedGet = async (path: string, signal?: AbortSignal) => {
    const t0 = performance.now();
    const timeout = AbortSignal.timeout(60_000);
    const r = await fetch(`${server.origin}${path}`, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    const body = await r.json();
    return { status: r.status, ms: performance.now() - t0, body };
  };
  const get = async (path: string) => {
    const r = await timedGet(path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const [capture] = (await get("/api/captures")) as { id: string; events: number }[];
  return { origin: server.origin, close: () => server.close(), get, timedGet, capture };
}

async function serveProcess(dataDir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const child = spawn(join(PROJECT_ROOT, "bin/casefile"), ["serve", "--port", "0"], {
    env: { ...process.env, CASEFILE_DATA: dataDir, CASEFILE_TOKEN: BENCH_TOKEN },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // Its first line of output: `Casefile on URL`.
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`casefile serve exited (${code}) before it was listening`)));
  });
  const origin = new URL(first.replace(/^Casefile on /, "")).origin;
  return {
    origin,
    close: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
