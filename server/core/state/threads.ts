// The thread and file-descriptor tables, kept the way sysdig's parser keeps them, so that an
// event prints with the same process names and fd annotations. Starts from the capture's
// process and fd lists, then follows the events.

import { FdType, L4Proto, type FdEntry, type ProcEntry } from "../formats/scap/blocks";
import { ipv4FromU32, ipv6At } from "../events/net";
import { cloneFlags } from "../events/flags";

export interface Fd {
  type: FdType;
  /** What sysdig shows after the type letters: a path, a tuple, an address, or "". */
  name: string;
  l4: L4Proto;
  /** socket() type (SOCK_STREAM = 1, SOCK_DGRAM = 2...), to tell TCP from UDP once named. */
  sockType: number;
  openFlags: number;
}

export interface Thread {
  tid: number;
  pid: number;
  ptid: number;
  /** "" when the thread was first seen in an event, not in the process list: sysdig prints <NA>. */
  comm: string;
  exe: string;
  cwd: string;
  uid: number;
  gid: number;
  /** Shared by the threads of a process (and by clone(CLONE_FILES) children). */
  fds: Map<number, Fd>;
  /** This thread's last enter event type, and the arguments of it that its exit needs
   *  (socket domain and type, fcntl cmd). */
  enterType: number;
  enterArgs: number[];
  /** The fd named by this thread's last enter event: the one its exit acts on. */
  lastFd?: number;
}

const PPM_CL_CLONE_FILES = cloneFlags.find(([n]) => n === "CLONE_FILES")![1];

export class ThreadTable {
  readonly threads = new Map<number, Thread>();
  /** sysdig removes an exited thread only when the next event arrives. */
  private pendingRemoval = -1;

  addProc(p: ProcEntry): void {
    const t: Thread = {
      tid: p.tid, pid: p.pid, ptid: p.ptid, comm: p.comm, exe: p.exe, cwd: p.cwd,
      uid: p.uid, gid: p.gid, fds: new Map(), enterType: -1, enterArgs: [],
    };
    // Threads that share their files (PPM_CL_CLONE_FILES) use the main thread's fd table.
    const main = p.pid !== p.tid && p.flags & PPM_CL_CLONE_FILES ? this.threads.get(p.pid) : undefined;
    if (main) t.fds = main.fds;
    this.threads.set(p.tid, t);
  }

  addFd(tid: number, e: FdEntry): void {
    const t = this.threads.get(tid);
    if (!t) return;
    t.fds.set(e.fd, fdFromEntry(e));
  }

  /** The thread of an event, created on first sight as sysdig does. */
  thread(tid: number): Thread {
    if (this.pendingRemoval >= 0) {
      this.threads.delete(this.pendingRemoval);
      this.pendingRemoval = -1;
    }
    let t = this.threads.get(tid);
    if (!t) {
      t = {
        tid, pid: tid, ptid: -1, comm: "", exe: "", cwd: "", uid: 0xffffffff, gid: 0xffffffff,
        fds: new Map(), enterType: -1, enterArgs: [],
      };
      this.threads.set(tid, t);
    }
    return t;
  }

  /** An exited thread leaves the table once the next event arrives, but a process's main
   *  thread stays while other threads of the process live (they still use its fd table). */
  removeAfterThisEvent(tid: number): void {
    const t = this.threads.get(tid);
    if (t && t.pid === tid) {
      for (const other of this.threads.values()) if (other.pid === tid && other.tid !== tid) return;
    }
    this.pendingRemoval = tid;
  }
}

export function newFd(type: FdType, name = ""): Fd {
  return { type, name, l4: L4Proto.UNKNOWN, sockType: 0, openFlags: 0 };
}

function fdFromEntry(e: FdEntry): Fd {
  const fd = newFd(e.type, e.name);
  fd.openFlags = e.openFlags;
  if (e.type === FdType.FILE_V2) fd.type = FdType.FILE;
  switch (e.type) {
    case FdType.IPV4_SOCK:
      fd.name = `${ipv4FromU32(e.sip as number)}:${e.sport}->${ipv4FromU32(e.dip as number)}:${e.dport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      break;
    case FdType.IPV4_SERVSOCK:
      fd.name = `${ipv4FromU32(e.sip as number)}:${e.sport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      break;
    case FdType.IPV6_SOCK:
      fd.name = `${ipv6At(e.sip as Uint8Array, 0)}:${e.sport}->${ipv6At(e.dip as Uint8Array, 0)}:${e.dport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      break;
    case FdType.IPV6_SERVSOCK:
      fd.name = `${ipv6At(e.sip as Uint8Array, 0)}:${e.sport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      break;
  }
  return fd;
}

/** The letter sysdig shows for an fd type, as in `3(<f>/etc/hosts)`. */
export function fdTypeChar(type: FdType): string {
  switch (type) {
    case FdType.FILE: case FdType.FILE_V2: return "f";
    case FdType.DIRECTORY: return "d";
    case FdType.IPV4_SOCK: case FdType.IPV4_SERVSOCK: return "4";
    case FdType.IPV6_SOCK: case FdType.IPV6_SERVSOCK: return "6";
    case FdType.UNIX_SOCK: return "u";
    case FdType.FIFO: return "p";
    case FdType.EVENT: return "e";
    case FdType.SIGNALFD: return "s";
    case FdType.EVENTPOLL: return "l";
    case FdType.INOTIFY: return "i";
    case FdType.TIMERFD: return "t";
    case FdType.NETLINK: return "n";
    case FdType.BPF: return "b";
    case FdType.USERFAULTFD: return "u";
    case FdType.IOURING: return "r";
    case FdType.MEMFD: return "m";
    case FdType.PIDFD: return "P";
    default: return "o";
  }
}

export function l4Char(l4: L4Proto): string {
  switch (l4) {
    case L4Proto.TCP: return "t";
    case L4Proto.UDP: return "u";
    case L4Proto.ICMP: return "i";
    case L4Proto.RAW: return "r";
    default: return "";
  }
}

/** `<f>/etc/hosts`, `<4t>1.2.3.4:5->6.7.8.9:80`: the annotation after an fd number. */
export function fdLabel(fd: Fd): string {
  const isInet = fd.type === FdType.IPV4_SOCK || fd.type === FdType.IPV6_SOCK ||
    fd.type === FdType.IPV4_SERVSOCK || fd.type === FdType.IPV6_SERVSOCK;
  return `<${fdTypeChar(fd.type)}${isInet ? l4Char(fd.l4) : ""}>${fd.name}`;
}
