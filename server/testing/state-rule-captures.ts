// Synthetic captures for the state-engine rules that the shared captures never exercised (issue
// 7, build item 2): how libsinsp 0.29.3 names unix sockets and datagram sockets, completes an
// empty tuple end from the interface list, treats events of threads it has no information on,
// gives an exit without its enter an fd, shows processes whose parent is not in the process
// list, and marks the fd list's TCP sockets connected. state-rules.diff.test.ts runs sysdig and us on each and compares events, lsof/netstat/ps
// at every event, filters, field values and chisels. Test code only.

import { FdType } from "../core/formats/scap/blocks";
import { ScapWriter, sockaddrV4, sockaddrV6 as writerSockaddrV6, socktupleV4, socktupleV6 as writerSocktupleV6, type FdSpec, type InterfaceSpec, type ParamValue } from "../core/formats/scap/writer";
import { ipv6ToBytes } from "../core/state/interfaces";
import type { StateCommand } from "../cli/state-commands";
import { CLONE_THREAD_FLAGS, buildScenario, forkExit, type Emit, type Scenario } from "./scap-scenario";

export interface RuleCapture {
  name: string;
  /** Which rule of the brief it proves, in a few words. */
  rule: string;
  bytes: Uint8Array;
  /** Filters whose selected events must be sysdig's. */
  filters: string[];
  /** Fields whose value at every event must be sysdig's (`sysdig -p "*%evt.num=%FIELD"`). */
  fields: string[];
  /** Chisels (name and arguments) whose output must be sysdig's. */
  chisels: string[][];
  /** lsof/netstat/ps with a filter argument (`sysdig -c CMD "F" "evt.num=N"`), compared at
   *  every event besides the unfiltered ones. */
  stateFilters?: { cmd: StateCommand; filter: string }[];
}

const enc = new TextEncoder();
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const bytesOf = (s: string | Uint8Array) => (typeof s === "string" ? enc.encode(s) : s);

/** A unix sockaddr parameter: the family, then the path bytes as given (NUL included or not). */
export function sockaddrUnix(path: string | Uint8Array): Uint8Array {
  return cat(Uint8Array.of(1), bytesOf(path));
}

/** A unix socktuple parameter: the family, the two kernel addresses, then the path bytes. */
export function socktupleUnix(source: bigint, dest: bigint, path: string | Uint8Array): Uint8Array {
  const b = new Uint8Array(17);
  const dv = new DataView(b.buffer);
  b[0] = 1;
  dv.setBigUint64(1, source, true);
  dv.setBigUint64(9, dest, true);
  return cat(b, bytesOf(path));
}

/** AF_INET6 sockaddr and socktuple parameters from address text. */
const sockaddrV6 = (ip: string, port: number) => writerSockaddrV6(ipv6ToBytes(ip), port);
const socktupleV6 = (sip: string, sport: number, dip: string, dport: number) =>
  writerSocktupleV6(ipv6ToBytes(sip), sport, ipv6ToBytes(dip), dport);

const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
/** SCAP_L4_TCP and SCAP_L4_UDP, as an fd list entry carries them. */
const L4_TCP = 2, L4_UDP = 3;
const SOCK_STREAM = 1, SOCK_DGRAM = 2;
const IF_V4: InterfaceSpec[] = [
  { name: "lo", addr: "127.0.0.1", netmask: "255.0.0.0" },
  { name: "eth0", addr: "192.168.128.156", netmask: "255.255.255.0" },
];
const IF_V6: InterfaceSpec[] = [
  { name: "lo", addr: ipv6ToBytes("::1"), netmask: ipv6ToBytes("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") },
  { name: "eth0", addr: ipv6ToBytes("2001:db8::7"), netmask: ipv6ToBytes("ffff:ffff:ffff:ffff::") },
];

