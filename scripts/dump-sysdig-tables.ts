// Writes the facts of the installed sysdig 0.29.3 that no source file of its libs commit
// (e5c53d64) in scripts/vendor holds, as text inputs for scripts/generate-tables.ts:
// - sysdig-0.29.3/g_syscall_info_table.tsv: the system call table compiled into libscap
//   (userspace/libscap/syscall_info_table.c, which neither Debian package of that commit ships),
//   read from the shared library's exported symbol: code, category, flags, name per line;
// - sysdig-0.29.3/list-markdown.md: `sysdig --list-markdown`, the filter fields (with their
//   types), and list.txt: `sysdig -l`, the same with the class titles `casefile fields` prints.
// Run once when the pinned sysdig changes: node --import tsx scripts/dump-sysdig-tables.ts
// (a test checks the committed dumps against the installed sysdig).
//
// The library is read as an ELF file: the symbol's bytes in its section, and the name pointers
// from the R_X86_64_RELATIVE relocations that fill them in at load time (x86-64 only).

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "vendor/sysdig-0.29.3");
const LIBSCAP = "/usr/lib/x86_64-linux-gnu/libscap.so.0.1.1dev+git20220316.e5c53d64";

interface Section { name: number; type: number; addr: bigint; offset: bigint; size: bigint; link: number }

function readElf(path: string) {
  const b = readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error(`${path}: not a little-endian ELF64 file`);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      name: b.readUInt32LE(o), type: b.readUInt32LE(o + 4), addr: b.readBigUInt64LE(o + 16),
      offset: b.readBigUInt64LE(o + 24), size: b.readBigUInt64LE(o + 32), link: b.readUInt32LE(o + 40),
    });
  }
  const cstr = (off: number) => b.toString("latin1", off, b.indexOf(0, off));
  /** File offset of a virtual address (the section that maps it). */
  const fileOffset = (va: bigint): number => {
    const s = sections.find((x) => x.addr !== 0n && va >= x.addr && va < x.addr + x.size);
    if (!s) throw new Error(`address 0x${va.toString(16)} is in no section`);
    return Number(s.offset + (va - s.addr));
  };
  const SHT_RELA = 4, SHT_DYNSYM = 11, R_X86_64_RELATIVE = 8n;
  const relative = new Map<bigint, bigint>();
  for (const s of sections.filter((x) => x.type === SHT_RELA)) {
    for (let o = Number(s.offset); o < Number(s.offset + s.size); o += 24) {
      if ((b.readBigUInt64LE(o + 8) & 0xffffffffn) === R_X86_64_RELATIVE) relative.set(b.readBigUInt64LE(o), b.readBigInt64LE(o + 16));
    }
  }
  const symbol = (wanted: string): { addr: bigint; size: number } => {
    const dynsym = sections.find((x) => x.type === SHT_DYNSYM)!;
    const strtab = sections[dynsym.link]!;
    for (let o = Number(dynsym.offset); o < Number(dynsym.offset + dynsym.size); o += 24) {
      if (cstr(Number(strtab.offset) + b.readUInt32LE(o)) === wanted) {
        return { addr: b.readBigUInt64LE(o + 8), size: Number(b.readBigUInt64LE(o + 16)) };
      }
    }
    throw new Error(`${path}: no symbol ${wanted}`);
  };
  /** The string a relocated pointer at this address points to. */
  const pointedString = (va: bigint): string => {
    const target = relative.get(va);
    if (target === undefined) throw new Error(`no relocation at 0x${va.toString(16)}`);
    return cstr(fileOffset(target));
  };
  return { b, fileOffset, symbol, pointedString };
}

function dumpSyscalls(): string {
  const elf = readElf(LIBSCAP);
  const { addr, size } = elf.symbol("g_syscall_info_table");
  // struct ppm_syscall_desc (userspace/libscap/scap.h): u32 category, u32 flags, char *name.
  const ENTRY = 16;
  const lines = ["# code\tcategory\tflags\tname (g_syscall_info_table of " + LIBSCAP.split("/").pop() + ")"];
  for (let i = 0; i < size / ENTRY; i++) {
    const va = addr + BigInt(i * ENTRY);
    const o = elf.fileOffset(va);
    lines.push([i, elf.b.readUInt32LE(o), elf.b.readUInt32LE(o + 4), elf.pointedString(va + 8n)].join("\t"));
  }
  return `${lines.join("\n")}\n`;
}

const sysdig = (args: string[]) => execFileSync("sysdig", args, { encoding: "utf8", maxBuffer: 1 << 26 });

/** Every dump: file name (in scripts/vendor/sysdig-0.29.3) -> its text, from the installed
 *  sysdig. server/core/events/generated-tables.test.ts checks the committed ones against it. */
export function sysdigDumps(): Map<string, string> {
  return new Map([
    ["g_syscall_info_table.tsv", dumpSyscalls()],
    ["list-markdown.md", sysdig(["--list-markdown"])],
    ["list.txt", sysdig(["-l"])],
    ["version.txt", sysdig(["--version"])],
  ]);
}

export const SYSDIG_DUMPS_DIR = OUT;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of sysdigDumps()) writeFileSync(join(OUT, name), text);
  console.log(`wrote ${OUT}`);
}
