// The /proc snapshot as header blocks, judged by two oracles: sysdig 0.29.3 reads the header we
// write (its lsof and ps chisels at the first event), and lsof(8) reads the same process from
// the kernel. A test process holds a file open for writing, another for reading, a directory, a
// pipe, a listening TCP socket, a connected TCP pair, a UDP socket and a unix socket: every fd
// lsof lists is in sysdig's view of our header, with the same name (sockets by their ports).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScapWriter } from "../server/core/formats/scap/writer";
import { runSysdig, sysdigLines } from "../server/testing/oracle";
import { headerBlocks, ppmOpenFlags, snapshotHost } from "./proc-snapshot";
import { kernelFilterOf } from "./kernel-filter";
import { parseFilter } from "../server/core/filter/parser";

const PY = String.raw`
import os, socket, sys, time
d = sys.argv[1]
w = open(os.path.join(d, "written.txt"), "w")
r = open("/etc/hostname")
dirfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
pr, pw = os.pipe()
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen()
c = socket.create_connection(ls.getsockname()); a, _ = ls.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
us = socket.socket(socket.AF_UNIX); us.bind(os.path.join(d, "unix.sock")); us.listen()
print(ls.getsockname()[1], c.getsockname()[1], u.getsockname()[1], flush=True)
time.sleep(60)
`;