const socket = (ev: Emit, tid: number, fd: number, domain: number, type: number) => {
  ev(tid, "socket", ">", [domain, type, 0]);
  ev(tid, "socket", "<", [fd]);
};
const sendto = (ev: Emit, tid: number, fd: number, tuple: Uint8Array) => {
  ev(tid, "sendto", ">", [fd, 5, tuple]);
  ev(tid, "sendto", "<", [5, "hello"]);
};
const recvfrom = (ev: Emit, tid: number, fd: number, tuple: Uint8Array) => {
  ev(tid, "recvfrom", ">", [fd, 100]);
  ev(tid, "recvfrom", "<", [5, "hello", tuple]);
};
/** An event that shows the fd's name as it is now. */
const look = (ev: Emit, tid: number, fd: number) => ev(tid, "read", ">", [fd, 1]);

const NET_FIELDS = ["fd.num", "fd.name", "fd.type", "fd.l4proto", "fd.cip", "fd.sip", "fd.cport", "fd.sport", "fd.lip", "fd.rip", "fd.lport", "fd.rport", "fd.sockfamily", "fd.is_server"];
const NET_CHISELS = [["topconns"], ["fdbytes_by", "fd.name"], ["echo_fds"]];

/** Rule 1: a unix socket's name ends at its path's NUL, without the unprintable bytes (control
 *  characters, DEL, non-ASCII) that sysdig drops, in the fd list, connect, bind, accept and
 *  datagram tuples; abstract (leading NUL) and unnamed sockets too. */
const UNIX_PATHS: [string, Uint8Array][] = [
  ["plain", enc.encode("/run/a.sock\0")],
  ["garbage after the NUL", enc.encode("/run/b.sock\0\ngarbage\x01")],
  ["a newline before the NUL", enc.encode("/run/c.sock\n\0")],
  ["control characters and DEL", enc.encode("/run/\x01d\x7f.sock\0")],
  ["abstract", enc.encode("\0abstract-name\0")],
  ["unnamed", enc.encode("\0")],
];

const unixNames: Scenario = {
  name: "unix socket names",
  writer: () => new ScapWriter()
    .procs([{ tid: 100, pid: 100, ptid: 1, comm: "dockerd" }, { tid: 1, pid: 1, ptid: 0, comm: "init" }])
    .fds(100, [
      { fd: 20, type: FdType.UNIX_SOCK, name: "/var/run/docker.sock\n" },
      { fd: 21, type: FdType.UNIX_SOCK, name: "" },
      { fd: 22, type: FdType.UNIX_SOCK, name: "/run/x\u00e9\ty.sock" },
      { fd: 23, type: FdType.FILE_V2, name: "/var/log/a\nb.log" },
    ]),
  events: (ev) => {
    for (const fd of [20, 21, 22, 23]) look(ev, 100, fd);
    let fd = 3;
    for (const [, path] of UNIX_PATHS) {
      // connect, its exit right after its enter (the exit names the socket by its tuple)...
      socket(ev, 100, fd, AF_UNIX, SOCK_STREAM);
      ev(100, "connect", ">", [fd, sockaddrUnix(path)]);
      ev(100, "connect", "<", [0, socktupleUnix(0x11n, 0x22n, path)]);
      look(ev, 100, fd++);
      // ...and with another call in between (the exit then changes nothing).
      socket(ev, 100, fd, AF_UNIX, SOCK_STREAM);
      ev(100, "connect", ">", [fd, sockaddrUnix(path)]);
      look(ev, 100, fd);
      ev(100, "connect", "<", [0, socktupleUnix(0x11n, 0x22n, path)]);
      look(ev, 100, fd++);
      // A datagram socket named by sendto's tuple, then by recvfrom's.
      socket(ev, 100, fd, AF_UNIX, SOCK_DGRAM);
      sendto(ev, 100, fd, socktupleUnix(0x33n, 0x44n, path));
      look(ev, 100, fd);
      recvfrom(ev, 100, fd, socktupleUnix(0x55n, 0x66n, path));
      look(ev, 100, fd++);
      // accept and bind.
      ev(100, "accept", ">", []);
      ev(100, "accept", "<", [fd, socktupleUnix(0x77n, 0x88n, path), 0, 0, 5]);
      look(ev, 100, fd++);
      socket(ev, 100, fd, AF_UNIX, SOCK_STREAM);
      ev(100, "bind", ">", [fd]);
      ev(100, "bind", "<", [0, sockaddrUnix(path)]);
      look(ev, 100, fd++);
    }
  },
};

