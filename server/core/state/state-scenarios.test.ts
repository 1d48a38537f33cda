// Differential tests of the state rules on scenarios written with ScapWriter: sysdig 0.29.3 and
// `casefile events` read the same synthetic capture and must print the same lines. Each
// scenario exercises fd and thread rules that the shared captures do not (fcntl duplication,
// relative paths, dirfds, chdir, fork/clone children, execve, sockets, pipes).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScapWriter, sockaddrV4, socktupleV4, type ParamValue } from "../formats/scap/writer";
import { ScapReader } from "../formats/scap/reader";
import { eventPrinter } from "../events/printer";
import { sysdigLines } from "../../testing/oracle";
import { compareLines } from "../../testing/compare";
import { CLONE_THREAD_FLAGS, forkExit as forkParams } from "../../testing/scap-scenario";

process.env.TZ = "UTC";
const dir = mkdtempSync(join(tmpdir(), "casefile-scenario-"));

function scenario(name: string, build: (ev: (tid: number, n: string, d: ">" | "<", params: ParamValue[]) => void) => void) {
  test(`state scenario: ${name} prints as sysdig prints it`, () => {
    const w = new ScapWriter().procs([
      { tid: 100, pid: 100, ptid: 1, comm: "app", cwd: "/srv/" },
      { tid: 101, pid: 100, ptid: 1, comm: "app-worker", cwd: "/srv/", flags: CLONE_THREAD_FLAGS },
      { tid: 102, pid: 100, ptid: 1, comm: "app-own-fds", cwd: "/srv/" },
      { tid: 1, pid: 1, ptid: 0, comm: "init", cwd: "/" },
    ]);
    let ts = 1_600_000_000_000_000_000n;
    build((tid, n, d, params) => w.event({ ts: (ts += 1000n), tid, name: n, dir: d, params }));
    const bytes = w.bytes();
    const file = join(dir, `${name.replace(/\W+/g, "-")}.scap`);
    writeFileSync(file, bytes);
    const ours: string[] = [];
    const reader = new ScapReader(eventPrinter((l) => ours.push(l)));
    reader.push(bytes);
    reader.end();
    const theirs = sysdigLines(file);
    assert.ok(theirs.length > 0, "sysdig printed nothing");
    const c = compareLines(ours, theirs);
    assert.equal(c.percent, 100, JSON.stringify(c.diffs, null, 1));
  });
}

/** A clone/fork exit of app (its one argument its name) run by root. */
const forkExit = (res: number, tid: number, pid: number, ptid: number, flags: number): ParamValue[] =>
  forkParams({ res, tid, pid, ptid, comm: "app", args: ["app"], flags });

scenario("files: fcntl F_DUPFD, dup, close, relative paths, dirfd, chdir", (ev) => {
  ev(100, "openat", ">", [-100, "data.txt", 1, 0]);
  ev(100, "openat", "<", [3, -100, "data.txt", 1, 0, 0]);
  ev(100, "fcntl", ">", [3, 1]);
  ev(100, "fcntl", "<", [5]);
  ev(100, "fcntl", ">", [3, 3]); // F_GETFD: no new fd
  ev(100, "fcntl", "<", [1]);
  ev(100, "read", ">", [1, 10]);
  ev(100, "fcntl", ">", [3, 26]);
  ev(100, "fcntl", "<", [6]);
  ev(100, "read", ">", [6, 10]);
  ev(100, "close", ">", [3]);
  ev(100, "close", "<", [0]);
  ev(100, "read", ">", [3, 10]);
  ev(100, "close", ">", [5]);
  ev(100, "close", "<", [-9]); // failed close keeps the fd
  ev(100, "read", ">", [5, 10]);
  ev(100, "openat", "<", [7, -100, "/etc", 65536 | 1, 0, 0]);
  ev(100, "openat", "<", [8, 7, "hosts", 1, 0, 0]);
  ev(100, "openat", "<", [9, 77, "nowhere", 1, 0, 0]);
  ev(100, "chdir", ">", []);
  ev(100, "chdir", "<", [0, "sub/../other"]);
  ev(100, "open", "<", [10, "./x//y/", 1, 0, 0]);
  ev(100, "stat", "<", [0, "rel"]);
  ev(101, "read", ">", [10, 1]); // a thread sharing its files sees the process's fds
  ev(102, "read", ">", [10, 1]); // one that does not, does not
  ev(100, "dup", ">", [10]);
  ev(100, "dup", "<", [11]);
  ev(100, "read", ">", [11, 1]);
  ev(200, "open", "<", [3, "unknown-thread.txt", 1, 0, 0]);
});

