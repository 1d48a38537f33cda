// Shared helpers for the differential tests: where the fixture captures are, and running the
// reference tools on them.

import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ScapReader, type ScapHandler } from "../core/formats/scap/reader";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Runs bin/casefile with TZ=UTC: its stdout (latin1 keeps raw bytes as they are; "utf8" to
 *  compare with text decoded so), stderr and exit status. */
export function runCasefile(args: string[], encoding: BufferEncoding = "latin1"): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(join(PROJECT_ROOT, "bin/casefile"), args, { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 30 });
  return { stdout: r.stdout.toString(encoding), stderr: r.stderr.toString(), status: r.status };
}

/** The real captures the tests run on, kept in the repository (origins and licences in its
 *  README) so that a clone tests itself without anything beside it. */
export const CAPTURES_DIR = resolve(PROJECT_ROOT, "test/fixtures/captures");
/** The real pcap/pcapng files of tcpdump's test suite (see its README). */
export const PCAPS_DIR = resolve(PROJECT_ROOT, "test/fixtures/pcaps");

/** Every fixture capture, sorted by name. */
export function fixtureCaptures(): string[] {
  return readdirSync(CAPTURES_DIR).filter((f) => f.endsWith(".scap")).sort().map((f) => join(CAPTURES_DIR, f));
}

/** Every fixture pcap and pcapng file, sorted by name. */
export function fixturePcaps(): string[] {
  return readdirSync(PCAPS_DIR).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((f) => join(PCAPS_DIR, f));
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

/** `sysdig -r FILE [args]` with TZ=UTC: its stdout lines (stderr and exit status ignored: sysdig
 *  prints what it could read before failing). */
export function sysdigLines(file: string, args: string[] = []): string[] {
  let out: string;
  try {
    out = execFileSync("sysdig", ["-r", file, ...args], {
      env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"],
    }).toString("latin1");
  } catch (e) {
    out = ((e as { stdout?: Buffer }).stdout ?? Buffer.alloc(0)).toString("latin1");
  }
  return out.split("\n").filter((l) => l.length > 0);
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
