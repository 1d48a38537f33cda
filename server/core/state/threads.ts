// The thread and file-descriptor tables, kept the way sysdig's parser keeps them, so that an
// event prints with the same process names and fd annotations, and so that the lsof, netstat and
// ps chisels can be answered at any event. Starts from the capture's process, fd and user lists,
// then follows the events (apply.ts).
//
// Besides the contents, the tables keep the iteration order of sysdig's own tables (libstdc++
// unordered_maps, see std-hash-order.ts): the chisels print rows in an order derived from it.

import { FdType, L4Proto, type FdEntry, type GroupEntry, type ProcEntry, type UserEntry } from "../formats/scap/blocks";
import { ipv4At, ipv4FromU32, ipv6At, isV4Mapped } from "../events/net";
import { cloneFlags } from "../events/flags";
import { StdHashOrder } from "./std-hash-order";
import { sanitized } from "../events/sanitize";
import { emptyInterfaces, interfacesFrom, type Interfaces } from "./interfaces";
import type { InterfaceEntry } from "../formats/scap/blocks";

export interface Fd {
  type: FdType;
  /** What sysdig shows after the type letters: a path, a tuple, an address, or "". */
  name: string;
  l4: L4Proto;
  /** socket() type (SOCK_STREAM = 1, SOCK_DGRAM = 2...), to tell TCP from UDP once named. */
  sockType: number;
  openFlags: number;
  /** Inet sockets: the tuple as sysdig keeps it (s = source, d = destination, as the socket
   *  tuple of the event gives them; a server socket keeps its bound address in sip/sport).
   *  Addresses are text, as inet_ntop prints them. Absent for other fds. */
  sip?: string;
  sport?: number;
  dip?: string;
  dport?: number;
  /** Sockets: 1 server, 2 client, as sysdig marks them (0 or absent: not known). */
  role?: number;
  /** A close() of it has begun (its enter event seen, not yet its exit). */
  closing?: boolean;
  /** It was created while a close() of the same number was under way. */
  canceled?: boolean;
  /** The device of a file an open/openat/creat exit created (its dev parameter; 0 when the
   *  event has none). Absent for other fds: sysdig leaves m_dev uninitialized there. */
  dev?: number;
  /** sysdig's FLAGS_SOCKET_CONNECTED: a connect() returned 0 or EINPROGRESS on it, or accept()
   *  made it (fd.connected). Copied with the fd (dup, fork) as sysdig copies its fdinfo. */
  connected?: boolean;
}

/** Where sysdig keeps an fd whose close() was overtaken by a new fd of the same number
 *  (CANCELED_FD_NUMBER, INT64_MAX). */
export { INT64_MAX_KEY as CANCELED_FD } from "./std-hash-order";

/** One fd table: sysdig's sinsp_fdtable. Shared by the threads of a process that share their
 *  files. Keeps its entries in sysdig's iteration order as well. */
export class FdTable {
  private readonly map = new Map<number, Fd>();
  private order = new StdHashOrder();

  get size(): number {
    return this.map.size;
  }
  get(fd: number): Fd | undefined {
    return this.map.get(fd);
  }
  has(fd: number): boolean {
    return this.map.has(fd);
  }
  /** Adds an fd, or replaces an existing one where it is (as sinsp's add() copies over it). */
  set(fd: number, f: Fd): this {
    if (!this.map.has(fd)) this.order.insert(fd);
    this.map.set(fd, f);
    return this;
  }
  delete(fd: number): boolean {
    if (!this.map.delete(fd)) return false;
    this.order.erase(fd);
    return true;
  }
  /** [fd, Fd] in sysdig's iteration order. */
  *entries(): IterableIterator<[number, Fd]> {
    for (const k of this.order.keys()) yield [k, this.map.get(k)!];
  }
  [Symbol.iterator](): IterableIterator<[number, Fd]> {
    return this.entries();
  }
  *keys(): IterableIterator<number> {
    yield* this.order.keys();
  }
  *values(): IterableIterator<Fd> {
    for (const k of this.order.keys()) yield this.map.get(k)!;
  }
  /** A copy with copies of every fd, as a forked child gets (the map's copy assignment keeps
   *  the order and bucket count). */
  copy(): FdTable {
    const t = new FdTable();
    for (const [k, v] of this.entries()) t.map.set(k, { ...v });
    t.order = this.order.clone();
    return t;
  }
  /** For snapshots. */
  orderState() {
    return this.order.state();
  }
  static fromState(entries: [number, Fd][], order: ReturnType<StdHashOrder["state"]>): FdTable {
    const t = new FdTable();
    for (const [k, v] of entries) t.map.set(k, v);
    t.order = StdHashOrder.restore(order);
    return t;
  }
}

