// The ELF reader against binutils on the same files: nm for the function symbols (.symtab of a
// binary built here, .dynsym of the system's libc), readelf for the loadable segments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileOffsetToVaddr, readElf, symbolAt, ElfError } from "./elf";

function elfOf(path: string) {
  const bytes = readFileSync(path);
  return readElf((o, n) => bytes.subarray(o, o + n), bytes.length);
}

/** nm's function symbols: name → [addr, size], from `nm -S --defined-only` (T/t/W/i). */
function nmFunctions(path: string, dynamic: boolean): Map<string, [number, number]> {
  const out = execFileSync("nm", [...(dynamic ? ["-D"] : []), "-S", "--defined-only", path], { encoding: "utf8" });
  const m = new Map<string, [number, number]>();
  for (const line of out.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length === 4 && /^[tTWi]$/.test(f[2])) m.set(f[3].replace(/@.*$/, ""), [parseInt(f[0], 16), parseInt(f[1], 16)]);
  }
  return m;
}

const dir = mkdtempSync(join(tmpdir(), "elf-test-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("a PIE built here: every function nm names, at its address and size; addresses inside resolve to it", () => {
  const src = join(dir, "prog.c"), bin = join(dir, "prog");
  writeFileSync(src, `
    __attribute__((noinline)) int alpha(int x) { return x * 3 + 1; }
    __attribute__((noinline)) static int beta(int x) { for (int i = 0; i < x; i++) x ^= i; return x; }
    int main(int argc, char **argv) { (void)argv; return alpha(argc) + beta(argc); }
  `);
  execFileSync("cc", ["-O1", "-fno-inline", "-pie", "-fPIE", "-o", bin, src]);
  const elf = elfOf(bin);
  assert.equal(elf.type, 3); // ET_DYN
  assert.equal(elf.hasSymtab, true);
  const nm = nmFunctions(bin, false);
  for (const name of ["alpha", "beta", "main"]) assert.ok(nm.has(name), `nm lists ${name}`);
  for (const [name, [addr, size]] of nm) {
    const ours = elf.symbols.find((s) => s.name === name);
    assert.ok(ours, `${name} is among our symbols`);
    assert.equal(ours.addr, addr, name);
    assert.equal(ours.size, size, name);
    if (size > 0) {
      assert.equal(symbolAt(elf.symbols, addr)?.name, name);
      assert.equal(symbolAt(elf.symbols, addr + size - 1)?.name, name);
    }
  }
  // The build id readelf shows.
  const notes = execFileSync("readelf", ["-n", bin], { encoding: "utf8" });
  assert.equal(elf.buildId, /Build ID: ([0-9a-f]+)/.exec(notes)?.[1]);
});

test("libc's dynamic symbols as nm -D gives them; file offsets become addresses through readelf's segments", () => {
  const libc = execFileSync("sh", ["-c", "ldd /bin/true | awk '/libc.so/ {print $3}'"], { encoding: "utf8" }).trim();
  const elf = elfOf(libc);
  const nm = nmFunctions(libc, true);
  assert.ok(nm.size > 500, `nm -D lists ${nm.size} functions`);
  let checked = 0;
  for (const [name, [addr]] of nm) {
    const ours = elf.symbols.filter((s) => s.addr === addr).map((s) => s.name);
    assert.ok(ours.includes(name), `${name} at 0x${addr.toString(16)}: ours ${ours.join(",")}`);
    checked++;
  }
  assert.equal(checked, nm.size);
  // readelf -lW: LOAD Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align
  const loads = execFileSync("readelf", ["-lW", libc], { encoding: "utf8" }).split("\n").filter((l) => /^\s*LOAD\s/.test(l))
    .map((l) => l.trim().split(/\s+/)).map((f) => ({ offset: parseInt(f[1], 16), vaddr: parseInt(f[2], 16), filesz: parseInt(f[4], 16), flags: f.slice(6, -1).join("") }));
  assert.deepEqual(elf.segments.map((s) => [s.offset, s.vaddr, s.filesz]), loads.map((s) => [s.offset, s.vaddr, s.filesz]));
  const text = loads.find((s) => s.flags.includes("E"))!;
  const probe = text.offset + Math.floor(text.filesz / 2);
  assert.equal(fileOffsetToVaddr(elf, probe), probe - text.offset + text.vaddr);
});

test("not ELF, or cut short: a clear error naming the offset", () => {
  const junk = Buffer.from("#!/bin/sh\necho hello\n".padEnd(80, " "));
  assert.throws(() => readElf((o, n) => junk.subarray(o, o + n), junk.length), (e: unknown) => e instanceof ElfError && /no \\x7fELF magic at offset 0/.test((e as Error).message));
  const bin = readFileSync("/bin/true");
  const cut = bin.subarray(0, 200);
  assert.throws(() => readElf((o, n) => cut.subarray(o, o + n), cut.length), /past the end of the file \(200 bytes\)/);
});
