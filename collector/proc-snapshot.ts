// The state of this host when a recording starts, read from /proc and /etc and written as the
// header blocks of a scap capture (as libscap writes them when it opens a live capture): section
// header, machine info, interface list, user/group lists, the process list (v9, with cgroups)
// and one fd list per process (files, directories, pipes, sockets from /proc/<pid>/net/*, the
// anonymous inodes). The event blocks that follow come from the loader (bpf/), so a recording
// is literally a scap file that sysdig and every reader of ours opens.
//
// Processes come and go while /proc is read: whatever vanishes half-read is left out, never an
// error.

import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { cpus, hostname, networkInterfaces, totalmem } from "node:os";
import { FdType } from "../server/core/formats/scap/blocks";
import { ScapWriter, type FdSpec, type InterfaceSpec, type ProcSpec } from "../server/core/formats/scap/writer";

/** One process as the Live page lists it (and the collector sends in its hello). */
export interface HostProcess {
  pid: number;
  ppid: number;
  comm: string;
  exe: string;
  args: string[];
  uid: number;
  /** The cgroup v2 path (or the first v1 one): a container shows here. */
  cgroup: string;
  /** A container id found in the cgroup path (docker, containerd, cri-o, podman), or "". */
  container: string;
  threads: number;
}

export interface HostSnapshot {
  procs: ProcSpec[];
  fds: Map<number, FdSpec[]>;
  processes: HostProcess[];
}

