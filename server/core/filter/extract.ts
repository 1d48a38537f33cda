// Field values of the current event, as sysdig 0.29.3's filterchecks extract them
// (libsinsp filterchecks.cpp: what each field reads, when it is NULL). An extractor returns
// undefined for sysdig's NULL: a comparison with NULL is false, whatever the operator, and
// only `exists` tells NULL apart.
//
// Value representations: integers as numbers (evt.rawtime as a bigint: it needs 61 bits),
// booleans as booleans, strings as strings, byte buffers as binary strings (one char per
// byte), IP addresses as their 4 or 16 bytes.

import { EVENTS } from "../events/event-table";
import { paramIndexTable } from "../events/param-tables";
import { eventCategory, LEGACY_FLAGS } from "./legacy-tables";
import { EC, EF, PT } from "../events/types";
import { paramText } from "../events/format";
import { typeName } from "../events/printer";
import { dateTime, timeOfDayBig } from "../events/local-time";
import { AT_FDCWD, resolvePath } from "../events/paths";
import { ipv6Compressed, ipv6Words } from "../events/net";
import { FdType, L4Proto } from "../formats/scap/blocks";
import { fdTypeChar, l4Of, shownComm, type Fd, type Thread } from "../state/threads";
import { sanitized } from "../events/sanitize";
import { parseIpv4, parseIpv6 } from "./values";
import type { FieldRef } from "./ast";
import { FIELDS } from "./fields";
import type { FilterContext } from "./runtime";
import { hasLatency } from "./latency";

export type Value = number | bigint | string | boolean | Uint8Array | undefined;
export type Extractor = (c: FilterContext) => Value;

const NA = "<NA>";

const P_RES = paramIndexTable("res");
const P_FD = paramIndexTable("fd");
const P_DATA = paramIndexTable("data");
const P_FDS = paramIndexTable("fds");

const typeIds = (...names: string[]) => new Set(EVENTS.flatMap((e, id) => (names.includes(e.name) ? [id] : [])));
const idOf = (name: string, nth = 0, dir: 0 | 1 = 0) =>
  EVENTS.flatMap((e, id) => (e.name === name && id % 2 === dir ? [id] : []))[nth];

const OPEN_X = idOf("open", 0, 1);
const OPENAT_E = idOf("openat", 0, 0);
const OPENAT_X = idOf("openat", 0, 1);
const OPENAT_2_X = idOf("openat", 1, 1);
const CREAT_X = idOf("creat", 0, 1);
const CONNECT_X = idOf("connect", 0, 1);
const CONTAINER_JSON = typeIds("container");
const SWITCH = typeIds("switch");
const ACCEPT_X = new Set([...typeIds("accept")].filter((id) => id % 2 === 1));
/** Exit events whose parameter 1 names the fd they create (sysdig's extract_fdname_from_creator). */
const NAME_FROM_PARAM1 = new Set([OPEN_X, CREAT_X, CONNECT_X, ...ACCEPT_X]);

/** fd.typechar when the event's fd is unknown: guessed from the kind of call. */
const NULL_FD_TYPECHAR: string[] = EVENTS.map((e) => {
  switch (e.name) {
    case "open": case "openat": case "creat": return "f";
    case "socket": case "accept": return "4";
    case "pipe": return "p";
    case "eventfd": return "e";
    case "signalfd": return "s";
    case "timerfd_create": return "t";
    case "inotify_init": return "i";
    default: return "o";
  }
});

const IS_EXIT = (c: FilterContext) => c.ev.type % 2 === 1;

const PROCINFO_E = idOf("procinfo");

/** thread.cpu / thread.cpu.user / thread.cpu.system (sysdig's extract_thread_cpu): on a procinfo
 *  event, the CPU ticks (user, system or both, as the event reports them) the thread used since
 *  its previous procinfo event, at most 100; 0 at its first one. Each field instance keeps its
 *  own last total per thread (sysdig reserves private thread memory per filter check), so a
 *  chisel's thread.cpu and a filter's do not disturb each other; reading it moves it on. */
function threadCpu(user: boolean, system: boolean): Maker {
  return () => {
    const last = new WeakMap<Thread, bigint>();
    return (c) => {
      if (c.ev.type !== PROCINFO_E) return undefined;
      const tick = (i: number) => (c.p.has(i) && c.p.len[i] === 8 ? c.p.big(i, false) : 0n);
      const total = BigInt.asUintN(64, (user ? tick(0) : 0n) + (system ? tick(1) : 0n));
      const prev = last.get(c.thread) ?? 0n;
      last.set(c.thread, total);
      if (prev === 0n) return 0;
      return Math.min(Number(BigInt.asUintN(64, total - prev)), 100);
    };
  };
}

/** thread.exectime / thread.totexectime (sysdig's extract_exectime): on a switch event, the
 *  time since the previous switch on the same CPU that this field instance saw (0 at the first
 *  one), else 0. Like thread.cpu, each instance keeps its own clocks and reads move them on:
 *  in a filter only the switches the filter gets to this field for count. totexectime adds
 *  each read to a per-thread total (NULL for a procinfo event of a thread not in the table). */
function execTime(total: boolean): Maker {
  return () => {
    const lastSwitch = new Map<number, bigint>();
    const totals = new WeakMap<Thread, bigint>();
    return (c) => {
      let d = 0n;
      if (SWITCH.has(c.ev.type)) {
        const ts = rawTs(c);
        const last = lastSwitch.get(c.ev.cpu) ?? 0n;
        if (last !== 0n) d = BigInt.asUintN(64, ts - last);
        lastSwitch.set(c.ev.cpu, ts);
      }
      if (!total) return u64(d);
      if (!inTable(c)) return undefined;
      const sum = BigInt.asUintN(64, (totals.get(c.thread) ?? 0n) + d);
      totals.set(c.thread, sum);
      return u64(sum);
    };
  };
}

/** evt.deltatime (.s, .ns): the time since the previous event this field instance read (0 at
 *  the first): in a filter, the previous event the filter got to this field for. */
function deltaTime(part: (d: bigint) => bigint): Maker {
  return () => {
    let last = 0n;
    return (c) => {
      const ts = rawTs(c);
      if (last === 0n) {
        last = ts;
        return 0;
      }
      const d = part(BigInt.asUintN(64, ts - last));
      last = ts;
      return u64(d);
    };
  };
}

/** A 64-bit unsigned value as a number when that is exact. */
const u64 = (v: bigint): number | bigint => (v <= 9007199254740991n ? Number(v) : v);

/** Whether the event's thread is the one sysdig's table holds (see extractorFor). */
const inTable = (c: FilterContext) => !c.noThread;