/** Rules 2 and 3: a datagram call's tuple updates a socket the way update_fd does: the source
 *  end always, the destination only where it is 0 (so a socket from the fd list, or one named
 *  by its first sendto, keeps its name), an empty end completed from the interface list (the
 *  IPv6 local side of a socket talking to ::1 is ::1), and a bound socket read through sysdig's
 *  union. */
const datagramNames = (withInterfaces: boolean): Scenario => ({
  name: withInterfaces ? "datagram socket names" : "datagram socket names without interfaces",
  writer: () => {
    const w = new ScapWriter()
      .procs([{ tid: 100, pid: 100, ptid: 1, comm: "rsyslogd" }, { tid: 1, pid: 1, ptid: 0, comm: "init" }])
      .fds(100, [
        // The socket: a UDP client in the fd list (SCAP_L4_UDP is 3).
        { fd: 8, type: FdType.IPV4_SOCK, sip: "192.168.128.156", sport: 55441, dip: "145.216.3.255", dport: 514, l4proto: 3 },
        { fd: 7, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 4000, dip: "10.0.0.2", dport: 4001, l4proto: 2 },
      ]);
    return withInterfaces ? w.interfaces(IF_V4, IF_V6) : w;
  },
  events: (ev) => {
    // [fd, the family of a socket() first (none: an fd of the fd list), then datagrams, each
    // followed by an event that shows the fd's name].
    const V4 = socktupleV4, V6 = socktupleV6;
    const plan: [number, number | undefined, ["send" | "recv", Uint8Array][]][] = [
      // The socket: its name stays the fd list's.
      [8, undefined, [["send", V4("0.0.0.0", 55441, "145.216.3.0", 514)], ["send", V4("0.0.0.0", 55441, "127.0.0.1", 514)],
        ["recv", V4("145.216.3.9", 514, "0.0.0.0", 55441)]]],
      // A TCP socket of the fd list is never renamed by a tuple.
      [7, undefined, [["send", V4("10.0.0.1", 4000, "10.0.0.3", 4001)]]],
      // Fresh sockets: the first datagram names, a second destination does not rename.
      [10, AF_INET, [["send", V4("0.0.0.0", 5000, "8.8.8.8", 53)], ["send", V4("0.0.0.0", 5000, "8.8.4.4", 53)]]],
      [11, AF_INET, [["recv", V4("10.0.0.9", 53, "0.0.0.0", 5001)]]],
      // Talking to a local address, whichever port is lower; not completed when it is the
      // socket itself (same address and port).
      [12, AF_INET, [["send", V4("0.0.0.0", 7000, "127.0.0.1", 7001)]]],
      [13, AF_INET, [["send", V4("0.0.0.0", 7003, "127.0.0.1", 7002)]]],
      [19, AF_INET, [["send", V4("0.0.0.0", 7005, "127.0.0.1", 7005)]]],
      [20, AF_INET6, [["send", V6("::", 7006, "::1", 7006)]]],
      // IPv6: the socket (a sendto; its connect below then shows ::1:0->::1:2345), a
      // reply from a global address, a link-local destination.
      [14, AF_INET6, [["send", V6("::", 0, "::1", 2345)]]],
      [16, AF_INET6, [["recv", V6("2001:db8::9", 53, "::", 6000)]]],
      [17, AF_INET6, [["send", V6("::", 6001, "fe80::1", 53)]]],
      // IPv4-mapped IPv6 tuples make an IPv4 socket.
      [18, AF_INET6, [["send", V6("::ffff:0.0.0.0", 6002, "::ffff:8.8.8.8", 53)]]],
    ];
    for (const [fd, family, steps] of plan) {
      if (family !== undefined) socket(ev, 100, fd, family, SOCK_DGRAM);
      for (const [call, tuple] of steps) {
        (call === "send" ? sendto : recvfrom)(ev, 100, fd, tuple);
        look(ev, 100, fd);
      }
    }
    // A connect after a datagram, and one before.
    ev(100, "connect", ">", [14, sockaddrV6("::1", 2345)]);
    ev(100, "connect", "<", [0, socktupleV6("::", 0, "::1", 2345)]);
    look(ev, 100, 14);
    socket(ev, 100, 15, AF_INET6, SOCK_DGRAM);
    ev(100, "connect", ">", [15, sockaddrV6("::1", 2345)]);
    ev(100, "connect", "<", [0, socktupleV6("::", 0, "::1", 2345)]);
    look(ev, 100, 15);
    sendto(ev, 100, 15, socktupleV6("::", 0, "::1", 2345));
    look(ev, 100, 15);
    // A bound UDP server socket, then datagrams both ways.
    socket(ev, 100, 9, AF_INET, SOCK_DGRAM);
    ev(100, "bind", ">", [9]);
    ev(100, "bind", "<", [0, sockaddrV4("0.0.0.0", 161)]);
    look(ev, 100, 9);
    recvfrom(ev, 100, 9, socktupleV4("10.0.0.6", 40001, "0.0.0.0", 161));
    look(ev, 100, 9);
    sendto(ev, 100, 9, socktupleV4("0.0.0.0", 161, "10.0.0.5", 40000));
    look(ev, 100, 9);
  },
});