/** PPM_CL_* flags of a thread that shares its process's fd table and is not its main thread. */
const PPM_CL_CLONE_FILES = 1;
const PPM_CL_CLONE_THREAD = 8192;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function statusField(status: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:\\s*(.*)$`, "m").exec(status);
  return m?.[1];
}

function nulList(s: string | undefined): string[] {
  if (!s) return [];
  const parts = s.split("\0");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

let controllers: string[] | undefined;
/** cgroup v2 controllers: libscap and the driver list a v2 path once per controller. */
function v2Controllers(): string[] {
  controllers ??= (read("/sys/fs/cgroup/cgroup.controllers") ?? "").trim().split(/\s+/).filter(Boolean);
  return controllers;
}

/** "subsys=path" entries of /proc/<pid>/cgroup, as scap's process list stores them. */
export function cgroupEntries(text: string | undefined): string[] {
  const out: string[] = [];
  for (const line of (text ?? "").split("\n")) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const [, subsys, path] = m;
    if (subsys === "") for (const c of v2Controllers()) out.push(`${c}=${path}`);
    else for (const s of subsys.split(",")) out.push(`${s.replace(/^name=/, "")}=${path}`);
  }
  return out;
}

/** The container id a cgroup path names (the 64-hex id of docker, containerd, cri-o, podman),
 *  cut to 12 characters as sysdig shows container.id; "" on the host. */
export function containerIdOf(cgroupPath: string): string {
  const m = /(?:docker-|crio-|libpod-|cri-containerd-|\/docker\/|\/)([0-9a-f]{64})(?:\.scope)?(?:\/|$)/.exec(cgroupPath);
  return m ? m[1].slice(0, 12) : "";
}

/** Linux open(2) flags (octal in /proc/<pid>/fdinfo) to scap's PPM_O_* flags. */
export function ppmOpenFlags(linux: number): number {
  const acc = linux & 3;
  let f = acc === 0 ? 1 : acc === 1 ? 2 : 3; // O_RDONLY / O_WRONLY / O_RDWR
  const map: [number, number][] = [
    [0o100, 4], [0o200, 32], [0o1000, 256], [0o2000, 8], [0o4000, 64], [0o10000, 16],
    [0o40000, 512], [0o100000, 2048], [0o200000, 1024], [0o2000000, 4096],
  ];
  for (const [l, p] of map) if (linux & l) f |= p;
  if ((linux & 0o4010000) === 0o4010000) f |= 128; // O_SYNC includes O_DSYNC's bit
  if ((linux & 0o20200000) === 0o20200000) f = (f & ~1024) | 8192; // O_TMPFILE includes O_DIRECTORY's bit
  return f;
}

interface SockInfo {
  spec: Omit<FdSpec, "fd">;
}

/** The sockets of one network namespace by inode, from /proc/<pid>/net/{tcp,udp,...}. */
function netSockets(pid: number): Map<number, SockInfo> {
  const out = new Map<number, SockInfo>();
  const inet = (file: string, l4proto: number, six: boolean) => {
    const lines = (read(`/proc/${pid}/net/${file}`) ?? "").split("\n").slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const [lip, lport] = f[1].split(":");
      const [rip, rport] = f[2].split(":");
      const ino = Number(f[9]);
      const sip = six ? ip6FromProc(lip) : ip4FromProc(lip);
      const dip = six ? ip6FromProc(rip) : ip4FromProc(rip);
      const sport = parseInt(lport, 16);
      const dport = parseInt(rport, 16);
      // A socket with no peer (listening, or an unconnected UDP socket) is a server socket in
      // scap's fd list.
      const server = dport === 0 && isZero(dip);
      const type = six ? (server ? FdType.IPV6_SERVSOCK : FdType.IPV6_SOCK) : (server ? FdType.IPV4_SERVSOCK : FdType.IPV4_SOCK);
      out.set(ino, { spec: { type, sip, dip, sport, dport, l4proto, ino } });
    }
  };
  inet("tcp", 2, false);
  inet("udp", 3, false);
  inet("tcp6", 2, true);
  inet("udp6", 3, true);
  inet("raw", 5, false);
  inet("raw6", 5, true);
  for (const line of (read(`/proc/${pid}/net/unix`) ?? "").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    out.set(Number(f[6]), { spec: { type: FdType.UNIX_SOCK, name: f[7] ?? "", ino: Number(f[6]) } });
  }
  for (const line of (read(`/proc/${pid}/net/netlink`) ?? "").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    out.set(Number(f[9]), { spec: { type: FdType.NETLINK, name: "", ino: Number(f[9]) } });
  }
  return out;
}

function isZero(ip: string | Uint8Array): boolean {
  return typeof ip === "string" ? ip === "0.0.0.0" : ip.every((b) => b === 0);
}

/** /proc/net/tcp prints an IPv4 address as the hex of the u32 in host (little-endian) order. */
function ip4FromProc(hex: string): string {
  const v = parseInt(hex, 16);
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24].join(".");
}

/** ... and an IPv6 address as four such u32s. */
function ip6FromProc(hex: string): Uint8Array {
  const b = new Uint8Array(16);
  for (let w = 0; w < 4; w++) {
    const v = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    b[w * 4] = v & 255; b[w * 4 + 1] = (v >>> 8) & 255; b[w * 4 + 2] = (v >>> 16) & 255; b[w * 4 + 3] = v >>> 24;
  }
  return b;
}

// sysdig 0.29.3's libscap refuses an fd list holding a type past FILE_V2 ("wrong fd type 17"):
// bpf, userfaultfd, io_uring, memfd and pidfd fds are written as "unsupported", with their name.
const ANON: [RegExp, FdType][] = [
  [/^anon_inode:\[?eventfd\]?/, FdType.EVENT], [/^anon_inode:\[?eventpoll\]?/, FdType.EVENTPOLL],
  [/^anon_inode:\[?inotify\]?/, FdType.INOTIFY], [/^anon_inode:\[?signalfd\]?/, FdType.SIGNALFD],
  [/^anon_inode:\[?timerfd\]?/, FdType.TIMERFD],
];

/** The fd list of one process. */
function processFds(pid: number, sockets: () => Map<number, SockInfo>): FdSpec[] {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: FdSpec[] = [];
  for (const n of names) {
    const fd = Number(n);
    const target = link(`/proc/${pid}/fd/${n}`);
    if (target === undefined) continue;
    const sock = /^socket:\[(\d+)\]$/.exec(target);
    if (sock) {
      const s = sockets().get(Number(sock[1]));
      // A socket of a family /proc/net does not list (packet, vsock...): unknown, as libscap.
      out.push(s ? { fd, ...s.spec } : { fd, type: FdType.UNKNOWN, ino: Number(sock[1]) });
      continue;
    }
    if (/^pipe:\[\d+\]$/.test(target)) {
      out.push({ fd, type: FdType.FIFO, name: target, ino: Number(target.slice(6, -1)) });
      continue;
    }
    const anon = ANON.find(([re]) => re.test(target));
    if (anon) {
      out.push({ fd, type: anon[1], name: target });
      continue;
    }
    if (target.startsWith("anon_inode:")) {
      out.push({ fd, type: FdType.UNSUPPORTED, name: target });
      continue;
    }
    const info = read(`/proc/${pid}/fdinfo/${n}`) ?? "";
    const flags = /^flags:\s*([0-7]+)/m.exec(info);
    let dir = false;
    let ino = 0;
    try {
      const st = statSync(`/proc/${pid}/fd/${n}`);
      dir = st.isDirectory();
      ino = st.ino;
    } catch {
      // gone, or a file we cannot stat: a file with its name
    }
    if (dir) out.push({ fd, type: FdType.DIRECTORY, name: target, ino });
    else out.push({ fd, type: FdType.FILE_V2, name: target, openFlags: flags ? ppmOpenFlags(parseInt(flags[1], 8)) : 0, ino });
  }
  return out.sort((a, b) => a.fd - b.fd);
}

function numericDirs(path: string): number[] {
  try {
    return readdirSync(path).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** Every thread and process of this host, with its fds. */
export function snapshotHost(): HostSnapshot {
  const procs: ProcSpec[] = [];
  const fds = new Map<number, FdSpec[]>();
  const processes: HostProcess[] = [];
  const netCache = new Map<string, Map<number, SockInfo>>();
  for (const pid of numericDirs("/proc")) {
    const status = read(`/proc/${pid}/status`);
    if (!status) continue;
    const exePath = link(`/proc/${pid}/exe`) ?? "";
    const cmdline = nulList(read(`/proc/${pid}/cmdline`));
    const env = nulList(read(`/proc/${pid}/environ`));
    const cgroupText = read(`/proc/${pid}/cgroup`);
    const cgroups = cgroupEntries(cgroupText);
    const cwd = link(`/proc/${pid}/cwd`) ?? "";
    const root = link(`/proc/${pid}/root`) ?? "/";
    const limits = read(`/proc/${pid}/limits`) ?? "";
    const fdlimit = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? 1024);
    const loginuid = Number(read(`/proc/${pid}/loginuid`) ?? 0xffffffff);
    const stat = read(`/proc/${pid}/stat`) ?? "";
    // Fields after the comm, which may hold spaces and parentheses: from the last ')'.
    const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgrp = Number(after[2] ?? pid);
    const sid = Number(after[3] ?? pid);
    const tids = numericDirs(`/proc/${pid}/task`);
    const comm0 = (read(`/proc/${pid}/comm`) ?? "").replace(/\n$/, "");
    const cgPath = /^0::(.*)$/m.exec(cgroupText ?? "")?.[1] ?? /^\d+:[^:]*:(.*)$/m.exec(cgroupText ?? "")?.[1] ?? "";
    processes.push({
      pid, ppid: Number(statusField(status, "PPid") ?? 0), comm: comm0, exe: exePath, args: cmdline.slice(1),
      uid: Number((statusField(status, "Uid") ?? "0").split(/\s+/)[1] ?? 0), cgroup: cgPath,
      container: containerIdOf(cgPath), threads: tids.length,
    });
    for (const tid of tids.length ? tids : [pid]) {
      const tstatus = tid === pid ? status : read(`/proc/${pid}/task/${tid}/status`);
      if (!tstatus) continue;
      const comm = (read(`/proc/${pid}/task/${tid}/comm`) ?? comm0).replace(/\n$/, "");
      const uids = (statusField(tstatus, "Uid") ?? "0 0").split(/\s+/);
      const gids = (statusField(tstatus, "Gid") ?? "0 0").split(/\s+/);
      const nstgid = (statusField(tstatus, "NStgid") ?? String(pid)).split(/\s+/);
      const nspid = (statusField(tstatus, "NSpid") ?? String(tid)).split(/\s+/);
      const kb = (name: string) => Number((statusField(tstatus, name) ?? "0").split(/\s+/)[0]);
      procs.push({
        tid, pid, ptid: Number(statusField(tstatus, "PPid") ?? 0), sid, vpgid: pgrp, comm,
        // scap's exe is argv[0], exepath the resolved executable, args the rest of argv.
        exe: scapPath(cmdline[0] ?? comm), exepath: scapPath(exePath), args: scapList(cmdline.slice(1)),
        cwd: scapPath(cwd.endsWith("/") ? cwd : `${cwd}/`),
        uid: Number(uids[1] ?? 0), gid: Number(gids[1] ?? 0),
        flags: tid === pid ? 0 : PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES,
        fdlimit, vmsizeKb: kb("VmSize"), vmrssKb: kb("VmRSS"), vmswapKb: kb("VmSwap"), env: scapList(env),
        vtid: Number(nspid[nspid.length - 1]), vpid: Number(nstgid[nstgid.length - 1]), cgroups: scapList(cgroups), root: scapPath(root), loginuid,
      });
    }
    const ns = link(`/proc/${pid}/ns/net`) ?? "";
    const sockets = () => {
      let m = netCache.get(ns);
      if (!m) netCache.set(ns, (m = netSockets(pid)));
      return m;
    };
    const list = processFds(pid, sockets).map((f) => (f.name === undefined ? f : { ...f, name: scapPath(f.name) }));
    if (list.length) fds.set(pid, list);
  }
  return { procs, fds, processes };
}

function users(): { users: { uid: number; gid: number; name: string; home: string; shell: string }[]; groups: { gid: number; name: string }[] } {
  const u = (read("/etc/passwd") ?? "").split("\n").map((l) => l.split(":")).filter((f) => f.length >= 7)
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5], shell: f[6] }));
  const g = (read("/etc/group") ?? "").split("\n").map((l) => l.split(":")).filter((f) => f.length >= 3)
    .map((f) => ({ name: f[0], gid: Number(f[2]) }));
  return { users: u, groups: g };
}

function interfaces(): { v4: InterfaceSpec[]; v6: InterfaceSpec[] } {
  const v4: InterfaceSpec[] = [];
  const v6: InterfaceSpec[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === "IPv4") {
        const addr = a.address.split(".").map(Number);
        const mask = a.netmask.split(".").map(Number);
        const bcast = addr.map((x, i) => (x | (~mask[i] & 255)) & 255).join(".");
        v4.push({ name, addr: a.address, netmask: a.netmask, bcast });
      } else v6.push({ name, addr: ip6Text(a.address), netmask: ip6Text(a.netmask) });
    }
  }
  return { v4, v6 };
}

/** An IPv6 address's text (with :: and an optional zone) as its 16 bytes. */
export function ip6Text(text: string): Uint8Array {
  const t = text.replace(/%.*$/, "");
  const [head, tail] = t.includes("::") ? t.split("::") : [t, undefined];
  const words = (s: string | undefined) => (s ? s.split(":").map((w) => parseInt(w || "0", 16)) : []);
  const h = words(head);
  const tl = words(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - tl.length).fill(0), ...tl];
  const b = new Uint8Array(16);
  all.forEach((w, i) => { b[i * 2] = w >> 8; b[i * 2 + 1] = w & 255; });
  return b;
}

/** The header blocks of a live capture of this host: section header, machine info,
 *  interfaces, users, processes, fds. */
export function headerBlocks(snap: HostSnapshot = snapshotHost()): Uint8Array {
  const w = new ScapWriter();
  w.machineInfo({
    numCpus: cpus().length, memoryBytes: totalmem(),
    maxPid: Number((read("/proc/sys/kernel/pid_max") ?? "32768").trim()), hostname: hostname(),
  });
  const ifs = interfaces();
  w.interfaces(ifs.v4, ifs.v6);
  const u = users();
  w.users(u.users, u.groups);
  w.procs(snap.procs, { version: 9, tail: "libs-0.9" });
  for (const [tid, list] of snap.fds) w.fds(tid, list);
  return w.bytes();
}

/** The host's processes only (no threads, no fds): what the Live page lists, cheap enough to
 *  send every few seconds. */
export function listProcesses(): HostProcess[] {
  const out: HostProcess[] = [];
  for (const pid of numericDirs("/proc")) {
    const status = read(`/proc/${pid}/status`);
    if (!status) continue;
    const cgroupText = read(`/proc/${pid}/cgroup`) ?? "";
    const cgPath = /^0::(.*)$/m.exec(cgroupText)?.[1] ?? /^\d+:[^:]*:(.*)$/m.exec(cgroupText)?.[1] ?? "";
    out.push({
      pid, ppid: Number(statusField(status, "PPid") ?? 0), comm: (statusField(status, "Name") ?? "").trim(),
      exe: link(`/proc/${pid}/exe`) ?? "", args: nulList(read(`/proc/${pid}/cmdline`)).slice(1),
      uid: Number((statusField(status, "Uid") ?? "0").split(/\s+/)[1] ?? 0), cgroup: cgPath,
      container: containerIdOf(cgPath), threads: Number(statusField(status, "Threads") ?? 1),
    });
  }
  return out;
}

/** A path-sized field as libscap keeps it (snprintf into SCAP_MAX_PATH_SIZE = 1024 bytes: at most
 *  1023 bytes of UTF-8): sysdig 0.29.3 refuses a whole file whose process list holds a longer
 *  exe ("invalid exelen"), which a process that rewrote its argv into one long argv[0] makes. */
export function scapPath(s: string): string {
  const b = Buffer.from(s, "utf8");
  if (b.length <= 1023) return s;
  let end = 1023;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--; // not inside a UTF-8 sequence
  return b.subarray(0, end).toString("utf8");
}

/** A NUL-separated list field (args, env, cgroups) as libscap keeps it: SCAP_MAX_ARGS_SIZE and
 *  its siblings are 4096 bytes, and a longer one makes sysdig 0.29.3 refuse the file. Whole
 *  entries while they fit (with their NULs), the first one cut if it alone does not. */
export function scapList(list: string[], max = 4095): string[] {
  const out: string[] = [];
  let used = 0;
  for (const e of list) {
    const n = Buffer.byteLength(e, "utf8") + 1;
    if (used + n > max) {
      if (out.length === 0) {
        const b = Buffer.from(e, "utf8");
        let end = max - 1;
        while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
        out.push(b.subarray(0, end).toString("utf8"));
      }
      break;
    }
    out.push(e);
    used += n;
  }
  return out;
}
