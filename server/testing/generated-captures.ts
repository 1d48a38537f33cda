// Captures that hold every event type sysdig 0.29.3 knows (enter and exit) with boundary values
// for every parameter type, for the differential test against `sysdig -r`
// (server/core/events/generated-events.diff.test.ts). Test code only.
//
// Every event is written with exactly its 0.29.3 parameter list (legacyParamCount), by id, so
// that both printers see the same bytes. Each event type is written several times ("variants"):
// variant k gives each parameter the k-th value of its type's list below (cycling), so every
// value of every list is seen by every event that has a parameter of that type. The captures
// are split by what could make one event's state leak into another's rendering:
// - "params": every event type except those that create or end processes, on one thread of a
//   process whose fd list holds an fd of every type;
// - "process": the process-changing events (clone, fork, vfork, execve, procexit...), each on a
//   thread of its own, so a successful clone or execve cannot rename the others;
// - "meta": the meta events (container, k8s, mesos, drop...), with values their readers accept;
// - "errno": every errno value, as a result and as a negative fd;
// - "threads": events of threads with and without a parent in the process list, and of
//   threads the capture has no information on.

import { EVENTS, LEGACY_EVENT_COUNT } from "../core/events/event-table";
import { FdType } from "../core/formats/scap/blocks";
import { ScapWriter, type FdSpec, type ParamValue, type ProcSpec } from "../core/formats/scap/writer";
import { EC, PT, type ParamInfo } from "../core/events/types";
import { errnoTestValues } from "./flags-errno-capture";

export interface GeneratedCapture {
  name: string;
  bytes: Uint8Array;
  /** Event type ids written. */
  types: Set<number>;
  /** Parameter types written (a DYN parameter counts its selected type too). */
  paramTypes: Set<PT>;
  events: number;
}

const BASE_TS = 1_600_000_000_000_000_000n;

/** The main process of the captures: pid 1000, a parent (1) in the process list. */
export const MAIN_TID = 1000;
/** A second thread of the main process. */
const SECOND_TID = 1001;
/** A process whose parent is not in the process list. */
const ORPHAN_TID = 2000;
/** A thread the process list does not have. */
const UNKNOWN_TID = 3000;

const USERS = [
  { uid: 0, gid: 0, name: "root", home: "/root", shell: "/bin/bash" },
  { uid: 1000, gid: 1000, name: "alice", home: "/home/alice" },
  { uid: 65534, gid: 65534, name: "nobody", home: "/nonexistent", shell: "/usr/sbin/nologin" },
];
const GROUPS = [{ gid: 0, name: "root" }, { gid: 1000, name: "alice" }, { gid: 27, name: "sudo" }];

function ip6(text: string): Uint8Array {
  // Only the forms used here: "::", "::1", "::ffff:a.b.c.d", and full 8-word addresses.
  const b = new Uint8Array(16);
  if (text === "::") return b;
  if (text === "::1") { b[15] = 1; return b; }
  const mapped = /^::ffff:(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (mapped) {
    b[10] = 0xff; b[11] = 0xff;
    for (let i = 0; i < 4; i++) b[12 + i] = Number(mapped[i + 1]);
    return b;
  }
  const words = text.split(":").map((w) => parseInt(w || "0", 16));
  words.forEach((w, i) => { b[2 * i] = w >> 8; b[2 * i + 1] = w & 255; });
  return b;
}

function ip4(text: string): Uint8Array {
  return Uint8Array.from(text.split(".").map(Number));
}

function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const le16 = (v: number) => [v & 255, (v >> 8) & 255];
const le64 = (v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true); return b; };
const bytesOf = (s: string) => new TextEncoder().encode(s);

// Socket families as the driver writes them (PPM_AF_*): 1 unix, 2 inet, 10 inet6, 16 netlink.
const sockaddr = {
  v4: (ip: string, port: number) => cat([2], ip4(ip), le16(port)),
  v6: (ip: string, port: number) => cat([10], ip6(ip), le16(port)),
  unix: (path: Uint8Array) => cat([1], path),
  other: (family: number) => cat([family]),
};