/** Rule 4: events of threads sysdig has no information on. A switch or procinfo only looks its
 *  thread up (tid 0, a kernel thread seen only in switches: no thread, every process field
 *  NULL); any other event creates an empty thread (uid 4294967295, no tty...), tid -1 too. */
const threadsWithoutInformation: Scenario = {
  name: "threads with no information",
  writer: () => new ScapWriter()
    .procs([{ tid: 100, pid: 100, ptid: 1, comm: "app" }, { tid: 1, pid: 1, ptid: 0, comm: "init" }])
    .users([{ uid: 0, gid: 0, name: "root" }]),
  events: (ev) => {
    const sw = (tid: number, next: number) => ev(tid, "switch", ">", [next, 0, 0, 0, 0, 0]);
    sw(0, 100);
    sw(100, 0);
    sw(55, 100);
    sw(100, 55);
    ev(56, "procinfo", ">", [10, 20]);
    ev(-1, "read", ">", [3, 10]);
    ev(-1, "read", "<", [3, "abc"]);
    ev(0, "read", ">", [3, 10]);
    ev(77, "read", ">", [3, 10]);
    ev(77, "read", "<", [3, "abc"]);
    sw(77, 0);
    ev(100, "read", ">", [0, 10]);
    sw(55, 77);
    ev(-1, "switch", ">", [0, 0, 0, 0, 0, 0]);
    ev(100, "clone", ">", []);
    // A clone exit of a thread the table does not hold changes nothing.
    ev(88, "clone", "<", forkExit({ res: -11, tid: 88, pid: 88, ptid: 1, comm: "app" }));
    sw(100, 88);
  },
};

/** Rule 5: an exit that is a thread's first event (its enter came before the capture) acts,
 *  for the fd.* fields, on fd 0 (sysdig's m_lastevent_fd starts at 0); any later exit without
 *  its enter on the fd of the thread's last enter event; with a filter set, a write exit gets
 *  that fd as the event's own (evt.buflen). */
