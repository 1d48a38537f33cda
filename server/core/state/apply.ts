// Following the events: how each call changes the thread and fd tables, the subset of libsinsp's
// parser (as in sysdig 0.29.3) that decides what sysdig prints, in event lines and in the lsof,
// netstat and ps chisels. Pure: no I/O.
//
// The rules that matter and are easy to get wrong:
// - An exit event acts on the fd its thread's last enter event named, and only when that enter
//   event is its own (same syscall); otherwise the exit changes nothing fd-related.
// - A thread met for the first time is created (<NA>), except by clone/fork/vfork exits and
//   context switches, which only look; internal events (procinfo, container...) never create.
// - close() removes its fd, and procexit its thread, only when the next event arrives.
// - A forked child gets a copy of its parent's fd table; a thread shares its process's.

import { EVENTS } from "../events/event-table";
import { paramIndexTable } from "../events/param-tables";
import { fcntlCommands } from "../events/flags";
import { AT_FDCWD, resolvePath } from "../events/paths";
import type { ParamIndex } from "../events/params";
import { sockaddrText, socktupleText } from "../events/format";
import { ipv4At, ipv6At, isV4Mapped } from "../events/net";
import { EF } from "../events/types";
import { FdType, L4Proto } from "../formats/scap/blocks";
import { completeV4, completeV6, ipv6ToBytes } from "./interfaces";
import {
  CANCELED_FD, FdTable, PPM_CL_CLONE_FILES, PPM_CL_CLONE_THREAD, newFd, splitNul, unknownThread,
  type Fd, type Thread, type ThreadTable,
} from "./threads";

/** (table, event thread, params, type, valid): `valid` tells, on exit events, that the thread's
 *  last enter event was this syscall's (sysdig's "last event data is valid"). */
type Handler = (table: ThreadTable, t: Thread, p: ParamIndex, type: number, valid: boolean) => void;

const ENTER_HANDLERS: (Handler | undefined)[] = [];
const EXIT_HANDLERS: (Handler | undefined)[] = [];

/** Event ids by name and direction; `maxId` limits to the event versions sysdig 0.29.3 parses. */
function ids(names: string[], dir: ">" | "<", maxId = Infinity): number[] {
  const out: number[] = [];
  EVENTS.forEach((e, id) => {
    if (id <= maxId && names.includes(e.name) && (id % 2 === 0) === (dir === ">")) out.push(id);
  });
  return out;
}

function on(names: string[], dir: ">" | "<", h: Handler, maxId = Infinity): void {
  for (const id of ids(names, dir, maxId)) (dir === ">" ? ENTER_HANDLERS : EXIT_HANDLERS)[id] = h;
}

const PPM_O_DIRECTORY = 1 << 10;
const PPM_CL_CLONE_INVERTED = 1 << 16;
/** The child of a clone is in a pid namespace of its own (the parent's exit carries the tid the
 *  child has there, not the host's). */
const PPM_CL_CHILD_IN_PIDNS = 1 << 29;
const PPM_CL_PIPE_SRC = 1 << 6;
const PPM_CL_PIPE_DST = 1 << 5;
const PPM_CL_ACTIVE = 1 << 7;
const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3;
const IPPROTO_IP = 0, IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_RAW = 255;
const EINPROGRESS = 115;

const P = {
  fd: paramIndexTable("fd"), name: paramIndexTable("name"), path: paramIndexTable("path"), flags: paramIndexTable("flags"),
  dirfd: paramIndexTable("dirfd"), tuple: paramIndexTable("tuple"), addr: paramIndexTable("addr"),
  fd1: paramIndexTable("fd1"), fd2: paramIndexTable("fd2"), exe: paramIndexTable("exe"), args: paramIndexTable("args"),
  pid: paramIndexTable("pid"), ptid: paramIndexTable("ptid"), cwd: paramIndexTable("cwd"), fdlimit: paramIndexTable("fdlimit"),
  pgftMaj: paramIndexTable("pgft_maj"), pgftMin: paramIndexTable("pgft_min"), vmSize: paramIndexTable("vm_size"),
  vmRss: paramIndexTable("vm_rss"), vmSwap: paramIndexTable("vm_swap"), comm: paramIndexTable("comm"),
  uid: paramIndexTable("uid"), gid: paramIndexTable("gid"), vtid: paramIndexTable("vtid"), vpid: paramIndexTable("vpid"),
  loginuid: paramIndexTable("loginuid"), pgid: paramIndexTable("pgid"), filename: paramIndexTable("filename"),
  euid: paramIndexTable("euid"), egid: paramIndexTable("egid"), resource: paramIndexTable("resource"),
  cur: paramIndexTable("cur"), newcur: paramIndexTable("newcur"), source: paramIndexTable("source"), peer: paramIndexTable("peer"),
  dev: paramIndexTable("dev"),
};

const str = (p: ParamIndex, i: number): string | undefined => (i >= 0 && p.has(i) ? p.str(i) : undefined);
const int = (p: ParamIndex, i: number): number | undefined => (i >= 0 && p.has(i) ? p.int(i) : undefined);
const uint = (p: ParamIndex, i: number): number | undefined => (i >= 0 && p.has(i) ? p.uint(i) : undefined);

// --- enter events whose arguments the exit needs (sysdig's store_event) ----------------------

/** Remember enter-event arguments that the exit event needs. */
function rememberArgs(...names: string[]): Handler {
  const idx = names.map((n) => paramIndexTable(n));
  return (table, t, p, type) => {
    t.enterArgs = idx.map((tab) => {
      const i = tab[type];
      return i >= 0 && p.has(i) ? p.int(i) : NaN;
    });
  };
}

