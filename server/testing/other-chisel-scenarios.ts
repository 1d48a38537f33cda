// Synthetic captures (ScapWriter) for the spy_users, echo_fds, iobytes and errors chisels: what
// the shared captures lack (shells running commands, text and binary buffers, I/O spread over
// seconds, many kinds of failures). other-chisels.diff.test.ts runs sysdig 0.29.3 and us on them.

import { ScapWriter, sockaddrV4, socktupleV4, type ParamValue } from "../core/formats/scap/writer";
import { FdType } from "../core/formats/scap/blocks";
import { SCENARIO_START, buildScenario, execveExit as execveParams, forkExit, type Emit, type Scenario } from "./scap-scenario";

/** The capture bytes of a scenario. Starts 0.9 s into a second, so that the chisels' per-second
 *  intervals are cut in the middle of the events. */
export function buildChiselScenario(s: Scenario): Uint8Array {
  return buildScenario(s, SCENARIO_START + 900_000_000n).bytes;
}

const SECOND = 1_000_000_000;

/** A clone exit of `/bin/COMM` (no arguments); `cgroups` puts the thread in a container. */
function cloneExit(res: number, tid: number, pid: number, ptid: number, comm: string, uid: number, cgroups = ""): ParamValue[] {
  return forkExit({ res, tid, pid, ptid, comm, exe: `/bin/${comm}`, cwd: "/home/alice", vmSizeKb: 1000, vmRssKb: 100, cgroups, uid });
}

/** The cgroups of a thread in docker container `id` (64 hex digits; sysdig names it by 12). */
const dockerCgroups = (id: string) => `cpuset=/docker/${id}\0memory=/docker/${id}\0`;

const WEB_ID = "abcdef0123456789".repeat(4);
const ANON_ID = "0123456789abcdef".repeat(4);

/** A container event describing container `id` (the JSON sysdig writes). */
function containerEvent(ev: Emit, id: string, name: string, image: string): void {
  const json = { container: { id: id.slice(0, 12), name, image, imageid: "", imagerepo: image.split(":")[0], imagetag: "latest", type: 0, privileged: false, Mounts: [] } };
  ev(-1, "container", ">", [JSON.stringify(json)]);
}

/** An execve exit on tty 34816 (/dev/pts/0) with loginuid 1000: exe, its arguments, the new comm. */
function execveExit(res: number, tid: number, pid: number, ptid: number, exe: string, args: string[], comm: string, cgroups = ""): ParamValue[] {
  return execveParams({ res, tid, pid, ptid, comm, exe, args, cwd: "/home/alice", vmSizeKb: 1000, vmRssKb: 100, cgroups, tty: 34816, loginuid: 1000 });
}

/** A process `child` forked by `parent` that runs `exe` (in a container, with its cgroups). */
function spawn(ev: Emit, parent: number, parentPid: number, parentComm: string, child: number,
  exe: string, args: string[], comm: string, uid = 1000, cgroups = ""): void {
  ev(parent, "clone", ">", []);
  ev(parent, "clone", "<", cloneExit(child, parent, parentPid, 1, parentComm, uid, cgroups));
  ev(child, "clone", "<", cloneExit(0, child, child, parent, parentComm, uid, cgroups));
  ev(child, "execve", ">", [exe]);
  ev(child, "execve", "<", execveExit(0, child, child, parent, exe, args, comm, cgroups));
}

function users(w: ScapWriter): ScapWriter {
  return w.users([{ uid: 0, gid: 0, name: "root" }, { uid: 1000, gid: 1000, name: "alice" }]);
}

