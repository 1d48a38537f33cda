// The writer's every block version, read back by the reader: each version carries the fields it
// added and leaves the others at libscap's defaults (scap_read_proclist: sid, vpgid, vtid, vpid
// -1, loginuid UINT32_MAX, empty env, cgroups, root and exepath). Whether sysdig reads them the
// same way is writer-versions.diff.test.ts's question; this one needs no sysdig.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ScapWriter, type EventBlockKind, type ProcSpec } from "./writer";
import { ScapReader, type RawEvent } from "./reader";
import { FdType, type FdEntry, type InterfaceEntry, type ProcEntry, type UserEntry, type GroupEntry } from "./blocks";
import { paramsHex } from "../../../testing/scap-scenario";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function read(bytes: Uint8Array) {
  const out = {
    procs: [] as ProcEntry[], fds: [] as [number, FdEntry][], ifs: [] as InterfaceEntry[],
    users: [] as UserEntry[], groups: [] as GroupEntry[], events: [] as string[], skipped: [] as number[],
    sections: [] as string[], hostname: "",
  };
  const reader = new ScapReader({
    section: (s) => out.sections.push(`${s.major}.${s.minor}`),
    machineInfo: (mi) => (out.hostname = mi.hostname),
    process: (p) => out.procs.push(p),
    fdEntry: (tid, f) => out.fds.push([tid, f]),
    interfaces: (l) => out.ifs.push(...l),
    users: (u, g) => { out.users.push(...u); out.groups.push(...g); },
    event: (ev: RawEvent) => {
      out.events.push(`${ev.cpu} ${ev.flags} ${ev.tid} ${ev.type} ${ev.lenSize} ${paramsHex(ev).join(",")}`);
    },
  });
  reader.skipped = (t) => out.skipped.push(t);
  // 3-byte chunks: every block straddles pushes.
  for (let o = 0; o < bytes.length; o += 3) reader.push(bytes.subarray(o, o + 3));
  reader.end();
  return out;
}

const spec: ProcSpec = {
  tid: 101, pid: 100, ptid: 1, sid: 90, vpgid: 95, comm: "bash", exe: "/bin/bash", exepath: "/usr/bin/bash",
  args: ["-l", "x"], cwd: "/home", uid: 1000, gid: 50, flags: 4, fdlimit: 4096, vmsizeKb: 10, vmrssKb: 20, vmswapKb: 30,
  env: ["A=1"], vtid: 11, vpid: 10, cgroups: ["cpu=/a"], root: "/jail", loginuid: 1000, tty: 34816, pidnsInitStartTs: (5n << 32n) | 7n,
};

test("process lists v1..v9 (and the pre-release numbers) carry each version's fields, libscap's defaults for the rest", () => {
  for (let v = 1; v <= 9; v++) {
    for (const internal of v <= 3 ? [false, true] : [false]) {
      const p = read(new ScapWriter().procs([spec], { version: v, internal }).bytes()).procs[0];
      const where = `v${v}${internal ? " internal" : ""}`;
      assert.deepEqual([p.tid, p.pid, p.ptid, p.comm, p.exe, text(p.args), p.cwd, p.fdlimit, p.flags, p.uid, p.gid],
        [101, 100, 1, "bash", "/bin/bash", "-l\0x\0", "/home", 4096, 4, 1000, 50], where);
      assert.deepEqual([p.vmsizeKb, p.vmrssKb, p.vmswapKb], v >= 2 ? [10, 20, 30] : [0, 0, 0], where);
      assert.equal(text(p.env), v >= 3 ? "A=1\0" : "", where);
      assert.deepEqual([p.vtid, p.vpid, text(p.cgroups)], v >= 4 ? [11, 10, "cpu=/a\0"] : [-1, -1, ""], where);
      assert.equal(p.root, v >= 5 ? "/jail" : "", where);
      assert.equal(p.sid, v >= 6 ? 90 : -1, where);
      assert.equal(p.exepath, v >= 7 ? "/usr/bin/bash" : "", where);
      assert.equal(p.vpgid, v >= 8 ? 95 : -1, where);
      assert.equal(p.loginuid, 0xffffffff, where);
    }
  }
});

test("v9 entries: what follows root, as sysdig 0.29.3 reads it", () => {
  const loginuid = (tail: "none" | "libs-0.9" | "libs-0.10") => read(new ScapWriter().procs([spec, { ...spec, tid: 102 }], { tail }).bytes()).procs.map((p) => [p.tid, p.loginuid, p.tty]);
  assert.deepEqual(loginuid("none"), [[101, 0xffffffff, 0], [102, 0xffffffff, 0]]);
  assert.deepEqual(loginuid("libs-0.9"), [[101, 1000, 0], [102, 1000, 0]]);
  // libs 0.10 put pidns_init_start_ts first: 0.29.3 takes its low half (7) for loginuid.
  assert.deepEqual(loginuid("libs-0.10"), [[101, 7, 0], [102, 7, 0]]);
});

