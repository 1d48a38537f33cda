// Captures as each libscap release wrote them, built with our ScapWriter: the block types and
// versions of every writer from the pre-release numbers (2013) to libs 0.10+ (2023 onwards),
// with the meta events each added. Test code only: writer-versions.diff.test.ts feeds them to
// sysdig 0.29.3 and to casefile and compares. See server/core/formats/scap/block-versions.md
// for the table of blocks and what each reader does with them.

import { ScapWriter, type EventBlockKind, type ParamValue, type ProcListOptions } from "../core/formats/scap/writer";
import { FdType } from "../core/formats/scap/blocks";
import { EVENTS, LEGACY_EVENT_COUNT } from "../core/events/event-table";

export interface WriterVersion {
  /** Short name, used for the capture's file name. */
  name: string;
  /** Which libscap wrote this layout, and what it brings. */
  about: string;
  bytes: Uint8Array;
  /** Event numbers (sysdig's) where lsof and ps are worth comparing. */
  /** Filters whose selection depends on the user list or the process list fields. */
  filters: string[];
  /** When sysdig 0.29.3 cannot read the whole capture: what stops it. We read past it. */
  sysdigStops?: string;
}

const START = 1_600_000_000_000_000_000n;
const ALICE = 1000;

/** The id of the event `name`/`dir` in the newest version whose id is < `below` (sysdig
 *  0.29.3's table by default; LEGACY past it for newer writers' versions). */
function eventId(name: string, dir: ">" | "<", below = LEGACY_EVENT_COUNT): number {
  let id = -1;
  EVENTS.forEach((e, i) => {
    if (i < below && e.name === name && (i % 2 === 0) === (dir === ">")) id = i;
  });
  if (id < 0) throw new Error(`no event ${dir} ${name}`);
  return id;
}

/** Events on a clock, in the block layout the writer under test used. */
class Clock {
  ts = START;
  constructor(private readonly w: ScapWriter, private readonly block: EventBlockKind | undefined, private readonly flags = 0) {}
  ev(tid: number, name: string, dir: ">" | "<", params: ParamValue[], extra: { flags?: number; cpu?: number } = {}): this {
    this.ts += 1000n;
    this.w.event({ ts: this.ts, tid, name, dir, params, block: this.block, flags: extra.flags ?? this.flags, cpu: extra.cpu });
    return this;
  }
  /** An event by id, parameters as that id's table entry wants (newer writers' versions). */
  byId(tid: number, type: number, params: ParamValue[], block?: EventBlockKind, flags?: number): this {
    this.ts += 1000n;
    this.w.eventById({ ts: this.ts, tid, type, params, block: block ?? this.block, flags: flags ?? this.flags });
    return this;
  }
}

interface Tables {
  /** Process list block options. */
  pl: ProcListOptions;
  /** fd, interface and user list versions (1 or 2) and the pre-release numbers. */
  lists: 1 | 2;
  internal?: boolean;
  section?: { major: number; minor: number };
  /** FILE_V2 fds with a device (appended to fd list v2 entries by libs 0.10+). */
  fdDev?: boolean;
  /** Interfaces with a link speed (SCAP_II_IPV4) or without (NOLINKSPEED, newer writers). */
  linkSpeed?: boolean;
  /** A block of a type no release knows among the tables (a future writer's): skipped. */
  unknownBlock?: boolean;
}

/** The tables every capture starts with: users root and alice (and group staff), bash (uid
 *  alice, with fds: a tty, a file, a TCP connection, a UDP socket) and its thread, nginx (root,
 *  a listening socket, a unix socket), and the interfaces. */