/** evt.latency.human: the latency as sysdig's format_time writes a time interval. */
export function humanTime(ns: number): string {
  const S = 1e9;
  const u = (v: number) => Math.floor(v) >>> 0;
  const two = (v: number) => String(u(v)).padStart(2, "0");
  if (ns >= 3600 * S) return `${two(ns / (3600 * S))}:${two((ns / (60 * S)) % 60)}:${two((ns / S) % 60)}`;
  if (ns >= 60 * S) return `${u(ns / (60 * S))}:${u((ns / S) % 60)}`;
  if (ns >= S) return `${u(ns / S)}.${two((ns % S) / 1e7)}s`;
  if (ns >= S / 100) return `${u(ns / 1e6)}ms`;
  if (ns >= S / 1000) return `${u(ns / 1e6)}.${two((ns % 1e6) / 1e4)}ms`;
  if (ns >= S / 100000) return `${u(ns / 1e3)}us`;
  if (ns >= S / 1000000) return `${u(ns / 1e3)}.${two((ns % 1e3) / 10)}us`;
  return `${u(ns)}ns`;
}

// ---------------------------------------------------------------------------------------
// Parameters

/** The parameter text as sysdig's evt.arg gives it: the resolved part when there is one
 *  ("<f>/etc/passwd" for fd=3(<f>/etc/passwd), "ENOENT" for res=-2(ENOENT)), else the value. */
export function argText(c: FilterContext, i: number): string {
  const info = EVENTS[c.ev.type].params[i];
  const full = paramText(c.p, i, info, c.render);
  switch (info.type) {
    case PT.FD: case PT.PID: case PT.ERRNO: case PT.FLAGS8: case PT.FLAGS16: case PT.FLAGS32:
    case PT.MODE: case PT.ENUMFLAGS8: case PT.ENUMFLAGS16: case PT.ENUMFLAGS32: case PT.SIGTYPE:
    case PT.DYN: {
      const m = /^-?[0-9]+\((.*)\)$/s.exec(full);
      return m ? m[1] : full;
    }
    case PT.FSPATH: case PT.FSRELPATH: {
      const s = c.p.str(i);
      return full.length > s.length && full.startsWith(`${s}(`) ? full.slice(s.length + 1, -1) : full;
    }
    default:
      return full;
  }
}

/** A raw parameter value, typed as sysdig's evt.rawarg compares it. */
function rawValue(c: FilterContext, i: number, type: PT): Value {
  const p = c.p;
  switch (type) {
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH:
      return p.str(i);
    case PT.BYTEBUF:
      return p.latin1(i);
    case PT.INT8: case PT.INT16: case PT.INT32: case PT.INT64: case PT.ERRNO: case PT.FD: case PT.PID:
      return p.int(i);
    case PT.ABSTIME: case PT.RELTIME: case PT.UINT64:
      return p.len[i] === 8 ? Number(p.big(i, false)) : p.uint(i);
    default:
      return p.uint(i);
  }
}