const socktuple = {
  v4: (sip: string, sport: number, dip: string, dport: number) => cat([2], ip4(sip), le16(sport), ip4(dip), le16(dport)),
  v6: (sip: string, sport: number, dip: string, dport: number) => cat([10], ip6(sip), le16(sport), ip6(dip), le16(dport)),
  unix: (src: bigint, dst: bigint, path: Uint8Array) => cat([1], le64(src), le64(dst), path),
  other: (family: number) => cat([family]),
};

/** An fd list parameter: u16 count, then per fd a u64 number and u16 poll flags. */
function fdlist(entries: [fd: number | bigint, flags: number][]): Uint8Array {
  return cat(le16(entries.length), ...entries.map(([fd, fl]) => cat(le64(BigInt(fd)), le16(fl))));
}

/** The fd list of the main process: one fd of every type, numbered 3.. in type order. */
export const MAIN_FDS: FdSpec[] = [
  { fd: 0, type: FdType.FILE_V2, name: "/dev/pts/0", openFlags: 2 },
  { fd: 3, type: FdType.FILE, name: "/etc/old-style-file" },
  { fd: 4, type: FdType.DIRECTORY, name: "/var/lib" },
  { fd: 5, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 40000, dip: "93.184.216.34", dport: 443, l4proto: 2 },
  { fd: 6, type: FdType.IPV6_SOCK, sip: ip6("2001:db8:0:0:0:0:0:1"), sport: 40001, dip: ip6("::1"), dport: 8080, l4proto: 2 },
  { fd: 7, type: FdType.IPV4_SERVSOCK, sip: "0.0.0.0", sport: 80, l4proto: 2 },
  { fd: 8, type: FdType.IPV6_SERVSOCK, sip: ip6("::"), sport: 443, l4proto: 2 },
  { fd: 9, type: FdType.FIFO, name: "pipe:[1234]" },
  { fd: 10, type: FdType.UNIX_SOCK, name: "/run/generated.sock" },
  { fd: 11, type: FdType.EVENT, name: "[eventfd]" },
  { fd: 12, type: FdType.UNSUPPORTED, name: "anon_inode:[perf_event]" },
  { fd: 13, type: FdType.SIGNALFD, name: "[signalfd]" },
  { fd: 14, type: FdType.EVENTPOLL, name: "[eventpoll]" },
  { fd: 15, type: FdType.INOTIFY, name: "inotify" },
  { fd: 16, type: FdType.TIMERFD, name: "[timerfd]" },
  { fd: 17, type: FdType.NETLINK, name: "" },
  { fd: 18, type: FdType.FILE_V2, name: "/etc/passwd", openFlags: 0 },
  // SCAP_FD_BPF (17) and later types: sysdig 0.29.3 refuses an fd list that holds them ("wrong fd type 17").
  { fd: 20, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 53000, dip: "10.0.0.2", dport: 53, l4proto: 3 },
  { fd: 21, type: FdType.UNKNOWN },
  { fd: 22, type: FdType.UNIX_SOCK, name: "" },
];

// Values per parameter type. Variant k of an event takes value k mod length.
const I64_MAX = (1n << 63n) - 1n, I64_MIN = -(1n << 63n), U64_MAX = (1n << 64n) - 1n;

const STRINGS: ParamValue[] = [
  "hello",
  "",
  "two\nlines",
  cat(bytesOf("before"), [0], bytesOf("after"), [0]), // a NUL inside: the string ends there
  cat([0x66, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x41], [0]), // invalid UTF-8
  "tab\tcr\rbell\x07esc\x1b",
  "caf\u00e9 \u2713 \u{1F600}",
  "x".repeat(300), // longer than the 80 bytes sysdig prints of a buffer
];

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

const BUFFERS: ParamValue[] = [
  bytesOf("GET / HTTP/1.1\r\nHost: example\r\n\r\n"),
  new Uint8Array(0),
  ALL_BYTES.subarray(0, 64),
  ALL_BYTES.subarray(64, 128),
  ALL_BYTES.subarray(128, 192),
  ALL_BYTES.subarray(192, 256),
  ALL_BYTES,
  bytesOf("y".repeat(79)),
  bytesOf("z".repeat(80)),
  bytesOf("w".repeat(81)),
  cat(bytesOf("nul"), [0], bytesOf("inside")),
];