const exitsWithoutEnter: Scenario = {
  name: "exits without their enter",
  writer: () => new ScapWriter()
    .procs([
      { tid: 100, pid: 100, ptid: 1, comm: "bash" },
      { tid: 101, pid: 101, ptid: 1, comm: "mysql" },
      { tid: 102, pid: 101, ptid: 1, comm: "mysql", flags: CLONE_THREAD_FLAGS },
      { tid: 1, pid: 1, ptid: 0, comm: "init" },
    ])
    .fds(100, [
      { fd: 0, type: FdType.FILE_V2, name: "/dev/pts/5" },
      { fd: 1, type: FdType.FILE_V2, name: "/dev/pts/5" },
      { fd: 3, type: FdType.FILE_V2, name: "/etc/passwd" },
    ])
    .fds(101, [{ fd: 0, type: FdType.FILE_V2, name: "/dev/pts/6" }]),
  events: (ev) => {
    ev(100, "read", "<", [6, "secret"]);
    ev(101, "read", "<", [8, "password"]);
    ev(102, "read", "<", [4, "pass"]);
    ev(200, "read", "<", [3, "abc"]);
    ev(100, "read", ">", [3, 100]);
    ev(100, "read", "<", [10, "root:x:0:0"]);
    ev(100, "write", "<", [4, "abcd"]);
    ev(100, "open", ">", ["/tmp/x", 1, 0]);
    ev(100, "read", "<", [2, "zz"]);
    ev(100, "write", ">", [1, 5]);
    ev(100, "write", "<", [5, "hello"]);
    ev(101, "write", "<", [5, "hello"]);
    ev(102, "pwrite", "<", [3, "abc"]);
  },
};

/** Rule 6: processes whose parent is in the process list, is not, is -1 or themselves; a
 *  thread whose main thread is missing; then a fork of one of them. */
const parents: Scenario = {
  name: "processes with and without a parent",
  writer: () => new ScapWriter().procs([
    { tid: 1, pid: 1, ptid: 0, comm: "systemd" },
    { tid: 300, pid: 300, ptid: 1, comm: "bash", fdlimit: 4096 },
    { tid: 301, pid: 300, ptid: 1, comm: "bash", fdlimit: 300, flags: CLONE_THREAD_FLAGS },
    { tid: 400, pid: 400, ptid: 300, comm: "sh" },
    { tid: 500, pid: 500, ptid: 999, comm: "orphan" },
    { tid: 600, pid: 600, ptid: -1, comm: "noparent" },
    { tid: 601, pid: 600, ptid: 1, comm: "noparent", flags: CLONE_THREAD_FLAGS },
    { tid: 701, pid: 700, ptid: 1, comm: "lonethread", flags: CLONE_THREAD_FLAGS },
    { tid: 800, pid: 800, ptid: 800, comm: "selfparent" },
    { tid: 2, pid: 2, ptid: 0, comm: "kthreadd" },
    { tid: 900, pid: 900, ptid: 2, comm: "kworker" },
  ]),
  events: (ev) => {
    for (const t of [1, 300, 301, 400, 500, 600, 601, 701, 800, 900]) ev(t, "read", ">", [0, 1]);
    ev(500, "fork", ">", []);
    ev(500, "fork", "<", forkExit({ res: 510, tid: 500, pid: 500, ptid: 999, comm: "orphan" }));
    ev(510, "fork", "<", forkExit({ res: 0, tid: 510, pid: 510, ptid: 500, comm: "orphan" }));
    ev(510, "read", ">", [0, 1]);
    ev(701, "clone", ">", []);
    ev(701, "clone", "<", forkExit({ res: 702, tid: 701, pid: 700, ptid: 1, comm: "lonethread", flags: CLONE_THREAD_FLAGS }));
    ev(702, "read", ">", [0, 1]);
  },
};

/** Rule 7: a socket of the capture's fd list is connected (fd.connected, FLAGS_SOCKET_CONNECTED)
 *  when it is a TCP one with a tuple, IPv4 or IPv6, whatever the tuple holds: sysdig cannot
 *  know from /proc whether a connect() ran. Every other entry (UDP and other protocols with a
 *  full tuple, servers, unix, netlink, files) is not. The mark follows the fd through a fork and
 *  a dup, and later calls change it as they change any fd's. */
