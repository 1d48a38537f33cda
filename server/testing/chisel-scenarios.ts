// Synthetic captures (ScapWriter) for what the shared captures lack: each exercises state rules
// that the lsof, netstat and ps chisels show. chisels.diff.test.ts runs sysdig 0.29.3 and us on
// them at every event number. Parameters are in the event table's order (sysdig 0.29.3's
// versions: dup2/dup3 arrive as "dup", pipe2 as "pipe", eventfd2 as "eventfd"...).

import { ScapWriter, sockaddrV4, sockaddrV6, socktupleV4, socktupleV6, type ParamValue } from "../core/formats/scap/writer";
import { FdType } from "../core/formats/scap/blocks";
import { CLONE_THREAD_FLAGS, CLONE_VFORK_FLAG, execveExit as execveParams, forkExit as forkParams, type Scenario } from "./scap-scenario";

/** A host with init, a process with a user from the user list, and a thread sharing its files. */
function host(): ScapWriter {
  return new ScapWriter().users([{ uid: 0, gid: 0, name: "root" }, { uid: 1000, gid: 1000, name: "alice" }]).procs([
    { tid: 1, pid: 1, ptid: 0, comm: "init", cwd: "/", vmsizeKb: 1000, vmrssKb: 100 },
    { tid: 100, pid: 100, ptid: 1, comm: "app", cwd: "/srv/", vmsizeKb: 5000, vmrssKb: 300, fdlimit: 4096, uid: 1000 },
    { tid: 101, pid: 100, ptid: 1, comm: "app-worker", cwd: "/srv/", flags: CLONE_THREAD_FLAGS, vmsizeKb: 5000, vmrssKb: 300 },
  ]);
}

/** A clone/fork/vfork/clone3 exit of `/bin/COMM COMM -x` run by alice's group. */
function forkExit(res: number, tid: number, pid: number, ptid: number, comm: string, flags: number,
  vm = 9000, uid = 1000, vtid = tid, vpid = pid): ParamValue[] {
  return forkParams({ res, tid, pid, ptid, comm, exe: `/bin/${comm}`, args: [comm, "-x"], fdlimit: 2048,
    vmSizeKb: vm, vmRssKb: vm / 10, flags, uid, gid: 1000, vtid, vpid });
}

/** A successful execve exit of `/bin/COMM COMM -l`. */
function execveExit(tid: number, pid: number, ptid: number, comm: string, vm: number): ParamValue[] {
  return execveParams({ res: 0, tid, pid, ptid, comm, exe: `/bin/${comm}`, args: [comm, "-l"], vmSizeKb: vm, vmRssKb: vm / 20 });
}

function v6(s: string): Uint8Array {
  const b = new Uint8Array(16);
  if (s === "::1") b[15] = 1;
  else if (s.startsWith("mapped:")) {
    b[10] = b[11] = 255;
    s.slice(7).split(".").forEach((x, i) => (b[12 + i] = Number(x)));
  } else {
    b.set([0x20, 0x01, 0x0d, 0xb8]);
    b[15] = Number(s);
  }
  return b;
}

const tupleV6 = (a: string, ap: number, b: string, bp: number) => socktupleV6(v6(a), ap, v6(b), bp);
const addrV6 = (a: string, port: number) => sockaddrV6(v6(a), port);

function unixTuple(path: string): Uint8Array {
  const p = new TextEncoder().encode(path);
  const t = new Uint8Array(17 + p.length + 1);
  t[0] = 1; t[1] = 0x10; t[9] = 0x20;
  t.set(p, 17);
  return t;
}

