// bench/upload: the server's memory under large uploads, measured on `casefile serve` as a user
// starts it (a child process; its RSS read from /proc every 100 ms).
//   node --import tsx bench/upload.ts [--gib G] [--inflate [--inflate-gib N]] [--skip-big] [--smoke]
// 1. three uploads of G GiB (default 2) of random bytes at once: each must be refused with a 4xx,
//    the data folder left as it was;
// 2. three uploads of a G GiB capture at once (bench/big-capture.ts: real curl_google.scap events
//    repeated): each stored, with every event;
// 3. with --inflate: one gzip that inflates to N GiB (default 10) of valid events, against the server's
//    limits (CASEFILE_MAX_EVENTS, CASEFILE_MAX_INFLATED, CASEFILE_OVER_LIMIT from the environment,
//    else the defaults): where it stops, and what it says.
// --skip-big skips the first two (to run only --inflate).
// Prints RSS before, at its peak and after each, and the time. Not part of npm test.

import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join, relative } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gunzipSync } from "node:zlib";
import { makeBigCapture } from "./big-capture";
import { CAPTURES_DIR, PROJECT_ROOT } from "../server/testing/oracle";
import { randomStream } from "../server/testing/random-stream";
import { EVENT_BLOCK_LAYOUT } from "../server/core/formats/scap/blocks";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const gib = Number(args[args.indexOf("--gib") + 1]) || (smoke ? 0.05 : 2);
const BYTES = Math.round(gib * 1024 ** 3);
const TOKEN = "bench-upload-token-0123456789abcdef";
const MiB = 1024 * 1024;

const workDir = join(PROJECT_ROOT, "bench/out");
mkdirSync(workDir, { recursive: true });
const dataDir = join(workDir, `upload-data-${process.pid}`);
const inflateGib = Number(args[args.indexOf("--inflate-gib") + 1]) || 10;

const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const child = spawn(join(PROJECT_ROOT, "bin/casefile"), ["serve", "--port", String(port)], {
  env: { ...process.env, CASEFILE_TOKEN: TOKEN, CASEFILE_DATA: dataDir, CASEFILE_MAX_UPLOAD: String(Math.max(BYTES + MiB, 2 * 1024 ** 3)) },
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise<void>((resolve, reject) => {
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d;
    if (out.includes("\n")) resolve();
  });
  child.once("exit", (code) => reject(new Error(`casefile serve exited (${code})`)));
});

const rssMb = (): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function upload(body: Readable, length: number, name: string): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1", port, path: "/api/captures", method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "x-filename": name, "content-length": String(length) },
    }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c));
      res.on("end", () => {
        body.destroy();
        resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - t0 });
      });
    });
    // The server may answer a refusal, then cut the connection while the body is still going.
    // An answer that has come is read to its end; a connection lost without one is a failure.
    let answered = false;
    req.on("response", () => (answered = true));
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE" && e.code !== "ECONNRESET") return reject(e);
      setTimeout(() => answered || reject(new Error(`connection lost without an answer (${e.code})`)), 1000);
    });
    body.pipe(req);
  });
}

function dataFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith("catalog.db")) out.push(relative(dataDir, p));
    }
  };
  walk(dataDir);
  return out.sort();
}

async function measure<T>(label: string, run: () => Promise<T>): Promise<T> {
  // Let the start-up's or the last phase's garbage settle before the baseline.
  await new Promise((r) => setTimeout(r, 2000));
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
  const t0 = performance.now();
  const out = await run();
  const s = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 2000));
  const after = rssMb();
  rows.push([label, before.toFixed(0), peak.toFixed(0), `+${(peak - before).toFixed(0)}`, after.toFixed(0), s.toFixed(1)]);
  return out;
}