const V6 = ipv6ToBytes;
const FD_LIST_SOCKETS: FdSpec[] = [
  // IPv4 tuples: TCP, UDP, and the other protocols (unknown, ICMP, raw), full and empty.
  { fd: 3, type: FdType.IPV4_SOCK, sip: "10.0.2.2", sport: 50879, dip: "10.0.2.15", dport: 22, l4proto: L4_TCP },
  { fd: 4, type: FdType.IPV4_SOCK, sip: "0.0.0.0", sport: 0, dip: "0.0.0.0", dport: 0, l4proto: L4_TCP },
  { fd: 5, type: FdType.IPV4_SOCK, sip: "10.0.2.15", sport: 41000, dip: "10.0.2.3", dport: 53, l4proto: L4_UDP },
  { fd: 6, type: FdType.IPV4_SOCK, sip: "0.0.0.0", sport: 0, dip: "0.0.0.0", dport: 0, l4proto: L4_UDP },
  { fd: 7, type: FdType.IPV4_SOCK, sip: "10.0.2.15", sport: 41001, dip: "10.0.2.4", dport: 80, l4proto: 0 },
  { fd: 8, type: FdType.IPV4_SOCK, sip: "10.0.2.15", sport: 0, dip: "10.0.2.5", dport: 0, l4proto: 4 },
  { fd: 9, type: FdType.IPV4_SOCK, sip: "10.0.2.15", sport: 0, dip: "10.0.2.6", dport: 0, l4proto: 5 },
  // IPv6 tuples: TCP full and empty, UDP, and an IPv4-mapped TCP one.
  { fd: 10, type: FdType.IPV6_SOCK, sip: V6("2001:db8::1"), sport: 50000, dip: V6("2001:db8::2"), dport: 443, l4proto: L4_TCP },
  { fd: 11, type: FdType.IPV6_SOCK, sip: V6("::"), sport: 0, dip: V6("::"), dport: 0, l4proto: L4_TCP },
  { fd: 12, type: FdType.IPV6_SOCK, sip: V6("2001:db8::1"), sport: 50001, dip: V6("2001:db8::3"), dport: 53, l4proto: L4_UDP },
  { fd: 13, type: FdType.IPV6_SOCK, sip: V6("::ffff:10.0.0.1"), sport: 50002, dip: V6("::ffff:10.0.0.2"), dport: 8080, l4proto: L4_TCP },
  // Servers (a bound address only), TCP and UDP.
  { fd: 14, type: FdType.IPV4_SERVSOCK, sip: "0.0.0.0", sport: 22, l4proto: L4_TCP },
  { fd: 15, type: FdType.IPV4_SERVSOCK, sip: "0.0.0.0", sport: 161, l4proto: L4_UDP },
  { fd: 16, type: FdType.IPV6_SERVSOCK, sip: V6("::"), sport: 22, l4proto: L4_TCP },
  // Unix with and without a path, netlink, a file.
  { fd: 17, type: FdType.UNIX_SOCK, name: "/run/systemd/journal/stdout" },
  { fd: 18, type: FdType.UNIX_SOCK, name: "" },
  { fd: 19, type: FdType.NETLINK, name: "" },
  { fd: 20, type: FdType.FILE_V2, name: "/var/log/auth.log" },
];

const fdListConnected: Scenario = {
  name: "fd list sockets connected",
  writer: () => new ScapWriter()
    .procs([{ tid: 200, pid: 200, ptid: 1, comm: "sshd" }, { tid: 1, pid: 1, ptid: 0, comm: "init" }])
    .users([{ uid: 0, gid: 0, name: "root" }])
    .fds(200, FD_LIST_SOCKETS),
  events: (ev) => {
    for (const { fd } of FD_LIST_SOCKETS) look(ev, 200, fd);
    // A child gets the fds, marks and all; a dup copies the mark.
    ev(200, "fork", ">", []);
    ev(200, "fork", "<", forkExit({ res: 210, tid: 200, pid: 200, ptid: 1, comm: "sshd" }));
    ev(210, "fork", "<", forkExit({ res: 0, tid: 210, pid: 210, ptid: 200, comm: "sshd" }));
    for (const fd of [3, 5, 10]) look(ev, 210, fd);
    ev(200, "dup", ">", [3]);
    ev(200, "dup", "<", [30]);
    look(ev, 200, 30);
    ev(200, "dup", ">", [5]);
    ev(200, "dup", "<", [31]);
    look(ev, 200, 31);
    // A connect on a UDP socket of the list connects it; a failed one on a TCP one (refused).
    ev(200, "connect", ">", [6, sockaddrV4("10.0.2.3", 53)]);
    ev(200, "connect", "<", [0, socktupleV4("10.0.2.15", 41002, "10.0.2.3", 53)]);
    look(ev, 200, 6);
    ev(200, "connect", ">", [4, sockaddrV4("10.0.2.7", 80)]);
    ev(200, "connect", "<", [-111, socktupleV4("10.0.2.15", 41003, "10.0.2.7", 80)]);
    look(ev, 200, 4);
    // Closing a connected one.
    ev(200, "close", ">", [3]);
    ev(200, "close", "<", [0]);
    look(ev, 200, 30);
  },
};