function tables(t: Tables): ScapWriter {
  const v = t.pl.version ?? 9;
  // Only v1 fd lists know FILE (not FILE_V2, added with open flags), like the writers of then.
  const file = (fd: number, name: string) => (t.lists === 1 && v < 6
    ? { fd, type: FdType.FILE, name }
    : { fd, type: FdType.FILE_V2, name, openFlags: 1, dev: t.fdDev ? 0x803 : undefined });
  const w = new ScapWriter(t.section ?? { major: 1, minor: t.lists === 2 ? 2 : 0 });
  w.machineInfo({ numCpus: 4, hostname: "writer-test" }, { internal: t.internal });
  if (t.unknownBlock) w.rawBlock(0x230, new TextEncoder().encode("a table from the future"));
  const speed = t.linkSpeed ? 1000 : undefined;
  w.interfaces(
    [{ name: "lo", addr: "127.0.0.1", netmask: "255.0.0.0", linkSpeed: speed }, { name: "eth0", addr: "10.1.2.3", netmask: "255.255.255.0", bcast: "10.1.2.255", linkSpeed: speed }],
    [{ name: "lo", addr: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), netmask: new Uint8Array(16).fill(255), linkSpeed: speed }],
    { version: t.lists, internal: t.internal });
  w.users(
    [{ uid: 0, gid: 0, name: "root", home: "/root", shell: "/bin/bash" }, { uid: ALICE, gid: 50, name: "alice", home: "/home/alice" }],
    [{ gid: 0, name: "root" }, { gid: 50, name: "staff" }],
    { version: t.lists, internal: t.internal });
  w.procs([
    { tid: 1, pid: 1, ptid: 0, comm: "init", exe: "/sbin/init" },
    { tid: 100, pid: 100, ptid: 1, comm: "bash", exe: "/bin/bash", exepath: "/usr/bin/bash", args: ["-l"], cwd: "/home/alice", uid: ALICE, gid: 50, env: ["HOME=/home/alice"], loginuid: ALICE, tty: 34816, pidnsInitStartTs: 7n },
    { tid: 101, pid: 100, ptid: 1, comm: "bash", exe: "/bin/bash", uid: ALICE, gid: 50, flags: (1 << 15) | (1 << 13) | 1, loginuid: ALICE },
    { tid: 200, pid: 200, ptid: 1, comm: "nginx", exe: "/usr/sbin/nginx", args: ["-g", "daemon off;"], cwd: "/", loginuid: 0 },
  ], t.pl);
  w.fds(100, [
    { fd: 0, type: FdType.FILE, name: "/dev/pts/0" },
    file(3, "/home/alice/notes.txt"),
    { fd: 4, type: FdType.IPV4_SOCK, sip: "10.1.2.3", sport: 40000, dip: "93.184.216.34", dport: 443, l4proto: 2 },
    { fd: 5, type: FdType.IPV4_SOCK, sip: "10.1.2.3", sport: 5353, dip: "10.1.2.1", dport: 53, l4proto: 3 },
  ], { version: t.lists, internal: t.internal });
  w.fds(200, [
    { fd: 6, type: FdType.IPV4_SERVSOCK, sip: "0.0.0.0", sport: 80, l4proto: 2 },
    { fd: 7, type: FdType.UNIX_SOCK, name: "/run/nginx.sock" },
    { fd: 8, type: FdType.IPV6_SERVSOCK, sip: new Uint8Array(16), sport: 8080, l4proto: 2 },
  ], { version: t.lists, internal: t.internal });
  return w;
}

/** What every writer's capture does: reads and writes on listed fds, a uid named from the user
 *  list, an open and a close, a connection accepted by nginx, a new process. */
function commonEvents(c: Clock): void {
  c.ev(100, "read", ">", [0, 1024]).ev(100, "read", "<", [6, "ls -l\n"]);
  c.ev(100, "geteuid", ">", []).ev(100, "geteuid", "<", [ALICE]);
  c.ev(100, "open", ">", ["/etc/passwd", 1, 0]).ev(100, "open", "<", [9, "/etc/passwd", 1, 0, 0x801]);
  c.ev(100, "write", ">", [4, 5]).ev(100, "write", "<", [5, "hello"]);
  c.ev(101, "sendto", ">", [5, 12, new Uint8Array([2, 10, 1, 2, 3, 0xe9, 0x14, 10, 1, 2, 1, 53, 0])]).ev(101, "sendto", "<", [12, "query"]);
  c.ev(200, "accept", ">", []).ev(200, "accept", "<", [10, new Uint8Array([2, 10, 1, 2, 9, 0x50, 0xc3, 10, 1, 2, 3, 80, 0]), 0, 0, 128]);
  c.ev(100, "close", ">", [3]).ev(100, "close", "<", [0]);
  c.ev(200, "getuid", ">", []).ev(200, "getuid", "<", [0]);
  c.ev(100, "read", ">", [9, 10]).ev(100, "read", "<", [4, "root"]);
}

const FILTERS = ["user.name=alice", "fd.num=4", "proc.name=nginx and evt.dir=<", "user.loginuid=1000", "fd.type=ipv4"];

function version(name: string, about: string, t: Tables, block: EventBlockKind | undefined, more?: (c: Clock) => void): WriterVersion {
  const w = tables(t);
  const c = new Clock(w, block);
  commonEvents(c);
  more?.(c);
  return { name, about, bytes: w.bytes(), filters: FILTERS };
}

/** A container JSON event, as libscap writes the container table. */
const containerJson = (id: string) => JSON.stringify({
  container: { id, type: 0, name: "web", image: "nginx:1.21", imagedigest: "", imageid: "", imagerepo: "nginx", imagetag: "1.21", mounts: [], privileged: false, labels: {} },
});

