// The scap reader on the real shared captures: any chunking gives the same events, and damage
// keeps every whole event before it with an error naming the byte offset.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename } from "node:path";
import { ScapError, ScapReader, type RawEvent } from "./reader";
import { fixtureCapture, fixtureCaptures } from "../../../testing/oracle";
import { paramsHex } from "../../../testing/scap-scenario";

function inflate(file: string): Uint8Array {
  const raw = readFileSync(file);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** Reads `bytes` in chunks of `size`; returns a digest line per event, the block offsets seen
 *  and the error, if any. */
function readAll(bytes: Uint8Array, size: number): { events: string[]; error?: ScapError } {
  const events: string[] = [];
  const reader = new ScapReader({
    event(ev: RawEvent) {
      events.push(`${ev.blockOffset} ${ev.cpu} ${ev.tsHi}:${ev.tsLo} ${ev.tid} ${ev.type} ${ev.nparams} ${ev.end - ev.lensOff}`);
    },
  });
  try {
    for (let o = 0; o < bytes.length; o += size) reader.push(bytes.subarray(o, Math.min(o + size, bytes.length)));
    reader.end();
    return { events };
  } catch (e) {
    if (e instanceof ScapError) return { events, error: e };
    throw e;
  }
}

for (const file of fixtureCaptures()) {
  test(`${basename(file)}: same events in 1-byte, 7-byte and 64 KiB chunks`, () => {
    const bytes = inflate(file);
    const whole = readAll(bytes, bytes.length);
    assert.equal(whole.error, undefined);
    assert.ok(whole.events.length > 0);
    for (const size of [1, 7, 65536]) {
      const r = readAll(bytes, size);
      assert.equal(r.error, undefined, `chunk size ${size}`);
      assert.deepEqual(r.events, whole.events, `chunk size ${size}`);
    }
  });
}

test("a capture cut anywhere keeps every whole event before the cut and names the offset", () => {
  const bytes = inflate(fixtureCapture("curl_google.scap"));
  const whole = readAll(bytes, bytes.length).events;
  const offsets = whole.map((e) => Number(e.split(" ")[0]));
  for (const cut of [bytes.length - 1, bytes.length - 50, Math.floor(bytes.length / 2), 130_001, 9]) {
    const r = readAll(bytes.subarray(0, cut), 4096);
    assert.ok(r.error, `cut at ${cut}`);
    const kept = offsets.filter((o, i) => i < whole.length && o + 12 <= cut && whole[i] && blockEnds(bytes, o) <= cut).length;
    assert.equal(r.events.length, kept, `cut at ${cut}`);
    assert.deepEqual(r.events, whole.slice(0, kept));
    assert.match(r.error!.message, /cut short.* at byte \d+$/);
    assert.ok(r.error!.offset <= cut && r.error!.offset >= (offsets[kept - 1] ?? 0));
  }
});

function blockEnds(bytes: Uint8Array, offset: number): number {
  return offset + new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset + 4, true);
}

test("not a capture, and an empty input, are clear errors at byte 0", () => {
  const notScap = readAll(new TextEncoder().encode('{"name": "casefile", "version": "0.1.0"}\n'), 7);
  assert.match(notScap.error!.message, /^not a scap capture .* at byte 0$/);
  const empty = readAll(new Uint8Array(0), 1);
  assert.match(empty.error!.message, /^empty input: not a scap capture at byte 0$/);
});

test("a corrupt block length is an error naming its offset, after the valid events", () => {
  const bytes = inflate(fixtureCapture("falco_cat_write.scap")).slice();
  const whole = readAll(bytes, bytes.length).events;
  const tenth = Number(whole[10].split(" ")[0]);
  new DataView(bytes.buffer).setUint32(tenth + 4, 3, true); // an impossible length
  const r = readAll(bytes, 1000);
  assert.deepEqual(r.events, whole.slice(0, 10));
  assert.equal(r.error!.offset, tenth);
  assert.match(r.error!.message, /corrupt block/);
});

test("large-payload and flagged event blocks read the same events as plain v2 blocks", () => {
  // single_ipv6_conn.scap holds EV_BLOCK_TYPE_V2 blocks. Rewrite each as EVF_BLOCK_TYPE_V2_LARGE
  // (flags after the cpu id) and check every event reads the same. Its events keep 16-bit
  // parameter lengths: the width belongs to the event type (EF_LARGE_PAYLOAD), not to the
  // block, as sysdig 0.29.3 reads them (writer-versions.diff.test.ts compares with it).
  const bytes = inflate(fixtureCapture("single_ipv6_conn.scap"));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let o = 0; o < bytes.length;) {
    const type = dv.getUint32(o, true);
    const len = dv.getUint32(o + 4, true);
    if (type !== 0x216) {
      parts.push(bytes.subarray(o, o + len));
    } else {
      const hdr = o + 10;
      const nparams = dv.getUint32(hdr + 22, true);
      const lens = hdr + 26;
      const vals = lens + 2 * nparams;
      const evLen = dv.getUint32(hdr + 16, true);
      const valBytes = hdr + evLen - vals;
      const newEvLen = 26 + 2 * nparams + valBytes;
      const body = 2 + 4 + newEvLen;
      const total = 8 + Math.ceil(body / 4) * 4 + 4;
      const out = new Uint8Array(total);
      const w = new DataView(out.buffer);
      w.setUint32(0, 0x222, true);
      w.setUint32(4, total, true);
      out.set(bytes.subarray(o + 8, o + 10), 8); // cpu
      w.setUint32(10, 0xabcc, true); // flags, bit 0 (state only) clear
      out.set(bytes.subarray(hdr, hdr + 26), 14);
      w.setUint32(14 + 16, newEvLen, true);
      out.set(bytes.subarray(lens, vals + valBytes), 14 + 26);
      w.setUint32(total - 4, total, true);
      parts.push(out);
    }
    o += len;
  }
  const large = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (large.set(p, o), o + p.length), 0);

  const values = (input: Uint8Array) => {
    const out: string[] = [];
    const reader = new ScapReader({
      event(ev) {
        out.push(`${ev.cpu} ${ev.tsHi}:${ev.tsLo} ${ev.tid} ${ev.type} ${paramsHex(ev).join(",")}`);
      },
    });
    for (let o = 0; o < input.length; o += 7) reader.push(input.subarray(o, o + 7));
    reader.end();
    return out;
  };
  const plain = values(bytes);
  assert.ok(plain.length > 1000);
  assert.deepEqual(values(large), plain);
});
