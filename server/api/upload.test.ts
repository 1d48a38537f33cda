// The upload sniff: what the first bytes of a file say it is, on real files of every kind.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { fixtureCapture, fixturePcaps, PROJECT_ROOT } from "../testing/oracle";
import { receiveUpload, sniffCapture } from "./upload";
import { inflatedStart } from "../ingest/capture-kind";
import { ApiError } from "./http-json";

const gz = readFileSync(fixtureCapture("falco_cat_write.scap"));
const raw = gunzipSync(gz);

test("a scap file and a gzip are told from their first bytes; anything else is refused from them", () => {
  assert.deepEqual(sniffCapture(raw.subarray(0, 4096), false), { kind: "scap" });
  assert.deepEqual(sniffCapture(gz.subarray(0, 3), false), { kind: "gzip" });
  // The whole of a section header is not needed to refuse binary noise: one wrong byte is
  // enough. Text waits for its first line, which may make it a profile (a folded stack).
  assert.equal(sniffCapture(Uint8Array.of(0x01), false).kind, "refuse");
  assert.deepEqual(sniffCapture(Buffer.from("main;read"), false), { kind: "more" });
  assert.deepEqual(sniffCapture(Buffer.from("main;read 3\n"), false), { kind: "profile" });
  const json = sniffCapture(readFileSync(join(PROJECT_ROOT, "package.json")).subarray(0, 1), true);
  assert.equal(json.kind, "refuse");
  assert.match((json as { why: string }).why, /^not a scap capture: it starts with 7b, not a section header block \(at byte 0\)$/);
  assert.deepEqual(sniffCapture(raw.subarray(0, 11), false), { kind: "more" });
  assert.equal(sniffCapture(raw.subarray(0, 11), true).kind, "refuse");
  assert.deepEqual(sniffCapture(new Uint8Array(0), true), { kind: "refuse", why: "the file is empty" });
  // A section header cut before the next block: wait for it, or leave it to the reader at the end.
  assert.deepEqual(sniffCapture(raw.subarray(0, 20), false), { kind: "more" });
});

test("pcap and pcapng files are told apart from scap and accepted (the packet store ingests them)", () => {
  const pcaps = fixturePcaps();
  const pcap = pcaps.find((f) => f.endsWith(".pcap") && readFileSync(f).readUInt32LE(0) === 0xa1b2c3d4)!;
  const pcapng = pcaps.find((f) => f.endsWith(".pcapng") && readFileSync(f).readUInt32LE(0) === 0x0a0d0d0a)!;
  assert.ok(pcap && pcapng);
  assert.deepEqual(sniffCapture(readFileSync(pcap), true), { kind: "pcap" });
  // The same section header block as scap: the block after it tells.
  assert.deepEqual(sniffCapture(readFileSync(pcapng), true), { kind: "pcapng" });
  assert.deepEqual(sniffCapture(readFileSync(pcapng).subarray(0, 20), false), { kind: "more" });
});

test("a gzip's start is inflated only as far as the sniff needs, however far it would inflate", async () => {
  // 64 MiB of zeros compress to 64 KB; their first bytes cost almost nothing to see.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const before = process.memoryUsage().rss;
  const r = await inflatedStart(bomb, 12);
  assert.ok("bytes" in r && r.bytes.length >= 12 && r.bytes.length < 64 * 1024);
  assert.ok(process.memoryUsage().rss - before < 32 * 1024 * 1024);
  // A cut prefix gives what it holds; a damaged one an error.
  const part = await inflatedStart(gz.subarray(0, 200), 1 << 20);
  assert.ok("bytes" in part && raw.subarray(0, part.bytes.length).equals(Buffer.from(part.bytes)));
  const bad = await inflatedStart(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]), 1 << 20);
  assert.ok("error" in bad, JSON.stringify(bad));
});

test("receiveUpload stores a capture byte for byte and refuses the rest without writing a file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-upload-"));
  try {
    // Chunks as a socket delivers them: small, so the sniff needs several.
    const chunked = (b: Buffer, size = 7) => Readable.from((function* () {
      for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
    })());
    const saved = await receiveUpload(chunked(gz, 3), { dir, limit: 1 << 30 });
    assert.ok(readFileSync(saved.path).equals(gz));
    assert.equal(saved.bytes, gz.length);
    rmSync(saved.path);

    // A gzip-compressed profile (folded stacks, a perf script recording) is taken as it came:
    // the store keeps it inflated (flame-store.test.ts).
    for (const text of ["app;main;work 30\napp;main;idle 10\n", "app 1 [000] 1.000001: 1001001 cpu-clock:\n\t1 work+0x1 (/app)\n\n"]) {
      const body = gzipSync(text);
      const kept = await receiveUpload(chunked(body, 5), { dir, limit: 1 << 30 });
      assert.ok(readFileSync(kept.path).equals(body));
      rmSync(kept.path);
    }

    const refusals: [Buffer, number, RegExp][] = [
      [readFileSync(join(PROJECT_ROOT, "package.json")), 415, /not a scap capture/],
      [gzipSync(readFileSync(join(PROJECT_ROOT, "package.json"))), 415, /^inside the gzip, not a scap capture: .*\(at byte 0 of the inflated data\)$/],
      [gzipSync(gz), 415, /gzip file inside a gzip file/],
      [Buffer.alloc(0), 400, /no body/],
      [raw, 413, /larger than the upload limit of 1000 bytes; set CASEFILE_MAX_UPLOAD/],
    ];
    for (const [body, status, message] of refusals) {
      await assert.rejects(receiveUpload(chunked(body, 1000), { dir, limit: 1000 * (status === 413 ? 1 : 1000) }), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.status, status);
        assert.match(e.message, message);
        return true;
      });
      assert.deepEqual(readdirSync(dir), []);
    }
    // A declared length over the limit is refused before a byte is read.
    await assert.rejects(receiveUpload(chunked(gz), { dir, limit: 10, declaredLength: String(gz.length) }), /upload limit/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