export const CHISEL_SCENARIOS: Scenario[] = [
  {
    // A login shell running commands, a subshell, cd in both, a failed execve, sshd changing
    // directory (not shown), a user the capture does not list, a second login shell.
    name: "interactive shells",
    writer: () => users(new ScapWriter()).procs([
      { tid: 1, pid: 1, ptid: 0, comm: "systemd", cwd: "/" },
      { tid: 500, pid: 500, ptid: 1, comm: "sshd", cwd: "/" },
      { tid: 1000, pid: 1000, ptid: 500, comm: "bash", exe: "-bash", cwd: "/home/alice/", uid: 1000 },
      { tid: 2000, pid: 2000, ptid: 500, comm: "zsh", exe: "-zsh", cwd: "/root/", uid: 0 },
      { tid: 3000, pid: 3000, ptid: 1, comm: "cron", cwd: "/" },
    ]),
    events: (ev, wait) => {
      spawn(ev, 1000, 1000, "bash", 1001, "/bin/ls", ["-l", "/etc"], "ls");
      spawn(ev, 1000, 1000, "bash", 1002, "/usr/bin/make", ["all"], "make");
      spawn(ev, 1002, 1002, "make", 1003, "/usr/bin/cc", ["-c", "x.c"], "cc");
      spawn(ev, 1003, 1003, "cc", 1004, "/usr/lib/gcc/cc1", ["x.c"], "cc1");
      // Not a shell's descendant: hidden.
      spawn(ev, 3000, 3000, "cron", 3001, "/usr/bin/backup", ["--all"], "backup", 0);
      // A failed execve is filtered out.
      ev(1001, "execve", ">", ["/bin/nope"]);
      ev(1001, "execve", "<", execveExit(-2, 1001, 1001, 1000, "/bin/nope", [], "ls"));
      wait(SECOND);
      ev(500, "chdir", ">", []);
      ev(500, "chdir", "<", [0, "/var/empty"]);
      // The first cd: from now on ancestor lookups start one level lower.
      ev(1000, "chdir", ">", []);
      ev(1000, "chdir", "<", [0, "/tmp"]);
      spawn(ev, 1000, 1000, "bash", 1005, "/bin/cat", ["notes.txt"], "cat");
      // A new parent looked up after one cd (zsh is found one level too deep).
      spawn(ev, 2000, 2000, "zsh", 2001, "/usr/bin/top", [], "top", 0);
      spawn(ev, 2001, 2001, "top", 2002, "/bin/ps", ["aux"], "ps", 0);
      spawn(ev, 1000, 1000, "bash", 1006, "/bin/sh", ["-c", "echo hi"], "sh");
      spawn(ev, 1006, 1006, "sh", 1007, "/bin/echo", ["hi"], "echo");
      // The second cd: new parents are no longer found.
      ev(1006, "chdir", ">", []);
      ev(1006, "chdir", "<", [0, "/var/log"]);
      ev(1000, "chdir", ">", []);
      ev(1000, "chdir", "<", [-2, "/nonexistent"]);
      spawn(ev, 1007, 1007, "echo", 1008, "/bin/true", [], "true");
      spawn(ev, 2000, 2000, "zsh", 2003, "/usr/bin/vim", ["/etc/hosts"], "vim", 0);
      spawn(ev, 1000, 1000, "bash", 1009, "/usr/bin/id", [], "id", 4242);
      ev(1000, "chdir", ">", []);
      ev(1000, "chdir", "<", [0, "/home/alice/src"]);
      // A shell in a named container (blue with -pc), then one in a container the capture
      // does not describe: its nil name stops sysdig's chisel with -pc.
      containerEvent(ev, WEB_ID, "web", "nginx:latest");
      spawn(ev, 1000, 1000, "bash", 1011, "/usr/bin/docker", ["run", "-it", "nginx", "bash"], "docker");
      spawn(ev, 1011, 1011, "docker", 5000, "/bin/bash", [], "bash", 0, dockerCgroups(WEB_ID));
      ev(5000, "chdir", ">", []);
      ev(5000, "chdir", "<", [0, "/usr/share/nginx"]);
      spawn(ev, 5000, 5000, "bash", 5001, "/usr/sbin/nginx", ["-t"], "nginx", 0, dockerCgroups(WEB_ID));
      spawn(ev, 1000, 1000, "bash", 1010, "/usr/bin/docker", ["exec", "anon", "sh"], "docker");
      spawn(ev, 1010, 1010, "docker", 6000, "/bin/sh", [], "sh", 0, dockerCgroups(ANON_ID));
      ev(6000, "chdir", ">", []);
      ev(6000, "chdir", "<", [0, "/"]);
    },
  },
  {
    // Text and binary buffers on files, sockets and pipes, over several seconds (one without
    // events, one event out of order), with reads, writes, failures and empty results.
    name: "buffers",
    writer: () => users(new ScapWriter()).procs([
      { tid: 1, pid: 1, ptid: 0, comm: "systemd", cwd: "/" },
      { tid: 4000, pid: 4000, ptid: 1, comm: "mysql", cwd: "/var/lib/mysql/", uid: 1000 },
    ]).fds(4000, [
      { fd: 3, type: FdType.FILE_V2, name: "/etc/passwd" },
      { fd: 4, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 40000, dip: "10.0.0.2", dport: 3306 },
      { fd: 5, type: FdType.UNIX_SOCK, name: "/run/mysqld/mysqld.sock" },
      { fd: 6, type: FdType.FIFO, name: "pipe:[77]" },
      { fd: 7, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 5353, dip: "8.8.8.8", dport: 53, l4proto: 2 },
    ]),
    events: (ev, wait) => {
      const enc = new TextEncoder();
      const text = (s: string) => enc.encode(s);
      const binary = Uint8Array.from({ length: 37 }, (_, i) => (i * 37 + 200) & 255);
      ev(1, "procinfo", ">", [5, 6]);
      ev(4000, "read", ">", [3, 4096]);
      ev(4000, "read", "<", [12, text("root:x:0:0\r\n")]);
      ev(4000, "write", ">", [4, 100]);
      ev(4000, "write", "<", [37, binary]);
      wait(SECOND / 5);
      ev(4000, "read", ">", [4, 4096]);
      ev(4000, "read", "<", [2000, text(`\nSELECT password FROM users WHERE name = 'alice';\r\n\tand a long line that goes beyond eighty characters...`)]);
      ev(1, "procinfo", ">", [5, 6]);
      wait(SECOND);
      ev(4000, "write", ">", [5, 10]);
      ev(4000, "write", "<", [0, text("")]);
      ev(4000, "read", ">", [5, 10]);
      ev(4000, "read", "<", [-11, text("")]);
      ev(4000, "write", ">", [6, 1179648]);
      ev(4000, "write", "<", [1179648, text("\n\nline one\nline two\r\rlast")]);
      ev(4000, "write", ">", [6, 1664]);
      ev(4000, "write", "<", [1664, text("tie")]);
      ev(4000, "readv", ">", [4]);
      ev(4000, "readv", "<", [1025, 1025, text("readv data")]);
      ev(4000, "writev", ">", [3, 3]);
      ev(4000, "writev", "<", [3, text("abc")]);
      ev(4000, "write", ">", [4, 5]);
      ev(4000, "write", "<", [5, text("")]);
      wait(3 * SECOND);
      ev(4000, "sendto", ">", [7, 29, socktupleV4("10.0.0.1", 5353, "8.8.8.8", 53)]);
      ev(4000, "sendto", "<", [29, Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...text("example"), 3, ...text("com"), 0, 0, 1, 0, 1)]);
      ev(4000, "recvfrom", ">", [7, 512]);
      ev(4000, "recvfrom", "<", [45, Uint8Array.of(0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 7, ...text("example"), 3, ...text("com"), 0, 0, 1, 0, 1, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34), socktupleV4("8.8.8.8", 53, "10.0.0.1", 5353)]);
      ev(4000, "copy_file_range", ">", [3, 0, 4096]);
      ev(4000, "copy_file_range", "<", [4096, 6, 0]);
      ev(4000, "pread", ">", [3, 64, 128]);
      ev(4000, "pread", "<", [1, text("\n")]);
      wait(-2 * SECOND);
      ev(4000, "write", ">", [99, 4]);
      ev(4000, "write", "<", [4, text("late")]);
      wait(2 * SECOND);
      ev(4000, "write", ">", [3, 1048577]);
      ev(4000, "write", "<", [1048577, text("big")]);
      wait(SECOND);
      ev(1, "procinfo", ">", [7, 8]);
      ev(4000, "write", ">", [4, 2]);
      ev(4000, "write", "<", [2, text("ok")]);
      // Writes from a described container and from one the capture does not describe.
      containerEvent(ev, WEB_ID, "web", "nginx:latest");
      spawn(ev, 4000, 4000, "mysql", 5000, "/usr/sbin/nginx", [], "nginx", 0, dockerCgroups(WEB_ID));
      ev(5000, "write", ">", [1, 6]);
      ev(5000, "write", "<", [6, text("hello\n")]);
      spawn(ev, 4000, 4000, "mysql", 6000, "/bin/app", [], "app", 0, dockerCgroups(ANON_ID));
      ev(6000, "write", ">", [2, 5]);
      ev(6000, "write", "<", [5, text("oops\n")]);
    },
  },
  {
    // Failures of many kinds: the same error repeated, one error from two calls, one call with
    // two errors, an errno sysdig has no name for, failed fd-creating calls.
    name: "failures",
    writer: () => users(new ScapWriter()).procs([
      { tid: 1, pid: 1, ptid: 0, comm: "systemd", cwd: "/" },
      { tid: 80, pid: 80, ptid: 1, comm: "apache2", cwd: "/" },
      { tid: 81, pid: 80, ptid: 1, comm: "apache2", cwd: "/" },
      { tid: 90, pid: 90, ptid: 1, comm: "nginx", cwd: "/" },
    ]),
    events: (ev) => {
      for (let i = 0; i < 3; i++) {
        ev(80, "open", ">", ["/etc/apache2/missing.conf", 0, 0]);
        ev(80, "open", "<", [-2, "/etc/apache2/missing.conf", 0, 0, 0]);
      }
      ev(80, "socket", ">", [2, 1, 0]);
      ev(80, "socket", "<", [3]);
      ev(80, "bind", ">", [3]);
      ev(80, "bind", "<", [-98, sockaddrV4("0.0.0.0", 80)]);
      ev(81, "bind", ">", [3]);
      ev(81, "bind", "<", [-13, sockaddrV4("0.0.0.0", 443)]);
      ev(90, "open", ">", ["/etc/nginx/x", 0, 0]);
      ev(90, "open", "<", [-13, "/etc/nginx/x", 0, 0, 0]);
      ev(90, "stat", ">", []);
      ev(90, "stat", "<", [-2, "/etc/nginx/y"]);
      ev(90, "connect", ">", [3, sockaddrV4("127.0.0.1", 9000)]);
      ev(90, "connect", "<", [-111, socktupleV4("127.0.0.1", 41000, "127.0.0.1", 9000)]);
      ev(90, "close", ">", [77]);
      ev(90, "close", "<", [-9]);
      ev(90, "close", ">", [78]);
      ev(90, "close", "<", [-9]);
      ev(90, "read", ">", [0, 10]);
      ev(90, "read", "<", [-600, ""]);
      ev(95, "open", ">", ["/x", 0, 0]);
      ev(95, "open", "<", [-2, "/x", 0, 0, 0]);
      ev(90, "write", ">", [1, 2]);
      ev(90, "write", "<", [2, "ok"]);
    },
  },
];