test("fd lists v1, pre-release and v2 (with appended fields) read the same entries", () => {
  const list = [
    { fd: 3, type: FdType.FILE_V2, name: "/etc/passwd", openFlags: 1, dev: 0x803 },
    { fd: 4, type: FdType.IPV4_SOCK, sip: "10.0.0.1", sport: 1000, dip: "10.0.0.2", dport: 80, l4proto: 2 },
    { fd: 5, type: FdType.UNIX_SOCK, name: "/run/x.sock" },
    { fd: 6, type: FdType.IPV6_SERVSOCK, sip: new Uint8Array(16).fill(1), sport: 443, l4proto: 2 },
    { fd: 7, type: FdType.FIFO, name: "pipe:[1]" },
  ];
  const shape = (opts: { version?: 1 | 2; internal?: boolean }) => read(new ScapWriter().fds(100, list, opts).bytes()).fds
    .map(([tid, f]) => [tid, f.fd, f.type, f.name, f.openFlags, f.sip, f.dip, f.sport, f.dport, f.l4proto]);
  const v2 = shape({ version: 2 });
  assert.equal(v2.length, 5);
  assert.deepEqual(shape({ version: 1 }), v2);
  assert.deepEqual(shape({ version: 1, internal: true }), v2);
  assert.deepEqual(v2[0], [100, 3, FdType.FILE_V2, "/etc/passwd", 1, undefined, undefined, undefined, undefined, undefined]);
  assert.deepEqual(v2[1].slice(5), [0x0100000a, 0x0200000a, 1000, 80, 2]);
});

test("interface and user lists v1, pre-release and v2 read the same; section versions and machine info", () => {
  for (const [version, internal] of [[1, false], [1, true], [2, false]] as const) {
    const r = read(new ScapWriter({ major: 1, minor: version === 2 ? 2 : 0 })
      .machineInfo({ hostname: "box" }, { internal })
      .interfaces([{ name: "eth0", addr: "10.1.2.3", netmask: "255.255.255.0", linkSpeed: 100 }, { name: "lo", addr: "127.0.0.1", netmask: "255.0.0.0" }],
        [{ name: "lo6", addr: new Uint8Array(16).fill(2), netmask: new Uint8Array(16).fill(255) }], { version, internal })
      .users([{ uid: 0, gid: 0, name: "root" }, { uid: 7, gid: 8, name: "u", home: "/h", shell: "/s" }], [{ gid: 8, name: "g" }], { version, internal })
      .bytes());
    const where = `v${version}${internal ? " internal" : ""}`;
    assert.deepEqual(r.sections, [version === 2 ? "1.2" : "1.0"], where);
    assert.equal(r.hostname, "box", where);
    assert.deepEqual(r.ifs.map((i) => [i.family, i.name, i.addr]), [[4, "eth0", 0x0302010a], [4, "lo", 0x0100007f], [6, "lo6", new Uint8Array(16).fill(2)]], where);
    assert.deepEqual(r.users, [{ uid: 0, gid: 0, name: "root", homedir: "/", shell: "/bin/sh" }, { uid: 7, gid: 8, name: "u", homedir: "/h", shell: "/s" }], where);
    assert.deepEqual(r.groups, [{ gid: 8, name: "g" }], where);
  }
});

test("every event block kind reads the same event; parameter length width is the event type's; ids past 0.29.3's table are skipped", () => {
  const kinds: EventBlockKind[] = ["v1", "v1-int", "v2", "v2-large", "evf-v1", "evf-v2", "evf-v2-large"];
  const one = (kind: EventBlockKind) => read(new ScapWriter()
    .event({ ts: 5n, tid: 9, cpu: 3, name: "open", dir: "<", params: [3, "/a", 1, 0, 0x801], block: kind, flags: 6 })
    .eventById({ ts: 6n, tid: 9, type: 324, params: ['{"container":{}}'], block: kind === "v1" || kind === "v1-int" || kind === "evf-v1" ? "v2" : kind, flags: 4 })
    .eventById({ ts: 7n, tid: 9, type: 354, params: [1, 1, "bob", "/", "/bin/sh", ""] })
    .bytes());
  const plain = one("v2");
  assert.equal(plain.events.length, 2);
  assert.deepEqual(plain.skipped, [354]);
  assert.match(plain.events[0], /^3 0 9 3 2 03000000/);
  assert.match(plain.events[1], /^0 0 9 324 4 /);
  for (const kind of kinds) {
    const r = one(kind);
    const flags = kind.startsWith("evf") ? "6" : "0";
    assert.deepEqual(r.events.map((e) => e.split(" ").filter((_, i) => i !== 1).join(" ")), plain.events.map((e) => e.split(" ").filter((_, i) => i !== 1).join(" ")), kind);
    assert.equal(r.events[0].split(" ")[1], flags, kind);
  }
});
