import { test } from "node:test";
import assert from "node:assert/strict";
import { byteLength, decodeBytes, encodeBytes, hasEscapedBytes } from "./byte-strings";

test("valid UTF-8 decodes as text; invalid bytes are escaped and come back as the same bytes", () => {
  const cases: number[][] = [
    [0x68, 0x69],
    [0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xe2, 0x9c, 0x93, 0x20, 0xf0, 0x9f, 0x98, 0x80],
    [0x66, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x41],
    [0xc0, 0xaf], // overlong '/'
    [0xed, 0xa0, 0x80], // an encoded surrogate
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xe2, 0x9c], // cut short
    [0xf0, 0x90, 0x82, 0x80, 0x80], // U+10080 (its low surrogate is in the escape range) then a stray byte
  ];
  for (const c of cases) {
    const b = Uint8Array.from(c);
    const s = decodeBytes(b);
    assert.deepEqual([...encodeBytes(s)], c, `round trip of ${c.map((x) => x.toString(16)).join(" ")}`);
  }
  assert.equal(decodeBytes(Uint8Array.from([0x63, 0xc3, 0xa9])), "c\u00e9");
  assert.equal(hasEscapedBytes(decodeBytes(Uint8Array.from([0x63, 0xc3, 0xa9]))), false);
  assert.equal(hasEscapedBytes(decodeBytes(Uint8Array.from([0x66, 0xff]))), true);
  assert.equal(decodeBytes(Uint8Array.from([0x66, 0xff])).length, 2);
  assert.equal(byteLength(decodeBytes(Uint8Array.of(0xff)).codePointAt(0)!), 1);
  assert.equal(byteLength("\u00e9".codePointAt(0)!), 2);
});