export function writerVersions(): WriterVersion[] {
  const out: WriterVersion[] = [
    version("prerelease-v1", "sysdig before its first release (2013): section 1.0, the 0x80xxabcd block numbers, process list v1, v1 event blocks (no parameter count)",
      { pl: { version: 1, internal: true }, lists: 1, internal: true, linkSpeed: true }, "v1-int"),
    version("prerelease-v2", "pre-release process list v2 (memory sizes, page faults)", { pl: { version: 2, internal: true }, lists: 1, internal: true, linkSpeed: true }, "v1-int"),
    version("prerelease-v3", "pre-release process list v3 (environment)", { pl: { version: 3, internal: true }, lists: 1, internal: true, linkSpeed: true }, "v1"),
  ];
  const added = ["", "", "memory sizes and page faults", "environment", "pid namespace ids and cgroups", "root", "session id", "exe path", "process group"];
  for (let v = 1; v <= 8; v++) {
    const evBlock: EventBlockKind = v <= 5 ? "v1" : v === 6 ? "evf-v1" : "v2";
    out.push(version(`pl-v${v}`, `sysdig releases with process list v${v}${added[v] ? ` (adds ${added[v]})` : ""}, ${evBlock} event blocks`,
      { pl: { version: v }, lists: 1, linkSpeed: true, section: { major: 1, minor: v >= 6 ? 1 : 0 } }, evBlock,
      // Notification and infrastructure events, whose length v1 writers overstated by 3.
      v >= 4 ? (c) => c.ev(100, "notification", ">", ["7", "backup done"]).ev(200, "infra", ">", ["k8s", "pod", "created", "ns"]) : undefined));
  }
  out.push(version("libs-0.1", "falcosecurity/libs 0.1 (2021): section 1.2, process list v9 with entry lengths, fd/interface/user lists v2, v2 event blocks, container JSON events ahead of the others and in the stream",
    { pl: { version: 9, tail: "none" }, lists: 2, linkSpeed: true }, "v2", (c) => {
      // libs of then wrote PPME_CONTAINER_JSON_E (16-bit lengths).
      c.byId(-1, eventId("container", ">", 300), [containerJson("0123456789ab")]);
      c.ev(200, "getuid", ">", []).ev(200, "getuid", "<", [0]);
    }));
  out.push(version("sysdig-0.29", "libs e5c53d6 (sysdig 0.29.3 itself): v9 entries with loginuid, exe_writable and capabilities appended, EVF v2 blocks (state-only events of a filtered fat file), meta events (drop, procinfo, notification, infra, cpu hotplug, the old container event, plugin events)",
    { pl: { version: 9, tail: "libs-0.9" }, lists: 2 }, "evf-v2", (c) => {
      c.ev(100, "drop", ">", [2]).ev(100, "drop", "<", [2]);
      c.ev(100, "procinfo", ">", [10n, 20n]);
      c.ev(100, "notification", ">", ["42", "disk almost full"]);
      c.ev(100, "infra", ">", ["docker", "start", "container started", "host"]);
      c.ev(100, "cpu_hotplug", ">", [3, 1]);
      c.byId(200, eventId("container", ">", 230), ["abcdef012345", 0, "web", "nginx"]);
      c.byId(100, eventId("pluginevent", ">"), [999, "plugin payload"], "evf-v2-large");
      // State only: applied (fd 11 exists afterwards) but never shown, even with -D.
      c.ev(100, "open", ">", ["/tmp/state-only", 1, 0], { flags: 1 }).ev(100, "open", "<", [11, "/tmp/state-only", 1, 0, 0x801], { flags: 1 });
      c.ev(100, "read", ">", [11, 10]).ev(100, "read", "<", [0, ""]);
    }));
  out.push(version("libs-0.10-plus", "falcosecurity/libs 0.10 and later (2023-): pidns_init_start_ts and tty inserted before loginuid in v9 entries, more fields appended, FILE_V2 fds with a device, NOLINKSPEED interfaces, events with more parameters than 0.29.3 knows, user/group added and removed events, async events, syscalls past 0.29.3's table, container JSON in large blocks, a block of unknown type among the tables",
    { pl: { version: 9, tail: "libs-0.10" }, lists: 2, fdDev: true, unknownBlock: true }, "v2", (c) => {
      const n = (name: string, dir: ">" | "<") => eventId(name, dir, EVENTS.length);
      c.byId(0, n("useradded", ">"), [1001, 1001, "bob", "/home/bob", "/bin/sh", ""]);
      c.byId(0, n("groupadded", ">"), [1001, "bobs", ""]);
      c.ev(100, "setuid", ">", [1001]).ev(100, "setuid", "<", [0]);
      c.ev(100, "geteuid", ">", []).ev(100, "geteuid", "<", [1001]);
      c.byId(0, n("userdeleted", ">"), [1001, 1001, "bob", "/home/bob", "/bin/sh", ""]);
      c.byId(0, n("groupdeleted", ">"), [1001, "bobs", ""]);
      // open's exit with ino (6 parameters: 0.29.3 knows 5), read's with fd and size.
      c.byId(100, n("open", ">"), ["/etc/group", 1, 0]).byId(100, n("open", "<"), [12, "/etc/group", 1, 0, 0x801, 4242n]);
      c.byId(100, n("read", ">"), [12, 100]).byId(100, n("read", "<"), [5, "wheel", 12, 100]);
      c.byId(0, n("asyncevent", ">"), [0, "container", new Uint8Array([1, 2, 3])]);
      c.byId(100, n("mlock", ">"), []).byId(100, n("mlock", "<"), [0, 0x7f0000n, 4096n]);
      c.byId(100, n("dup2", ">"), [12]).byId(100, n("dup2", "<"), [13, 12, 13]);
      c.byId(-1, n("container", ">"), [containerJson("fedcba987654")], "v2-large");
      c.ev(200, "getuid", ">", []).ev(200, "getuid", "<", [0]);
    }));
  {
    // Two captures one after the other (`cat a.scap b.scap`, merged files): a second section
    // header, its own tables, its own events. Its clock goes on from the first's.
    const a = tables({ pl: { version: 9 }, lists: 2 });
    const c = new Clock(a, "v2");
    commonEvents(c);
    const b = new ScapWriter();
    b.users([{ uid: 0, gid: 0, name: "root" }, { uid: ALICE, gid: 50, name: "alice" }], [{ gid: 0, name: "root" }]);
    b.procs([{ tid: 300, pid: 300, ptid: 1, comm: "python3", uid: ALICE, gid: 50 }]);
    b.fds(300, [{ fd: 3, type: FdType.FILE_V2, name: "/var/log/app.log" }]);
    const c2 = new Clock(b, "v2");
    c2.ts = c.ts;
    c2.ev(300, "write", ">", [3, 4]).ev(300, "write", "<", [4, "log\n"]);
    c2.ev(100, "geteuid", ">", []).ev(100, "geteuid", "<", [ALICE]);
    const ab = a.bytes(), bb = b.bytes();
    const bytes = new Uint8Array(ab.length + bb.length);
    bytes.set(ab);
    bytes.set(bb, ab.length);
    out.push({ name: "two-sections", about: "two captures concatenated: a second section header and its tables between events", bytes, filters: FILTERS });
  }
  return out;
}

