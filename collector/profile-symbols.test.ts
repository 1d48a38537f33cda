// The symboliser without BPF: a memory map as /proc/PID/maps gives it (a PIE loaded at an
// arbitrary base, split into segments), addresses inside known functions (nm on the unstripped
// binary is the oracle), the same binary stripped (only its dynamic symbols left: the rest are
// named file+0xVADDR, the address addr2line takes), JIT maps, and kernel symbols.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Symbolizer, parseMapsLine, parsePerfMap, kernelAddress, type MapEntry } from "./profile-symbols";

const dir = mkdtempSync(join(tmpdir(), "symbols-test-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function build(): { bin: string; stripped: string } {
  writeFileSync(join(dir, "p.c"), `
    __attribute__((noinline)) static int hidden_helper(int x) { return x * 7 + 3; }
    __attribute__((noinline)) int exported_work(int x) { return hidden_helper(x) ^ 5; }
    int main(int argc, char **argv) { (void)argv; return exported_work(argc); }
  `);
  const bin = join(dir, "p"), stripped = join(dir, "p-stripped");
  // -rdynamic puts exported_work (not hidden_helper: static) in .dynsym, as a library's API is.
  execFileSync("cc", ["-O1", "-fno-inline", "-pie", "-fPIE", "-rdynamic", "-o", bin, join(dir, "p.c")]);
  copyFileSync(bin, stripped);
  execFileSync("strip", ["--strip-all", stripped]);
  return { bin, stripped };
}

/** The maps a loader would give a PIE at `base`: one line per LOAD segment (readelf -lW). */
function mapsOf(path: string, base: number): MapEntry[] {
  const inode = statSync(path).ino;
  const page = (n: number) => n - (n % 4096);
  return execFileSync("readelf", ["-lW", path], { encoding: "utf8" }).split("\n").filter((l) => /^\s*LOAD\s/.test(l))
    .map((l) => l.trim().split(/\s+/)).map((f) => {
      const off = parseInt(f[1], 16), vaddr = parseInt(f[2], 16), memsz = parseInt(f[5], 16);
      const start = base + page(vaddr);
      const line = `${start.toString(16)}-${(base + page(vaddr + memsz + 4095)).toString(16)} r-xp ${page(off).toString(16).padStart(8, "0")} fe:00 ${inode}  ${path}`;
      return parseMapsLine(line)!;
    });
}

function nm(path: string): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const l of execFileSync("nm", ["-S", "--defined-only", path], { encoding: "utf8" }).split("\n")) {
    const f = l.trim().split(/\s+/);
    if (f.length === 4) m.set(f[3], [parseInt(f[0], 16), parseInt(f[1], 16)]);
  }
  return m;
}

test("a PIE mapped at a random base: leaf and return addresses named as nm places them; stripped, only the dynamic symbols", () => {
  const { bin, stripped } = build();
  const syms = nm(bin);
  const base = 0x55d0c0de0000;
  const tgid = 4242;
  const s = new Symbolizer({ kallsymsText: "" });
  s.setMaps(tgid, mapsOf(bin, base));
  const [hAddr, hSize] = syms.get("hidden_helper")!;
  const [eAddr, eSize] = syms.get("exported_work")!;
  const [mAddr, mSize] = syms.get("main")!;
  // Leaf first, as the kernel gives a stack: the leaf's own address, then return addresses
  // (just after a call: the frame is looked up one byte before, inside the caller).
  const leafFirst = [base + hAddr + Math.floor(hSize / 2), base + eAddr + eSize, base + mAddr + Math.min(8, mSize - 1)];
  assert.deepEqual(s.userFrames(tgid, leafFirst), ["main", "exported_work", "hidden_helper"]);
  // The same addresses in the stripped file: hidden_helper has no symbol left.
  const t = new Symbolizer({ kallsymsText: "" });
  t.setMaps(tgid, mapsOf(stripped, base));
  const named = t.userFrames(tgid, leafFirst);
  assert.equal(named[1], "exported_work");
  const vaddr = hAddr + Math.floor(hSize / 2);
  assert.equal(named[2], `p-stripped+0x${vaddr.toString(16)}`);
  // ...which addr2line, on the unstripped file, names hidden_helper.
  assert.equal(execFileSync("addr2line", ["-f", "-e", bin, `0x${vaddr.toString(16)}`], { encoding: "utf8" }).split("\n")[0], "hidden_helper");
  // Outside every mapping, and in a process never seen: [unknown].
  assert.deepEqual(t.userFrames(tgid, [0x1000]), ["[unknown]"]);
  assert.deepEqual(t.userFrames(999999, [base + eAddr]), ["[unknown]"]);
  assert.deepEqual([...t.withoutMaps], [999999]);
});

test("JIT maps: later entries win; kernel symbols by distance from the kernel base, tracing glue cut", () => {
  const jit = parsePerfMap("1000 100 old\n1000 80 LazyCompile:*f /a.js:1\n2000 10 g\nnot a line\n");
  assert.deepEqual(jit.map((j) => [j.addr, j.size, j.name]), [[0x1000, 0x80, "LazyCompile:*f /a.js:1"], [0x2000, 0x10, "g"]]);
  // Through the symboliser: anonymous memory named from /tmp/perf-PID.map (a pid no process has).
  const pid = 4194000 + (process.pid % 1000);
  const mapFile = `/tmp/perf-${pid}.map`;
  writeFileSync(mapFile, "7f0000001000 100 old\n7f0000001000 80 LazyCompile:*f /a.js:1\n");
  try {
    const js = new Symbolizer({ kallsymsText: "" });
    js.setMaps(pid, [parseMapsLine("7f0000000000-7f0000100000 rwxp 00000000 00:00 0 ")!]);
    assert.deepEqual(js.userFrames(pid, [0x7f0000001010, 0x7f0000001091]), ["[unknown]", "LazyCompile:*f /a.js:1"]);
  } finally {
    rmSync(mapFile, { force: true });
  }
  const kallsyms = [
    "ffffffff81000000 T _stext", "ffffffff81100000 T __schedule", "ffffffff81100400 T schedule",
    "ffffffff81200000 t bpf_trace_run4", "ffffffff81300000 T do_nanosleep", "ffffffff81400000 T _etext",
  ].join("\n");
  const s = new Symbolizer({ kallsymsText: kallsyms });
  const k = (hex: string) => kernelAddress(hex);
  // Leaf first: an unloaded BPF program (past _etext), the glue, then the task's own frames.
  assert.deepEqual(
    s.kernelFrames([k("ffffffffc0021234"), k("ffffffff81200010"), k("ffffffff81100010"), k("ffffffff81100410"), k("ffffffff81300020")]),
    ["do_nanosleep_[k]", "schedule_[k]", "__schedule_[k]"],
  );
  assert.equal(kernelAddress("ffffffff81000001") - kernelAddress("ffffffff81000000"), 1, "kernel addresses keep their low bits");
});