const rows: string[][] = [];
const get = async (p: string) => (await fetch(`http://127.0.0.1:${port}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
const size = `${gib} GiB`;
try {
  if (!args.includes("--skip-big")) await bigUploads();
  if (args.includes("--inflate")) await inflating();
} finally {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
}

async function bigUploads(): Promise<void> {
  // 1. Noise.
  const filesBefore = dataFiles();
  const noise = await measure(`3 × ${size} random bytes at once`, () =>
    Promise.all([0, 1, 2].map((i) => upload(randomStream(BYTES), BYTES, `noise-${i}.scap`))));
  console.log(`noise: ${noise.map((a) => `${a.status} in ${a.ms.toFixed(0)} ms`).join(", ")}; data folder ${JSON.stringify(dataFiles()) === JSON.stringify(filesBefore) ? "as before" : "CHANGED"}; catalog rows: ${(await get("/api/captures")).length}`);

  // 2. Captures.
  const big = join(workDir, `upload-${gib}gib.scap`);
  if (!existsSync(big) || statSync(big).size < BYTES) {
    const { events } = splitCapture(join(CAPTURES_DIR, "curl_google.scap"));
    await makeBigCapture(join(CAPTURES_DIR, "curl_google.scap"), big, Math.ceil(BYTES / (events.length / events.count)));
  }
  const bigSize = statSync(big).size;
  const stored = await measure(`3 × ${(bigSize / 1024 ** 3).toFixed(2)} GiB capture at once`, () =>
    Promise.all([0, 1, 2].map((i) => upload(createReadStream(big), bigSize, `big-${i}.scap`))));
  const list = (await get("/api/captures")) as { id: string; events: number; status: string }[];
  console.log(`captures: ${stored.map((a) => `${a.status} in ${(a.ms / 1000).toFixed(1)} s`).join(", ")}; stored: ${list.map((c) => `${c.events} events ${c.status}`).join(", ")}`);
  for (const c of list) await fetch(`http://127.0.0.1:${port}/api/captures/${c.id}`, { method: "DELETE", headers: { authorization: `Bearer ${TOKEN}` } });
}

async function inflating(): Promise<void> {
  const gz = join(workDir, `inflates-${inflateGib}gib.scap.gz`);
  if (!existsSync(gz)) await makeInflatingGzip(join(CAPTURES_DIR, "curl_google.scap"), gz, inflateGib * 1024 ** 3);
  const gzSize = statSync(gz).size;
  const r = await measure(`${(gzSize / MiB).toFixed(1)} MB gzip of ${inflateGib} GiB`, () => upload(createReadStream(gz), gzSize, "inflates.scap.gz"));
  const [c] = (await get("/api/captures")) as { events: number; status: string; error?: string }[];
  console.log(`inflating gzip: ${r.status} in ${(r.ms / 1000).toFixed(1)} s; ${c ? `${c.events} events, ${c.status}: ${c.error}` : r.body}`);
}

const head = ["upload", "RSS before MB", "peak MB", "growth", "after MB", "s"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));

/** A gzip of a real capture (its header blocks and events, so the state is a real one) followed
 *  by its smallest event block repeated, unchanged, until `inflated` bytes: identical blocks
 *  compress about a thousandfold, the way a 31 MB gzip came to hold 244 M events. */
async function makeInflatingGzip(source: string, out: string, inflated: number): Promise<void> {
  const { header, events } = splitCapture(source);
  let smallest = { at: 0, len: Infinity };
  for (let o = 0; o < events.length; o += events.readUInt32LE(o + 4)) {
    const len = events.readUInt32LE(o + 4);
    if (len < smallest.len) smallest = { at: o, len };
  }
  const one = events.subarray(smallest.at, smallest.at + smallest.len);
  const block = Buffer.alloc(Math.floor(MiB / one.length) * one.length);
  for (let o = 0; o < block.length; o += one.length) one.copy(block, o);
  let left = inflated - header.length - events.length;
  let first = true;
  const source$ = new Readable({
    read() {
      if (first) {
        first = false;
        this.push(header);
        this.push(events);
      }
      if (left <= 0) return void this.push(null);
      left -= block.length;
      this.push(block);
    },
  });
  await pipeline(source$, createGzip({ level: 9 }), createWriteStream(out));
}

/** A capture's header blocks, and its event blocks (with how many there are). */
function splitCapture(source: string): { header: Buffer; events: Buffer & { count: number } } {
  const raw = readFileSync(source);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  let firstEvent = -1;
  let count = 0;
  for (let o = 0; o < bytes.length; o += bytes.readUInt32LE(o + 4)) {
    if (!EVENT_BLOCK_LAYOUT.has(bytes.readUInt32LE(o))) continue;
    if (firstEvent < 0) firstEvent = o;
    count++;
  }
  return { header: bytes.subarray(0, firstEvent), events: Object.assign(Buffer.from(bytes.subarray(firstEvent)), { count }) };
}
