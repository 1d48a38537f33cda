// Names for the addresses of a CPU profile: user frames from the process's memory map (copied by
// bpf/profiler while the process lived) and the ELF symbol tables of the mapped files; JIT code
// from /tmp/perf-PID.map (Node with --perf-basic-prof, the JVM with perf-map-agent); kernel
// frames from /proc/kallsyms.
//
// What is not found is still placed: `file+0xVADDR` when the file is known (the address
// addr2line -e file takes), `[unknown]` otherwise, `[vdso]` for the vDSO.

import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import { readElf, fileOffsetToVaddr, symbolAt, type ElfInfo, type ElfSymbol } from "../server/core/formats/elf";

export interface MapEntry {
  start: number;
  end: number;
  offset: number;
  inode: number;
  /** The mapped file, [vdso], [heap]..., or "" for anonymous memory. */
  path: string;
}

/** One line of /proc/PID/maps. */
export function parseMapsLine(line: string): MapEntry | undefined {
  const m = /^([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+([0-9a-f]+)\s+\S+\s+(\d+)\s*(.*)$/.exec(line);
  if (!m) return undefined;
  return { start: parseInt(m[1], 16), end: parseInt(m[2], 16), offset: parseInt(m[3], 16), inode: Number(m[4]), path: m[5] };
}

interface JitSymbol {
  addr: number;
  size: number;
  name: string;
}

/** /tmp/perf-PID.map: `START SIZE name` in hex, one a line (perf's JIT map convention). */
export function parsePerfMap(text: string): JitSymbol[] {
  const out: JitSymbol[] = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.+)$/.exec(line.trim());
    if (m) out.push({ addr: parseInt(m[1], 16), size: parseInt(m[2], 16), name: m[3] });
  }
  // Later entries win over earlier ones at the same address (code moved, a new function there):
  // reversed, a stable sort keeps the latest first at each address, and the rest go.
  const sorted = out.reverse().sort((a, b) => a.addr - b.addr);
  return sorted.filter((j, i) => i === 0 || j.addr !== sorted[i - 1].addr);
}

/** Kernel addresses do not fit a double: they are kept as their distance from this base (the
 *  kernel's half of the address space starts above it on every 64-bit architecture we run on). */
export const KERNEL_BASE = 0xffff000000000000n;
export function kernelAddress(hex: string): number {
  const a = BigInt(`0x${hex}`);
  return a >= KERNEL_BASE ? Number(a - KERNEL_BASE) : Number(a);
}

interface KernelSymbol {
  addr: number;
  name: string;
}

/** /proc/kallsyms: the text symbols (t/T/w/W), by address. */
export function parseKallsyms(text: string): KernelSymbol[] {
  const out: KernelSymbol[] = [];
  for (const line of text.split("\n")) {
    const sp1 = line.indexOf(" ");
    const type = line[sp1 + 1];
    if (sp1 < 0 || !"tTwW".includes(type)) continue;
    const rest = line.slice(sp1 + 3);
    const tab = rest.indexOf("\t");
    const name = tab < 0 ? rest : rest.slice(0, tab);
    const addr = kernelAddress(line.slice(0, sp1));
    if (addr > 0) out.push({ addr, name });
  }
  return out.sort((a, b) => a.addr - b.addr);
}

// Tracing glue between the switched-out task's stack and the scheduler: the frames of our own
// BPF program, not of the task.
const END_MARKER = /^(_etext|_einittext|__init_end|_end|__end_rodata|__irqentry_text_end|__softirqentry_text_end)$/;
const TRACING_FRAME = /^(bpf_prog_|__bpf_trace_|bpf_trace_run\d|__traceiter_|__bpf_prog_run|trace_call_bpf|perf_trace_run_bpf_submit)/;

export class Symbolizer {
  private kallsyms?: KernelSymbol[];
  private elfs = new Map<string, { elf?: ElfInfo; symbols: readonly ElfSymbol[] }>();
  private perfMaps = new Map<number, JitSymbol[]>();
  private maps = new Map<number, MapEntry[]>();
  /** Processes seen with no memory map (gone before it could be read). */
  readonly withoutMaps = new Set<number>();

  constructor(private readonly opts: { kallsymsText?: string; debugRoot?: string } = {}) {}

  setMaps(tgid: number, entries: MapEntry[]): void {
    this.maps.set(tgid, entries.sort((a, b) => a.start - b.start));
  }

  /** User frames of a stack (leaf first, as the kernel gives it) → names, root first. */
  userFrames(tgid: number, leafFirst: readonly number[]): string[] {
    const out: string[] = [];
    for (let i = leafFirst.length - 1; i >= 0; i--) {
      // A return address points after its call: look up the call itself (what perf does), so a
      // call as the last instruction of a function is not named after the next function.
      out.push(this.userFrame(tgid, i === 0 ? leafFirst[i] : leafFirst[i] - 1));
    }
    return out;
  }

  /** Kernel frames (leaf first, as distances from KERNEL_BASE) → names with `_[k]`, root first;
   *  the tracing frames of our own probe at the leaf end are left out. */
  kernelFrames(leafFirst: readonly number[]): string[] {
    const names = leafFirst.map((a, i) => this.kernelName(i === 0 ? a : a - 1));
    // Cut up to the last tracing frame near the leaf: the BPF program itself is unloaded by now
    // (no kallsyms name left), so it cannot be recognised by name, only the glue that called it.
    let from = 0;
    for (let i = 0; i < Math.min(names.length - 1, 8); i++) if (TRACING_FRAME.test(names[i])) from = i + 1;
    return names.slice(from).reverse().map((n) => `${n}_[k]`);
  }

