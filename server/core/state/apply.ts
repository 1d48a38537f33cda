// Following the events: how each call changes the thread and fd tables (the subset of libsinsp's
// parser that decides what sysdig prints). Pure: no I/O.

import { EVENTS } from "../events/event-table";
import { cloneFlags, fcntlCommands } from "../events/flags";
import { AT_FDCWD, resolvePath } from "../events/paths";
import type { ParamIndex } from "../events/params";
import { socktupleText } from "../events/format";
import { ipv4At, ipv6At, isV4Mapped } from "../events/net";
import { FdType, L4Proto } from "../formats/scap/blocks";
import { newFd, type Fd, type Thread, type ThreadTable } from "./threads";

type Handler = (table: ThreadTable, t: Thread, p: ParamIndex, type: number) => void;

/** Index of a parameter by name in an event type, or -1. */
export function paramIndex(type: number, name: string): number {
  return EVENTS[type].params.findIndex((x) => x.name === name);
}

const ENTER_HANDLERS: (Handler | undefined)[] = [];
const EXIT_HANDLERS: (Handler | undefined)[] = [];

function on(names: string[], dir: ">" | "<", h: Handler): void {
  EVENTS.forEach((e, id) => {
    if (!names.includes(e.name)) return;
    const isEnter = id % 2 === 0;
    if ((dir === ">") === isEnter) (isEnter ? ENTER_HANDLERS : EXIT_HANDLERS)[id] = h;
  });
}

const PPM_O_DIRECTORY = 1 << 15;
const cloneFlag = (name: string) => cloneFlags.find(([n]) => n === name)![1];
const PPM_CLONE_FILES = cloneFlag("CLONE_FILES");
const PPM_CLONE_THREAD = cloneFlag("CLONE_THREAD");

/** Remember enter-event arguments that the exit event needs (applyEvent records the type). */
function rememberArgs(...names: string[]): Handler {
  return (_table, t, p, type) => {
    t.enterArgs = names.map((n) => {
      const i = paramIndex(type, n);
      return i >= 0 && p.has(i) ? p.int(i) : NaN;
    });
  };
}

on(["socket"], ">", rememberArgs("domain", "type"));
on(["fcntl"], ">", rememberArgs("cmd"));

function fileOpened(t: Thread, p: ParamIndex, type: number): void {
  const fdI = paramIndex(type, "fd");
  if (fdI < 0 || !p.has(fdI)) return;
  const fd = p.int(fdI);
  if (fd < 0) return;
  const nameI = paramIndex(type, "name") >= 0 ? paramIndex(type, "name") : paramIndex(type, "path");
  const name = nameI >= 0 && p.has(nameI) ? p.str(nameI) : "";
  let path = resolvePath(t.cwd, name);
  const dirfdI = paramIndex(type, "dirfd");
  if (dirfdI >= 0 && p.has(dirfdI) && !name.startsWith("/")) {
    const dirfd = p.int(dirfdI);
    // An unknown directory fd shows as sysdig shows it: "<UNKNOWN>" glued to the path.
    if (dirfd !== AT_FDCWD) {
      const dir = t.fds.get(dirfd);
      path = dir ? resolvePath(dir.name, name) : `<UNKNOWN>${name}`;
    }
  }
  const flagsI = paramIndex(type, "flags");
  const flags = flagsI >= 0 && p.has(flagsI) ? p.uint(flagsI) : 0;
  const f = newFd(flags & PPM_O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE, path);
  f.openFlags = flags;
  t.fds.set(fd, f);
}

on(["open", "openat", "openat2", "creat", "open_by_handle_at"], "<", (_tb, t, p, type) => fileOpened(t, p, type));

const SOCKET_FAMILY_TYPE: Record<number, FdType> = {
  1: FdType.UNIX_SOCK, 2: FdType.IPV4_SOCK, 10: FdType.IPV6_SOCK, 16: FdType.NETLINK,
};

on(["socket"], "<", (_tb, t, p, type) => {
  const fd = p.int(0);
  if (fd < 0 || t.enterType !== type - 1) return;
  const f = newFd(SOCKET_FAMILY_TYPE[t.enterArgs[0]] ?? FdType.UNSUPPORTED);
  f.sockType = t.enterArgs[1] & 0xf;
  t.fds.set(fd, f);
});

function l4FromSockType(f: Fd): L4Proto {
  if (f.sockType === 1) return L4Proto.TCP;
  if (f.sockType === 2) return L4Proto.UDP;
  if (f.sockType === 3) return L4Proto.RAW;
  return L4Proto.UNKNOWN;
}

