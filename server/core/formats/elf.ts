// ELF files, as far as a profiler needs them to name an address: the loadable segments (to turn
// a file offset from /proc/PID/maps into the ELF virtual address the symbols use, which is what
// makes PIE executables and shared libraries work wherever they were mapped), the function
// symbols of .symtab and .dynsym, and the GNU build id (to find a separate debug file).
//
// Pure: the caller hands in `read(offset, length)` over the file's bytes (whole file in memory,
// or a file descriptor), so that a 100 MB binary is read only where its headers and symbol
// tables are. 32- and 64-bit, little and big endian.

export type ReadAt = (offset: number, length: number) => Uint8Array;

export interface ElfSegment {
  /** File offset, virtual address and sizes of a PT_LOAD program header. */
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  executable: boolean;
}

export interface ElfSymbol {
  addr: number;
  size: number;
  name: string;
}

export interface ElfInfo {
  /** ET_EXEC (2), ET_DYN (3: PIE or shared library), ... */
  type: number;
  machine: number;
  segments: ElfSegment[];
  /** Function symbols, by address (from .symtab when the file has one, and .dynsym). */
  symbols: ElfSymbol[];
  /** True when the file had a .symtab (not stripped). */
  hasSymtab: boolean;
  /** Hex of NT_GNU_BUILD_ID, when present. */
  buildId?: string;
  /** .gnu_debuglink's file name, when present. */
  debugLink?: string;
}

export class ElfError extends Error {
  override name = "ElfError";
}

const PT_LOAD = 1;
const PF_X = 1;
const SHT_SYMTAB = 2;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SHN_UNDEF = 0;
const NT_GNU_BUILD_ID = 3;
/** No symbol table larger than this is read (a sanity bound against a lying header). */
const MAX_TABLE = 256 << 20;