  private kernelName(addr: number): string {
    this.kallsyms ??= parseKallsyms(this.opts.kallsymsText ?? readFileSync("/proc/kallsyms", "utf8"));
    const syms = this.kallsyms;
    let lo = 0, hi = syms.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid].addr <= addr) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // kallsyms has no sizes: an address past the last symbol, or before the first, is unknown.
    // The end markers of the kernel's text are not functions: what follows them (modules,
    // BPF programs) without a symbol of its own is unknown.
    return at < 0 || at === syms.length - 1 || END_MARKER.test(syms[at].name) ? "[unknown]" : syms[at].name;
  }

  private userFrame(tgid: number, addr: number): string {
    const maps = this.maps.get(tgid);
    if (!maps) {
      this.withoutMaps.add(tgid);
      return this.jitName(tgid, addr) ?? "[unknown]";
    }
    const m = findMapping(maps, addr);
    if (!m || m.path === "" || (m.path.startsWith("[") && m.path !== "[vdso]")) {
      // Anonymous memory: JIT code, named by the runtime's perf map when it wrote one.
      return this.jitName(tgid, addr) ?? "[unknown]";
    }
    if (m.path === "[vdso]") return "[vdso]";
    const path = m.path.replace(/ \(deleted\)$/, "");
    const fileOffset = addr - m.start + m.offset;
    const file = this.elfFor(tgid, path, m.inode);
    const vaddr = file.elf ? fileOffsetToVaddr(file.elf, fileOffset) : undefined;
    if (vaddr === undefined) return `${basename(path)}+0x${fileOffset.toString(16)}`;
    const sym = symbolAt(file.symbols, vaddr);
    return sym ? sym.name : `${basename(path)}+0x${vaddr.toString(16)}`;
  }

  private jitName(tgid: number, addr: number): string | undefined {
    let syms = this.perfMaps.get(tgid);
    if (!syms) {
      const file = `/tmp/perf-${tgid}.map`;
      syms = existsSync(file) ? parsePerfMap(readFileSync(file, "utf8")) : [];
      this.perfMaps.set(tgid, syms);
    }
    let lo = 0, hi = syms.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid].addr <= addr) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at >= 0 && addr < syms[at].addr + syms[at].size ? syms[at].name : undefined;
  }

  /** The ELF file of a mapping, read once per file. Through /proc/PID/root while the process
   *  lives (a container's files are not the host's at the same path), else the host path; a
   *  file whose inode is not the mapped one (replaced since) is not trusted. */
  private elfFor(tgid: number, path: string, inode: number): { elf?: ElfInfo; symbols: readonly ElfSymbol[] } {
    const candidates = [`/proc/${tgid}/root${path}`, path];
    for (const p of candidates) {
      let fd: number;
      try {
        fd = openSync(p, "r");
      } catch {
        continue;
      }
      try {
        const st = fstatSync(fd);
        if (inode && st.ino !== inode) continue;
        const key = `${st.dev}:${st.ino}`;
        const cached = this.elfs.get(key);
        if (cached) return cached;
        const entry = this.readElfFile(fd, st.size);
        this.elfs.set(key, entry);
        return entry;
      } finally {
        closeSync(fd);
      }
    }
    return { symbols: [] };
  }

  private readElfFile(fd: number, size: number): { elf?: ElfInfo; symbols: readonly ElfSymbol[] } {
    let elf: ElfInfo;
    try {
      elf = readElf(readerOf(fd), size);
    } catch {
      return { symbols: [] };
    }
    let symbols: readonly ElfSymbol[] = elf.symbols;
    // A stripped file (Debian's): its .symtab may be in a -dbgsym package's debug file, found
    // by build id. Its symbols have the same addresses.
    if (!elf.hasSymtab && elf.buildId && elf.buildId.length > 2) {
      const root = this.opts.debugRoot ?? "/usr/lib/debug";
      const debug = `${root}/.build-id/${elf.buildId.slice(0, 2)}/${elf.buildId.slice(2)}.debug`;
      try {
        const dfd = openSync(debug, "r");
        try {
          const d = readElf(readerOf(dfd), fstatSync(dfd).size);
          if (d.symbols.length) symbols = mergeSymbols(d.symbols, elf.symbols);
        } finally {
          closeSync(dfd);
        }
      } catch {
        // no debug file: the dynamic symbols are what there is
      }
    }
    return { elf, symbols };
  }
}

function readerOf(fd: number) {
  return (offset: number, length: number) => {
    const b = Buffer.alloc(length);
    const n = readSync(fd, b, 0, length, offset);
    return b.subarray(0, n);
  };
}

function mergeSymbols(a: readonly ElfSymbol[], b: readonly ElfSymbol[]): ElfSymbol[] {
  const all = [...a, ...b].sort((x, y) => x.addr - y.addr || y.size - x.size);
  return all.filter((s, i) => i === 0 || s.addr !== all[i - 1].addr || s.name !== all[i - 1].name);
}

function findMapping(maps: readonly MapEntry[], addr: number): MapEntry | undefined {
  let lo = 0, hi = maps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = maps[mid];
    if (addr < m.start) hi = mid - 1;
    else if (addr >= m.end) lo = mid + 1;
    else return m;
  }
  return undefined;
}


