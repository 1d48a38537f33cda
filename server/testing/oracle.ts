// Shared helpers for the differential tests: where the fixture captures are, and running the
// reference tools on them.

import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ScapReader, type ScapHandler } from "../core/formats/scap/reader";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Runs bin/casefile with TZ=UTC: its stdout (latin1 keeps raw bytes as they are; "utf8" to
 *  compare with text decoded so), stderr and exit status. */
export function runCasefile(args: string[], encoding: BufferEncoding = "latin1"): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(join(PROJECT_ROOT, "bin/casefile"), args, { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 30 });
  if (r.error) throw toolError("bin/casefile", args, r.error, null);
  return { stdout: r.stdout.toString(encoding), stderr: r.stderr.toString(), status: r.status };
}

/** The real captures the tests run on, kept in the repository (origins and licences in its
 *  README) so that a clone tests itself without anything beside it. */
export const CAPTURES_DIR = resolve(PROJECT_ROOT, "test/fixtures/captures");
/** The real pcap/pcapng files of tcpdump's test suite (see its README). */
export const PCAPS_DIR = resolve(PROJECT_ROOT, "test/fixtures/pcaps");

/** The files of a fixture folder whose names match, sorted; never none (a test looping over
 *  an empty list would pass having compared nothing). */
function fixtures(dir: string, name: RegExp): string[] {
  const files = readdirSync(dir).filter((f) => name.test(f)).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`no fixtures matching ${name} in ${dir}`);
  return files;
}

/** Every fixture capture, sorted by name. */
export function fixtureCaptures(): string[] {
  return fixtures(CAPTURES_DIR, /\.scap$/);
}

/** Every fixture pcap and pcapng file, sorted by name. */
export function fixturePcaps(): string[] {
  return fixtures(PCAPS_DIR, /\.pcap(ng)?$/);
}

/** One fixture capture by file name; throws when it is not there, so that a test never runs on
 *  `undefined`. */
export function fixtureCapture(name: string): string {
  const file = join(CAPTURES_DIR, name);
  if (!fixtureCaptures().includes(file)) throw new Error(`no fixture capture ${name} in ${CAPTURES_DIR}`);
  return file;
}

/** The old name of fixtureCaptures(), from when the captures lived outside the repository:
 *  kept while tests written against it are being moved over. */
export const sharedCaptures = fixtureCaptures;

// --- the reference tools ------------------------------------------------------------------
// An oracle that cannot run must fail the test, never turn into "no lines" (which some tests
// would then happily compare with an empty answer of ours). A tool that runs and exits non-zero
// is still an answer: sysdig prints what it read of a truncated file, then fails.

/** What a reference tool printed and how it ended. */
export interface ToolRun {
  stdout: Buffer;
  stderr: Buffer;
  /** The exit status (a signal or a failed start throws instead). */
  status: number;
}

const checkedTools = new Map<string, Error | null>();

/** Checks once per process that `cmd` starts and that its version line matches `version`;
 *  throws one clear error (the same one every time) otherwise. */
export function requireTool(cmd: string, versionArgs: string[], version: RegExp, wanted: string): void {
  let err = checkedTools.get(cmd);
  if (err === undefined) {
    const r = spawnSync(cmd, versionArgs, { encoding: "utf8" });
    const said = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
    err = r.error
      ? new Error(`${wanted} is required by the tests (the oracle) but \`${cmd}\` was not found on PATH (${(r.error as NodeJS.ErrnoException).code}): run scripts/setup.sh`)
      : !version.test(said)
        ? new Error(`${wanted} is required by the tests (the oracle), but \`${cmd} ${versionArgs.join(" ")}\` says: ${said.split("\n")[0] || `nothing (status ${r.status}, signal ${r.signal})`}`)
        : null;
    checkedTools.set(cmd, err);
  }
  if (err) throw err;
}

/** sysdig 0.29.x, the oracle every differential test compares with. */
export function requireSysdig(): void {
  requireTool("sysdig", ["--version"], /^sysdig version 0\.29\./m, "sysdig 0.29.3");
}

function toolError(cmd: string, args: string[], error: Error | undefined | null, signal: NodeJS.Signals | null): Error {
  const what = `${cmd} ${args.map((a) => JSON.stringify(a)).join(" ")}`;
  return error ? new Error(`${what} could not run: ${error.message}`) : new Error(`${what} was killed by ${signal}`);
}

/** Runs sysdig with TZ=UTC (its times print in the local zone) and waits for it. */
export function runSysdig(args: string[]): ToolRun {
  requireSysdig();
  const r = spawnSync("sysdig", args, { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error || r.status === null) throw toolError("sysdig", args, r.error, r.signal);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs sysdig with TZ=UTC on a file that may make it die (a lying parameter count makes
 *  sysdig 0.29.3 die of SIGSEGV): what it printed before is still its answer, and `signal`
 *  says how it ended. */
export function runSysdigMayCrash(args: string[]): Omit<ToolRun, "status"> & { status: number | null; signal: NodeJS.Signals | null } {
  requireSysdig();
  const r = spawnSync("sysdig", args, { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) throw toolError("sysdig", args, r.error, r.signal);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

/** The same without blocking, so that several sysdig runs can go at once. */
export function runSysdigAsync(args: string[]): Promise<ToolRun> {
  requireSysdig();
  return new Promise((resolve, reject) => {
    const child = spawn("sysdig", args, { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(toolError("sysdig", args, e, null)));
    child.on("close", (status, signal) => {
      if (status === null) reject(toolError("sysdig", args, null, signal));
      else resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), status });
    });
  });
}

/** Splits a tool's output into its non-empty lines. */
export function outputLines(out: Buffer, encoding: BufferEncoding = "latin1"): string[] {
  return out.toString(encoding).split("\n").filter((l) => l.length > 0);
}

/** `sysdig -r FILE [args]` with TZ=UTC: its stdout lines (latin1 keeps raw bytes as they are).
 *  The exit status is not looked at: sysdig prints what it could read before failing. */
export function sysdigLines(file: string, args: string[] = []): string[] {
  return outputLines(runSysdig(["-r", file, ...args]).stdout);
}

/** `luajit -e SCRIPT`'s stdout: LuaJIT is the oracle of the chisels' Lua-side ordering and
 *  formatting. Fails when luajit is missing, dies, or reports an error in the script. */
export function runLuajit(script: string): string {
  requireTool("luajit", ["-v"], /^LuaJIT 2\.1/m, "LuaJIT 2.1 (Debian package luajit)");
  const r = spawnSync("luajit", ["-e", script], { maxBuffer: 1 << 28 });
  if (r.error || r.status === null) throw toolError("luajit", ["-e", "…"], r.error, r.signal);
  if (r.status !== 0) throw new Error(`luajit failed (status ${r.status}): ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** curl_google_comments.scap is curl_google.scap with pcapng-style comment options added to
 *  its section header and to three event blocks (by editcap). sysdig 0.29.3 cannot open it
 *  ("expecting 4 bytes, read 0"); we read past the options, so its events are curl_google's,
 *  and that is the file sysdig is run on to compare. */
export function oracleFileFor(file: string): string {
  return file.endsWith("/curl_google_comments.scap") ? join(dirname(file), "curl_google.scap") : file;
}

/** Feeds a whole capture held in memory to a handler. A capture cut short keeps the events
 *  before the damage, as sysdig prints them before its error. */
export function feedCapture(bytes: Uint8Array, handler: ScapHandler): void {
  const reader = new ScapReader(handler);
  reader.push(bytes);
  try {
    reader.end();
  } catch {
    // cut short
  }
}