const PROC_FIELDS = [
  "thread.tid", "proc.pid", "proc.ppid", "proc.name", "proc.pname", "proc.exe", "proc.exepath", "proc.args",
  "proc.cmdline", "proc.pcmdline", "proc.apid[1]", "proc.aname[1]", "proc.apid[2]", "proc.aname[2]", "proc.sid",
  "proc.sname", "proc.vpgid", "proc.tty", "proc.cwd", "proc.nthreads", "proc.nchilds", "proc.fdlimit",
  "proc.loginshellid", "proc.fdusage", "thread.ismain", "thread.vtid", "proc.vpid", "proc.vmsize", "thread.pfmajor", "user.uid",
  "user.name", "user.loginuid", "group.gid", "group.name", "container.id", "evt.latency",
];

/** The threads the process list misses are numbered past the kernel's highest pid (PID_MAX_LIMIT,
 *  4,194,304): sysdig 0.29.3 looks a thread it does not know up in this machine's /proc even when
 *  reading a file, and a live process that had the number (pid_max here is 32,768: a CI run
 *  goes round it) lent its fd 3 to sysdig's paths ("anon_inode:[eventpoll]//sub/f1"). */
const MISSING = 4_194_801;

/** Paths relative to a directory fd, opened by threads a live recording's /proc snapshot can
 *  miss (a thread born while /proc was read): one the capture never introduces, one whose own
 *  clone exit introduces it (the parent's came before the recording), a process introduced the
 *  same way, and a known thread; the missing thread's second path is under its first. */
const relativePathsOfMissingThreads: Scenario = {
  name: "relative paths of threads the process list misses",
  writer: () => new ScapWriter()
    .procs([
      { tid: 1, pid: 1, ptid: 0, comm: "init", cwd: "/" },
      { tid: 500, pid: 500, ptid: 1, comm: "py", cwd: "/srv/" },
      { tid: 502, pid: 500, ptid: 1, comm: "py", cwd: "/srv/", flags: CLONE_THREAD_FLAGS },
    ])
    .fds(500, [{ fd: 3, type: FdType.DIRECTORY, name: "/tmp/wl" }]),
  events: (ev) => {
    const openat = (tid: number, fd: number, dirfd: number, name: string) => {
      ev(tid, "openat", ">", [dirfd, name, 1, 0]);
      ev(tid, "openat", "<", [fd, dirfd, name, 1, 0, 0xfe00]);
    };
    openat(MISSING, 4, 3, "sub/f1");
    ev(MISSING + 2, "clone", "<", forkExit({ res: 0, tid: MISSING + 2, pid: 500, ptid: 1, comm: "py", flags: CLONE_THREAD_FLAGS }));
    openat(MISSING + 2, 5, 3, "sub/f2");
    openat(502, 6, 3, "sub/f3");
    ev(MISSING + 99, "clone", "<", forkExit({ res: 0, tid: MISSING + 99, pid: MISSING + 99, ptid: 500, comm: "py" }));
    openat(MISSING + 99, 7, 3, "sub/f1");
    openat(MISSING, 8, 4, "x");
  },
};