const PATHS: ParamValue[] = [
  "/etc/passwd", "", "relative/file", "../up/one", "./dot", "/", "two\nlines", "/a//b/./c/../d", "/abs/new\nline",
  "caf\u00e9/\u2713", cat(bytesOf("bad"), [0xff, 0xc3, 0x28], bytesOf("/x"), [0]), cat(bytesOf("/abs/bad"), [0xfe, 0x80], [0]),
];

const SOCKADDRS: ParamValue[] = [
  sockaddr.v4("127.0.0.1", 8080),
  new Uint8Array(0),
  sockaddr.v4("0.0.0.0", 0),
  sockaddr.v4("255.255.255.255", 65535),
  sockaddr.v6("::1", 443),
  sockaddr.v6("2001:db8:0:0:1:0:0:1", 1),
  sockaddr.v6("::ffff:192.168.1.1", 22),
  sockaddr.v6("::", 0),
  sockaddr.unix(cat(bytesOf("/var/run/docker.sock"), [0])),
  sockaddr.unix(cat([0], bytesOf("abstract-name"), [0])),
  sockaddr.unix(new Uint8Array(0)),
  sockaddr.unix(cat(bytesOf("/tmp/with\nnewline"), [0])),
  sockaddr.other(16),
  sockaddr.other(99),
  sockaddr.other(0),
];

const SOCKTUPLES: ParamValue[] = [
  socktuple.v4("10.0.0.1", 40000, "93.184.216.34", 443),
  new Uint8Array(0),
  socktuple.v4("93.184.216.34", 443, "10.0.0.1", 40000),
  socktuple.v4("0.0.0.0", 0, "0.0.0.0", 0),
  socktuple.v4("255.255.255.255", 65535, "127.0.0.1", 1),
  socktuple.v6("::1", 5000, "::1", 6000),
  socktuple.v6("2001:db8:0:0:0:0:0:1", 443, "fe80:0:0:0:1:2:3:4", 50000),
  socktuple.v6("::ffff:10.0.0.1", 1234, "::ffff:10.0.0.2", 80),
  socktuple.v6("::ffff:10.0.0.1", 1234, "::1", 80),
  socktuple.unix(0xffff88000000abcdn, 0xffff88000000dcban, cat(bytesOf("/var/run/docker.sock"), [0])),
  socktuple.unix(0n, 0n, cat([0], bytesOf("abstract"), [0])),
  // (A path with no NUL at all makes libsinsp read past the parameter: not comparable.)
  socktuple.unix(1n, U64_MAX, Uint8Array.of(0)),
  socktuple.other(16),
  socktuple.other(99),
];

const FDS: ParamValue[] = [
  ...MAIN_FDS.map((f) => f.fd), -1, -100, -2, -9, 999, 2147483647, I64_MAX, I64_MIN, 4294967296n,
];

const FDLISTS: ParamValue[] = [
  fdlist(MAIN_FDS.map((f, i) => [f.fd, [0, 1, 4, 0x41, 0xffff][i % 5]])),
  fdlist([]),
  fdlist([[999, 1], [-1, 0], [-100, 0x20]]),
  fdlist([[3, 0xffff], [5, 0x8000]]),
];

const PIDS: ParamValue[] = [MAIN_TID, 0, -1, 1, SECOND_TID, ORPHAN_TID, UNKNOWN_TID, 2147483647, I64_MIN, 99999];

const DYN_CHOICES: Record<string, ParamValue[]> = {};

function ints(bits: 8 | 16 | 32 | 64, signed: boolean): ParamValue[] {
  const b = BigInt(bits);
  if (signed) return [0, -1, 1, (1n << (b - 1n)) - 1n, -(1n << (b - 1n)), 42];
  return [0, (1n << b) - 1n, 1, 1n << (b - 1n), 42, (1n << (b - 1n)) - 1n];
}

const ERRNOS: ParamValue[] = [0, -1, -2, -11, -13, -98, -110, -115, -133, -200, -4095, 1, 3, 4096, I64_MAX, I64_MIN, -512, -516];

const RELTIMES: ParamValue[] = [1_000_000_000, 0, 1, 999, 1000, 1_000_000, 1_500_000_000, 59_000_000_000, 3_600_000_000_000n, 86_400_000_000_000n, U64_MAX, 123_456_789];