export interface Thread {
  tid: number;
  pid: number;
  ptid: number;
  /** "" when the thread was first seen in an event, not in the process list: sysdig prints <NA>
   *  (its comm is "<NA>"), unless `named` says the "" was given. */
  comm: string;
  /** The comm was given (by the process list, a clone or an execve exit), so an empty one is
   *  printed empty: sysdig names a thread it first meets "<NA>", but a clone child takes the
   *  comm its event carries, "" included. */
  named?: boolean;
  exe: string;
  exepath: string;
  args: string[];
  cwd: string;
  uid: number;
  gid: number;
  /** RLIMIT_NOFILE; -1 when unknown (the chisels print it as an unsigned 32-bit number). */
  fdlimit: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfMajor: number;
  pfMinor: number;
  /** PPM_CL_* flags: the clone flags of the thread (CLONE_FILES, CLONE_THREAD...). */
  flags: number;
  sid: number;
  vpgid: number;
  vtid: number;
  vpid: number;
  loginuid: number;
  /** For a process's main thread: how many of its threads sysdig counts (a main thread that
   *  exits stays in the table while this is not 0). */
  nchilds: number;
  /** Shared by the threads of a process (and by clone(CLONE_FILES) children). */
  fds: FdTable;
  /** This thread's last enter event type, and the arguments of it that its exit needs
   *  (socket domain and type, fcntl cmd). */
  enterType: number;
  enterArgs: number[];
  /** The fd named by this thread's last enter event: the one its exit acts on. */
  lastFd?: number;
  /** A path its last enter event carried for the exit (old openat, execve's filename). */
  enterStr?: string;
  /** The socket tuple its last sendto/sendmsg enter carried, when the exit may need it. */
  enterTuple?: Uint8Array;
}

export const PPM_CL_CLONE_FILES = cloneFlags.find(([n]) => n === "CLONE_FILES")![1];
export const PPM_CL_CLONE_THREAD = cloneFlags.find(([n]) => n === "CLONE_THREAD")![1];

/** The name sysdig shows for a thread (proc.name, a pid parameter's): <NA> for one it first met
 *  in an event, else its comm, even when empty. */
export function shownComm(t: Thread): string {
  return t.comm || (t.named ? "" : "<NA>");
}

/** A thread with nothing known about it, as sysdig makes one for a tid it first meets in an
 *  event (comm and exe <NA>, no user, no limits). Its last enter event's fd starts at 0, as
 *  sinsp_threadinfo::init sets m_lastevent_fd: an exit that is a thread's first event (its
 *  enter came before the capture) acts, for the fd.* fields, on fd 0 (a shell's read of its
 *  terminal shows /dev/pts/N). */
export function unknownThread(tid: number): Thread {
  return {
    tid, pid: tid, ptid: -1, comm: "", exe: "", exepath: "", args: [], cwd: "",
    uid: 0xffffffff, gid: 0xffffffff, fdlimit: -1, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0,
    pfMajor: 0, pfMinor: 0, flags: 0, sid: -1, vpgid: -1, vtid: -1, vpid: -1, loginuid: -1,
    nchilds: 0, fds: new FdTable(), enterType: -1, enterArgs: [], lastFd: 0,
  };
}

const utf8 = new TextDecoder();