/** evt.res / evt.rawres / evt.failed read "res", or "fd" for exits of fd-creating calls. */
function resIndex(c: FilterContext): number {
  const t = c.ev.type;
  const r = P_RES[t];
  if (r >= 0) return c.p.has(r) ? r : -1;
  if (t % 2 === 1 && LEGACY_FLAGS[t] & EF.CREATES_FD) {
    const f = P_FD[t];
    return f >= 0 && c.p.has(f) ? f : -1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------
// Threads

function exeOf(t: Thread): string {
  // A thread first seen in an event has exe <NA>; one given an empty name has an empty exe.
  return t.exe || (t.comm || t.named ? "" : NA);
}

export function commOf(t: Thread): string {
  // A thread first seen in an event has no name: sysdig calls it <NA>. One given an empty
  // comm (a clone child's from its event) keeps it empty.
  return shownComm(t);
}

function mainThread(c: FilterContext, t: Thread): Thread | undefined {
  return t.pid === t.tid ? t : c.table.threads.get(t.pid);
}

function parentOf(c: FilterContext, t: Thread): Thread | undefined {
  return c.table.threads.get(t.ptid);
}

function uidOf(c: FilterContext): number {
  return u32(c.thread.uid);
}

function gidOf(c: FilterContext): number {
  return u32(c.thread.gid);
}

/** sysdig keeps the working directory on the process's main thread. */
function cwdOf(c: FilterContext, t: Thread): string {
  const cwd = t.pid === t.tid ? t.cwd : c.table.threads.get(t.pid)?.cwd ?? t.cwd;
  // sysdig stores a directory with its trailing slash.
  return cwd === "" || cwd.endsWith("/") ? cwd : `${cwd}/`;
}

/** The main thread of the event's process, then `n` generations of parents up. */
export function ancestor(c: FilterContext, n: number): Thread | undefined {
  let t = mainThread(c, c.thread);
  for (let i = 0; t && i < n; i++) t = parentOf(c, t);
  return t;
}

/** Every ancestor of the event's process (not the process itself), nearest first, with a
 *  guard against loops in a damaged table. */
export function* ancestors(c: FilterContext): Generator<Thread> {
  let t = mainThread(c, c.thread);
  for (let i = 0; t && i < 4096; i++) {
    t = parentOf(c, t);
    if (t) yield t;
  }
}

/** sysdig keeps the environment on the process's main thread. */
function envOf(c: FilterContext): string[] {
  const m = c.thread.pid === c.thread.tid ? undefined : c.table.threads.get(c.thread.pid);
  return (m ? c.extraOf(m) : c.extra).env;
}

function cmdline(t: Thread): string {
  const args = t.args;
  return args.length ? `${commOf(t)} ${args.join(" ")}` : commOf(t);
}


// ---------------------------------------------------------------------------------------
// fds

const FD_TYPE_STRINGS: Partial<Record<FdType, string>> = {
  [FdType.FILE]: "file", [FdType.FILE_V2]: "file", [FdType.DIRECTORY]: "directory",
  [FdType.IPV4_SOCK]: "ipv4", [FdType.IPV4_SERVSOCK]: "ipv4", [FdType.IPV6_SOCK]: "ipv6",
  [FdType.IPV6_SERVSOCK]: "ipv6", [FdType.UNIX_SOCK]: "unix", [FdType.FIFO]: "pipe",
  [FdType.EVENT]: "event", [FdType.SIGNALFD]: "signalfd", [FdType.EVENTPOLL]: "eventpoll",
  [FdType.INOTIFY]: "inotify", [FdType.TIMERFD]: "timerfd", [FdType.NETLINK]: "netlink",
  [FdType.BPF]: "bpf", [FdType.USERFAULTFD]: "userfaultfd", [FdType.IOURING]: "io_uring",
  [FdType.MEMFD]: "memfd", [FdType.PIDFD]: "pidfd",
};

const isFile = (f: Fd) => f.type === FdType.FILE || f.type === FdType.FILE_V2;

/** An inet socket's addresses, as sysdig keeps them: for a connected (or not yet connected)
 *  socket the tuple's source (s) and destination (d); a server socket has its bound address in
 *  s (and d mirrors it). Addresses as their 4 or 16 bytes; all zero when not known yet. */
export interface Endpoints {
  v6: boolean;
  /** An IPV4_SERVSOCK / IPV6_SERVSOCK (a bound, listening-type socket). */
  server: boolean;
  /** sysdig's role flags: 0 none (nothing known), 1 server, 2 client. */
  role: number;
  sip: Uint8Array;
  sport: number;
  dip: Uint8Array;
  dport: number;
}

const V4_ZERO = new Uint8Array(4);
const V6_ZERO = new Uint8Array(16);
const addrCache = new Map<string, Uint8Array>();

function addrBytes(s: string | undefined, v6: boolean): Uint8Array {
  if (s === undefined || s === "") return v6 ? V6_ZERO : V4_ZERO;
  let b = addrCache.get(s);
  if (!b) {
    b = (s.includes(":") ? parseIpv6(s) : parseIpv4(s)) ?? (v6 ? V6_ZERO : V4_ZERO);
    if (addrCache.size > 4096) addrCache.clear();
    addrCache.set(s, b);
  }
  return b;
}

const endpointCache = new WeakMap<Fd, Endpoints>();

export function endpoints(f: Fd | undefined): Endpoints | undefined {
  if (!f) return undefined;
  const t = f.type;
  const v6 = t === FdType.IPV6_SOCK || t === FdType.IPV6_SERVSOCK;
  const server = t === FdType.IPV4_SERVSOCK || t === FdType.IPV6_SERVSOCK;
  if (!v6 && !server && t !== FdType.IPV4_SOCK) return undefined;
  let ep = endpointCache.get(f);
  if (!ep) {
    ep = { v6, server, role: 0, sip: V4_ZERO, sport: 0, dip: V4_ZERO, dport: 0 };
    endpointCache.set(f, ep);
  }
  // The state engine updates fds in place: refresh from its fields (cheap when unchanged).
  ep.v6 = v6;
  ep.server = server;
  ep.role = f.role ?? 0;
  ep.sip = addrBytes(f.sip, v6);
  ep.sport = f.sport ?? 0;
  ep.dip = server ? ep.sip : addrBytes(f.dip, v6);
  ep.dport = server ? ep.sport : f.dport ?? 0;
  return ep;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** sysdig's is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine: an address of one of
 *  the capture's interfaces (IPv6: in the /64 of one), or the IPv4 address of the thread's
 *  container; an IPv6 address is never local to a container. */
export function isLocal(c: FilterContext, ip: Uint8Array): boolean {
  if (ip.length === 4) {
    const k = container(c);
    if (k?.ip && sameBytes(k.ip, ip)) return true;
    for (const a of c.localV4) if (sameBytes(a, ip)) return true;
    return false;
  }
  if (c.extra.containerId) return false;
  for (const a of c.localV6) {
    let same = true;
    for (let i = 0; i < 8 && same; i++) same = a[i] === ip[i];
    if (same) return true;
  }
  return false;
}

/** The fd of the event, when the event concerns an fd (sysdig's extract_fd). */
const fdOf = (c: FilterContext) => (c.fdEvent ? c.fd : undefined);

/** The name of the fd an exit event was creating, when the fd itself is unknown (a failed
 *  open still names its file): sysdig's extract_fdname_from_creator. */
function creatorName(c: FilterContext): string | undefined {
  const t = c.ev.type;
  if (t % 2 === 0) return undefined;
  if (NAME_FROM_PARAM1.has(t)) return c.p.has(1) ? argText(c, 1) : "";
  if (t === OPENAT_2_X && c.p.has(2)) {
    const name = c.p.str(2);
    const dirfd = c.p.has(1) ? c.p.int(1) : AT_FDCWD;
    return openatPath(c, dirfd, name);
  }
  return "";
}

function openatPath(c: FilterContext, dirfd: number, name: string): string {
  if (name.startsWith("/")) return resolvePath("", name);
  if (dirfd === AT_FDCWD) return resolvePath(c.thread.cwd, name);
  const d = c.thread.fds.get(dirfd);
  return d ? resolvePath(d.name, name) : `<UNKNOWN>${name}`;
}

function fdName(c: FilterContext): string | undefined {
  if (!c.fdEvent) return undefined;
  const f = c.fd;
  if (!f || (c.ev.type === CONNECT_X && c.p.has(0) && c.p.int(0) < 0)) return creatorName(c);
  return f.name;
}

function directoryOf(name: string): string {
  const pos = name.lastIndexOf("/");
  if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name;
  return "/";
}

function fdDirectory(c: FilterContext): string | undefined {
  if (!c.fdEvent) return undefined;
  const f = c.fd;
  if (!f) {
    const n = creatorName(c);
    return n === undefined ? undefined : directoryOf(n);
  }
  if (isFile(f)) return directoryOf(f.name);
  if (f.type === FdType.DIRECTORY) return f.name;
  return undefined;
}

function fdFilename(c: FilterContext): string | undefined {
  const f = fdOf(c);
  if (!f || !isFile(f)) return undefined;
  const pos = f.name.lastIndexOf("/");
  if (pos < 0) return "/";
  return pos < f.name.length - 1 ? f.name.slice(pos + 1) : f.name;
}

const isConnType = (ep: Endpoints) => !ep.server;

/** fd.cip: the client end of a socket whose role is known. */
function clientIp(c: FilterContext): Uint8Array | undefined {
  const ep = endpoints(fdOf(c));
  return ep && ep.role && isConnType(ep) ? ep.sip : undefined;
}

/** fd.sip: the server end (a server socket's own address), once the role is known. */
function serverIp(c: FilterContext): Uint8Array | undefined {
  const ep = endpoints(fdOf(c));
  return ep && ep.role ? ep.dip : undefined;
}

function localRemote(c: FilterContext, wantLocal: boolean, port: boolean): Value {
  const ep = endpoints(fdOf(c));
  if (!ep || ep.server || !ep.role) return undefined;
  const pickClient = isLocal(c, ep.sip) === wantLocal;
  if (port) return pickClient ? ep.sport : ep.dport;
  return pickClient ? ep.sip : ep.dip;
}

/** fd.lproto / fd.rproto: the local or remote port of a connected-type socket, named. */
function localRemoteProto(c: FilterContext, wantLocal: boolean): string | undefined {
  const port = localRemote(c, wantLocal, true);
  return port === undefined ? undefined : portName(c, fdOf(c)!, port as number);
}

function l4Text(f: Fd): string {
  const inet = f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK ||
    f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK;
  if (!inet) return NA;
  switch (l4Of(f)) {
    case L4Proto.TCP: return "tcp";
    case L4Proto.UDP: return "udp";
    case L4Proto.ICMP: return "icmp";
    case L4Proto.RAW: return "raw";
    default: return NA;
  }
}

/** A port as sysdig's port_to_string writes it: the number, or with name resolution on
 *  (sysdig -R) what getservbyport() finds for the socket's protocol (any protocol when neither
 *  TCP nor UDP). */
function portName(c: FilterContext, f: Fd, port: number): string {
  if (!c.portNames) return String(port);
  const l4 = l4Of(f);
  const proto = l4 === L4Proto.TCP ? "tcp" : l4 === L4Proto.UDP ? "udp" : undefined;
  return c.portNames.byPort(port, proto) ?? String(port);
}

/** fd.cproto: the client port's name; "" for a server socket (sysdig names only connected
 *  types), NULL until the socket's role is known. */
function clientProto(c: FilterContext): string | undefined {
  const f = fdOf(c);
  const ep = endpoints(f);
  if (!ep || !ep.role) return undefined;
  return ep.server ? "" : portName(c, f!, ep.sport);
}

/** fd.sproto: the server port's name; "" for a server socket, as for fd.cproto. */
function serverProto(c: FilterContext): string | undefined {
  const f = fdOf(c);
  const ep = endpoints(f);
  if (!ep || (!ep.server && !ep.role)) return undefined;
  return ep.server ? "" : portName(c, f!, ep.dport);
}

/** fd.dev, split as the kernel's new_encode_dev packs it (what the open exits carry). */
const devMajor = (dev: number) => (dev & 0xfff00) >>> 8;
const devMinor = (dev: number) => ((dev & 0xff) | ((dev >>> 12) & 0xfff00)) >>> 0;

/** fd.dev and its parts for a file an open call made; NULL without an fd. sysdig never sets
 *  the device of other fds (its m_dev is left uninitialized memory there): we say 0. */
function fdDev(part: (dev: number) => number): Extractor {
  return (c) => {
    const f = fdOf(c);
    return f ? part(f.dev ?? 0) : undefined;
  };
}

// ---------------------------------------------------------------------------------------
// Time

function rawTs(c: FilterContext): bigint {
  return (BigInt(c.ev.tsHi) << 32n) | BigInt(c.ev.tsLo);
}

function relTs(c: FilterContext): number {
  return (c.ev.tsHi - c.firstHi) * 4294967296 + (c.ev.tsLo - c.firstLo);
}

const CATEGORY_NAMES: Record<number, string> = {
  [EC.UNKNOWN]: "unknown", [EC.OTHER]: "other", [EC.FILE]: "file", [EC.NET]: "net", [EC.IPC]: "IPC",
  [EC.MEMORY]: "memory", [EC.PROCESS]: "process", [EC.SLEEP]: "sleep", [EC.SYSTEM]: "system",
  [EC.SIGNAL]: "signal", [EC.USER]: "user", [EC.TIME]: "time", [EC.PROCESSING]: "processing",
  [EC.WAIT]: "wait", [EC.SCHEDULER]: "scheduler",
};

function category(c: FilterContext): string {
  const cat = eventCategory(c.ev.type, c.p);
  if (cat === EC.IO_READ || cat === EC.IO_WRITE || cat === EC.IO_OTHER) {
    const f = c.evtFd;
    if (!f) return "unknown";
    switch (f.type) {
      case FdType.FILE: case FdType.FILE_V2: case FdType.DIRECTORY: return "file";
      case FdType.IPV4_SOCK: case FdType.IPV6_SOCK: case FdType.IPV4_SERVSOCK: case FdType.IPV6_SERVSOCK:
        return "net";
      case FdType.UNIX_SOCK: case FdType.FIFO: return "ipc";
      default: return "unknown";
    }
  }
  return CATEGORY_NAMES[cat] ?? "unknown";
}

function errorCount(c: FilterContext): number | undefined {
  const i = resIndex(c);
  return i >= 0 && c.p.int(i) < 0 ? 1 : undefined;
}

const IO_BASE = (c: FilterContext) => {
  const cat = eventCategory(c.ev.type, c.p);
  return cat === EC.IO_READ || cat === EC.IO_WRITE || cat === EC.IO_OTHER;
};

/** The event's category when it is an I/O one (read, write, other). */
const ioCategory = (c: FilterContext) => eventCategory(c.ev.type, c.p);

/** sysdig's extract_buflen: an exit's non-negative return value. */
function buflen(c: FilterContext): number | undefined {
  if (!IS_EXIT(c) || !c.p.has(0)) return undefined;
  const v = c.p.int(0);
  return v >= 0 ? v : undefined;
}

/** scap's socket types SCAP_FD_IPV4_SOCK..SCAP_FD_IPV6_SERVSOCK (not unix sockets). */
const INET_FD = (f: Fd) => f.type >= FdType.IPV4_SOCK && f.type <= FdType.IPV6_SERVSOCK;

const FILE_OR_DIR = (f: Fd) => f.type === FdType.FILE || f.type === FdType.FILE_V2 || f.type === FdType.DIRECTORY;
const NET_FD = (f: Fd) => f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK ||
  f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK || f.type === FdType.UNIX_SOCK;
const OPEN_LIKE_X = new Set([OPEN_X, CREAT_X, OPENAT_X, OPENAT_2_X]);
const NET_CREATOR_X = new Set([...ACCEPT_X, CONNECT_X]);

/** PPM open flags and mode bits for evt.is_open_*. */
const O_RDONLY = 1, O_WRONLY = 2, O_CREAT = 1 << 2, O_TMPFILE = 1 << 13;
const EXEC_BITS = 0o111;

function isOpen(c: FilterContext, what: "read" | "write" | "exec"): number {
  const t = c.ev.type;
  const p = c.p;
  if (t === OPEN_X || t === OPENAT_E || t === OPENAT_2_X) {
    const fi = t === OPENAT_2_X ? 3 : 2;
    if (!p.has(fi)) return 0;
    const flags = p.uint(fi);
    if (what === "read") return flags & O_RDONLY ? 1 : 0;
    if (what === "write") return flags & O_WRONLY ? 1 : 0;
    if (flags & (O_TMPFILE | O_CREAT)) {
      const mi = fi + 1;
      return p.has(mi) && p.uint(mi) & EXEC_BITS ? 1 : 0;
    }
    return 0;
  }
  if (what === "exec" && t === CREAT_X && p.has(2)) return p.uint(2) & EXEC_BITS ? 1 : 0;
  return 0;
}

/** evt.abspath: a path argument joined with its dirfd, for the *at calls that have one. */
const ABSPATH_ARGS: Map<number, [string, string][]> = new Map(EVENTS.flatMap((e, id): [number, [string, string][]][] => {
  const names = e.params.map((p) => p.name);
  const pair = (d: string, n: string): [string, string] | undefined =>
    names.includes(d) && names.includes(n) ? [d, n] : undefined;
  let pairs: ([string, string] | undefined)[] = [];
  if ((e.name === "renameat" || e.name === "renameat2") && id % 2 === 1) pairs = [pair("olddirfd", "oldpath"), pair("newdirfd", "newpath")];
  else if (e.name === "symlinkat" && id % 2 === 1) pairs = [pair("linkdirfd", "linkpath")];
  else if (e.name === "openat" && (id === OPENAT_E || id === OPENAT_2_X)) pairs = [pair("dirfd", "name")];
  else if (e.name === "linkat") pairs = [pair("olddir", "oldpath"), pair("newdir", "newpath")];
  else if (e.name === "unlinkat") pairs = [pair("dirfd", "name")];
  else if (e.name === "mkdirat" && id % 2 === 1) pairs = [pair("dirfd", "path")];
  else if (e.name === "fchmodat" && id % 2 === 1) pairs = [pair("dirfd", "filename")];
  if (e.name === "linkat" && id % 2 === 1 && !names.includes("olddir")) pairs = [];
  if (e.name === "unlinkat" && id % 2 === 1 && !names.includes("dirfd")) pairs = [];
  const ok = pairs.filter((x): x is [string, string] => !!x);
  return ok.length ? [[id, ok]] : [];
}));

function abspath(c: FilterContext, which: string | undefined): string | undefined {
  const pairs = ABSPATH_ARGS.get(c.ev.type);
  if (!pairs) return undefined;
  // Only the calls with two paths tell .src from .dst; the others give their one path to all.
  const pair = which === "dst" && pairs.length > 1 ? pairs[1] : pairs[0];
  if (!pair) return undefined;
  const names = EVENTS[c.ev.type].params.map((p) => p.name);
  const di = names.indexOf(pair[0]);
  const ni = names.indexOf(pair[1]);
  if (!c.p.has(di) || !c.p.has(ni)) return undefined;
  const dirfd = c.p.int(di);
  const path = c.p.str(ni);
  if (path.startsWith("/")) return resolvePath("", path);
  if (dirfd === AT_FDCWD) return resolvePath(c.thread.cwd, path);
  const d = c.thread.fds.get(dirfd);
  return d ? resolvePath(d.name, path) : `<UNKNOWN>/${path}`;
}

// ---------------------------------------------------------------------------------------
// fdlist (poll)

function pollFds(c: FilterContext): { fd: number; f: Fd | undefined }[] | undefined {
  const i = P_FDS[c.ev.type];
  if (i < 0 || !c.p.has(i)) return undefined;
  const b = c.p.bytes(i);
  if (b.length < 2) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint16(0, true);
  const out: { fd: number; f: Fd | undefined }[] = [];
  for (let k = 0, o = 2; k < n && o + 10 <= b.length; k++, o += 10) {
    const fd = dv.getInt32(o + 4, true) * 4294967296 + dv.getUint32(o, true);
    out.push({ fd, f: c.thread.fds.get(fd) });
  }
  return out;
}

function fdlist(c: FilterContext, pick: (fd: number, f: Fd | undefined) => string | undefined): string | undefined {
  const fds = pollFds(c);
  if (!fds || fds.length === 0) return undefined;
  const parts: string[] = [];
  for (const { fd, f } of fds) {
    const s = pick(fd, f);
    if (s !== undefined) parts.push(s);
  }
  return parts.join(",");
}

// ---------------------------------------------------------------------------------------
// The extractors

type Maker = (ref: FieldRef) => Extractor;

const u32 = (v: number) => v >>> 0;

const EXTRACTORS: Record<string, Maker> = {
  // evt
  "evt.num": () => (c) => c.num,
  "evt.time": () => (c) => timeOfDayBig(rawTs(c)),
  "evt.time.s": () => (c) => timeOfDayBig(rawTs(c)).slice(0, 8),
  "evt.datetime": () => (c) => dateTime(rawTs(c), true),
  "evt.time.iso8601": () => (c) => {
    // Always UTC, whatever the local zone.
    const ts = rawTs(c);
    const iso = new Date(Number(ts / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
    return `${iso}.${String(ts % 1_000_000_000n).padStart(9, "0")}+0000`;
  },
  "evt.datetime.s": () => (c) => dateTime(rawTs(c), false),
  "evt.rawtime": () => (c) => rawTs(c),
  "evt.rawtime.s": () => (c) => Number(rawTs(c) / 1_000_000_000n),
  "evt.rawtime.ns": () => (c) => Number(rawTs(c) % 1_000_000_000n),
  "evt.reltime": () => (c) => relTs(c),
  "evt.reltime.s": () => (c) => Math.floor(relTs(c) / 1e9),
  "evt.reltime.ns": () => (c) => relTs(c) % 1e9,
  "evt.latency": () => (c) => (c.noTinfo ? 0 : hasLatency(c.ev.type, c.p) ? c.extra.latency : undefined),
  "evt.latency.s": () => (c) => (c.noTinfo ? 0 : hasLatency(c.ev.type, c.p) ? Math.floor(c.extra.latency / 1e9) : undefined),
  "evt.latency.ns": () => (c) => (c.noTinfo ? 0 : hasLatency(c.ev.type, c.p) ? c.extra.latency % 1e9 : undefined),
  "evt.latency.human": () => {
    // Without sysdig's m_tinfo this field gives its previous string again.
    let last = "";
    return (c) => {
      if (c.noTinfo) return last;
      if (!hasLatency(c.ev.type, c.p)) return undefined;
      return (last = humanTime(c.extra.latency));
    };
  },
  // sysdig scales log10(latency) by the csysdig screen width, which is -1 outside csysdig: the
  // cast to unsigned makes it 1 below 100 s and 0 from there (log10 capped at 11); NULL at 0.
  "evt.latency.quantized": () => (c) => {
    if (c.noTinfo || !hasLatency(c.ev.type, c.p) || c.extra.latency === 0) return undefined;
    return Math.min(Math.log10(c.extra.latency), 11) === 11 ? 0 : 1;
  },
  "evt.deltatime": deltaTime((d) => d),
  "evt.deltatime.s": deltaTime((d) => d / 1_000_000_000n),
  "evt.deltatime.ns": deltaTime((d) => d % 1_000_000_000n),
  "evt.around": (ref) => {
    // Filter only: compared in evaluate.ts against the window around [T]; extracting gives T.
    const t = ref.bigIndex ?? 0n;
    return () => u64(t);
  },
  "evt.dir": () => (c) => (c.ev.type % 2 === 0 ? ">" : "<"),
  "evt.type": () => (c) => typeName(c.ev.type, c.p),
  "evt.type.is": (ref) => {
    const id = ref.index!;
    const named = ref.argName !== "";
    return (c) => (c.ev.type === id || (named && c.ev.type === id + 1) ? 1 : 0);
  },
  "syscall.type": () => (c) => {
    const t = c.ev.type;
    if (SWITCH.has(t) || LEGACY_FLAGS[t] & EF.SKIPPARSERESET) return undefined;
    return typeName(t, c.p);
  },
  "evt.category": () => category,
  "evt.cpu": () => (c) => c.ev.cpu,
  "evt.args": () => (c) => infoOf(c),
  "evt.info": () => (c) => infoOf(c),
  "evt.arg": (ref) => {
    if (ref.index !== undefined) {
      const n = ref.index;
      return (c) => (n >= 0 && n < c.p.count && n < EVENTS[c.ev.type].params.length ? argText(c, n) : undefined);
    }
    const idx = paramIndexTable(ref.argName!);
    return (c) => {
      const i = idx[c.ev.type];
      return i >= 0 && c.p.has(i) ? argText(c, i) : undefined;
    };
  },
  "evt.rawarg": (ref) => {
    const idx = paramIndexTable(ref.argName!);
    return (c) => {
      const i = idx[c.ev.type];
      return i >= 0 && c.p.has(i) ? rawValue(c, i, EVENTS[c.ev.type].params[i].type) : undefined;
    };
  },
  "evt.buffer": () => (c) => {
    const i = P_DATA[c.ev.type];
    return i >= 0 && c.p.has(i) ? c.p.latin1(i) : undefined;
  },
  "evt.buflen": () => (c) => (c.evtFd && IO_BASE(c) ? buflen(c) : undefined),
  "evt.buflen.in": () => (c) => (c.evtFd && ioCategory(c) === EC.IO_READ ? buflen(c) : undefined),
  "evt.buflen.out": () => (c) => (c.evtFd && ioCategory(c) === EC.IO_WRITE ? buflen(c) : undefined),
  "evt.buflen.file": () => (c) => (c.evtFd && isFile(c.evtFd) && IO_BASE(c) ? buflen(c) : undefined),
  "evt.buflen.file.in": () => (c) => (c.evtFd && isFile(c.evtFd) && ioCategory(c) === EC.IO_READ ? buflen(c) : undefined),
  "evt.buflen.file.out": () => (c) => (c.evtFd && isFile(c.evtFd) && ioCategory(c) === EC.IO_WRITE ? buflen(c) : undefined),
  "evt.buflen.net": () => (c) => (c.evtFd && INET_FD(c.evtFd) && IO_BASE(c) ? buflen(c) : undefined),
  "evt.buflen.net.in": () => (c) => (c.evtFd && INET_FD(c.evtFd) && ioCategory(c) === EC.IO_READ ? buflen(c) : undefined),
  "evt.buflen.net.out": () => (c) => (c.evtFd && INET_FD(c.evtFd) && ioCategory(c) === EC.IO_WRITE ? buflen(c) : undefined),
  "evt.res": () => (c) => {
    const i = resIndex(c);
    if (i < 0) return undefined;
    return c.p.int(i) >= 0 ? "SUCCESS" : argText(c, i);
  },
  "evt.rawres": () => (c) => {
    const i = resIndex(c);
    return i < 0 ? undefined : c.p.int(i);
  },
  "evt.failed": () => (c) => {
    const i = resIndex(c);
    return i >= 0 && c.p.int(i) < 0;
  },
  "evt.is_io": () => (c) => (LEGACY_FLAGS[c.ev.type] & (EF.READS_FROM_FD | EF.WRITES_TO_FD)) !== 0,
  "evt.is_io_read": () => (c) => (LEGACY_FLAGS[c.ev.type] & EF.READS_FROM_FD) !== 0,
  "evt.is_io_write": () => (c) => (LEGACY_FLAGS[c.ev.type] & EF.WRITES_TO_FD) !== 0,
  "evt.io_dir": () => (c) => {
    const f = LEGACY_FLAGS[c.ev.type];
    return f & EF.WRITES_TO_FD ? "write" : f & EF.READS_FROM_FD ? "read" : undefined;
  },
  "evt.is_wait": () => (c) => (LEGACY_FLAGS[c.ev.type] & EF.WAITS) !== 0,
  "evt.is_syslog": () => (c) =>
    (LEGACY_FLAGS[c.ev.type] & EF.WRITES_TO_FD) !== 0 && c.evtFd !== undefined && c.evtFd.name.includes("/dev/log"),
  "evt.wait_latency": () => (c) => (LEGACY_FLAGS[c.ev.type] & EF.WAITS && IS_EXIT(c) ? c.extra.latency : undefined),
  "evt.count": () => () => 1,
  "evt.count.error": () => errorCount,
  "evt.count.error.file": () => (c) => {
    const f = c.evtFd;
    if (f) return FILE_OR_DIR(f) ? errorCount(c) : undefined;
    return OPEN_LIKE_X.has(c.ev.type) ? errorCount(c) : undefined;
  },
  "evt.count.error.net": () => (c) => {
    const f = c.evtFd;
    if (f) return NET_FD(f) ? errorCount(c) : undefined;
    return NET_CREATOR_X.has(c.ev.type) ? errorCount(c) : undefined;
  },
  "evt.count.error.memory": () => (c) => (eventCategory(c.ev.type, c.p) === EC.MEMORY ? errorCount(c) : undefined),
  "evt.count.error.other": () => (c) => {
    const f = c.evtFd;
    if (f) return !FILE_OR_DIR(f) && !NET_FD(f) ? errorCount(c) : undefined;
    const t = c.ev.type;
    return !OPEN_LIKE_X.has(t) && !NET_CREATOR_X.has(t) && eventCategory(t, c.p) !== EC.MEMORY ? errorCount(c) : undefined;
  },
  "evt.count.exit": () => (c) => (IS_EXIT(c) ? 1 : undefined),
  // procinfo events of threads the table holds (sysdig does not create threads for them).
  "evt.count.procinfo": () => (c) => (c.ev.type === PROCINFO_E && inTable(c) && c.thread.tid === c.thread.pid ? 1 : undefined),
  "evt.count.threadinfo": () => (c) => (c.ev.type === PROCINFO_E ? 1 : undefined),
  "evt.abspath": (ref) => (c) => abspath(c, ref.argName),
  "evt.is_open_read": () => (c) => isOpen(c, "read") === 1,
  "evt.is_open_write": () => (c) => isOpen(c, "write") === 1,
  "evt.is_open_exec": () => (c) => isOpen(c, "exec") === 1,

  // process / thread
  "proc.pid": () => (c) => c.thread.pid,
  "proc.exe": () => (c) => exeOf(c.thread),
  "proc.name": () => (c) => commOf(c.thread),
  "proc.args": () => (c) => c.thread.args.join(" "),
  "proc.env": () => (c) => envOf(c).join(" "),
  "proc.cmdline": () => (c) => cmdline(c.thread),
  "proc.exeline": () => (c) => `${exeOf(c.thread)} ${c.thread.args.join(" ")}`,
  "proc.cwd": () => (c) => cwdOf(c, c.thread),
  "proc.nthreads": () => (c) => {
    const m = mainThread(c, c.thread);
    return m ? m.nchilds + 1 : undefined;
  },
  "proc.nchilds": () => (c) => c.thread.nchilds,
  "proc.ppid": () => (c) => mainThread(c, c.thread)?.ptid,
  "proc.pname": () => (c) => {
    const p = parentOf(c, c.thread);
    return p ? commOf(p) : undefined;
  },
  "proc.pcmdline": () => (c) => {
    const p = parentOf(c, c.thread);
    return p ? cmdline(p) : undefined;
  },
  "proc.apid": (ref) => (c) => ancestor(c, ref.index ?? 0)?.pid,
  "proc.aname": (ref) => (c) => {
    const a = ancestor(c, ref.index ?? 0);
    return a ? commOf(a) : undefined;
  },
  // The oldest shell (a name ending in "sh") among the process and its ancestors.
  "proc.loginshellid": () => (c) => {
    const m = mainThread(c, c.thread);
    if (!m) return undefined;
    let pid = commOf(m).endsWith("sh") ? m.pid : undefined;
    for (const a of ancestors(c)) if (commOf(a).endsWith("sh")) pid = a.pid;
    return pid;
  },
  "proc.fdopencount": () => (c) => (mainThread(c, c.thread) ?? c.thread).fds.size,
  // The process's limit: its main thread's (a thread's own, from the process list, is not
  // read; a main thread missing from the list is an empty one, limit -1).
  "proc.fdlimit": () => (c) => mainThread(c, c.thread)?.fdlimit,
  // sysdig's get_fd_usage_pct_d: open fds as a percentage of the limit (0 without a limit).
  "proc.fdusage": () => (c) => {
    const limit = mainThread(c, c.thread)?.fdlimit ?? -1;
    if (limit <= 0) return 0;
    const open = (mainThread(c, c.thread) ?? c.thread).fds.size;
    return open <= limit ? (open * 100) / limit : 100;
  },
  "proc.duration": () => (c) => {
    const x = c.extra;
    if (x.cloneHi === 0 && x.cloneLo === 0) return undefined;
    return u64(BigInt.asUintN(64, rawTs(c) - ((BigInt(x.cloneHi) << 32n) | BigInt(x.cloneLo))));
  },
  "proc.is_exe_writable": () => (c) => c.extra.exeWritable,
  "proc.vmsize": () => (c) => c.vmOf(c.thread)[0],
  "proc.vmrss": () => (c) => c.vmOf(c.thread)[1],
  "proc.vmswap": () => (c) => c.vmOf(c.thread)[2],
  "thread.pfmajor": () => (c) => c.pfOf(c.thread)[0],
  "thread.pfminor": () => (c) => c.pfOf(c.thread)[1],
  "thread.tid": () => (c) => c.ev.tid,
  "thread.exectime": execTime(false),
  "thread.totexectime": execTime(true),
  "thread.nametid": () => (c) => `${commOf(c.thread)}${c.ev.tid}`,
  "thread.cpu": threadCpu(true, true),
  "thread.cpu.user": threadCpu(true, false),
  "thread.cpu.system": threadCpu(false, true),
  "thread.ismain": () => (c) => c.thread.tid === c.thread.pid,
  "thread.cgroups": () => (c) => (c.extra.cgroups.length ? c.extra.cgroups.map(([k, v]) => `${k}=${v}`).join(" ") : undefined),
  "thread.cgroup": (ref) => (c) => c.extra.cgroups.find(([k]) => k === ref.argName)?.[1],
  "thread.vtid": () => (c) => (c.thread.vtid === -1 ? undefined : c.thread.vtid),
  "proc.vpid": () => (c) => (c.thread.vpid === -1 ? undefined : c.thread.vpid),
  "thread.vmsize": () => (c) => (c.thread.tid === c.thread.pid ? c.vmOf(c.thread)[0] : 0),
  "thread.vmrss": () => (c) => (c.thread.tid === c.thread.pid ? c.vmOf(c.thread)[1] : 0),
  "thread.vmsize.b": () => (c) => (c.thread.tid === c.thread.pid ? c.vmOf(c.thread)[0] * 1024 : 0),
  "thread.vmrss.b": () => (c) => (c.thread.tid === c.thread.pid ? c.vmOf(c.thread)[1] * 1024 : 0),
  "proc.sid": () => (c) => c.thread.sid,
  "proc.sname": () => (c) => {
    const s = c.table.threads.get(c.thread.sid);
    if (s) return commOf(s);
    let m = mainThread(c, c.thread);
    if (!m) return undefined;
    const sid = m.sid;
    for (const a of ancestors(c)) {
      if (a.sid !== sid) break;
      m = a;
    }
    return commOf(m);
  },
  "proc.tty": () => (c) => c.extra.tty,
  "proc.exepath": () => (c) => c.thread.exepath,
  "proc.vpgid": () => (c) => c.thread.vpgid,

  // user, group
  "user.uid": () => uidOf,
  "user.name": () => (c) => c.table.users.get(uidOf(c))?.name,
  "user.homedir": () => (c) => c.table.users.get(uidOf(c))?.homedir,
  "user.shell": () => (c) => c.table.users.get(uidOf(c))?.shell,
  "user.loginuid": () => (c) => c.thread.loginuid | 0,
  "user.loginname": () => (c) => c.table.users.get(u32(c.thread.loginuid))?.name,
  // sysdig reads the 32-bit gid as 64 bits: the next field of its thread (the count of the
  // process's other threads) lands in the high half. Filters compare that value.
  "group.gid": () => (c) => gidOf(c) + c.thread.nchilds * 4294967296,
  "group.name": () => (c) => (gidOf(c) === 0xffffffff ? undefined : c.table.groups.get(gidOf(c))?.name),

  // container
  "container.id": () => (c) => c.extra.containerId || "host",
  "container.name": () => (c) => (c.extra.containerId ? container(c)?.name || undefined : "host"),
  "container.image": () => (c) => (c.extra.containerId ? container(c)?.image || undefined : undefined),
  "container.image.id": () => (c) => container(c)?.imageId || undefined,
  "container.image.repository": () => (c) => container(c)?.imageRepo || undefined,
  "container.image.tag": () => (c) => container(c)?.imageTag || undefined,
  "container.image.digest": () => (c) => container(c)?.imageDigest || undefined,
  "container.type": () => (c) => {
    if (!c.extra.containerId) return "host";
    const k = container(c);
    return k ? CONTAINER_TYPES[k.type] ?? "unknown" : undefined;
  },
  "container.privileged": () => (c) => {
    const k = container(c);
    return k ? k.privileged : undefined;
  },

  // fd
  "fd.num": () => (c) => (c.fdEvent ? c.fdNum : undefined),
  "fd.type": () => (c) => {
    const f = fdOf(c);
    return f ? FD_TYPE_STRINGS[f.type] ?? NA : undefined;
  },
  "fd.typechar": () => (c) => {
    if (!c.fdEvent) return undefined;
    return c.fd ? fdTypeChar(c.fd.type) : NULL_FD_TYPECHAR[c.ev.type];
  },
  "fd.name": () => fdName,
  "fd.directory": () => fdDirectory,
  "fd.filename": () => fdFilename,
  "fd.cip": () => clientIp,
  "fd.sip": () => serverIp,
  "fd.lip": () => (c) => localRemote(c, true, false),
  "fd.rip": () => (c) => localRemote(c, false, false),
  "fd.cnet": () => clientIp,
  "fd.snet": () => serverIp,
  "fd.lnet": () => (c) => localRemote(c, true, false),
  "fd.rnet": () => (c) => localRemote(c, false, false),
  "fd.cport": () => (c) => {
    const ep = endpoints(fdOf(c));
    if (!ep || !ep.role) return undefined;
    // For a server socket sysdig falls through to a text field and reads its empty string.
    return ep.server ? 0 : ep.sport;
  },
  "fd.sport": () => (c) => {
    const ep = endpoints(fdOf(c));
    if (!ep) return undefined;
    return ep.server ? ep.sport : ep.role ? ep.dport : undefined;
  },
  "fd.lport": () => (c) => localRemote(c, true, true),
  "fd.rport": () => (c) => localRemote(c, false, true),
  "fd.l4proto": () => (c) => {
    const f = fdOf(c);
    return f ? l4Text(f) : undefined;
  },
  "fd.sockfamily": () => (c) => {
    const f = fdOf(c);
    if (!f) return undefined;
    if (endpoints(f)) return "ip";
    return f.type === FdType.UNIX_SOCK ? "unix" : undefined;
  },
  "fd.is_server": () => (c) => {
    const f = fdOf(c);
    if (!f) return undefined;
    if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) return true;
    const ep = endpoints(f);
    return ep ? isLocal(c, ep.dip) : false;
  },
  "fd.uid": () => (c) => (c.fdEvent && !CONTAINER_JSON.has(c.ev.type) ? `${c.thread.tid}${c.fdNum}` : undefined),
  "fd.containername": () => (c) => {
    const n = fdName(c);
    return n === undefined ? undefined : `${c.extra.containerId}:${n}`;
  },
  "fd.cproto": () => clientProto,
  "fd.sproto": () => serverProto,
  "fd.lproto": () => (c) => localRemoteProto(c, true),
  "fd.rproto": () => (c) => localRemoteProto(c, false),
  "fd.connected": () => (c) => {
    const f = fdOf(c);
    return f ? f.connected === true : undefined;
  },
  // sysdig compares the fd's name before and after parsing the event, but filters run before
  // that comparison: a filter always sees false.
  "fd.name_changed": () => (c) => (fdOf(c) ? false : undefined),
  "fd.dev": () => fdDev((d) => d),
  "fd.dev.major": () => fdDev(devMajor),
  "fd.dev.minor": () => fdDev(devMinor),
  "fd.containerdirectory": () => (c) => {
    const n = fdDirectory(c);
    return n === undefined ? undefined : `${c.extra.containerId}:${n}`;
  },

  // fdlist
  "fdlist.nums": () => (c) => fdlist(c, (fd) => String(fd)),
  "fdlist.names": () => (c) => fdlist(c, (_fd, f) => (f ? f.name : undefined)),
  "fdlist.cips": () => (c) => fdlist(c, (_fd, f) => {
    const ep = endpoints(f);
    return ep && !ep.server ? ipText(ep.sip) : undefined;
  }),
  "fdlist.sips": () => (c) => fdlist(c, (_fd, f) => {
    const ep = endpoints(f);
    return ep ? ipText(ep.dip) : undefined;
  }),
  "fdlist.cports": () => (c) => fdlist(c, (_fd, f) => {
    const ep = endpoints(f);
    return ep && !ep.server ? String(ep.sport) : undefined;
  }),
  "fdlist.sports": () => (c) => fdlist(c, (_fd, f) => {
    const ep = endpoints(f);
    return ep ? String(ep.dport) : undefined;
  }),
};

const CONTAINER_TYPES = ["docker", "lxc", "libvirt-lxc", "mesos", "rkt", "custom", "cri", "containerd", "cri-o", "bpm"];

function container(c: FilterContext) {
  const id = c.extra.containerId;
  return id ? c.containers.get(id) : undefined;
}

function infoOf(c: FilterContext): string {
  // evt.info as the printer renders it (the same rules as sysdig's evt.args).
  const params = EVENTS[c.ev.type].params;
  if (EVENTS[c.ev.type].name === "syscall" && params[0]?.type === PT.SYSCALLID) return "";
  let s = "";
  for (let i = 0; i < c.p.count && i < params.length; i++) s += `${params[i].name}=${paramText(c.p, i, params[i], c.render)} `;
  return s;
}

/** An address as the filter fields show it: IPv6 always in hex words (v4-mapped ones too). */
export function ipText(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  return ipv6Compressed(ipv6Words(b, 0));
}

/** The extractor of a field reference, or undefined for fields we do not evaluate. */
export function extractorFor(ref: FieldRef): Extractor | undefined {
  const x = EXTRACTORS[ref.field.name]?.(ref);
  if (!x || ref.field.cls === "evt" || NO_THREAD_NEEDED.has(ref.field.name)) return x;
  // An event of a thread sysdig's table does not hold has no thread info (evt->m_tinfo NULL):
  // every process, user, group, container and fd field of it is NULL. That is the case of the
  // events that only look their thread up (switch and procinfo of kernel threads and tid 0,
  // sysdig creates no thread for them) and of internal events. The state engine gives such an
  // event a stand-in thread that is not in the table (FilterContext.noThread).
  return (c) => (c.noThread ? undefined : x(c));
}

export const EXTRACTED_FIELDS: ReadonlySet<string> = new Set(Object.keys(EXTRACTORS));

/** Fields whose text sysdig cleans of unprintable bytes when it shows them (-p, a chisel's
 *  evt.field), but not when a filter compares them (extract's sanitize_strings): an fd named
 *  "/var/run/docker.sock\n" in the capture's fd list shows without the newline, and only a
 *  filter with the newline matches it. */
const SANITIZED_FOR_DISPLAY: ReadonlySet<string> = new Set([
  "fd.name", "fd.directory", "fd.filename", "fd.containername", "fd.containerdirectory",
]);

/** The extractor of a field as a display reads it (chisels, -p): extractorFor, with the
 *  unprintable bytes of the fd name fields dropped. */
export function displayExtractorFor(ref: FieldRef): Extractor | undefined {
  const x = extractorFor(ref);
  if (!x || !SANITIZED_FOR_DISPLAY.has(ref.field.name)) return x;
  return (c) => {
    const v = x(c);
    return typeof v === "string" ? sanitized(v) : v;
  };
}

/** Process fields sysdig extracts without the event's thread (it checks for one itself, or,
 *  for thread.tid, reads the event's header). */
const NO_THREAD_NEEDED = new Set(["thread.exectime", "thread.totexectime", "thread.tid"]);

/** Fields sysdig prints zero-padded to 9 digits (PF_10_PADDED_DEC). */
const PADDED = new Set(["evt.rawtime.ns", "evt.reltime", "evt.reltime.ns", "evt.latency.ns", "evt.deltatime.ns"]);

/** Fields sysdig prints in hex (PF_HEX), upper case. */
const HEX = new Set(["fd.dev"]);

/** printf("%.1f"): the nearest tenth of the exact binary value, ties to even. The only exact
 *  ties are odd quarters (0.25, 0.75...), which toFixed would round up. */
function fixed1(v: number): string {
  const q = v * 4;
  if (Number.isInteger(q) && q % 2 !== 0) {
    const down = Math.floor(v * 10);
    return ((down % 2 === 0 ? down : down + 1) / 10).toFixed(1);
  }
  return v.toFixed(1);
}

/** A value as `sysdig -p %field` prints it ("<NA>" for NULL): for tests and displays. */
export function displayValue(v: Value, field?: string): string {
  if (v === undefined) return NA;
  if (field && typeof v === "string" && SANITIZED_FOR_DISPLAY.has(field)) return sanitized(v);
  if (field && PADDED.has(field)) return String(v).padStart(9, "0");
  if (field && HEX.has(field)) return v.toString(16).toUpperCase();
  if (field && FIELDS.get(field)?.type === "DOUBLE" && typeof v === "number") return fixed1(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Uint8Array) return ipText(v);
  return String(v);
}