const VALUES: Partial<Record<PT, ParamValue[]>> = {
  [PT.INT8]: ints(8, true), [PT.INT16]: ints(16, true), [PT.INT32]: ints(32, true), [PT.INT64]: ints(64, true),
  [PT.UINT8]: ints(8, false), [PT.UINT16]: ints(16, false), [PT.UINT32]: ints(32, false), [PT.UINT64]: ints(64, false),
  [PT.CHARBUF]: STRINGS, [PT.BYTEBUF]: BUFFERS, [PT.ERRNO]: ERRNOS, [PT.SOCKADDR]: SOCKADDRS,
  [PT.SOCKTUPLE]: SOCKTUPLES, [PT.FD]: FDS, [PT.PID]: PIDS, [PT.FDLIST]: FDLISTS, [PT.FSPATH]: PATHS,
  [PT.FSRELPATH]: PATHS, // Codes past the 0.29.3 table (PPM_SC_MAX 329) make sysdig 0.29.3 read past its syscall table
  // and crash (segmentation fault): only codes inside the table are comparable.
  [PT.SYSCALLID]: [59, 0, 1, 2, 300, 327, 328],
  [PT.SIGTYPE]: [9, 0, 1, 15, 17, 31, 32, 34, 64, 65, 255],
  [PT.RELTIME]: RELTIMES, [PT.ABSTIME]: [1_600_000_000_000_000_000n, 0, 1, U64_MAX],
  [PT.PORT]: [80, 0, 65535], [PT.L4PROTO]: [6, 0, 17, 255], [PT.SOCKFAMILY]: [2, 0, 1, 10, 16, 255],
  [PT.BOOL]: [1, 0, 2], [PT.IPV4ADDR]: [ip4("127.0.0.1"), ip4("0.0.0.0"), ip4("255.255.255.255")],
  [PT.FLAGS8]: [0, 0xff, 1, 2, 4, 0x80], [PT.FLAGS16]: [0, 0xffff, 1, 0x80, 0x8000, 0x100],
  [PT.FLAGS32]: [0, 0xffffffff, 1, 2, 0x80000000, 0x40000000, 0x10000, 3],
  [PT.UID]: [0, 1000, 4242, 0xffffffff, 65534, 1], [PT.GID]: [0, 1000, 4242, 0xffffffff, 27, 65534],
  [PT.SIGSET]: [0, 1, 0xffffffff, 0x80000000, 0x4002],
  [PT.MODE]: [0o644, 0, 0o777, 0o4755, 0o1777, 0xffffffff, 0o100644, 0o40755, 0o7000],
  [PT.ENUMFLAGS8]: [0, 1, 2, 0xff], [PT.ENUMFLAGS16]: [0, 1, 0xffff], [PT.ENUMFLAGS32]: [0, 1, 2, 10, 0xffffffff],
  [PT.DOUBLE]: [new Uint8Array(new Float64Array([0]).buffer), new Uint8Array(new Float64Array([-1.5]).buffer)],
  [PT.IPV6ADDR]: [ip6("::1"), ip6("::"), ip6("2001:db8:0:0:1:0:0:1")],
  // Arrays of NUL-terminated strings (pairs: name, value, name, value...).
  [PT.CHARBUFARRAY]: [cat(bytesOf("tag1"), [0], bytesOf("tag2"), [0]), new Uint8Array(0), cat(bytesOf("only"), [0])],
  [PT.CHARBUF_PAIR_ARRAY]: [cat(bytesOf("k1"), [0], bytesOf("v1"), [0], bytesOf("k2"), [0], bytesOf("v2"), [0]), new Uint8Array(0)],
};
void DYN_CHOICES;

/** Values of a DYN parameter: for each selector, the selector byte then each value of its type;
 *  and a selector past the table. */
function dynValues(info: ParamInfo): ParamValue[] {
  const out: ParamValue[] = [];
  info.dyn!.forEach((sub, sel) => {
    for (const v of VALUES[sub.type] ?? []) out.push(cat([sel], encodeFor(sub.type, v)));
  });
  out.push(cat([info.dyn!.length], le64(7n)));
  out.push(new Uint8Array(0));
  return out;
}