export function stateRuleCaptures(): RuleCapture[] {
  const built = (s: Scenario) => buildScenario(s).bytes;
  return [
    {
      name: unixNames.name,
      rule: "1: unix socket names end at the path",
      bytes: built(unixNames),
      filters: ["fd.type=unix", "fd.name contains run", "fd.name=/var/run/docker.sock", "fd.name=\"\"", "fd.name exists"],
      fields: ["fd.num", "fd.name", "fd.type", "fd.typechar", "fd.sockfamily", "fd.directory", "fd.filename"],
      chisels: [["fdbytes_by", "fd.name"], ["echo_fds"]],
    },
    ...[true, false].map((withIfs) => {
      const s = datagramNames(withIfs);
      return {
        name: s.name,
        rule: "2 and 3: datagram tuples, the fd list's names, IPv6 local sides",
        bytes: built(s),
        filters: [
          "fd.name=192.168.128.156:55441->145.216.3.255:514", "fd.sip=145.216.3.255", "fd.cip=192.168.128.156",
          "fd.l4proto=udp", "fd.lport=53", "fd.rip=8.8.8.8", "fd.is_server=true",
        ],
        fields: NET_FIELDS,
        chisels: NET_CHISELS,
      };
    }),
    {
      name: threadsWithoutInformation.name,
      rule: "4: threads with no information",
      bytes: built(threadsWithoutInformation),
      filters: [
        "user.uid=4294967295", "proc.tty!=0", "proc.tty=0", "proc.exepath exists", "user.uid exists", "proc.sid=-1",
        "user.loginuid=-1", "proc.ppid=-1", "proc.name exists", "container.id=host", "thread.tid=0", "thread.tid=-1",
        "proc.pid=-1", "user.name=root", "proc.name=<NA>", "evt.type=switch and proc.pid exists",
      ],
      fields: PROC_FIELDS,
      chisels: [["topprocs_cpu"], ["topscalls"], ["spy_users"]],
    },
    {
      name: exitsWithoutEnter.name,
      rule: "5: an exit without its enter",
      bytes: built(exitsWithoutEnter),
      filters: [
        "fd.name=/dev/pts/5", "fd.name=/dev/pts/6", "fd.num=0", "fd.num=3", "fd.type=file", "fd.name exists",
        "evt.buflen > 0", "evt.is_io=true", "evt.dir=< and fd.name contains pts",
      ],
      fields: ["fd.num", "fd.name", "fd.type", "fd.typechar", "fd.directory", "fd.uid", "evt.buflen", "evt.is_io", "evt.rawarg.res"],
      chisels: [["topprocs_file"], ["echo_fds"], ["topfiles_bytes"], ["fdbytes_by", "fd.name"]],
    },
    {
      name: parents.name,
      rule: "6: processes with and without a parent",
      bytes: built(parents),
      filters: ["proc.pname exists", "proc.ppid=1", "proc.ppid=999", "proc.apid[2]=1", "proc.aname contains sh", "proc.pname=orphan"],
      fields: PROC_FIELDS,
      chisels: [["topprocs_cpu"], ["spy_users"]],
    },
    {
      name: fdListConnected.name,
      rule: "7: fd list sockets are connected when TCP",
      bytes: built(fdListConnected),
      filters: [
        "fd.connected=true", "fd.connected=false", "fd.connected exists", "not fd.connected=true",
        "fd.connected=true and fd.l4proto=tcp", "fd.type=ipv4 and fd.connected=false", "fd.type=ipv6 and fd.connected=true",
      ],
      fields: ["fd.num", "fd.connected", "fd.name", "fd.type", "fd.l4proto", "fd.sockfamily"],
      chisels: [["topconns"], ["fdbytes_by", "fd.connected"]],
      stateFilters: [
        { cmd: "lsof", filter: "'fd.connected=true'" },
        { cmd: "lsof", filter: "'fd.connected=false'" },
        { cmd: "netstat", filter: "'fd.connected=true'" },
      ],
    },
    {
      name: relativePathsOfMissingThreads.name,
      rule: "8: relative paths of threads a live snapshot missed",
      bytes: built(relativePathsOfMissingThreads),
      filters: ["fd.name contains UNKNOWN", "fd.directory=/tmp/wl/sub", "fd.name=/tmp/wl/sub/f1", "evt.type=openat and proc.name=py"],
      fields: ["fd.num", "fd.name", "fd.directory", "fd.filename", "fd.type", "proc.name", "proc.pid"],
      chisels: [["echo_fds"], ["topfiles_bytes"]],
    },
  ];
}