on(["socket"], ">", rememberArgs("domain", "type", "proto"));
on(["fcntl"], ">", rememberArgs("cmd"));
on(["setuid", "setgid"], ">", rememberArgs("uid", "gid"));
on(["setresuid"], ">", rememberArgs("euid"));
on(["setresgid"], ">", rememberArgs("egid"));

/** Enter events that keep a path argument for their exit (old openat, execve). */
function rememberString(name: string): Handler {
  const tab = paramIndexTable(name);
  return (table, t, p, type) => {
    t.enterStr = str(p, tab[type]) ?? "";
  };
}
on(["openat"], ">", (table, t, p, type) => {
  // The old openat (only an fd in its exit) keeps everything in its enter event.
  t.enterStr = str(p, P.name[type]) ?? "";
  t.enterArgs = [int(p, P.dirfd[type]) ?? NaN, uint(p, P.flags[type]) ?? 0];
});
on(["execve", "execveat"], ">", rememberString("filename"));
on(["sendto", "sendmsg"], ">", (table, t, p, type) => {
  // A sendto on an fd sysdig does not know makes it a UDP socket (sysdig guesses so).
  const fdNum = int(p, P.fd[type]);
  if (fdNum !== undefined && fdNum >= 0 && !t.fds.has(fdNum)) {
    const ti = P.tuple[type];
    const family = ti >= 0 && p.has(ti) && p.len[ti] > 0 ? p.bytes(ti)[0] : -1;
    if (type === SENDTO_E && (family === AF_INET || family === AF_INET6)) {
      addSocket(table, t, fdNum, family, SOCK_DGRAM, IPPROTO_UDP);
    }
  }
  // Keep the tuple for the exit only when it could name the socket (not a named TCP one).
  const f = fdNum !== undefined ? t.fds.get(fdNum) : undefined;
  const ti = P.tuple[type];
  if (f && !(f.name.length !== 0 && f.l4 === L4Proto.TCP && isInet(f)) && ti >= 0 && p.has(ti)) {
    t.enterTuple = p.bytes(ti).slice();
  } else {
    t.enterTuple = undefined;
  }
});
const SENDTO_E = ids(["sendto"], ">")[0];

// --- files -----------------------------------------------------------------------------------

/** A path as sysdig joins a directory and a name (sinsp_utils::concatenate_paths). */
function joinPath(dir: string, name: string): string {
  if (name.startsWith("/")) return resolvePath("", name);
  return resolvePath(dir, name);
}

function addFd(table: ThreadTable, t: Thread, fdNum: number, f: Fd): void {
  const old = t.fds.get(fdNum);
  if (old?.closing) {
    // A new fd of a number whose close() is under way: the old one is kept aside until the
    // close returns (sysdig's CANCELED_FD_NUMBER).
    f.canceled = true;
    table.canceledFds++;
    t.fds.set(CANCELED_FD, { ...old, canceled: false });
  }
  t.fds.set(fdNum, f);
  t.lastFd = fdNum;
}

function opened(table: ThreadTable, t: Thread, fdNum: number, name: string, flags: number, dirfd: number | undefined, dev = 0): void {
  let path: string;
  if (dirfd === undefined || name.startsWith("/") || dirfd === AT_FDCWD) {
    path = resolvePath(t.cwd, name);
  } else {
    // An unknown directory fd shows as sysdig shows it: "<UNKNOWN>" glued to the path. A known
    // one is the directory of its name plus "/" (parse_openat_dir), so a name-less fd is "/".
    const dir = t.fds.get(dirfd);
    path = dir ? resolvePath(`${dir.name}/`, name) : `<UNKNOWN>${name}`;
  }
  if (fdNum < 0) return;
  const f = newFd(flags & PPM_O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE, path);
  f.openFlags = flags;
  f.dev = dev;
  addFd(table, t, fdNum, f);
}

// open and creat: name and flags in the exit event (sysdig 0.29.3 does not need the enter).
on(["open", "creat"], "<", (table, t, p, type) => {
  const flags = uint(p, P.flags[type]) ?? 0;
  opened(table, t, p.int(0), str(p, P.name[type]) ?? "", flags, undefined, uint(p, P.dev[type]));
});
// The old openat carries only the fd in its exit; the newer ones carry everything.
on(["openat"], "<", (table, t, p, type, valid) => {
  if (P.name[type] < 0) {
    if (!valid) return;
    opened(table, t, p.int(0), t.enterStr ?? "", t.enterArgs[1] ?? 0, t.enterArgs[0]);
    return;
  }
  opened(table, t, p.int(0), str(p, P.name[type]) ?? "", uint(p, P.flags[type]) ?? 0, int(p, P.dirfd[type]), uint(p, P.dev[type]));
});
on(["openat2", "open_by_handle_at"], "<", (table, t, p, type) => {
  const nameI = P.name[type] >= 0 ? P.name[type] : P.path[type];
  opened(table, t, p.int(0), str(p, nameI) ?? "", uint(p, P.flags[type]) ?? 0, int(p, P.dirfd[type]), uint(p, P.dev[type]));
});

// --- sockets ---------------------------------------------------------------------------------