/** Bytes of a value as our writer encodes a parameter of that type (a DYN value is its
 *  selector followed by these bytes). */
function encodeFor(type: PT, v: ParamValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") {
    const s = bytesOf(v);
    return type === PT.BYTEBUF ? s : cat(s, [0]);
  }
  const size = type === PT.SIGTYPE || type === PT.UINT8 || type === PT.INT8 ? 1 : type === PT.UINT16 || type === PT.INT16 ? 2 :
    type === PT.UINT32 || type === PT.INT32 ? 4 : 8;
  const b = new Uint8Array(size);
  const big = BigInt.asUintN(size * 8, BigInt(v));
  for (let i = 0; i < size; i++) b[i] = Number((big >> BigInt(8 * i)) & 255n);
  return b;
}

export function valuesOf(info: ParamInfo): ParamValue[] {
  if (info.type === PT.DYN) return dynValues(info);
  const vals = VALUES[info.type];
  if (!vals) throw new Error(`no generated values for parameter type ${info.type} (${info.name})`);
  return vals;
}

/** sysdig 0.29.3's parameter list of an event type. */
export function legacyParams(id: number): readonly ParamInfo[] {
  const e = EVENTS[id];
  return e.params.slice(0, e.legacyParamCount ?? e.params.length);
}

/** Events that create, replace or end a process: they go to the "process" capture. */
const PROCESS_EVENTS = new Set(["clone", "fork", "vfork", "execve", "execveat", "procexit", "clone3"]);

export function isProcessEvent(id: number): boolean {
  return PROCESS_EVENTS.has(EVENTS[id].name);
}

/** Meta events (written by the capture tools, not by a syscall): they go to the "meta" capture,
 *  with values their readers accept (a k8s or container event whose JSON sysdig cannot parse
 *  ends its reading of the file). */
export function isMetaEvent(id: number): boolean {
  return (EVENTS[id].category & (EC.METAEVENT | EC.INTERNAL | EC.PLUGIN)) !== 0;
}

const PROCS: ProcSpec[] = [
  { tid: 1, pid: 1, ptid: 0, comm: "init", exe: "/sbin/init", args: [], cwd: "/" },
  { tid: MAIN_TID, pid: MAIN_TID, ptid: 1, comm: "genmain", exe: "/usr/bin/genmain", args: ["--flag", "x"], cwd: "/home/alice/work", uid: 1000, gid: 1000 },
  { tid: SECOND_TID, pid: MAIN_TID, ptid: 1, comm: "genmain", exe: "/usr/bin/genmain", args: [], cwd: "/home/alice/work", uid: 1000, gid: 1000, flags: 0x200 },
  { tid: ORPHAN_TID, pid: ORPHAN_TID, ptid: 77777, comm: "orphan", exe: "/usr/bin/orphan", args: [], cwd: "/tmp", uid: 4242, gid: 4242 },
];

class Builder {
  readonly w = new ScapWriter();
  readonly types = new Set<number>();
  readonly paramTypes = new Set<PT>();
  private ts = BASE_TS;
  events = 0;

  constructor(procs: ProcSpec[] = PROCS) {
    this.w.procs(procs);
    this.w.fds(MAIN_TID, MAIN_FDS);
    this.w.users(USERS, GROUPS);
  }

  emit(id: number, tid: number, values: ParamValue[], cpu = 0): void {
    const params = legacyParams(id);
    params.forEach((p, i) => {
      this.paramTypes.add(p.type);
      const v = values[i];
      if (p.type === PT.DYN && v instanceof Uint8Array && v.length > 0 && p.dyn![v[0]]) this.paramTypes.add(p.dyn![v[0]].type);
    });
    this.w.eventById({ ts: this.ts, tid, cpu, type: id, params: values });
    this.types.add(id);
    this.ts += 1_000n;
    this.events++;
  }

  /** Every variant of an event type: variant k takes value k of each parameter's list. */
  variants(id: number, tid: number, max = Infinity): void {
    const params = legacyParams(id);
    const lists = params.map(valuesOf);
    const n = Math.min(max, Math.max(1, ...lists.map((l) => l.length)));
    for (let k = 0; k < n; k++) this.emit(id, tid, lists.map((l) => l[k % l.length]));
  }