/** sockaddr bytes → [address text, port], for inet families. */
function inetAddr(b: Uint8Array): [string, number] | undefined {
  if (b[0] === 2 && b.length >= 7) return [ipv4At(b, 1), b[5] | (b[6] << 8)];
  if (b[0] === 10 && b.length >= 19) return [isV4Mapped(b, 1) ? ipv4At(b, 13) : ipv6At(b, 1), b[17] | (b[18] << 8)];
  return undefined;
}

on(["bind"], "<", (_tb, t, p, type) => {
  const res = p.int(0);
  const addrI = paramIndex(type, "addr");
  const f = t.lastFd !== undefined ? t.fds.get(t.lastFd) : undefined;
  if (res !== 0 || !f || addrI < 0 || !p.has(addrI)) return;
  const a = inetAddr(p.bytes(addrI));
  if (!a) return;
  f.name = `${a[0]}:${a[1]}`;
  // A socket bound to a port is taken to be a server socket.
  if (a[1] > 0) {
    f.type = f.type === FdType.IPV6_SOCK ? FdType.IPV6_SERVSOCK : f.type === FdType.IPV4_SOCK ? FdType.IPV4_SERVSOCK : f.type;
    f.l4 = l4FromSockType(f);
  }
});

function tupleNamed(f: Fd, tuple: Uint8Array): void {
  if (tuple.length === 0) return;
  const family = tuple[0];
  if (family === 2 || family === 10) {
    f.name = socktupleText(tuple);
    if (f.type === FdType.IPV4_SERVSOCK) f.type = FdType.IPV4_SOCK;
    if (f.type === FdType.IPV6_SERVSOCK) f.type = FdType.IPV6_SOCK;
    f.l4 = l4FromSockType(f);
  }
}

on(["connect"], "<", (_tb, t, p, type) => {
  const res = p.int(0);
  const f = t.lastFd !== undefined ? t.fds.get(t.lastFd) : undefined;
  const tupleI = paramIndex(type, "tuple");
  if (!f || tupleI < 0 || !p.has(tupleI)) return;
  if (res === 0 || res === -115 /* EINPROGRESS */) tupleNamed(f, p.bytes(tupleI));
});

on(["accept", "accept4"], "<", (_tb, t, p, type) => {
  const fd = p.int(0);
  const tupleI = paramIndex(type, "tuple");
  if (fd < 0 || tupleI < 0 || !p.has(tupleI)) return;
  const tuple = p.bytes(tupleI);
  const family = tuple[0];
  const f = newFd(family === 2 ? FdType.IPV4_SOCK : family === 10 ? FdType.IPV6_SOCK : family === 1 ? FdType.UNIX_SOCK : FdType.UNSUPPORTED);
  const listener = t.lastFd !== undefined ? t.fds.get(t.lastFd) : undefined;
  f.sockType = listener?.sockType ?? 1;
  tupleNamed(f, tuple);
  if (family === 1) f.name = "";
  t.fds.set(fd, f);
});

on(["pipe", "pipe2"], "<", (_tb, t, p, type) => {
  for (const n of ["fd1", "fd2"]) {
    const i = paramIndex(type, n);
    if (i >= 0 && p.has(i) && p.int(i) >= 0) t.fds.set(p.int(i), newFd(FdType.FIFO));
  }
});

on(["socketpair"], "<", (_tb, t, p, type) => {
  for (const n of ["fd1", "fd2"]) {
    const i = paramIndex(type, n);
    if (i >= 0 && p.has(i) && p.int(i) >= 0) t.fds.set(p.int(i), newFd(FdType.UNIX_SOCK));
  }
});

function simpleFd(fdType: FdType): Handler {
  return (_tb, t, p) => {
    const fd = p.int(0);
    if (fd >= 0) t.fds.set(fd, newFd(fdType));
  };
}
on(["eventfd", "eventfd2"], "<", simpleFd(FdType.EVENT));
on(["signalfd", "signalfd4"], "<", simpleFd(FdType.SIGNALFD));
on(["timerfd_create"], "<", simpleFd(FdType.TIMERFD));
on(["inotify_init", "inotify_init1"], "<", simpleFd(FdType.INOTIFY));
on(["epoll_create", "epoll_create1"], "<", simpleFd(FdType.EVENTPOLL));
on(["userfaultfd"], "<", simpleFd(FdType.USERFAULTFD));
on(["io_uring_setup"], "<", simpleFd(FdType.IOURING));
on(["memfd_create"], "<", (_tb, t, p, type) => {
  const fd = p.int(0);
  const nameI = paramIndex(type, "name");
  if (fd >= 0) t.fds.set(fd, newFd(FdType.MEMFD, nameI >= 0 && p.has(nameI) ? p.str(nameI) : ""));
});

on(["close"], "<", (_tb, t, p) => {
  if (p.int(0) >= 0 && t.lastFd !== undefined) t.fds.delete(t.lastFd);
});