test("the snapshot's header: sysdig's lsof at the first event lists what lsof(8) lists of a process", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-snapshot-"));
  const child = spawn("python3", ["-c", PY, dir], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    let printed = "";
    const ports = await new Promise<string>((ok) => child.stdout!.on("data", (d: Buffer) => {
      printed += d.toString();
      if (printed.includes("\n")) ok(printed.trim());
    }));
    const [listen, client, udp] = ports.split(" ").map(Number);
    const pid = child.pid!;
    const snap = snapshotHost();
    const w = new ScapWriter();
    w.event({ ts: BigInt(Date.now()) * 1_000_000n, tid: pid, name: "close", dir: ">", params: [99] });
    // Our header, then one event of the process (the writer's own section header left out).
    const event = w.bytes().subarray(28);
    const file = join(dir, "snap.scap");
    writeFileSync(file, Buffer.concat([headerBlocks(snap), event]));

    const ours = new Map<number, { type: string; name: string }>();
    for (const line of sysdigLines(file, ["-c", "lsof", `proc.pid=${pid}`]).slice(1)) {
      const f = line.split(/\s+/);
      ours.set(Number(f[4]), { type: f[5], name: f.slice(6).join(" ") });
    }
    // lsof(8): fd number, type, name of every numbered fd (-F: one field a line).
    const theirs = new Map<number, { type: string; name: string }>();
    let cur: { fd?: number; type?: string } = {};
    for (const l of execFileSync("lsof", ["-n", "-P", "-p", String(pid), "-a", "-d", "0-4096", "-F", "ftn"]).toString().split("\n")) {
      if (l[0] === "f") cur = { fd: Number(l.slice(1)) };
      else if (l[0] === "t") cur.type = l.slice(1);
      else if (l[0] === "n" && cur.fd !== undefined) theirs.set(cur.fd, { type: cur.type!, name: l.slice(1) });
    }
    assert.ok(theirs.size >= 10, `lsof lists the test's fds: ${JSON.stringify([...theirs])}`);
    for (const [fd, t] of theirs) {
      const o = ours.get(fd);
      assert.ok(o, `fd ${fd} (${t.type} ${t.name}) is in sysdig's lsof of our header`);
      if (t.type === "REG" || t.type === "DIR" || t.type === "CHR") assert.equal(o.name, t.name, `fd ${fd}`);
      else if (t.type === "FIFO") assert.equal(o.type, "pipe", `fd ${fd}`);
      else if (t.type === "IPv4") {
        assert.equal(o.type, "ipv4", `fd ${fd}`);
        // lsof: 127.0.0.1:A->127.0.0.1:B or 127.0.0.1:A; sysdig: the same ends.
        const lsofPorts = [...t.name.matchAll(/:(\d+)/g)].map((m) => m[1]).sort();
        const ourPorts = [...o.name.matchAll(/:(\d+)/g)].map((m) => m[1]).sort();
        assert.deepEqual(ourPorts, lsofPorts, `fd ${fd}: ${o.name} vs lsof ${t.name}`);
      } else if (t.type === "unix") assert.equal(o.type, "unix", `fd ${fd}`);
    }
    for (const p of [listen, client, udp]) assert.ok([...ours.values()].some((o) => o.name.includes(`:${p}`)), `port ${p} in our header`);
    assert.ok([...ours.values()].some((o) => o.name === join(dir, "written.txt")));
    // sysdig's ps of our header: the process, its command line.
    const ps = sysdigLines(file, ["-c", "ps", `proc.pid=${pid}`]).join("\n");
    assert.match(ps, new RegExp(`\\b${pid}\\b.*python3`));
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("strings past libscap's limits are cut as it cuts them: a process with a 3000-byte argv[0] and a long argument list still gives a header sysdig reads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-snapshot-long-"));
  mkdirSync(join(dir, "d".repeat(200), "e".repeat(200), "f".repeat(200), "g".repeat(200), "h".repeat(200)), { recursive: true });
  const long = "x".repeat(3000);
  // bash's exec -a names argv[0]; the argument list is longer than libscap's 4096 bytes too.
  const child = spawn("/bin/bash", ["-c", `cd ${dir}/${"d".repeat(200)}/${"e".repeat(200)}/${"f".repeat(200)}/${"g".repeat(200)}/${"h".repeat(200)} && exec -a ${long} perl -e "sleep 30" ${"y ".repeat(3000)}`], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const snap = snapshotHost();
    const me = snap.procs.find((p) => p.tid === child.pid);
    assert.ok(me, "the test process is running");
    assert.equal(me.exe, long.slice(0, 1023));
    assert.ok(Buffer.byteLength(me.cwd!) <= 1023 && (me.args ?? []).join("\0").length < 4096);
    const file = join(dir, "snap.scap");
    const w = new ScapWriter();
    w.event({ ts: BigInt(Date.now()) * 1_000_000n, tid: child.pid!, name: "close", dir: ">", params: [99] });
    writeFileSync(file, Buffer.concat([headerBlocks(snap), w.bytes().subarray(28)]));
    const lines = sysdigLines(file);
    assert.equal(lines.length, 1, `sysdig reads the header and the event: ${runSysdig(["-r", file]).stderr}`);
    assert.match(lines[0], /perl \(\d+\) > close fd=99/);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("open flags: Linux's octal flags as scap's PPM_O_* (the values of the libs' flag table)", () => {
  // O_WRONLY|O_CREAT|O_TRUNC (0o1101) is what sysdig prints as O_TRUNC|O_CREAT|O_WRONLY = 262.
  assert.equal(ppmOpenFlags(0o1101), 262);
  assert.equal(ppmOpenFlags(0o2000000), 1 | 4096); // O_RDONLY|O_CLOEXEC = 4097, as sysdig shows ld.so.cache
  assert.equal(ppmOpenFlags(0o2), 3); // O_RDWR
});

test("the kernel part of a filter: one conjunct of proc.pid, proc.name or container.id", () => {
  const k = (f: string) => kernelFilterOf(parseFilter(f), [
    { pid: 10, ppid: 1, comm: "nginx", exe: "", args: [], uid: 0, cgroup: "/system.slice/docker-0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab0123.scope", container: "0123456789ab", threads: 1 },
  ]);
  assert.deepEqual(k("proc.pid=42"), { pids: [42] });
  assert.deepEqual(k("evt.type=open and proc.pid in (1, 2)"), { pids: [1, 2] });
  assert.deepEqual(k("proc.name=nginx or proc.name=php-fpm"), { comms: ["nginx", "php-fpm"] });
  assert.deepEqual(k("container.id=0123456789ab"), { cgroups: ["/sys/fs/cgroup/system.slice/docker-0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab0123.scope"] });
  // Not a conjunct every accepted event satisfies: nothing goes into the kernel.
  assert.deepEqual(k("proc.pid=1 or evt.type=open"), {});
  assert.deepEqual(k("not proc.pid=1"), {});
  assert.deepEqual(k("proc.name=nginx or proc.pid=3"), {});
});