/** socket(): the fd sysdig adds (add_socket), with the L4 protocol it deduces. */
function addSocket(table: ThreadTable, t: Thread, fdNum: number, domain: number, type: number, proto: number): void {
  let f: Fd;
  if (domain === AF_UNIX) {
    f = newFd(FdType.UNIX_SOCK);
  } else if (domain === AF_INET || domain === AF_INET6) {
    f = newFd(domain === AF_INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK);
    // A fresh socket's tuple is all zeros (netstat shows 0.0.0.0:0 or :::0).
    f.sip = f.dip = domain === AF_INET ? "0.0.0.0" : "::";
    f.sport = f.dport = 0;
    let l4 = L4Proto.UNKNOWN;
    if (proto === IPPROTO_TCP) l4 = type === SOCK_RAW ? L4Proto.RAW : L4Proto.TCP;
    else if (proto === IPPROTO_UDP) l4 = type === SOCK_RAW ? L4Proto.RAW : L4Proto.UDP;
    else if (proto === IPPROTO_IP) {
      if ((type & 0xff) === SOCK_STREAM) l4 = L4Proto.TCP;
      else if ((type & 0xff) === SOCK_DGRAM) l4 = L4Proto.UDP;
    } else if (proto === IPPROTO_ICMP) l4 = type === SOCK_RAW ? L4Proto.RAW : L4Proto.ICMP;
    else if (proto === IPPROTO_RAW) l4 = L4Proto.RAW;
    f.l4 = l4;
  } else if (domain === AF_NETLINK) {
    f = newFd(FdType.NETLINK);
  } else {
    // Other families (AF_PACKET...) are kept as fds of unknown type.
    f = newFd(FdType.UNKNOWN);
  }
  f.sockType = type & 0xf;
  addFd(table, t, fdNum, f);
}

on(["socket"], "<", (table, t, p, _type, valid) => {
  const fdNum = p.int(0);
  if (fdNum < 0 || !valid) return;
  const [domain, type, proto] = t.enterArgs;
  addSocket(table, t, fdNum, domain, type, proto);
});

/** The fd an exit event acts on: the one its own enter event named. */
function exitFd(t: Thread, valid: boolean): Fd | undefined {
  return valid && t.lastFd !== undefined ? t.fds.get(t.lastFd) : undefined;
}

/** sockaddr bytes → [address text, port, is IPv4 (or v4-mapped)], for inet families. */
function inetAddr(b: Uint8Array): [string, number, boolean] | undefined {
  if (b[0] === AF_INET && b.length >= 7) return [ipv4At(b, 1), b[5] | (b[6] << 8), true];
  if (b[0] === AF_INET6 && b.length >= 19) {
    const mapped = isV4Mapped(b, 1);
    return [mapped ? ipv4At(b, 13) : ipv6At(b, 1), b[17] | (b[18] << 8), mapped];
  }
  return undefined;
}

const SERVER = 1, CLIENT = 2;

on(["bind"], "<", (table, t, p, type, valid) => {
  const f = exitFd(t, valid);
  if (!f || p.int(0) < 0) return;
  const ai = P.addr[type];
  if (ai < 0 || !p.has(ai) || p.len[ai] === 0) return;
  const b = p.bytes(ai);
  const a = inetAddr(b);
  if (a && a[1] > 0) {
    // A socket bound to a port is taken to be a server socket.
    f.type = a[2] ? FdType.IPV4_SERVSOCK : FdType.IPV6_SERVSOCK;
    f.sip = a[0];
    f.sport = a[1];
    f.dip = undefined;
    f.dport = undefined;
    f.role = SERVER;
  }
  f.name = sockaddrText(b);
});

function swapAddresses(f: Fd): void {
  const { sip, sport } = f;
  f.sip = f.dip; f.sport = f.dport;
  f.dip = sip; f.dport = sport;
}

/** An inet socket's name from its tuple, as sockinfo_to_str writes it: only for a protocol it
 *  knows; a socket of no known protocol (a file or fifo fd that a connect turned into a socket)
 *  is named `<unknown>` (measured with sysdig 0.29.3). */
function tupleName(f: Fd): string {
  if (f.l4 === L4Proto.UNKNOWN || f.l4 === L4Proto.NA) return "<unknown>";
  return `${f.sip}:${f.sport}->${f.dip}:${f.dport}`;
}

// The enter event already names the destination (measured: sysdig 0.29.3 shows it from then
// on, and a unix socket takes the path as its name).
on(["connect"], ">", (table, t, p, type) => {
  const f = t.lastFd !== undefined ? t.fds.get(t.lastFd) : undefined;
  const ai = P.addr[type];
  if (!f || ai < 0 || !p.has(ai) || p.len[ai] === 0) return;
  const b = p.bytes(ai);
  if (b[0] === AF_INET && b.length >= 7) {
    f.type = FdType.IPV4_SOCK;
    f.dip = ipv4At(b, 1);
    f.dport = b[5] | (b[6] << 8);
    f.sip ??= "0.0.0.0";
    f.sport ??= 0;
  } else if (b[0] === AF_INET6 && b.length >= 19) {
    const mapped = isV4Mapped(b, 1);
    f.type = mapped ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    f.dip = mapped ? ipv4At(b, 13) : ipv6At(b, 1);
    f.dport = b[17] | (b[18] << 8);
    f.sip ??= mapped ? "0.0.0.0" : "::";
    f.sport ??= 0;
  } else if (b[0] !== AF_INET && b[0] !== AF_INET6) {
    // Any other family (unix, netlink, one sysdig does not know) names the socket by the
    // address as the event shows it (`family 16`); the type stays.
    f.name = sockaddrText(b);
  }
});