function duplicated(t: Thread, from: number | undefined, to: number): void {
  if (from === undefined || to < 0) return;
  const f = t.fds.get(from);
  if (f) t.fds.set(to, { ...f });
  else t.fds.delete(to);
}

on(["dup", "dup2", "dup3"], "<", (_tb, t, p) => {
  duplicated(t, t.lastFd, p.int(0));
});

/** fcntl commands that duplicate the fd, as the event carries them (PPM values). */
const FCNTL_DUP_CMDS: ReadonlySet<number> = new Set(
  fcntlCommands.flatMap(([name, value]) => (name === "F_DUPFD" || name === "F_DUPFD_CLOEXEC" ? [value] : [])),
);

on(["fcntl"], "<", (_tb, t, p, type) => {
  // The exit of fcntl(F_DUPFD*) returns the new fd; the enter event's cmd tells which.
  if (t.enterType === type - 1 && FCNTL_DUP_CMDS.has(t.enterArgs[0])) duplicated(t, t.lastFd, p.int(0));
});

function forked(table: ThreadTable, parent: Thread, p: ParamIndex, type: number): void {
  const res = p.int(0);
  const flagsI = paramIndex(type, "flags");
  const flags = flagsI >= 0 && p.has(flagsI) ? p.uint(flagsI) : 0;
  const str = (n: string) => {
    const i = paramIndex(type, n);
    return i >= 0 && p.has(i) ? p.str(i) : "";
  };
  const num = (n: string) => {
    const i = paramIndex(type, n);
    return i >= 0 && p.has(i) ? p.int(i) : -1;
  };
  if (res === 0) {
    // In the child: it may already exist, created by the parent's exit event.
    const child = parent;
    if (!child.comm) {
      child.comm = str("comm") || str("exe");
      child.exe = str("exe");
      child.cwd = str("cwd");
      child.pid = num("pid");
      child.ptid = num("ptid");
    }
    return;
  }
  if (res < 0 || table.threads.has(res)) return;
  const isThread = (flags & PPM_CLONE_THREAD) !== 0;
  const child = table.thread(res);
  child.comm = str("comm") || parent.comm;
  child.exe = str("exe") || parent.exe;
  child.cwd = str("cwd") || parent.cwd;
  child.pid = isThread ? parent.pid : res;
  child.ptid = parent.tid;
  child.uid = parent.uid;
  child.gid = parent.gid;
  // sysdig keeps one fd table per process, shared by threads that share their files; a new
  // process starts with a copy of its parent's.
  child.fds = isThread && flags & PPM_CLONE_FILES ? parent.fds : new Map([...parent.fds].map(([k, v]) => [k, { ...v }]));
}

on(["clone", "fork", "vfork", "clone3"], "<", forked);

on(["execve", "execveat"], "<", (_tb, t, p, type) => {
  if (p.int(0) !== 0) return;
  const str = (n: string) => {
    const i = paramIndex(type, n);
    return i >= 0 && p.has(i) ? p.str(i) : undefined;
  };
  t.comm = str("comm") ?? str("exe") ?? t.comm;
  t.exe = str("exe") ?? t.exe;
  t.cwd = str("cwd") ?? t.cwd;
});

on(["chdir", "fchdir"], "<", (_tb, t, p, type) => {
  if (p.int(0) !== 0) return;
  const i = paramIndex(type, "path");
  if (i >= 0 && p.has(i)) t.cwd = resolvePath(t.cwd, p.str(i));
});

on(["procexit"], ">", (table, t) => table.removeAfterThisEvent(t.tid));

/** Apply one event to the tables. Returns the event's thread. */
export function applyEvent(table: ThreadTable, tid: number, type: number, p: ParamIndex): Thread {
  const t = table.thread(tid);
  if (type % 2 === 0) {
    // The fd an enter event names is the one its exit acts on (close, bind, connect...).
    const fdI = ENTER_FD_PARAM[type];
    t.lastFd = fdI >= 0 && p.has(fdI) ? p.int(fdI) : undefined;
    t.enterType = type;
    t.enterArgs = NO_ARGS;
    const h = ENTER_HANDLERS[type];
    if (h) h(table, t, p, type);
  } else {
    const h = EXIT_HANDLERS[type];
    if (h) h(table, t, p, type);
  }
  return t;
}

const NO_ARGS: number[] = [];

/** Per enter-event type: the index of its fd parameter ("fd", or "oldfd" for dup2/3), or -1. */
const ENTER_FD_PARAM: number[] = EVENTS.map((e, id) =>
  id % 2 !== 0 ? -1 : e.params.findIndex((x) => x.name === "fd" || x.name === "oldfd"));