/** NUL-separated strings (args, env) as a list. */
export function splitNul(b: Uint8Array): string[] {
  if (b.length === 0) return [];
  const parts = utf8.decode(b).split("\0");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

export class ThreadTable {
  /** The threads by tid. Add and remove only through this class (the order follows). */
  readonly threads = new Map<number, Thread>();
  /** sysdig's iteration order of its thread table. */
  order = new StdHashOrder();
  /** The capture's user and group lists, by uid and gid. */
  readonly users = new Map<number, UserEntry>();
  readonly groups = new Map<number, GroupEntry>();
  /** sysdig removes an exited thread only when the next event arrives (-1: none pending). */
  pendingRemoval = -1;
  /** ...and a closed fd too: the thread and the fds to remove (empty: none pending). */
  pendingFdTid = -1;
  pendingFds: number[] = [];
  /** Memory sizes that the last event reported for one thread, shown for that event only
   *  (tid -1: none). See apply.ts. */
  vmOverride = { tid: -1, sizeKb: 0, rssKb: 0, swapKb: 0 };
  /** How many fds carry the `canceled` mark (so that exits look for it only when some do). */
  canceledFds = 0;
  /** Whether the process list is complete (sysdig then counts each process's threads). */
  started = false;
  /** The capture's interface list (it completes datagram tuples: interfaces.ts). */
  interfaces: Interfaces = emptyInterfaces();

  setInterfaces(list: readonly InterfaceEntry[]): void {
    this.interfaces = interfacesFrom(list);
  }

  addProc(p: ProcEntry): void {
    const t = unknownThread(p.tid);
    t.pid = p.pid;
    t.ptid = p.ptid;
    t.comm = p.comm;
    t.named = true;
    t.exe = p.exe;
    t.exepath = p.exepath;
    t.args = splitNul(p.args);
    t.cwd = p.cwd;
    t.uid = p.uid;
    t.gid = p.gid;
    t.fdlimit = p.fdlimit;
    t.vmsizeKb = p.vmsizeKb;
    t.vmrssKb = p.vmrssKb;
    t.vmswapKb = p.vmswapKb;
    t.pfMajor = p.pfMajor;
    t.pfMinor = p.pfMinor;
    t.flags = p.flags;
    t.sid = p.sid;
    t.vpgid = p.vpgid;
    t.vtid = p.vtid;
    t.vpid = p.vpid;
    t.loginuid = p.loginuid === 0xffffffff ? -1 : p.loginuid;
    // Threads that share their files (PPM_CL_CLONE_FILES) use the main thread's fd table.
    const main = p.pid !== p.tid && p.flags & PPM_CL_CLONE_FILES ? this.threads.get(p.pid) : undefined;
    if (main) t.fds = main.fds;
    this.add(t);
  }

  addFd(tid: number, e: FdEntry): void {
    const t = this.threads.get(tid);
    // fds of unknown type in the capture's fd list are not kept.
    if (!t || e.type === FdType.UNKNOWN) return;
    t.fds.set(e.fd, fdFromEntry(e));
  }

  setUsers(users: readonly UserEntry[], groups: readonly GroupEntry[]): void {
    for (const u of users) this.users.set(u.uid, u);
    for (const g of groups) this.groups.set(g.gid, g);
  }

  /** The user name sysdig shows for a uid: from the capture's user list, else <NA>. */
  userName(uid: number): string {
    return this.users.get(uid)?.name ?? "<NA>";
  }

  /** Put a thread in the table (replacing one with its tid in place, as sysdig's map does). */
  add(t: Thread): void {
    if (!this.threads.has(t.tid)) this.order.insert(t.tid);
    this.threads.set(t.tid, t);
  }

  /** A new section of the capture: sysdig 0.29.3 restarts, emptying the thread table (fds with
   *  it) to fill it again from the section's process list; users and interfaces stay. */
  restart(): void {
    for (const tid of [...this.threads.keys()]) this.remove(tid);
    this.pendingRemoval = -1;
    this.pendingFdTid = -1;
    this.pendingFds.length = 0;
    this.canceledFds = 0;
    this.started = false;
  }

  remove(tid: number): void {
    if (this.threads.delete(tid)) this.order.erase(tid);
  }

  /** Before each event: what sysdig does before parsing the next one. The first event ends the
   *  process list (threads are then counted per process); the previous event's exited thread
   *  and closed fds leave. */
  beginEvent(): void {
    this.vmOverride.tid = -1;
    if (!this.started) {
      this.started = true;
      this.fixSocketsFromProc();
      this.createChildDependencies();
    }
    if (this.pendingRemoval !== -1) {
      const tid = this.pendingRemoval;
      this.pendingRemoval = -1;
      this.removeThread(tid, false);
    }
    if (this.pendingFds.length > 0) {
      const t = this.thread(this.pendingFdTid);
      for (const fd of this.pendingFds) t.fds.delete(fd);
      this.pendingFds.length = 0;
      this.pendingFdTid = -1;
    }
  }

  /** The thread of an event, created on first sight as sysdig does (an unknown thread). */
  thread(tid: number): Thread {
    let t = this.threads.get(tid);
    if (!t) {
      t = unknownThread(tid);
      // sysdig counts the threads already in the table that name it as their process.
      for (const o of this.threads.values()) if (o.pid === tid) t.nchilds++;
      this.add(t);
    }
    return t;
  }

  /** Adds a thread made by a clone (its process then counts one more thread). */
  addThread(t: Thread): void {
    this.countInMain(t);
    this.add(t);
  }

  /** sysdig's remove_thread: a main thread whose threads live stays unless forced. */
  removeThread(tid: number, force: boolean): void {
    const t = this.threads.get(tid);
    if (!t) return;
    const nchilds = t.nchilds;
    if (nchilds !== 0 && !force) return;
    if (t.flags & PPM_CL_CLONE_THREAD) {
      const main = this.threads.get(t.pid);
      if (main && main.nchilds > 0) main.nchilds--;
    }
    this.remove(tid);
    if (nchilds !== 0) {
      for (const o of this.threads.values()) o.nchilds = 0;
      this.createChildDependencies();
    }
  }

  private countInMain(t: Thread): void {
    if (t.flags & PPM_CL_CLONE_THREAD) this.thread(t.pid).nchilds++;
  }

  /** sysdig's fix_sockets_coming_from_proc: an IPv4 socket of the capture's fd list whose
   *  local port is one some socket listens on is the server end (its tuple is turned so that
   *  the destination is the server); the others are clients. */
  private fixSocketsFromProc(): void {
    const serverPorts = new Set<number>();
    const tables = new Set<FdTable>();
    for (const t of this.threads.values()) tables.add(t.fds);
    for (const fds of tables) {
      for (const f of fds.values()) {
        if ((f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) && f.sport !== undefined) serverPorts.add(f.sport);
      }
    }
    for (const fds of tables) {
      for (const f of fds.values()) {
        if (f.type !== FdType.IPV4_SOCK || f.role) continue;
        if (serverPorts.has(f.sport!)) {
          const { sip, sport } = f;
          f.sip = f.dip; f.sport = f.dport;
          f.dip = sip; f.dport = sport;
          f.name = `${f.sip}:${f.sport}->${f.dip}:${f.dport}`;
          f.role = 1;
        } else {
          f.role = 2;
        }
      }
    }
  }

  private createChildDependencies(): void {
    for (const t of [...this.ordered()]) this.countInMain(t);
  }

  /** Threads in sysdig's table order. */
  *ordered(): IterableIterator<Thread> {
    for (const tid of this.order.keys()) yield this.threads.get(tid)!;
  }

  setVmOverride(tid: number, sizeKb: number, rssKb: number, swapKb: number): void {
    const o = this.vmOverride;
    o.tid = tid;
    o.sizeKb = sizeKb;
    o.rssKb = rssKb;
    o.swapKb = swapKb;
  }

  /** A thread's memory sizes as sysdig shows them now: [vmsize, vmrss, vmswap] in KiB. */
  vmOf(t: Thread): [number, number, number] {
    const o = this.vmOverride;
    return o.tid === t.tid ? [o.sizeKb, o.rssKb, o.swapKb] : [t.vmsizeKb, t.vmrssKb, t.vmswapKb];
  }

  /** procexit: the thread leaves the table when the next event arrives. */
  removeAfterThisEvent(tid: number): void {
    this.pendingRemoval = tid;
  }

  /** close: the fd leaves the table when the next event arrives. */
  removeFdAfterThisEvent(t: Thread, fd: number): void {
    if (this.pendingFdTid !== t.tid && this.pendingFdTid !== -1) this.pendingFds.length = 0;
    this.pendingFdTid = t.tid;
    this.pendingFds.push(fd);
  }
}

export function newFd(type: FdType, name = ""): Fd {
  return { type, name, l4: L4Proto.UNKNOWN, sockType: 0, openFlags: 0 };
}

function fdFromEntry(e: FdEntry): Fd {
  // The name as the fd list has it, unprintable bytes included: filters compare it so; what
  // shows it (fdLabel, the fd.* name fields on display, lsof) drops them.
  const fd = newFd(e.type, e.name);
  fd.openFlags = e.openFlags;
  if (e.type === FdType.FILE_V2) fd.type = FdType.FILE;
  switch (e.type) {
    case FdType.IPV4_SOCK:
      fd.sip = ipv4FromU32(e.sip as number);
      fd.dip = ipv4FromU32(e.dip as number);
      fd.sport = e.sport;
      fd.dport = e.dport;
      fd.name = `${fd.sip}:${fd.sport}->${fd.dip}:${fd.dport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      markConnectedFromList(fd);
      break;
    case FdType.IPV4_SERVSOCK:
      fd.sip = ipv4FromU32(e.sip as number);
      fd.sport = e.sport;
      fd.name = `${fd.sip}:${fd.sport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      break;
    case FdType.IPV6_SOCK: {
      // Both ends IPv4-mapped or unset (isV4Mapped counts ::): libsinsp keeps an IPv4 socket, named in IPv4.
      const v4 = isV4Mapped(e.sip as Uint8Array, 0) && isV4Mapped(e.dip as Uint8Array, 0);
      if (v4) fd.type = FdType.IPV4_SOCK;
      fd.sip = v4 ? ipv4At(e.sip as Uint8Array, 12) : ipv6At(e.sip as Uint8Array, 0);
      fd.dip = v4 ? ipv4At(e.dip as Uint8Array, 12) : ipv6At(e.dip as Uint8Array, 0);
      fd.sport = e.sport;
      fd.dport = e.dport;
      fd.name = `${fd.sip}:${fd.sport}->${fd.dip}:${fd.dport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      markConnectedFromList(fd);
      break;
    }
    case FdType.IPV6_SERVSOCK:
      fd.sip = ipv6At(e.sip as Uint8Array, 0);
      fd.sport = e.sport;
      fd.name = `${fd.sip}:${fd.sport}`;
      fd.l4 = e.l4proto ?? L4Proto.UNKNOWN;
      break;
  }
  return fd;
}

/** sinsp_utils::is_ipv4_mapped_ipv6, as add_fd_from_scap asks it of an fd list's IPv6 tuple:
 *  ::ffff:a.b.c.d, and also the all-zero address (an unset end is taken for IPv4). */
/** FLAGS_SOCKET_CONNECTED for a socket of the capture's fd list (sinsp_threadinfo::
 *  add_fd_from_scap): /proc cannot say whether a connect() ran, so libsinsp marks every TCP
 *  socket with a tuple (IPv4 or IPv6; not servers, unix or UDP ones, whatever their tuple
 *  holds) as connected. */
function markConnectedFromList(fd: Fd): void {
  if (fd.l4 === L4Proto.TCP) fd.connected = true;
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
    // CHAR_FD_UNSUPPORTED (an fd list's anon inodes sysdig has no type for).
    case FdType.UNSUPPORTED: return "X";
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

/** The L4 protocol sysdig shows for a socket (get_l4proto): a connected-type socket with no
 *  role yet (neither client nor server) shows none, unless it is raw. */
export function l4Of(fd: Fd): L4Proto {
  if (fd.type === FdType.IPV4_SOCK || fd.type === FdType.IPV6_SOCK) {
    if (fd.l4 === L4Proto.RAW) return L4Proto.RAW;
    if (!fd.role) return L4Proto.NA;
  }
  return fd.l4;
}

/** `<f>/etc/hosts`, `<4t>1.2.3.4:5->6.7.8.9:80`: the annotation after an fd number. */
export function fdLabel(fd: Fd): string {
  const isInet = fd.type === FdType.IPV4_SOCK || fd.type === FdType.IPV6_SOCK ||
    fd.type === FdType.IPV4_SERVSOCK || fd.type === FdType.IPV6_SERVSOCK;
  // get_param_as_str drops the unprintable bytes of the name it shows.
  return `<${fdTypeChar(fd.type)}${isInet ? l4Char(l4Of(fd)) : ""}>${sanitized(fd.name)}`;
}