on(["connect"], "<", (table, t, p, type, valid) => {
  const f = exitFd(t, valid);
  if (!f) return;
  const res = p.int(0);
  if (res < 0 && res !== -EINPROGRESS) return;
  f.connected = true;
  const ti = P.tuple[type];
  if (ti < 0 || !p.has(ti) || p.len[ti] === 0) return;
  const b = p.bytes(ti);
  if (b[0] === AF_INET || b[0] === AF_INET6) {
    // sysdig's fill_client_socket_info: the type first, then the tuple as updateTuple takes it
    // (a destination the enter event set is kept), and the name from the fd's tuple.
    const v4 = b[0] === AF_INET || (isV4Mapped(b, 1) && isV4Mapped(b, 19));
    f.type = v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    const changed = updateTuple(f, b, v4);
    if (changed && f.role === SERVER && f.l4 === L4Proto.UDP) swapAddresses(f);
    f.name = tupleName(f);
  } else {
    f.name = socktupleText(b);
  }
  if (!f.role) f.role = CLIENT;
});

on(["accept"], "<", (table, t, p, type) => {
  const fdNum = p.int(0);
  if (fdNum < 0) return;
  t.lastFd = fdNum;
  const ti = P.tuple[type];
  if (ti < 0 || !p.has(ti) || p.len[ti] === 0) return;
  const b = p.bytes(ti);
  let f: Fd;
  if (b[0] === AF_INET || b[0] === AF_INET6) {
    const v4 = b[0] === AF_INET || (isV4Mapped(b, 1) && isV4Mapped(b, 19));
    f = newFd(v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK);
    updateTuple(f, b, v4);
    f.l4 = L4Proto.TCP;
    f.sockType = SOCK_STREAM;
  } else if (b[0] === AF_UNIX) {
    f = newFd(FdType.UNIX_SOCK);
  } else {
    return;
  }
  f.name = socktupleText(b);
  f.role = SERVER;
  f.connected = true;
  addFd(table, t, fdNum, f);
});

/** recvfrom/recvmsg (tuple in the exit) and sendto/sendmsg (tuple in the enter) name a socket
 *  that has no name yet, or any non-TCP one (sysdig's parse_rw_exit and update_fd). */