interface Section {
  name: number;
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

export function readElf(read: ReadAt, fileSize: number): ElfInfo {
  const ident = read(0, 64);
  if (ident.length < 52 || ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) {
    throw new ElfError("not an ELF file (no \\x7fELF magic at offset 0)");
  }
  const is64 = ident[4] === 2;
  if (ident[4] !== 1 && !is64) throw new ElfError(`unknown ELF class ${ident[4]} at offset 4`);
  const le = ident[5] === 1;
  if (ident[5] !== 1 && ident[5] !== 2) throw new ElfError(`unknown ELF data encoding ${ident[5]} at offset 5`);

  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (d: DataView, o: number) => d.getUint16(o, le);
  const u32 = (d: DataView, o: number) => d.getUint32(o, le);
  const addr = (d: DataView, o: number) => (is64 ? Number(d.getBigUint64(o, le)) : d.getUint32(o, le));
  const h = view(ident);
  const type = u16(h, 16), machine = u16(h, 18);
  const phoff = addr(h, is64 ? 32 : 28), shoff = addr(h, is64 ? 40 : 32);
  const phentsize = u16(h, is64 ? 54 : 42), phnum = u16(h, is64 ? 56 : 44);
  const shentsize = u16(h, is64 ? 58 : 46), shnum = u16(h, is64 ? 60 : 48), shstrndx = u16(h, is64 ? 62 : 50);

  const inFile = (off: number, len: number, what: string) => {
    if (off < 0 || len < 0 || off + len > fileSize) throw new ElfError(`${what} at offset ${off} (+${len}) is past the end of the file (${fileSize} bytes)`);
  };

  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    inFile(phoff, phnum * phentsize, "the program headers");
    const ph = view(read(phoff, phnum * phentsize));
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      if (u32(ph, o) !== PT_LOAD) continue;
      const flags = is64 ? u32(ph, o + 4) : u32(ph, o + 24);
      segments.push({
        offset: addr(ph, o + (is64 ? 8 : 4)),
        vaddr: addr(ph, o + (is64 ? 16 : 8)),
        filesz: addr(ph, o + (is64 ? 32 : 16)),
        memsz: addr(ph, o + (is64 ? 40 : 20)),
        executable: (flags & PF_X) !== 0,
      });
    }
  }

  const sections: Section[] = [];
  if (shnum > 0 && shoff > 0) {
    inFile(shoff, shnum * shentsize, "the section headers");
    const sh = view(read(shoff, shnum * shentsize));
    for (let i = 0; i < shnum; i++) {
      const o = i * shentsize;
      sections.push({
        name: u32(sh, o),
        type: u32(sh, o + 4),
        offset: addr(sh, o + (is64 ? 24 : 16)),
        size: addr(sh, o + (is64 ? 32 : 20)),
        link: u32(sh, o + (is64 ? 40 : 24)),
        entsize: addr(sh, o + (is64 ? 56 : 36)),
      });
    }
  }
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const cstr = (b: Uint8Array, at: number) => {
    let end = at;
    while (end < b.length && b[end] !== 0) end++;
    return decoder.decode(b.subarray(at, end));
  };
  const body = (s: Section, what: string) => {
    if (s.size > MAX_TABLE) throw new ElfError(`${what} of ${s.size} bytes at offset ${s.offset} is larger than ${MAX_TABLE}`);
    inFile(s.offset, s.size, what);
    return read(s.offset, s.size);
  };
  const shstr = sections[shstrndx] && sections[shstrndx].type !== 8 /* NOBITS */ ? body(sections[shstrndx], "the section name table") : new Uint8Array();
  const sectionName = (s: Section) => cstr(shstr, s.name);

  const symbols: ElfSymbol[] = [];
  let hasSymtab = false;
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) continue;
    const strs = sections[s.link];
    if (!strs || s.size === 0) continue;
    if (s.type === SHT_SYMTAB) hasSymtab = true;
    const entsize = s.entsize || (is64 ? 24 : 16);
    const table = view(body(s, "a symbol table"));
    const names = body(strs, "a string table");
    const count = Math.floor(s.size / entsize);
    for (let i = 0; i < count; i++) {
      const o = i * entsize;
      const info = is64 ? table.getUint8(o + 4) : table.getUint8(o + 12);
      const symType = info & 0xf;
      if (symType !== STT_FUNC && symType !== STT_GNU_IFUNC) continue;
      const shndx = is64 ? u16(table, o + 6) : u16(table, o + 14);
      if (shndx === SHN_UNDEF) continue;
      const value = is64 ? Number(table.getBigUint64(o + 8, le)) : u32(table, o + 4);
      const size = is64 ? Number(table.getBigUint64(o + 16, le)) : u32(table, o + 8);
      const name = cstr(names, u32(table, o));
      if (name && value) symbols.push({ addr: value, size, name });
    }
  }
  symbols.sort((a, b) => a.addr - b.addr || b.size - a.size);
  // .symtab and .dynsym both name most exported functions: one entry per address and name.
  const unique = symbols.filter((s, i) => i === 0 || s.addr !== symbols[i - 1].addr || s.name !== symbols[i - 1].name);

  let buildId: string | undefined;
  let debugLink: string | undefined;
  for (const s of sections) {
    const name = sectionName(s);
    if (s.type === SHT_NOTE && name === ".note.gnu.build-id" && s.size >= 16 && s.size < 4096) {
      const n = view(body(s, "the build id note"));
      const namesz = u32(n, 0), descsz = u32(n, 4), ntype = u32(n, 8);
      const descAt = 12 + ((namesz + 3) & ~3);
      if (ntype === NT_GNU_BUILD_ID && descAt + descsz <= s.size) {
        buildId = [...new Uint8Array(n.buffer, n.byteOffset + descAt, descsz)].map((b) => b.toString(16).padStart(2, "0")).join("");
      }
    } else if (name === ".gnu_debuglink" && s.size > 0 && s.size < 4096) {
      debugLink = cstr(body(s, "the debug link"), 0) || undefined;
    }
  }
  return { type, machine, segments, symbols: unique, hasSymtab, buildId, debugLink };
}

/** The ELF virtual address of a file offset (a mapped address minus its mapping's start plus
 *  the mapping's file offset), through the loadable segment that holds it; undefined when none
 *  does. */
export function fileOffsetToVaddr(elf: ElfInfo, fileOffset: number): number | undefined {
  // Executable segments first: a file offset is in one segment's file range, but segments may
  // share a page at their ends.
  for (const pass of [true, false]) {
    for (const s of elf.segments) {
      if (s.executable !== pass) continue;
      if (fileOffset >= s.offset && fileOffset < s.offset + Math.max(s.filesz, 1)) return fileOffset - s.offset + s.vaddr;
    }
  }
  return undefined;
}

/** The function holding `vaddr`: the symbol whose [addr, addr+size) covers it; a symbol of size
 *  0 covers up to the next symbol. With several covering symbols (aliases), the one starting
 *  nearest. */
export function symbolAt(symbols: readonly ElfSymbol[], vaddr: number): ElfSymbol | undefined {
  let lo = 0, hi = symbols.length - 1, at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (symbols[mid].addr <= vaddr) { at = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // Walk back over symbols starting at or before vaddr: a large function may hold a small one
  // before it ends (nested aliases are rare; a few steps suffice).
  for (let i = at; i >= 0 && i > at - 16; i--) {
    const s = symbols[i];
    if (s.size > 0 ? vaddr < s.addr + s.size : (i === at && (i + 1 >= symbols.length || vaddr < symbols[i + 1].addr))) return s;
  }
  return undefined;
}