scenario("sockets: socket, bind, listen, accept, connect, sendto, pipe", (ev) => {
  ev(100, "socket", ">", [2, 1, 6]);
  ev(100, "socket", "<", [3]);
  ev(100, "bind", ">", [3]);
  ev(100, "bind", "<", [0, sockaddrV4("0.0.0.0", 8080)]);
  ev(100, "listen", ">", [3, 128]);
  ev(100, "listen", "<", [0]);
  ev(100, "accept", ">", []);
  ev(100, "accept", "<", [4, socktupleV4("10.0.0.2", 51000, "10.0.0.1", 8080), 0, 0, 128]);
  ev(100, "read", ">", [4, 100]);
  ev(100, "socket", ">", [2, 2, 0]);
  ev(100, "socket", "<", [5]);
  ev(100, "connect", ">", [5, sockaddrV4("8.8.8.8", 53)]);
  ev(100, "connect", "<", [0, socktupleV4("10.0.0.1", 40000, "8.8.8.8", 53)]);
  ev(100, "sendto", ">", [5, 32, socktupleV4("10.0.0.1", 40000, "8.8.8.8", 53)]);
  ev(100, "sendto", "<", [32, "hello"]);
  ev(100, "socket", ">", [2, 1, 0]);
  ev(100, "socket", "<", [6]);
  ev(100, "connect", ">", [6, sockaddrV4("10.9.9.9", 80)]);
  ev(100, "connect", "<", [-111, socktupleV4("10.0.0.1", 40001, "10.9.9.9", 80)]);
  ev(100, "write", ">", [6, 1]);
  ev(100, "socket", ">", [10, 1, 0]);
  ev(100, "socket", "<", [7]);
  ev(100, "bind", ">", [7]);
  ev(100, "bind", "<", [-98, sockaddrV4("0.0.0.0", 80)]);
  ev(100, "pipe", ">", []);
  ev(100, "pipe", "<", [0, 8, 9, 12345]);
  ev(100, "write", ">", [9, 3]);
});

scenario("processes: clone thread, fork child, execve, procexit", (ev) => {
  ev(100, "openat", "<", [3, -100, "/var/log/app.log", 2, 0, 0]);
  ev(100, "clone", ">", []);
  ev(100, "clone", "<", forkExit(300, 100, 100, 1, CLONE_THREAD_FLAGS));
  ev(300, "clone", "<", forkExit(0, 300, 100, 100, CLONE_THREAD_FLAGS));
  ev(300, "write", ">", [3, 1]);
  ev(100, "fork", ">", []);
  ev(100, "fork", "<", forkExit(400, 100, 100, 1, 0));
  ev(400, "fork", "<", forkExit(0, 400, 400, 100, 0));
  ev(400, "write", ">", [3, 1]);
  ev(400, "close", ">", [3]);
  ev(400, "close", "<", [0]);
  ev(100, "write", ">", [3, 1]);
  ev(400, "execve", ">", ["/bin/ls"]);
  ev(400, "execve", "<", [0, "/bin/ls", "ls\0-l\0", 400, 400, 100, "/srv", 1024, 0, 0, 0, 0, 0, "ls", "", ""]);
  ev(400, "write", ">", [1, 1]);
  ev(400, "procexit", ">", [0]);
  ev(100, "kill", ">", [400, 9]);
  ev(100, "procexit", ">", [0]);
  ev(100, "write", ">", [3, 1]);
});