export const SCENARIOS: Scenario[] = [
  {
    // Memory sizes (shown only at the event that reports them), rlimits (not shown), setuid.
    name: "memory, limits and credentials",
    writer: host,
    events: (ev) => {
      ev(100, "brk", ">", [0]);
      ev(100, "brk", "<", [0x1000, 6000, 400, 0]);
      ev(100, "mmap", ">", [0, 8192, 3, 10, -1, 0]);
      ev(100, "mmap", "<", [0x2000, 7000, 500, 0]);
      ev(101, "munmap", ">", [0x2000, 8192]);
      ev(101, "munmap", "<", [0, 6500, 450, 0]);
      ev(100, "mmap", "<", [0x2000, 7777, 777, 0]);
      ev(101, "switch", ">", [100, 1, 2, 8000, 600, 0]);
      ev(100, "getrlimit", ">", [7]);
      ev(100, "getrlimit", "<", [0, 2048, 4096]);
      ev(101, "setrlimit", ">", [7]);
      ev(101, "setrlimit", "<", [0, 999, 4096]);
      ev(100, "prlimit", ">", [1, 7]);
      ev(100, "prlimit", "<", [0, 333, 4096, 0, 0]);
      ev(100, "setuid", ">", [0]);
      ev(100, "setuid", "<", [0]);
      ev(101, "setresuid", ">", [1000, 1000, 1000]);
      ev(101, "setresuid", "<", [0]);
    },
  },
  {
    // Threads and processes: clone (thread), fork, vfork, clone3, inverted clone (the child's
    // exit first), an unknown parent, a clone in a container, execve, procexit of a thread, of
    // a process, and of a main thread whose threads live on.
    name: "processes",
    writer: () => host().fds(100, [
      { fd: 0, type: FdType.FIFO, name: "pipe:[1]" }, { fd: 1, type: FdType.FILE_V2, name: "/dev/pts/0" },
      { fd: 7, type: FdType.FILE_V2, name: "/var/log/x" }, { fd: 30, type: FdType.FILE_V2, name: "/tmp/a" },
      { fd: 66, type: FdType.UNIX_SOCK, name: "/run/s" },
    ]),
    events: (ev) => {
      ev(100, "openat", "<", [3, -100, "/var/log/app.log", 2, 0, 0]);
      ev(100, "clone", ">", []);
      ev(100, "clone", "<", forkExit(300, 100, 100, 1, "app", CLONE_THREAD_FLAGS));
      ev(300, "clone", "<", forkExit(0, 300, 100, 100, "app", CLONE_THREAD_FLAGS));
      ev(300, "write", ">", [3, 1]);
      ev(100, "fork", ">", []);
      ev(100, "fork", "<", forkExit(400, 100, 100, 1, "app", 0));
      ev(400, "fork", "<", forkExit(0, 400, 400, 100, "app", 0));
      ev(400, "close", ">", [3]);
      ev(400, "close", "<", [0]);
      ev(400, "openat", "<", [9, -100, "/child", 2, 0, 0]);
      ev(400, "execve", ">", ["/bin/ls"]);
      ev(400, "execve", "<", execveExit(400, 400, 100, "ls", 2222));
      ev(400, "write", ">", [1, 1]);
      ev(100, "vfork", ">", []);
      ev(100, "vfork", "<", forkExit(500, 100, 100, 1, "app", CLONE_VFORK_FLAG));
      ev(501, "clone", "<", forkExit(0, 501, 501, 100, "inv", 0, 1234));
      ev(100, "clone", "<", forkExit(501, 100, 100, 1, "app", 0));
      ev(100, "clone3", ">", []);
      ev(100, "clone3", "<", forkExit(600, 100, 100, 1, "app", 0));
      ev(600, "clone3", "<", forkExit(0, 600, 600, 100, "app", 0));
      ev(777, "clone", "<", forkExit(800, 777, 777, 1, "ghost", 0));
      ev(100, "clone", "<", forkExit(900, 100, 100, 1, "app", 0, 100, 0, 5, 5));
      ev(400, "procexit", ">", [0]);
      ev(100, "kill", ">", [400, 9]);
      ev(300, "procexit", ">", [0]);
      ev(100, "procexit", ">", [0]);
      ev(1, "write", ">", [1, 1]);
      ev(101, "procexit", ">", [0]);
      ev(1, "write", ">", [1, 1]);
      ev(1, "write", ">", [1, 1]);
    },
  },
  {
    // fd-creating, duplicating and closing calls; every fd type of the fd list; a close
    // overtaken by a new fd of the same number; close-on-exec fds across execve (kept).
    name: "fds",
    writer: () => host().fds(100, Array.from({ length: 17 }, (_, t) => t)
      .filter((t) => t < FdType.IPV4_SOCK || t > FdType.IPV6_SERVSOCK)
      .map((t, i) => ({ fd: 40 + i, type: t as FdType, name: `n${t}` }))),
    events: (ev) => {
      ev(100, "openat", "<", [3, -100, "/a", 1 | (1 << 12), 0, 0]);
      ev(100, "dup", ">", [3]);
      ev(100, "dup", "<", [4]);
      ev(100, "openat", "<", [5, -100, "/b", 1, 0, 0]);
      ev(100, "dup", ">", [3]);
      ev(100, "dup", "<", [5]); // dup2 onto an open fd
      ev(100, "dup", ">", [77]);
      ev(100, "dup", "<", [6]); // an fd sysdig does not know
      ev(100, "fcntl", ">", [3, 1]);
      ev(100, "fcntl", "<", [8]);
      ev(100, "fcntl", ">", [3, 26]);
      ev(100, "fcntl", "<", [9]);
      ev(100, "socketpair", ">", [1, 1, 0]);
      ev(100, "socketpair", "<", [0, 10, 11, 0x1234n, 0x5678n]);
      ev(100, "pipe", ">", []);
      ev(100, "pipe", "<", [0, 12, 13, 99]);
      ev(100, "eventfd", ">", [0, 0]);
      ev(100, "eventfd", "<", [14]);
      ev(100, "signalfd", ">", [-1, 0, 0]);
      ev(100, "signalfd", "<", [15]);
      ev(100, "timerfd_create", ">", [1, 0]);
      ev(100, "timerfd_create", "<", [16]);
      ev(100, "inotify_init", ">", [0]);
      ev(100, "inotify_init", "<", [17]);
      ev(100, "userfaultfd", ">", []);
      ev(100, "userfaultfd", "<", [18, 0]);
      ev(100, "openat2", ">", [-100, "/c", 1, 0, 0]);
      ev(100, "openat2", "<", [19, -100, "/c", 1, 0, 0]);
      ev(100, "socket", ">", [2, 1, 0]);
      ev(100, "socket", "<", [20]);
      ev(100, "bind", ">", [20]);
      ev(100, "bind", "<", [0, sockaddrV4("0.0.0.0", 8080)]);
      ev(100, "listen", ">", [20, 5]);
      ev(100, "listen", "<", [0]);
      ev(100, "accept", ">", []);
      ev(100, "accept", "<", [21, socktupleV4("10.0.0.2", 5000, "10.0.0.1", 8080), 0, 0, 5]);
      ev(101, "close", ">", [5]);
      ev(100, "openat", "<", [5, -100, "/reopened", 1, 0, 0]); // while the close is under way
      ev(101, "close", "<", [0]);
      ev(100, "close", "<", [0]); // a close exit without its enter
      ev(100, "close", ">", [4]);
      ev(100, "close", "<", [-9]);
      ev(100, "close", ">", [13]);
      ev(100, "close", "<", [0]);
      ev(100, "execve", ">", ["/bin/new"]);
      ev(100, "execve", "<", execveExit(100, 100, 1, "new", 2222));
      ev(100, "write", ">", [1, 1]);
    },
  },
  {
    // Sockets: the capture's own (server ports turn their connections), IPv6, IPv4-mapped
    // binds, connect enter and exit, UDP sendto/recvfrom naming, sendto on an unknown fd,
    // recvfrom on a bound UDP socket, unix connect and accept, raw and packet sockets.
    name: "sockets",
    writer: () => host().fds(100, [
      { fd: 3, type: FdType.IPV4_SERVSOCK, sip: "0.0.0.0", sport: 22 },
      { fd: 4, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 22, dip: "10.0.0.9", dport: 5555 },
      { fd: 5, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 40000, dip: "1.1.1.1", dport: 443 },
      { fd: 6, type: FdType.IPV6_SERVSOCK, sip: v6("::1"), sport: 8080, l4proto: 3 },
      { fd: 7, type: FdType.IPV6_SOCK, sip: v6("1"), sport: 1000, dip: v6("2"), dport: 2000 },
    ]),
    events: (ev) => {
      ev(100, "socket", ">", [10, 1, 0]);
      ev(100, "socket", "<", [10]);
      ev(100, "bind", ">", [10]);
      ev(100, "bind", "<", [0, addrV6("mapped:0.0.0.0", 9090)]);
      ev(100, "socket", ">", [10, 1, 0]);
      ev(100, "socket", "<", [11]);
      ev(100, "connect", ">", [11, addrV6("1", 80)]);
      ev(100, "connect", "<", [-115, tupleV6("5", 33333, "1", 80)]);
      ev(100, "socket", ">", [2, 2, 0]);
      ev(100, "socket", "<", [12]);
      ev(100, "sendto", ">", [12, 10, socktupleV4("10.0.0.1", 5353, "8.8.4.4", 53)]);
      ev(100, "sendto", "<", [10, "x"]);
      ev(100, "recvfrom", ">", [12, 100]);
      ev(100, "recvfrom", "<", [10, "y", socktupleV4("8.8.4.4", 53, "10.0.0.1", 5353)]);
      ev(100, "sendto", ">", [13, 10, socktupleV4("10.0.0.1", 6000, "9.9.9.9", 53)]);
      ev(100, "sendto", "<", [10, "x"]);
      ev(100, "socket", ">", [2, 2, 0]);
      ev(100, "socket", "<", [14]);
      ev(100, "bind", ">", [14]);
      ev(100, "bind", "<", [0, sockaddrV4("0.0.0.0", 161)]);
      ev(100, "recvfrom", ">", [14, 100]);
      ev(100, "recvfrom", "<", [10, "y", socktupleV4("7.7.7.7", 999, "10.0.0.1", 161)]);
      ev(100, "socket", ">", [1, 1, 0]);
      ev(100, "socket", "<", [15]);
      ev(100, "connect", ">", [15, new Uint8Array([1, 47, 114, 0])]);
      ev(100, "connect", "<", [0, unixTuple("/run/x.sock")]);
      ev(100, "accept", ">", []);
      ev(100, "accept", "<", [16, tupleV6("7", 1234, "1", 8080), 0, 0, 5]);
      ev(100, "accept", "<", [17, unixTuple("/run/y.sock"), 0, 0, 5]);
      ev(100, "socket", ">", [2, 3, 1]);
      ev(100, "socket", "<", [18]);
      ev(100, "socket", ">", [17, 3, 0]);
      ev(100, "socket", "<", [19]);
      ev(100, "socket", ">", [16, 3, 0]);
      ev(100, "socket", "<", [20]);
      ev(100, "connect", ">", [14, sockaddrV4("5.5.5.5", 53)]);
      ev(100, "connect", "<", [0, socktupleV4("10.0.0.1", 161, "5.5.5.5", 53)]);
      ev(100, "write", ">", [1, 1]);
    },
  },
];