  done(name: string): GeneratedCapture {
    return { name, bytes: this.w.bytes(), types: this.types, paramTypes: this.paramTypes, events: this.events };
  }
}

/** Event types left out of the captures, with the reason: what sysdig 0.29.3 does with them
 *  cannot be compared. */
export const LEFT_OUT_EVENTS: ReadonlyMap<number, string> = new Map(
  EVENTS.flatMap((e, id): [number, string][] =>
    id < LEGACY_EVENT_COUNT && e.name === "tracer" && e.params.some((p) => p.type === PT.CHARBUFARRAY)
      ? [[id, "tracer events carry CHARBUFARRAY parameters, which libsinsp 0.29.3 reads as in-memory pointers (set by its tracer parser): from a file, sysdig -r dies with a segmentation fault"]]
      : []),
);

/** The values of variant k of an exit event that follows variant k of its enter event:
 *  parameters that the enter event also has (same name and type) take the enter's value, as a
 *  real syscall's pair would (libsinsp takes some of them from the enter event). */
function pairedValues(enterId: number, exitId: number, k: number): [ParamValue[], ParamValue[]] {
  const ep = legacyParams(enterId), xp = legacyParams(exitId);
  const ev = ep.map((p) => { const l = valuesOf(p); return l[k % l.length]; });
  const xv = xp.map((p) => {
    const j = ep.findIndex((q) => q.name === p.name && q.type === p.type);
    if (j >= 0) return ev[j];
    const l = valuesOf(p);
    return l[k % l.length];
  });
  return [ev, xv];
}

function variantCount(id: number): number {
  return Math.max(1, ...legacyParams(id).map((p) => valuesOf(p).length));
}