function rwTuple(table: ThreadTable, t: Thread, f: Fd, b: Uint8Array, reading: boolean): void {
  if (b.length === 0) return;
  const family = b[0];
  if (family === AF_UNIX) {
    f.type = FdType.UNIX_SOCK;
    f.name = socktupleText(b);
    return;
  }
  if (family !== AF_INET && family !== AF_INET6) {
    // Another family (netlink, one sysdig does not know): the socket takes the tuple's text as
    // its name (`family 16`) and keeps its type (measured with sysdig 0.29.3).
    f.name = socktupleText(b);
    return;
  }
  const v4 = family === AF_INET || (isV4Mapped(b, 1) && isV4Mapped(b, 19));
  if (v4) {
    // A bound (server) socket becomes a connected-type one. sysdig keeps both in one C union:
    // its destination address then still holds the bytes of the bound port and protocol
    // (port low, port high, l4, 0), e.g. 161.0.3.0 for a UDP socket bound to port 161, and,
    // not being 0, it is kept (below).
    if (f.type === FdType.IPV4_SERVSOCK) {
      f.dip = `${f.sport! & 255}.${f.sport! >> 8}.${f.l4}.0`;
      f.sport = 0;
      f.dport = 0;
    }
    f.type = FdType.IPV4_SOCK;
  } else if (f.type === FdType.IPV6_SERVSOCK) {
    f.dip = ipv6At(Uint8Array.of(f.sport! & 255, f.sport! >> 8, f.l4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
    f.sport = 0;
    f.dport = 0;
  }
  if (!updateTuple(f, b, v4)) return;
  // A datagram socket a sendto names counts as connected; one a recvfrom names does not
  // (measured: sysdig 0.29.3).
  if (!reading) f.connected = true;
  if (f.type !== FdType.IPV4_SOCK && f.type !== FdType.IPV6_SOCK) {
    // An IPv6 server socket keeps its type (sysdig's update_fd does not change it) and is
    // named by the tuple as the event shows it.
    f.name = socktupleText(b);
    return;
  }
  if (f.l4 === L4Proto.UNKNOWN) f.l4 = L4Proto.UDP;
  // A tuple with an empty end is completed from the capture's interfaces.
  if (f.type === FdType.IPV4_SOCK) completeV4(table.interfaces, f as TupleFd);
  else completeV6(table.interfaces, f as TupleFd);
  if (!f.role) f.role = guessRole(t, f, reading);
  const role = f.role;
  if ((reading && role === CLIENT) || (!reading && role === SERVER)) swapAddresses(f);
  f.name = tupleName(f);
}

type TupleFd = Fd & { sip: string; sport: number; dip: string; dport: number };

/** sysdig's update_ipv4_addresses_and_ports (and the IPv6 one): a tuple equal to the fd's, in
 *  either direction, changes nothing; otherwise the source end is taken, and the destination
 *  only where the fd has none yet (0). So the first datagram names an unconnected socket and
 *  later ones to other destinations do not rename it. Returns whether anything changed. */
function updateTuple(f: Fd, b: Uint8Array, v4: boolean): boolean {
  let sip: string, dip: string, sport: number, dport: number;
  if (b[0] === AF_INET && b.length >= 13) {
    sip = ipv4At(b, 1); sport = b[5] | (b[6] << 8); dip = ipv4At(b, 7); dport = b[11] | (b[12] << 8);
  } else if (b[0] === AF_INET6 && b.length >= 37) {
    sip = v4 ? ipv4At(b, 13) : ipv6At(b, 1);
    dip = v4 ? ipv4At(b, 31) : ipv6At(b, 19);
    sport = b[17] | (b[18] << 8);
    dport = b[35] | (b[36] << 8);
  } else {
    return false;
  }
  const wantType = v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
  if (f.type === wantType && ((f.sip === sip && f.sport === sport && f.dip === dip && f.dport === dport) ||
      (f.sip === dip && f.sport === dport && f.dip === sip && f.dport === sport))) {
    return false;
  }
  let changed = false;
  if (f.sip !== sip) { f.sip = sip; changed = true; }
  if (f.sport !== sport) { f.sport = sport; changed = true; }
  // A fresh socket of either family has an all-zero destination (one C union for both).
  if (f.dip === undefined || f.dip === "0.0.0.0" || f.dip === "::") { f.dip = dip; changed = true; }
  if (!f.dport) { f.dport = dport; changed = true; }
  return changed;
}

/** sysdig's set_net_role_by_guessing for a socket a datagram call just named. If no IPv4 fd
 *  of the process is bound or connected to the socket's destination port, it is a client; if
 *  one is, and none uses its source port, a server; else a first read makes a server and a
 *  first write a client. For an IPv4 socket the fd itself always matches both (so the last
 *  rule decides). The ports are read through sysdig's IPv4 view of the fd's address union: for
 *  an IPv6 socket, bytes 8..11 of its source address (0 for most addresses, which rarely match:
 *  a client). */
function guessRole(t: Thread, f: Fd, reading: boolean): number {
  let sport = f.sport ?? 0, dport = f.dport ?? 0;
  if (f.type !== FdType.IPV4_SOCK) {
    const b = ipv6ToBytes(f.sip ?? "::");
    sport = b[8] | (b[9] << 8);
    dport = b[10] | (b[11] << 8);
  }
  let bound = false, clientPort = false;
  for (const o of t.fds.values()) {
    if (o.type === FdType.IPV4_SOCK) {
      if (o.dport === dport) bound = true;
      if (o.sport === sport) clientPort = true;
    } else if (o.type === FdType.IPV4_SERVSOCK && o.sport === dport) {
      bound = true;
    }
  }
  if (!bound) return CLIENT;
  if (!clientPort) return SERVER;
  return reading ? SERVER : CLIENT;
}

on(["recvfrom", "recvmsg"], "<", (table, t, p, type, valid) => {
  const f = exitFd(t, valid);
  if (!f || p.int(0) < 0) return;
  if (f.name.length !== 0 && f.l4 === L4Proto.TCP && isInet(f)) return;
  const ti = P.tuple[type];
  if (ti >= 0 && p.has(ti)) rwTuple(table, t, f, p.bytes(ti), true);
});

on(["sendto", "sendmsg"], "<", (table, t, p, _type, valid) => {
  const f = exitFd(t, valid);
  if (!f || p.int(0) < 0) return;
  if (f.name.length !== 0 && f.l4 === L4Proto.TCP && isInet(f)) return;
  const b = t.enterTuple;
  t.enterTuple = undefined;
  if (b) rwTuple(table, t, f, b, false);
});

function isInet(f: Fd): boolean {
  return f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK ||
    f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK;
}

// --- other fd-creating calls -----------------------------------------------------------------

on(["pipe", "pipe2"], "<", (table, t, p, type) => {
  if (p.int(0) < 0) return;
  for (const tab of [P.fd1, P.fd2]) {
    const i = tab[type];
    if (i >= 0 && p.has(i)) addFd(table, t, p.int(i), newFd(FdType.FIFO));
  }
});

on(["socketpair"], "<", (table, t, p, type) => {
  if (p.int(0) < 0) return;
  for (const tab of [P.fd1, P.fd2]) {
    const i = tab[type];
    if (i >= 0 && p.has(i)) addFd(table, t, p.int(i), newFd(FdType.UNIX_SOCK));
  }
});

function simpleFd(fdType: FdType): Handler {
  return (table, t, p) => {
    const fdNum = p.int(0);
    if (fdNum >= 0) addFd(table, t, fdNum, newFd(fdType));
  };
}
on(["eventfd", "eventfd2"], "<", simpleFd(FdType.EVENT));
on(["signalfd", "signalfd4"], "<", simpleFd(FdType.SIGNALFD));
on(["timerfd_create"], "<", simpleFd(FdType.TIMERFD));
on(["inotify_init", "inotify_init1"], "<", simpleFd(FdType.INOTIFY));
// Newer events than sysdig 0.29.3 reads (our own recordings): the same rule as today's libs.
on(["epoll_create", "epoll_create1"], "<", simpleFd(FdType.EVENTPOLL));
on(["io_uring_setup"], "<", simpleFd(FdType.IOURING));
on(["memfd_create"], "<", (table, t, p, type) => {
  const fdNum = p.int(0);
  if (fdNum >= 0) addFd(table, t, fdNum, newFd(FdType.MEMFD, str(p, P.name[type]) ?? ""));
});

// --- closing and duplicating -----------------------------------------------------------------

on(["close"], ">", (table, t) => {
  const f = t.lastFd !== undefined ? t.fds.get(t.lastFd) : undefined;
  if (f) f.closing = true;
});

on(["close"], "<", (table, t, p, _type, valid) => {
  const f = exitFd(t, valid);
  if (!f) return;
  if (p.int(0) < 0) {
    f.closing = false;
    return;
  }
  // sysdig removes the fd when the next event arrives.
  table.removeFdAfterThisEvent(t, t.lastFd!);
});

function duplicated(table: ThreadTable, t: Thread, valid: boolean, to: number): void {
  if (to < 0) return;
  // dup(0) / dup(1): sysdig's shell-pipe heuristic.
  if (to === 0) t.flags |= PPM_CL_PIPE_DST;
  if (to === 1) t.flags |= PPM_CL_PIPE_SRC;
  const f = exitFd(t, valid);
  if (!f) return;
  // dup2/dup3 onto an open fd: sysdig copies over it in place.
  addFd(table, t, to, { ...f });
}

on(["dup", "dup2", "dup3"], "<", (table, t, p, _type, valid) => duplicated(table, t, valid, p.int(0)));

/** fcntl commands that duplicate the fd, as the event carries them (PPM values). */
const FCNTL_DUP_CMDS: ReadonlySet<number> = new Set(
  fcntlCommands.flatMap(([name, value]) => (name === "F_DUPFD" || name === "F_DUPFD_CLOEXEC" ? [value] : [])),
);

on(["fcntl"], "<", (table, t, p, _type, valid) => {
  // The exit of fcntl(F_DUPFD*) returns the new fd; the enter event's cmd tells which.
  if (!valid || !FCNTL_DUP_CMDS.has(t.enterArgs[0])) return;
  const to = p.int(0);
  if (to < 0) return;
  const f = exitFd(t, valid);
  if (f) addFd(table, t, to, { ...f });
});

// --- processes -------------------------------------------------------------------------------

/** Exit events of the clone family that sysdig 0.29.3 parses (clone3 included: measured). */
const CLONE_EXITS = new Set(ids(["clone", "fork", "vfork", "clone3"], "<"));
/** Of those, the ones that carry comm (older ones use exe as comm). */
const CLONE_WITH_COMM = new Set([...CLONE_EXITS].filter((id) => P.comm[id] >= 0));

function cloneExit(table: ThreadTable, tid: number, t: Thread | undefined, p: ParamIndex, type: number): void {
  let childTid = p.int(0);
  if (childTid < 0) return;
  const flags = uint(p, P.flags[type]) ?? 0;
  const vtid = int(p, P.vtid[type]);
  const vpid = int(p, P.vpid[type]) ?? -1;
  const inContainer = vtid !== undefined && vtid !== tid;
  let callerTid = tid;
  let inverted = false;
  if (childTid === 0) {
    // In the child. sysdig creates it here only if the parent's exit has not yet.
    if (t) {
      if (inContainer) {
        t.vtid = vtid!;
        t.vpid = vpid;
      }
      return;
    }
    inverted = true;
    childTid = tid;
    callerTid = (flags & PPM_CL_CLONE_THREAD ? int(p, P.pid[type]) : int(p, P.ptid[type])) ?? -1;
  } else if (inContainer || flags & PPM_CL_CHILD_IN_PIDNS) {
    // In a container (or a child pid namespace, which the flags tell where the event has no
    // vtid) the parent sees the child's inner tid: wait for the child's own exit. Measured:
    // sysdig makes neither the child nor the parent of such an exit.
    return;
  }
  let parent = table.thread(callerTid);
  let validParent = !(parent.comm === "" && parent.uid === 0xffffffff);
  const existing = table.threads.get(childTid);
  if (existing) {
    if (existing.flags & PPM_CL_CLONE_INVERTED) return;
    table.removeThread(childTid, true);
  }
  const child = unknownThread(childTid);
  child.ptid = callerTid;
  if (!validParent) {
    // sysdig drops the unknown parent and looks it up again (it is made anew, still unknown).
    table.removeThread(callerTid, true);
    parent = table.thread(callerTid);
    validParent = false;
  }
  if (validParent) {
    child.comm = parent.comm;
    child.exe = parent.exe;
    child.exepath = parent.exepath;
    child.args = parent.args;
    child.sid = parent.sid;
    child.vpgid = parent.vpgid;
    child.loginuid = parent.loginuid;
  } else {
    // Nothing known about the parent: take the event's, and give them to the parent too.
    child.exe = str(p, P.exe[type]) ?? "";
    child.comm = CLONE_WITH_COMM.has(type) ? str(p, P.comm[type]) ?? "" : child.exe;
    child.args = splitNul(p.has(P.args[type]) ? p.bytes(P.args[type]) : new Uint8Array(0));
    parent.comm = child.comm;
    parent.named = true;
    parent.exe = child.exe;
    parent.exepath = child.exepath;
    parent.args = child.args;
  }
  child.pid = int(p, P.pid[type]) ?? childTid;
  child.flags = flags;
  if (!(flags & PPM_CL_CLONE_THREAD)) {
    child.pid = childTid;
    // A new process starts with a copy of its parent's fd table (whatever CLONE_FILES says).
    child.fds = parent.fds.copy();
    child.cwd = processCwd(table, parent);
  } else {
    // A thread shares its process's fd table if it shares its files.
    if (flags & PPM_CL_CLONE_FILES) {
      const main = table.threads.get(child.pid);
      child.fds = main ? main.fds : parent.fds;
    }
    child.cwd = processCwd(table, parent);
  }
  if (inverted) child.flags |= PPM_CL_CLONE_INVERTED;
  child.exe = str(p, P.exe[type]) ?? child.exe;
  child.comm = CLONE_WITH_COMM.has(type) ? str(p, P.comm[type]) ?? child.comm : child.exe;
  child.named = true;
  const ai = P.args[type];
  if (ai >= 0 && p.has(ai)) child.args = splitNul(p.bytes(ai));
  child.fdlimit = int(p, P.fdlimit[type]) ?? child.fdlimit;
  takeMemory(child, p, type);
  child.uid = uint(p, P.uid[type]) ?? child.uid;
  child.gid = uint(p, P.gid[type]) ?? child.gid;
  if (inContainer) {
    child.vtid = vtid!;
    child.vpid = vpid;
  } else {
    child.vtid = child.tid;
    child.vpid = child.pid;
  }
  table.addThread(child);
}

/** Page faults and memory sizes, from a clone or execve exit that carries them. */
function takeMemory(t: Thread, p: ParamIndex, type: number): void {
  if (P.pgftMaj[type] < 0 || !p.has(P.vmSwap[type])) return;
  t.pfMajor = p.uint(P.pgftMaj[type]);
  t.pfMinor = p.uint(P.pgftMin[type]);
  t.vmsizeKb = p.uint(P.vmSize[type]);
  t.vmrssKb = p.uint(P.vmRss[type]);
  t.vmswapKb = p.uint(P.vmSwap[type]);
}

/** The working directory of a thread's process (sysdig keeps it on the main thread). */
function processCwd(table: ThreadTable, t: Thread): string {
  if (t.pid === t.tid) return t.cwd;
  return table.threads.get(t.pid)?.cwd ?? t.cwd;
}

// execveat's exit is parsed as execve's (it carries the same parameters).
const EXECVE_EXITS = new Set([...ids(["execve"], "<", 293), ...ids(["execveat"], "<", 331)]);
/** execve exits with comm (older ones use exe as comm). */
const EXECVE_WITH_COMM = new Set([...EXECVE_EXITS].filter((id) => P.comm[id] >= 0));

function execveExit(_table: ThreadTable, t: Thread, p: ParamIndex, type: number, valid: boolean): void {
  if (p.int(0) < 0) return;
  t.exe = str(p, P.exe[type]) ?? t.exe;
  t.comm = EXECVE_WITH_COMM.has(type) ? str(p, P.comm[type]) ?? t.comm : t.exe;
  t.named = true;
  const ai = P.args[type];
  if (ai >= 0 && p.has(ai)) t.args = splitNul(p.bytes(ai));
  t.pid = int(p, P.pid[type]) ?? t.pid;
  if (t.ptid === -1) t.ptid = int(p, P.ptid[type]) ?? t.ptid;
  t.fdlimit = int(p, P.fdlimit[type]) ?? t.fdlimit;
  takeMemory(t, p, type);
  const fi = EXECVE_FILENAME_TYPES.has(type) && valid ? t.enterStr : undefined;
  if (fi !== undefined) t.exepath = fi === "<NA>" ? "<NA>" : joinPath(t.cwd, fi);
  t.vpgid = int(p, P.pgid[type]) ?? t.vpgid;
  const li = P.loginuid[type];
  if (li >= 0 && p.has(li)) t.loginuid = p.int(li);
  // execve clears the clone flags (keeping the shell-pipe and inverted-clone marks).
  t.flags = PPM_CL_ACTIVE | (t.flags & (PPM_CL_PIPE_SRC | PPM_CL_PIPE_DST | PPM_CL_CLONE_INVERTED));
}
/** execve versions whose enter event names the file (exepath comes from it). */
const EXECVE_FILENAME_TYPES = new Set(ids(["execve"], "<", 293).filter((id) => P.filename[id - 1] >= 0));

for (const id of EXECVE_EXITS) EXIT_HANDLERS[id] = execveExit;

// chdir, fchdir and getcwd all go through sinsp_threadinfo::set_cwd: the new directory is
// joined to the current one as concatenate_paths joins paths (an absolute one replaces it, a
// relative one, getcwd's too, is appended), and a directory with no bytes at all (fchdir to an
// fd with no name) leaves the root.
function newCwd(cur: string, path: string, byteLen: number): string {
  if (byteLen === 0) return "/";
  return resolvePath(cur, path) || "/";
}
on(["chdir", "getcwd"], "<", (table, t, p, type) => {
  if (p.int(0) < 0) return;
  const i = P.path[type];
  const path = str(p, i);
  if (path !== undefined) setProcessCwd(table, t, newCwd(processCwd(table, t), path, p.len[i]));
});
on(["fchdir"], "<", (table, t, p, _type, valid) => {
  if (p.int(0) < 0) return;
  const f = exitFd(t, valid);
  if (f) setProcessCwd(table, t, newCwd(processCwd(table, t), f.name, f.name.length));
});

/** sysdig keeps the working directory per process: every thread of it sees the change. */
function setProcessCwd(table: ThreadTable, t: Thread, cwd: string): void {
  t.cwd = cwd;
  for (const o of table.threads.values()) if (o.pid === t.pid) o.cwd = cwd;
}

on(["procexit"], ">", (table, t) => table.removeAfterThisEvent(t.tid));

// Memory sizes: brk/mmap/munmap exits carry the thread's, a switch its process's. sysdig 0.29.3
// shows those only at that very event: from the next one on, the thread shows again the sizes
// it got from the process list, its clone or its execve (measured against sysdig; the chisels
// never see them last). The table keeps them as a one-event override.
on(["brk", "mmap", "mmap2", "munmap"], "<", (table, t, p, type) => {
  if (P.vmSwap[type] < 0 || !p.has(P.vmSwap[type])) return;
  table.setVmOverride(t.tid, p.uint(P.vmSize[type]), p.uint(P.vmRss[type]), p.uint(P.vmSwap[type]));
});

function contextSwitch(table: ThreadTable, t: Thread, p: ParamIndex, type: number): void {
  if (!p.has(P.vmSwap[type])) return;
  t.pfMajor = p.uint(P.pgftMaj[type]);
  t.pfMinor = p.uint(P.pgftMin[type]);
  const main = t.pid === t.tid ? t : table.thread(t.pid);
  table.setVmOverride(main.tid, p.uint(P.vmSize[type]), p.uint(P.vmRss[type]), p.uint(P.vmSwap[type]));
}

// Credentials. (getrlimit/setrlimit/prlimit change nothing that sysdig 0.29.3 shows: measured.)
on(["setuid"], "<", (table, t, p, _type, valid) => {
  if (p.int(0) >= 0 && valid && !Number.isNaN(t.enterArgs[0])) t.uid = t.enterArgs[0] >>> 0;
});
on(["setgid"], "<", (table, t, p, _type, valid) => {
  if (p.int(0) >= 0 && valid && !Number.isNaN(t.enterArgs[1])) t.gid = t.enterArgs[1] >>> 0;
});
on(["setresuid"], "<", (table, t, p, _type, valid) => {
  const euid = t.enterArgs[0] >>> 0;
  if (p.int(0) >= 0 && valid && euid !== 0xffffffff) t.uid = euid;
});
on(["setresgid"], "<", (table, t, p, _type, valid) => {
  const egid = t.enterArgs[0] >>> 0;
  if (p.int(0) >= 0 && valid && egid !== 0xffffffff) t.gid = egid;
});

// --- dispatch --------------------------------------------------------------------------------

const NO_ARGS: number[] = [];

/** How an event finds its thread: 0 creates it if new; 1 only looks it up (clone exits,
 *  switch); 2 looks it up and changes nothing else (procinfo, and every EF_SKIPPARSERESET
 *  event: libsinsp's parser leaves it without a thread, but its fields, proc.name first, look
 *  the event's tid up in the table: `bash` for a drop or notification event of a known
 *  thread, measured); 3 has no thread (container JSON). */
const LOOKUP: Uint8Array = Uint8Array.from(EVENTS.map((e, id) => {
  if (e.name === "procinfo") return 2;
  if (e.flags & EF.SKIPPARSERESET) return 2;
  // Container events that carry the JSON (enter events); their unused exits are ordinary.
  if (e.name === "container" && id % 2 === 0) return 3;
  if (CLONE_EXITS.has(id)) return 1;
  if (e.name === "switch") return 1;
  return 0;
}));

const SWITCH_6_E = EVENTS.findIndex((e, id) => e.name === "switch" && id % 2 === 0 && e.params.length === 6);

/** Per event type: whether it uses an fd (EF_USES_FD); an enter event names it in parameter 0. */
const USES_FD: Uint8Array = Uint8Array.from(EVENTS.map((e) => (e.flags & EF.USES_FD ? 1 : 0)));

/** The thread an event gets when sysdig has none for it: fresh fields every time, never in the
 *  table. One object is reused (rendering copies what it needs). */
const EMPTY_FDS = new FdTable();
const scratch = unknownThread(-1);
scratch.fds = EMPTY_FDS;
function scratchThread(tid: number): Thread {
  // Reset in place (no allocation: switch and procinfo events of unknown threads are many).
  const s = scratch;
  s.tid = s.pid = tid;
  s.ptid = -1;
  s.comm = s.exe = s.exepath = s.cwd = "";
  s.named = false;
  s.args = NO_STRINGS;
  s.uid = s.gid = 0xffffffff;
  s.fdlimit = s.sid = s.vpgid = s.vtid = s.vpid = s.loginuid = -1;
  s.vmsizeKb = s.vmrssKb = s.vmswapKb = s.pfMajor = s.pfMinor = s.flags = s.nchilds = 0;
  s.enterType = -1;
  s.enterArgs = NO_ARGS;
  s.lastFd = undefined;
  return s;
}
const NO_STRINGS: string[] = [];

/** Apply one event to the tables. Returns the event's thread (a stand-in one, not in the table,
 *  when sysdig has none for it). */
export function applyEvent(table: ThreadTable, tid: number, type: number, p: ParamIndex): Thread {
  table.beginEvent();
  const mode = LOOKUP[type];
  if (mode !== 0) {
    const t = mode === 3 ? undefined : table.threads.get(tid);
    if (mode === 1) {
      if (CLONE_EXITS.has(type)) cloneExit(table, tid, t, p, type);
      else if (type === SWITCH_6_E && t) contextSwitch(table, t, p, type);
      // The clone may have made the thread (an inverted clone: the child's exit came first).
      return table.threads.get(tid) ?? scratchThread(tid);
    }
    return t ?? scratchThread(tid);
  }
  const t = table.thread(tid);
  if (type % 2 === 0) {
    // The fd an enter event names is the one its exit acts on (close, bind, connect...).
    t.lastFd = USES_FD[type] && p.has(0) ? p.int(0) : undefined;
    t.enterType = type;
    t.enterArgs = NO_ARGS;
    const h = ENTER_HANDLERS[type];
    if (h) h(table, t, p, type, true);
  } else {
    const valid = t.enterType === type - 1;
    if (table.canceledFds > 0 && valid && USES_FD[type] && t.lastFd !== undefined) {
      // The close an fd overtook has returned: the old fd goes (when the next event comes).
      const f = t.fds.get(t.lastFd);
      if (f?.canceled) {
        f.canceled = false;
        table.canceledFds--;
        if (t.fds.has(CANCELED_FD)) table.removeFdAfterThisEvent(t, CANCELED_FD);
      }
    }
    const h = EXIT_HANDLERS[type];
    if (h) h(table, t, p, type, valid);
  }
  return t;
}

