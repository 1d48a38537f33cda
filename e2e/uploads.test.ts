// Uploads on a real server (Next + store), over real HTTP: streamed to disk with bounded memory,
// sniffed from their first bytes, refused without leaving anything behind, and held to the
// limits on concurrent uploads, inflated size and event count. Needs `npx next build` first.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { projectRoot } from "../server/http/serve";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { randomStream } from "../server/testing/random-stream";
import { makeBigCapture } from "../bench/big-capture";
import { useWorkbench } from "./workbench-harness";

const CAT_WRITE = fixtureCapture("falco_cat_write.scap");
const MAX_UPLOADS = 2;
const MiB = 1024 * 1024;

const h = useWorkbench("uploads", { serverOptions: { maxUploads: MAX_UPLOADS } });

/** A raw POST /api/captures with the token; the body may be a stream. */
const upload = (body: Buffer | Readable | null, headers: Record<string, string> = {}) => h.api("POST", "/api/captures", body, headers);

async function get(p: string): Promise<any> {
  const r = await h.api("GET", p);
  assert.equal(r.status, 200, p);
  return r.json;
}

/** Every file under the data folder except the catalog's own (its WAL comes and goes). */
function dataFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith("catalog.db")) out.push(path.relative(h.dataDir, p));
    }
  };
  walk(h.dataDir);
  return out.sort();
}

/** The evt.num of every event the server lists for a capture. */
async function storedNums(id: string): Promise<number[]> {
  const nums: number[] = [];
  for (let from: number | null = 0; from !== null;) {
    const page: { events: { num: number }[]; next: number | null } = await get(`/api/captures/${id}/events?from=${from}&limit=5000`);
    nums.push(...page.events.map((e) => e.num));
    from = page.next;
  }
  return nums;
}

const sysdigNums = (file: string, filter?: string) => sysdigLines(file, filter ? [filter] : []).map((l) => Number(l.split(" ")[0]));

test("files that are not captures are refused from their first bytes and leave nothing behind", async () => {
  const before = dataFiles();
  const pkg = readFileSync(path.join(projectRoot, "package.json"));
  const cases: [string, Buffer | null, number, RegExp][] = [
    ["package.json", pkg, 415, /^not a scap capture: it starts with 7b .*\(at byte 0\)$/],
    ["package.json.gz", gzipSync(pkg), 415, /^inside the gzip, not a scap capture/],
    ["empty", Buffer.alloc(0), 400, /no body/],
    ["no body", null, 400, /no body/],
  ];
  for (const [name, body, status, message] of cases) {
    const r = await upload(body, { "x-filename": name });
    assert.equal(r.status, status, `${name}: ${JSON.stringify(r.json)}`);
    assert.match(r.json.error, message, name);
    assert.deepEqual(await get("/api/captures"), [], `${name} left a catalog row`);
    assert.deepEqual(dataFiles(), before, `${name} left a file`);
  }
});

test("200 MB of noise is refused at once, with the server's memory unmoved", async () => {
  const before = dataFiles();
  const rss0 = process.memoryUsage().rss;
  const r = await upload(randomStream(200 * MiB), { "x-filename": "noise.scap", "content-length": String(200 * MiB) });
  assert.equal(r.status, 415);
  // Answered from the first chunk, not after 200 MB went by.
  assert.ok(r.ms < 3000, `answered after ${r.ms} ms`);
  const grew = (process.memoryUsage().rss - rss0) / MiB;
  assert.ok(grew < 50, `RSS grew by ${grew.toFixed(0)} MB`);
  assert.deepEqual(await get("/api/captures"), []);
  assert.deepEqual(dataFiles(), before);
});

test("a capture with no whole event is refused (422) and not listed", async () => {
  const before = dataFiles();
  const raw = gunzipSync(readFileSync(CAT_WRITE));
  const r = await upload(raw.subarray(0, 200), { "x-filename": "cut.scap" });
  assert.equal(r.status, 422, JSON.stringify(r.json));
  assert.match(r.json.error, /byte \d+|offset \d+/);
  assert.deepEqual(await get("/api/captures"), []);
  assert.deepEqual(dataFiles(), before);
});

test("a 200 MB capture streams to disk with bounded memory and keeps every event", async () => {
  const big = path.join(h.scratch, "big.scap");
  const blocks = await makeBigCapture(fixtureCapture("curl_google.scap"), big, 3_000_000);
  const size = statSync(big).size;
  assert.ok(size > 150 * MiB, `${size}`);
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const r = await upload(createReadStream(big), { "x-filename": "big.scap", "content-length": String(size) });
  clearInterval(sampler);
  rmSync(big);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  try {
    const [c] = await get("/api/captures");
    // Every event block of the file is an event: the count does not come from our reader.
    assert.equal(c.events, blocks);
    assert.equal(c.status, "ready");
    const grew = (peak - rss0) / MiB;
    console.log(`# 200 MB upload + ingest: RSS ${(rss0 / MiB).toFixed(0)} MB before, peak +${grew.toFixed(0)} MB, ${(r.ms / 1000).toFixed(1)} s`);
    // Ingest's own working set (state, batches in flight, SQLite) is about 120 MB here, and the
    // garbage collector may run late under load; holding the body would add 200 MB to that.
    assert.ok(grew < 250, `RSS grew by ${grew.toFixed(0)} MB`);
  } finally {
    await h.api("DELETE", `/api/captures/${r.json.id}`, null, { origin: h.origin });
  }
});