/** The generated captures, in a fixed order. */
export function generatedCaptures(): GeneratedCapture[] {
  const out: GeneratedCapture[] = [];

  // Every syscall and tracepoint event, enter and exit in pairs.
  const params = new Builder();
  for (let id = 0; id < LEGACY_EVENT_COUNT; id += 2) {
    const pick = (x: number) => x < LEGACY_EVENT_COUNT && !isProcessEvent(x) && !isMetaEvent(x) && !LEFT_OUT_EVENTS.has(x);
    const enter = pick(id), exit = pick(id + 1);
    if (enter && exit) {
      const n = Math.max(variantCount(id), variantCount(id + 1));
      for (let k = 0; k < n; k++) {
        const [ev, xv] = pairedValues(id, id + 1, k);
        params.emit(id, MAIN_TID, ev);
        params.emit(id + 1, MAIN_TID, xv);
      }
    } else {
      if (enter) params.variants(id, MAIN_TID);
      if (exit) params.variants(id + 1, MAIN_TID);
    }
  }
  out.push(params.done("params"));

  const proc = new Builder();
  let tid = 5000;
  for (let id = 0; id < LEGACY_EVENT_COUNT; id++) {
    if (!isProcessEvent(id) || LEFT_OUT_EVENTS.has(id)) continue;
    // Each variant on a thread of its own, so a successful clone or execve changes only that
    // thread.
    const lists = legacyParams(id).map(valuesOf);
    const n = Math.max(1, ...lists.map((l) => l.length));
    for (let k = 0; k < n; k++) proc.emit(id, tid++, lists.map((l) => l[k % l.length]));
  }
  out.push(proc.done("process"));

  // Every errno value, as a result (ERRNO) and as a negative fd (FD), through the first event
  // types whose only parameter has that type.
  const values = new Builder();
  const soleParam = (t: PT) => {
    for (let id = 0; id < LEGACY_EVENT_COUNT; id++) {
      const ps = legacyParams(id);
      if (ps.length === 1 && ps[0].type === t && !isProcessEvent(id) && !isMetaEvent(id)) return id;
    }
    throw new Error(`no event type with a sole parameter of type ${t}`);
  };
  const errnoId = soleParam(PT.ERRNO), fdId = soleParam(PT.FD);
  for (const e of errnoTestValues()) {
    values.emit(errnoId, MAIN_TID, [e]);
    values.emit(fdId, MAIN_TID, [e]);
  }
  out.push(values.done("errno"));

  // Threads with and without a parent in the process list, a second thread of a process, and
  // threads the capture has no information on (tid 0, -1, one never listed): for every
  // parameter type, the first event type that carries it, with its first values.
  const threads = new Builder();
  const firstCarrier = new Map<PT, number>();
  for (let id = 0; id < LEGACY_EVENT_COUNT; id++) {
    if (isProcessEvent(id) || isMetaEvent(id) || LEFT_OUT_EVENTS.has(id)) continue;
    for (const p of legacyParams(id)) if (!firstCarrier.has(p.type)) firstCarrier.set(p.type, id);
  }
  for (const tid of [1, MAIN_TID, SECOND_TID, ORPHAN_TID, UNKNOWN_TID, 0, -1]) {
    for (const id of [...new Set(firstCarrier.values())].sort((a, b) => a - b)) {
      threads.emit(id, tid, legacyParams(id).map((p) => valuesOf(p)[0]));
    }
  }
  out.push(threads.done("threads"));

  const meta = new Builder();
  for (let id = 0; id < LEGACY_EVENT_COUNT; id++) {
    if (!isMetaEvent(id) || isProcessEvent(id) || LEFT_OUT_EVENTS.has(id)) continue;
    const lists = legacyParams(id).map((p) => META_VALUES[`${EVENTS[id].name}.${p.name}`] ?? valuesOf(p));
    const n = Math.max(1, ...lists.map((l) => l.length));
    for (let k = 0; k < n; k++) meta.emit(id, MAIN_TID, lists.map((l) => l[k % l.length]));
  }
  out.push(meta.done("meta"));

  // User names of host and container threads: sysdig 0.29.3 names every uid from the capture's
  // user list, whatever the thread's container, and user-added events (a newer writer's, with
  // or without a container id; past 0.29.3's table) change no name (measured).
  const users = new Builder([...PROCS, {
    tid: CONTAINER_TID, pid: CONTAINER_TID, ptid: 1, comm: "inctr", exe: "/usr/bin/inctr", args: [], cwd: "/",
    uid: 1000, gid: 1000, cgroups: [`cpuset=/docker/${CONTAINER_ID}`],
  }]);
  const getuidExit = EVENTS.findIndex((e, id) => e.name === "getuid" && id % 2 === 1);
  const userAdded = EVENTS.findIndex((e) => e.name === "useradded");
  const uids = [0, 1000, 2000, 3000, 65534, 4242, 0xffffffff];
  const lookups = () => { for (const tid of [MAIN_TID, CONTAINER_TID]) for (const uid of uids) users.emit(getuidExit, tid, [uid]); };
  lookups();
  users.emit(userAdded, CONTAINER_TID, [1000, 1000, "ctruser", "/home/c", "/bin/sh", CONTAINER_ID.slice(0, 12)]);
  users.emit(userAdded, CONTAINER_TID, [2000, 2000, "ctronly", "/home/c", "/bin/sh", CONTAINER_ID.slice(0, 12)]);
  users.emit(userAdded, MAIN_TID, [3000, 3000, "hostadded", "/home/h", "/bin/sh", ""]);
  lookups();
  out.push(users.done("users"));

  return out;
}

/** A thread in a docker container (its cgroup names the 64-digit container id). */
const CONTAINER_TID = 7000;
const CONTAINER_ID = "0123456789ab".padEnd(64, "c");

/** Values of meta event parameters whose readers check them. */
const META_VALUES: Record<string, ParamValue[]> = {
  "container.json": [
    JSON.stringify({ container: { id: "0123456789ab", type: 0, name: "web", image: "nginx:latest", imageid: "", imagerepo: "nginx", imagetag: "latest", imagedigest: "", privileged: false, Mounts: [], User: "", cpu_period: 100000, cpu_quota: 0, cpu_shares: 1024, cpuset_cpu_count: 0, env: [], is_pod_sandbox: false, labels: {}, memory_limit: 0, swap_limit: 0, lookup_state: 1, created_time: 0, ip: "172.17.0.2", port_mappings: [] } }),
  ],
  "container.id": ["0123456789ab"],
  "k8s.json": [JSON.stringify({ type: "ADDED", kind: "Namespace", items: [] })],
  "mesos.json": [JSON.stringify({})],
};