/** Captures sysdig 0.29.3 cannot read to the end: it prints the events before the damage and
 *  fails. We read past (the block is whole: its length says where the next one starts). */
export function unreadableBySysdig(): WriterVersion[] {
  const base = () => tables({ pl: { version: 9 }, lists: 2 });
  const out: WriterVersion[] = [];
  {
    // A metadata block after the first event (a writer that refreshes its user list): 0.29.3
    // takes any non-event block there for the start of a new section and stops.
    const w = base();
    const c = new Clock(w, "v2");
    commonEvents(c);
    w.users([{ uid: 0, gid: 0, name: "root" }, { uid: ALICE, gid: 50, name: "alice2" }], [{ gid: 0, name: "root" }]);
    c.ev(100, "geteuid", ">", []).ev(100, "geteuid", "<", [ALICE]);
    out.push({ name: "userlist-after-events", about: "a user list block between events", bytes: w.bytes(), filters: [], sysdigStops: "could not restart capture: invalid block type" });
  }
  {
    // A block type no release knows, between events (the metadata blocks before the first
    // event may be of unknown types: both skip those).
    const w = base();
    const c = new Clock(w, "v2");
    commonEvents(c);
    w.rawBlock(0x230, new TextEncoder().encode("a block from the future"));
    c.ev(100, "geteuid", ">", []).ev(100, "geteuid", "<", [ALICE]);
    out.push({ name: "unknown-block-after-events", about: "an unknown block type between events", bytes: w.bytes(), filters: [], sysdigStops: "could not restart capture: invalid block type" });
  }
  {
    // An fd type newer than 0.29.3 (22) in an fd list v2: it refuses the whole file; newer
    // readers (and we) take it as an unsupported fd thanks to the entry's length.
    const w = tables({ pl: { version: 9 }, lists: 2 });
    w.fds(200, [{ fd: 20, type: 22 as FdType, name: "new-kind" }]);
    const c = new Clock(w, "v2");
    commonEvents(c);
    out.push({ name: "unknown-fd-type", about: "an fd list entry of a type past 0.29.3's", bytes: w.bytes(), filters: [], sysdigStops: "wrong fd type 22" });
  }
  return out;
}