test("more uploads than the limit at once: the next is refused with 429 saying how to raise it; cut uploads leave nothing", async () => {
  const before = dataFiles();
  const raw = gunzipSync(readFileSync(CAT_WRITE));
  // Uploads that send a capture's first bytes, then wait.
  const held = Array.from({ length: MAX_UPLOADS }, () => {
    const req = http.request({ host: "127.0.0.1", port: h.port, path: "/api/captures", method: "POST", headers: { authorization: `Bearer ${h.token}`, "content-length": String(raw.length) } });
    req.on("error", () => {});
    req.write(raw.subarray(0, 64 * 1024));
    return req;
  });
  // The held uploads are stored to disk as they come: wait until both have begun.
  for (let i = 0; i < 500 && readdirSync(path.join(h.dataDir, "uploads")).length < MAX_UPLOADS; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(readdirSync(path.join(h.dataDir, "uploads")).length, MAX_UPLOADS);
  const r = await upload(readFileSync(CAT_WRITE), { "x-filename": "third.scap" });
  assert.equal(r.status, 429);
  assert.equal(r.headers["retry-after"], "5");
  assert.match(r.json.error, /2 uploads are already running.*CASEFILE_MAX_UPLOADS/);
  for (const req of held) req.destroy();
  for (let i = 0; i < 500 && dataFiles().length > before.length; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(dataFiles(), before, "a cut upload left its temp file");
  assert.deepEqual(await get("/api/captures"), []);
  // A slot is free again.
  const ok = await upload(readFileSync(CAT_WRITE), { "x-filename": "fourth.scap" });
  assert.equal(ok.status, 201);
  assert.equal((await h.api("DELETE", `/api/captures/${ok.json.id}`, null, { origin: h.origin })).status, 200);
});

test("the event limit keeps the events sysdig numbers up to it, or refuses the capture, as CASEFILE_OVER_LIMIT says", async () => {
  const raw = path.join(h.scratch, "cat_write.scap");
  writeFileSync(raw, gunzipSync(readFileSync(CAT_WRITE)));
  const before = dataFiles();
  try {
    process.env.CASEFILE_MAX_EVENTS = "200";
    const kept = await upload(readFileSync(CAT_WRITE), { "x-filename": "limited.scap" });
    assert.equal(kept.status, 201, JSON.stringify(kept.json));
    const [c] = await get("/api/captures");
    assert.equal(c.events, 200);
    assert.match(c.error, /more than 200 events \(CASEFILE_MAX_EVENTS\); the first 200 events were kept: raise the limit/);
    assert.deepEqual(await storedNums(c.id), sysdigNums(raw, "evt.num<=200"));
    await h.api("DELETE", `/api/captures/${c.id}`, null, { origin: h.origin });

    process.env.CASEFILE_OVER_LIMIT = "refuse";
    const refused = await upload(readFileSync(CAT_WRITE), { "x-filename": "limited.scap" });
    assert.equal(refused.status, 413);
    assert.match(refused.json.error, /more than 200 events \(CASEFILE_MAX_EVENTS\); the capture was refused \(CASEFILE_OVER_LIMIT=refuse\)/);
    assert.deepEqual(await get("/api/captures"), []);
    assert.deepEqual(dataFiles(), before);
  } finally {
    delete process.env.CASEFILE_MAX_EVENTS;
    delete process.env.CASEFILE_OVER_LIMIT;
  }
});

test("the inflated-size limit stops a gzip where sysdig stops on the file cut there", async () => {
  const raw = gunzipSync(readFileSync(CAT_WRITE));
  const limit = Math.floor(raw.length * 0.9); // the first 60% are the process and fd lists
  const cut = path.join(h.scratch, "cut.scap");
  writeFileSync(cut, raw.subarray(0, limit));
  try {
    process.env.CASEFILE_MAX_INFLATED = String(limit);
    const r = await upload(readFileSync(CAT_WRITE), { "x-filename": "inflates.scap.gz" });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const [c] = await get("/api/captures");
    assert.match(c.error, new RegExp(`inflates to more than ${limit} bytes \\(CASEFILE_MAX_INFLATED\\); the first \\d+ events were kept`));
    const expected = sysdigNums(cut);
    assert.ok(expected.length > 10);
    assert.deepEqual(await storedNums(c.id), expected);
    await h.api("DELETE", `/api/captures/${c.id}`, null, { origin: h.origin });
  } finally {
    delete process.env.CASEFILE_MAX_INFLATED;
  }
});
