// Differential tests of the filter language: `sysdig -r FILE FILTER` (sysdig 0.29.3, TZ=UTC)
// and our printer with the same filter, compared line by line, on the shared captures and on
// synthetic captures (ScapWriter) that exercise what the shared ones cannot: users and groups,
// several processes in a tree, sockets with known addresses, interfaces, a container. Also the
// field values themselves, `sysdig -p "%field..."` against our extractors, field by field.
// Each capture is replayed once for all its filters.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ScapWriter, sockaddrV4, socktupleV4, type ParamValue } from "../formats/scap/writer";
import { FdType } from "../formats/scap/blocks";
import { feedCapture, fixtureCaptures, outputLines, runSysdigAsync } from "../../testing/oracle";
import { compareLines } from "../../testing/compare";
import { hostServices } from "../../ingest/host-services";
import { CLONE_THREAD_FLAGS, execveExit, forkExit as forkParams } from "../../testing/scap-scenario";
import { parseFilter, resolveField } from "./parser";
import { compileFilter } from "./evaluate";
import { filteredEventPrinter, filteringHandler } from "./filtered-printer";
import { displayValue, extractorFor } from "./extract";

process.env.TZ = "UTC";
const dir = mkdtempSync(join(tmpdir(), "casefile-filter-"));

/** sysdig's stdout lines (async, so that several run at once). */
function sysdig(args: string[]): Promise<string[]> {
  return runSysdigAsync(args).then((r) => outputLines(r.stdout));
}

/** Runs async jobs, `limit` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  }));
  return out;
}

function captureBytes(file: string): Uint8Array {
  const raw = readFileSync(file);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** Our lines for a filter. One replay per filter: as in sysdig, what a filter rejects changes
 *  what is parsed (see FilterContext.settle), so filters cannot share a replay. */
function ourLines(bytes: Uint8Array, filter: string): string[] {
  const out: string[] = [];
  const h = filteredEventPrinter((line) => {
    // A value with a newline (container JSON) makes more than one output line, as in sysdig's.
    for (const l of line.split("\n")) if (l.length > 0) out.push(l);
  }, compileFilter(parseFilter(filter, { services: hostServices() })));
  feedCapture(bytes, h);
  return out;
}

interface Tally {
  filter: string;
  file: string;
  same: number;
  total: number;
}
const tallies: Tally[] = [];

/** Runs every filter on a capture with sysdig and with us, and asserts identical lines. */
async function checkFilters(file: string, filters: string[], label = basename(file)): Promise<void> {
  const bytes = captureBytes(file);
  const ours = filters.map((f) => ourLines(bytes, f));
  const theirs = await pool(filters.map((f) => () => sysdig(["-r", file, f])));
  const failures: string[] = [];
  filters.forEach((f, i) => {
    const c = compareLines(ours[i], theirs[i], 3);
    tallies.push({ filter: f, file: label, same: c.same, total: c.total });
    if (c.percent !== 100) failures.push(`${f}: ${c.same}/${c.total}\n${JSON.stringify(c.diffs, null, 1)}`);
  });
  assert.equal(failures.length, 0, failures.join("\n"));
}

// -------------------------------------------------------------------------------------------
// The shared captures

/** Filters for every shared capture: every operator, boolean nesting, every field class. */
const SHARED_FILTERS = [
  "evt.type=open",
  "evt.type!=switch",
  "evt.type in (open, openat, close)",
  "evt.type contains stat",
  "evt.type startswith open",
  "evt.type endswith stat",
  "evt.type=open and (fd.name contains lib or fd.name contains etc)",
  "not (evt.type=read or evt.type=write)",
  "(evt.type=read or evt.type=write) and not proc.name=sshd",
  "evt.dir=< and not not evt.failed=true",
  "evt.dir=<",
  "evt.num>=1200 and evt.num<1210",
  "evt.num in (179, 180, 182, 1300)",
  "evt.num<=150 or evt.num>1400",
  "evt.cpu!=0",
  "evt.time startswith 17:35:48.51",
  "evt.rawtime>=1534527348518000000",
  "evt.latency>100000",
  "evt.latency.ns<500 and evt.dir=<",
  "evt.res=ENOENT",
  "evt.res!=SUCCESS",
  "evt.rawres<0",
  "evt.rawres>=3 and evt.type=open",
  "evt.failed=true",
  "evt.arg.fd contains /etc",
  "evt.arg.name endswith .so.1",
  "evt.arg.flags contains O_CLOEXEC",
  "evt.arg[0]=3",
  "evt.rawarg.res=-2",
  "evt.rawarg.size>=1000",
  "evt.buffer contains HTTP",
  "evt.buflen>100",
  "evt.info contains google",
  "evt.is_io_read=true",
  "evt.is_open_read=true and evt.is_open_write=false",
  "evt.category=net",
  "evt.count.error=1",
  "syscall.type=open",
  "evt.type.is.open=1",
  "proc.name=curl",
  "proc.name!=curl and evt.type=read",
  "proc.name icontains CURL",
  "proc.name glob 'c?r*'",
  "proc.name in (bash, sshd, systemd)",
  "proc.name<curl",
  "proc.pid=17497",
  "proc.ppid=3200",
  "proc.pname=bash",
  "proc.aname=bash",
  "proc.aname=sshd and evt.num<1000",
  "proc.aname[1]=bash",
  "proc.aname[2]=sshd",
  "proc.apid[1]=3200",
  "proc.apid=1",
  "proc.args contains google",
  "proc.cmdline startswith 'curl -6'",
  "proc.exe=curl",
  "proc.exepath exists and proc.exepath!=''",
  "proc.cwd startswith /mnt",
  "proc.nthreads>1",
  "proc.fdopencount>=4",
  "thread.tid=17498",
  "thread.ismain=false",
  "thread.vtid exists",
  "user.name=ubuntu",
  "user.uid=1000",
  "user.uid=-1",
  "group.name=ubuntu",
  "group.gid=0",
  "container.id!=host",
  "container.name=hopeful_taussig",
  "container.image startswith nginx",
  "fd.name contains /etc/",
  "fd.name startswith /lib",
  "fd.name endswith .so.6",
  "fd.name pmatch (/etc, /lib/x86_64-linux-gnu)",
  "fd.name glob '*.so.?'",
  "fd.directory=/etc",
  "fd.filename=ld.so.cache",
  "fd.type=ipv6",
  "fd.typechar=f and evt.dir=>",
  "fd.num=3",
  "fd.num>=0 and evt.type=close",
  "fd.num=-1",
  "fd.sip=2607:f8b0:4004:802::2004",
  "fd.cip=2001:db8::4",
  "fd.ip=127.0.0.1",
  "fd.port=53",
  "fd.port>=1024",
  "fd.sport=80 or fd.cport>40000",
  "fd.l4proto=udp",
  "fd.sockfamily=ip",
  "fd.is_server=true",
  "fd.net=127.0.0.0/8",
  "fd.snet=127.0.0.0/24",
  "fd.lip=127.0.0.1",
  "fd.rport=80",
  "fd.uid=174973",
  "fdlist.nums exists",
  // Fields of the table-only and stateful kinds (each with a filter that matches and one that
  // does not). fd.dev only on files: sysdig shows uninitialized memory for other fds.
  "evt.deltatime>1000000",
  "evt.type=read and evt.deltatime.ns<5000",
  "evt.deltatime.s>1000",
  "evt.latency.human endswith us",
  "evt.latency.human=1h",
  "evt.latency.quantized=1",
  "evt.latency.quantized>1",
  "evt.buflen.in>1000",
  "evt.buflen.out>0",
  "evt.buflen.file>100",
  "evt.buflen.file.in exists",
  "evt.buflen.file.out>0",
  "evt.buflen.net>0",
  "evt.buflen.net.in>0",
  "evt.buflen.net.out>100000",
  "evt.count.procinfo=1",
  "evt.count.threadinfo exists",
  "evt.around[1534527348518000000]=1",
  "evt.around[1534527348518000000] exists",
  "evt.around[1534527348517026601] exists",
  "proc.env contains SSH_CLIENT",
  "proc.env=nothing",
  "proc.duration>20000",
  "proc.duration<0",
  "proc.fdusage exists",
  "proc.is_exe_writable=true",
  "proc.is_exe_writable=false and evt.type=open",
  "thread.exectime>0",
  "thread.exectime>100000000000",
  "thread.totexectime>10000",
  "thread.totexectime=1",
  "thread.nametid=curl17498",
  "thread.nametid startswith bash",
  "thread.vmsize.b>0",
  "thread.vmrss.b=1",
  "fd.connected=true",
  "fd.connected=false and fd.type=ipv6",
  "fd.name_changed=false",
  "fd.name_changed=true",
  "fd.type=file and fd.dev=0",
  "fd.type=file and fd.dev=45",
  "fd.type=file and fd.dev.major=0 and fd.dev.minor=45",
  "fd.type=file and fd.dev.major>0",
  "fd.cproto exists",
  "fd.sproto=80",
  "fd.sproto=http",
  "fd.lproto=53",
  "fd.rproto in (53, 80)",
  "fd.proto=http",
  "fd.proto=domain",
  "fd.proto=ssh",
];

const readable = fixtureCaptures().filter((f) => !/curl_google_comments|falco_empty/.test(f));

for (const file of readable) {
  test(`filters on ${basename(file)} select what sysdig -r FILE FILTER selects (${SHARED_FILTERS.length} filters)`, async () => {
    await checkFilters(file, SHARED_FILTERS);
  });
}

// -------------------------------------------------------------------------------------------
// Field values: sysdig -p against our extractors

const VALUE_FIELDS = [
  "evt.num evt.time evt.time.s evt.time.iso8601 evt.datetime evt.rawtime evt.rawtime.s evt.rawtime.ns evt.reltime evt.latency evt.latency.s evt.latency.ns evt.dir evt.type syscall.type evt.category evt.cpu evt.res evt.rawres evt.failed evt.is_io evt.is_io_read evt.is_io_write evt.io_dir evt.is_wait evt.wait_latency evt.count evt.count.error evt.count.error.file evt.count.error.net evt.count.error.memory evt.count.error.other evt.count.exit evt.is_open_read evt.is_open_write evt.is_open_exec evt.buflen evt.is_syslog",
  "evt.arg[0] evt.arg[1] evt.arg[2] evt.arg.fd evt.arg.res evt.arg.name evt.arg.flags evt.arg.tuple evt.arg.size evt.arg.data evt.abspath evt.abspath.src evt.abspath.dst evt.info evt.args",
  "proc.pid proc.exe proc.name proc.args proc.cmdline proc.exeline proc.cwd proc.nthreads proc.nchilds proc.ppid proc.pname proc.pcmdline proc.apid[0] proc.apid[1] proc.apid[2] proc.aname[0] proc.aname[1] proc.aname[2] proc.fdopencount proc.fdlimit proc.vmsize proc.vmrss proc.vmswap thread.pfmajor thread.pfminor thread.tid thread.ismain thread.cgroups thread.cgroup.cpuset thread.vtid proc.vpid thread.vmsize thread.vmrss proc.sid proc.sname proc.tty proc.exepath proc.vpgid proc.loginshellid",
  "user.uid user.name user.homedir user.shell user.loginuid user.loginname group.gid group.name container.id container.name container.image container.image.id container.type container.privileged container.image.repository container.image.tag container.image.digest",
  "fd.num fd.type fd.typechar fd.name fd.directory fd.filename fd.cip fd.sip fd.lip fd.rip fd.cport fd.sport fd.lport fd.rport fd.l4proto fd.sockfamily fd.is_server fd.uid fd.containername fd.containerdirectory fdlist.nums fdlist.names fdlist.cips fdlist.sips fdlist.cports fdlist.sports",
  // Table-only fields too (sysdig -p accepts them). Not here: fd.dev (sysdig shows uninitialized
  // memory for sockets) and fd.name_changed (-p shows it after parsing, filters before): the
  // filters below cover them.
  "evt.deltatime evt.deltatime.s evt.deltatime.ns evt.latency.human evt.latency.quantized evt.buflen.in evt.buflen.out evt.buflen.file evt.buflen.file.in evt.buflen.file.out evt.buflen.net evt.buflen.net.in evt.buflen.net.out evt.count.procinfo evt.count.threadinfo",
  "proc.env proc.duration proc.fdusage proc.is_exe_writable thread.exectime thread.totexectime thread.vmsize.b thread.vmrss.b thread.nametid fd.connected fd.cproto fd.sproto fd.lproto fd.rproto",
].map((s) => s.split(" "));

const SEP = "|\u0001|";

/** Per field: how many events differ, with a few examples. */
async function valueDiffs(file: string, fields: string[], resolvePorts = false): Promise<string[]> {
  const fmt = "*%evt.num" + fields.map((f) => `${SEP}%${f}`).join("");
  const lines = await sysdig([...(resolvePorts ? ["-R"] : []), "-r", file, "-p", fmt]);
  const theirs = new Map<string, string[]>();
  const joined: string[] = [];
  for (const l of lines) {
    // A value with a newline (container JSON) continues on the next output line.
    if (/^[0-9]+\|\u0001\|/.test(l) || joined.length === 0) joined.push(l);
    else joined[joined.length - 1] += `\n${l}`;
  }
  for (const l of joined) {
    const parts = Buffer.from(l, "latin1").toString("utf8").split(SEP);
    theirs.set(parts[0], parts.slice(1));
  }
  const refs = fields.map((f) => resolveField(f)!.ref);
  const ex = refs.map((r) => extractorFor(r)!);
  const bad = new Map<string, string[]>();
  let seen = 0;
  const h = filteringHandler((ctx, _ev, num) => {
    ctx.portNames = resolvePorts ? hostServices() : undefined;
    seen++;
    const t = theirs.get(String(num));
    fields.forEach((f, i) => {
      const ours = displayValue(ex[i](ctx), refs[i].field.name);
      if (t && ours !== t[i]) {
        const list = bad.get(f) ?? [];
        list.push(`#${num} ours=${JSON.stringify(ours)} sysdig=${JSON.stringify(t[i])}`);
        bad.set(f, list);
      }
    });
  });
  feedCapture(captureBytes(file), h);
  const out = [...bad].map(([f, l]) => `${f}: ${l.length} differ, e.g. ${l.slice(0, 2).join("; ")}`);
  if (seen !== theirs.size) out.push(`${seen} events here, ${theirs.size} printed by sysdig`);
  return out;
}

/** sysdig stops with "invalid thread state ID0" when thread.totexectime meets the made-up
 *  thread of a container event: not compared on the captures that have one. */
const valueFields = (file: string) =>
  /psp_privileged/.test(file) ? VALUE_FIELDS.map((fs) => fs.filter((f) => f !== "thread.totexectime")) : VALUE_FIELDS;

for (const file of readable) {
  test(`field values on ${basename(file)} are sysdig's (sysdig -p)`, async () => {
    const diffs = (await pool(valueFields(file).map((fs) => () => valueDiffs(file, fs)), 2)).flat();
    assert.deepEqual(diffs, []);
  });
}

/** The port names of sysdig -R (getservbyport() over this machine's /etc/services). */
const PROTO_FIELDS = ["fd.cproto", "fd.sproto", "fd.lproto", "fd.rproto", "fd.num", "fd.l4proto"];

test("with port names resolved (sysdig -R), fd.*proto are getservbyport's names", async () => {
  const files = [...readable.filter((f) => /curl_google|connect_localhost|single_ipv6/.test(f)), netCapture()];
  const diffs = (await pool(files.map((f) => () => valueDiffs(f, PROTO_FIELDS, true)), 2)).flat();
  assert.deepEqual(diffs, []);
});

// -------------------------------------------------------------------------------------------
// Synthetic captures

/** An interface list block (v2): IPv4 addresses only. */
function interfaceBlock(list: { name: string; addr: string }[]): Uint8Array {
  const entries: number[] = [];
  for (const i of list) {
    const name = new TextEncoder().encode(i.name);
    const e: number[] = [];
    const u16 = (v: number) => e.push(v & 255, v >> 8);
    u16(3); // IPv4, no link speed
    u16(name.length);
    e.push(...i.addr.split(".").map(Number)); // addr
    e.push(255, 255, 255, 0); // netmask
    e.push(0, 0, 0, 0); // broadcast
    e.push(...name);
    const size = e.length;
    entries.push(size & 255, (size >> 8) & 255, (size >> 16) & 255, size >>> 24, ...e);
  }
  const padded = Math.ceil(entries.length / 4) * 4;
  const total = 12 + padded;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x219, true);
  dv.setUint32(4, total, true);
  b.set(entries, 8);
  dv.setUint32(total - 4, total, true);
  return b;
}

/** A machine info block: the CPU count (sysdig sizes its per-CPU state by it; thread.exectime
 *  crashes sysdig without one), the rest zero.
 *  sysdig reads exactly its packed scap_machine_info (180 bytes) before the trailer. */
function machineBlock(numCpus: number): Uint8Array {
  const b = new Uint8Array(12 + 180);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x201, true);
  dv.setUint32(4, b.length, true);
  dv.setUint32(8, numCpus, true);
  dv.setUint32(b.length - 4, b.length, true);
  return b;
}

/** The writer's bytes with extra blocks inserted right after the section header. */
function withBlocks(bytes: Uint8Array, extra: Uint8Array[]): Uint8Array {
  const shbLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const parts = [bytes.subarray(0, shbLen), ...extra, bytes.subarray(shbLen)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A clone exit of bash run by uid and gid 1000. */
function forkExit(res: number, tid: number, pid: number, ptid: number, flags = 0): ParamValue[] {
  return forkParams({ res, tid, pid, ptid, comm: "bash", cgroups: "cpu=/\0", flags, uid: 1000, gid: 1000 });
}

function synthetic(name: string, build: (w: ScapWriter, ev: (tid: number, n: string, d: ">" | "<", params: ParamValue[]) => void) => void, extra: Uint8Array[] = []): string {
  const w = new ScapWriter();
  let ts = 1_600_000_000_000_000_000n;
  build(w, (tid, n, d, params) => w.event({ ts: (ts += 1500n), tid, cpu: tid % 2, name: n, dir: d, params }));
  const file = join(dir, `${name}.scap`);
  writeFileSync(file, withBlocks(w.bytes(), extra));
  return file;
}

/** A small host: init → bash → curl, a web server, users and groups, two interfaces; a server
 *  that accepts a connection, a client that connects out (TCP and UDP), a refused connect. */
let netFile: string | undefined;
const netCapture = () => (netFile ??= synthetic("net", (w, ev) => {
  w.procs([
    { tid: 1, pid: 1, ptid: 0, comm: "init", exe: "/sbin/init", cwd: "/" },
    { tid: 300, pid: 300, ptid: 1, comm: "bash", exe: "/bin/bash", cwd: "/home/ubuntu", uid: 1000, gid: 1000 },
    { tid: 400, pid: 400, ptid: 1, comm: "nginx", exe: "/usr/sbin/nginx", args: ["-g", "daemon off;"], cwd: "/", uid: 33, gid: 33 },
    { tid: 401, pid: 400, ptid: 1, comm: "nginx", exe: "/usr/sbin/nginx", cwd: "/", uid: 33, gid: 33, flags: CLONE_THREAD_FLAGS },
  ]);
  w.fds(400, [{ fd: 6, type: FdType.IPV4_SERVSOCK, sip: "0.0.0.0", sport: 8080, l4proto: 2 }]);
  w.users(
    [{ uid: 0, gid: 0, name: "root", home: "/root", shell: "/bin/bash" }, { uid: 33, gid: 33, name: "www-data", home: "/var/www" },
      { uid: 1000, gid: 1000, name: "ubuntu", home: "/home/ubuntu", shell: "/bin/bash" }],
    [{ gid: 0, name: "root" }, { gid: 33, name: "www-data" }, { gid: 1000, name: "ubuntu" }],
  );
  // bash forks curl
  ev(300, "clone", ">", []);
  ev(300, "clone", "<", forkExit(500, 300, 300, 1));
  ev(500, "clone", "<", forkExit(0, 500, 500, 300));
  ev(500, "execve", ">", ["/usr/bin/curl"]);
  ev(500, "execve", "<", [0, "/usr/bin/curl", "-s\0http://93.184.216.34/\0", 500, 500, 300, "/home/ubuntu", 1024, 0, 0, 0, 0, 0, "curl", "cpu=/\0", ""]);
  // the server: a socket bound to port 80, an accepted connection
  ev(400, "socket", ">", [2, 1, 6]);
  ev(400, "socket", "<", [3]);
  ev(400, "bind", ">", [3]);
  ev(400, "bind", "<", [0, sockaddrV4("0.0.0.0", 80)]);
  ev(400, "listen", ">", [3, 128]);
  ev(400, "listen", "<", [0]);
  ev(400, "accept", ">", []);
  ev(400, "accept", "<", [4, socktupleV4("10.0.0.2", 51000, "10.0.0.1", 80), 0, 0, 128]);
  ev(401, "read", ">", [4, 512]);
  ev(401, "read", "<", [18, "GET / HTTP/1.1\r\n\r\n"]);
  ev(401, "write", ">", [4, 17]);
  ev(401, "write", "<", [17, "HTTP/1.1 200 OK\r\n"]);
  ev(400, "read", ">", [6, 10]);
  ev(400, "read", "<", [-11]);
  // the client: TCP out, a refused connect, UDP to a resolver
  ev(500, "socket", ">", [2, 1, 0]);
  ev(500, "socket", "<", [3]);
  ev(500, "connect", ">", [3, sockaddrV4("93.184.216.34", 443)]);
  ev(500, "connect", "<", [0, socktupleV4("10.0.0.1", 40000, "93.184.216.34", 443)]);
  ev(500, "write", ">", [3, 5]);
  ev(500, "write", "<", [5, "hello"]);
  ev(500, "socket", ">", [2, 1, 0]);
  ev(500, "socket", "<", [4]);
  ev(500, "connect", ">", [4, sockaddrV4("10.9.9.9", 80)]);
  ev(500, "connect", "<", [-111, socktupleV4("10.0.0.1", 40001, "10.9.9.9", 80)]);
  ev(500, "socket", ">", [2, 2, 0]);
  ev(500, "socket", "<", [5]);
  ev(500, "connect", ">", [5, sockaddrV4("8.8.8.8", 53)]);
  ev(500, "connect", "<", [0, socktupleV4("10.0.0.1", 53000, "8.8.8.8", 53)]);
  ev(500, "sendto", ">", [5, 32, socktupleV4("10.0.0.1", 53000, "8.8.8.8", 53)]);
  ev(500, "sendto", "<", [32, "\u0012\u0034query"]);
  ev(500, "openat", ">", [-100, "notes.txt", 1, 0]);
  ev(500, "openat", "<", [7, -100, "notes.txt", 1, 0, 0]);
  ev(500, "open", ">", []);
  ev(500, "open", "<", [-2, "/etc/curlrc", 1, 0, 0]);
  ev(500, "open", "<", [6, "/etc/hosts", 1, 0, 0]);
  ev(500, "close", ">", [3]);
  ev(500, "close", "<", [0]);
  ev(500, "procexit", ">", [0]);
  ev(300, "kill", ">", [500, 9]);
}, [interfaceBlock([{ name: "lo", addr: "127.0.0.1" }, { name: "eth0", addr: "10.0.0.1" }])]));

const NET_FILTERS = [
  "user.name=www-data",
  "user.name=ubuntu and evt.dir=<",
  "user.uid=1000",
  "user.homedir=/var/www",
  "user.shell=/bin/bash",
  "group.name=www-data",
  "group.gid=1000",
  "proc.aname=bash",
  "proc.aname=init",
  "proc.aname[2]=init",
  "proc.apid[2]=1",
  "proc.apid=300",
  "proc.pname=bash",
  "proc.ppid=1",
  "proc.name in (nginx, curl) and evt.type=read",
  "proc.args contains daemon",
  "proc.cmdline='curl -s http://93.184.216.34/'",
  "thread.ismain=false",
  "thread.tid=401",
  "fd.lip=10.0.0.1",
  "fd.rip=93.184.216.34",
  "fd.rip=10.0.0.2",
  "fd.lport=80",
  "fd.rport=443",
  "fd.cip=10.0.0.2",
  "fd.sip=8.8.8.8",
  "fd.cport=51000",
  "fd.sport in (53, 443)",
  "fd.snet=93.184.0.0/16",
  "fd.cnet=10.0.0.0/24",
  "fd.lnet=10.0.0.0/8",
  "fd.rnet=8.8.8.0/24",
  "fd.net=8.8.8.0/24",
  "fd.net!=10.0.0.0/8",
  "fd.ip=8.8.8.8",
  "fd.ip!=10.0.0.1",
  "fd.port in (53, 80)",
  "fd.port=http",
  "fd.port<1024",
  "fd.is_server=true",
  "fd.is_server=false and fd.type=ipv4",
  "fd.l4proto=udp",
  "fd.l4proto=tcp",
  "fd.sockfamily=ip and evt.dir=>",
  "fd.type=ipv4 and not fd.l4proto=tcp",
  "fd.name contains 93.184",
  "fd.name=/etc/hosts",
  "evt.res=ECONNREFUSED",
  "evt.res=EAGAIN",
  "evt.res in (ENOENT, EAGAIN)",
  "evt.rawres=-111",
  "evt.failed=true and fd.type exists",
  "evt.buffer contains GET",
  "evt.buffer startswith HTTP",
  "evt.buffer contains \\x12\\x34",
  "evt.arg.tuple contains 8.8.8.8",
  "evt.arg.addr startswith 0.0.0.0",
  "evt.rawarg.size=512",
  "evt.is_io_write=true",
  "evt.type=accept or evt.type=connect",
  "evt.abspath=/home/ubuntu/notes.txt",
  "proc.cwd=/home/ubuntu/",
  "fd.name=/home/ubuntu/notes.txt and evt.is_open_read=true",
  "not evt.type in (socket, close) and (fd.num=3 or fd.num=4)",
];

test(`filters on a synthetic host with users, a process tree and sockets (${NET_FILTERS.length} filters)`, async () => {
  await checkFilters(netCapture(), NET_FILTERS, "synthetic-net");
});

/** A successful execve exit of `exe` by loginuid 1000. */
function execExit(tid: number, pid: number, ptid: number, exe: string, args: string[], env: string[], flags: number): ParamValue[] {
  return execveExit({ res: 0, tid, pid, ptid, comm: basename(exe), exe, args, vmSizeKb: 800, vmRssKb: 300, cgroups: "cpu=/\0", env, loginuid: 1000, flags });
}

/** Process lifetimes, environments and executables, scheduling, files with devices, sockets
 *  that connect or not, and latencies from nanoseconds to hours: what proc.env, proc.duration,
 *  proc.is_exe_writable, thread.exectime, fd.dev, fd.connected and evt.latency.human read. */
let lifeFile: string | undefined;
const lifeCapture = () => (lifeFile ??= synthetic("life", (w) => {
  let ts = 1_600_000_000_000_000_000n;
  const ev = (tid: number, name: string, dir: ">" | "<", params: ParamValue[], after = 1500n, cpu = 0) =>
    w.event({ ts: (ts += after), tid, cpu, name, dir, params });
  const S = 1_000_000_000n;
  w.procs([
    { tid: 1, pid: 1, ptid: 0, comm: "init", exe: "/sbin/init", cwd: "/" },
    { tid: 300, pid: 300, ptid: 1, comm: "bash", exe: "/bin/bash", cwd: "/home/ubuntu", uid: 1000, gid: 1000 },
  ]);
  ev(300, "switch", ">", [1, 0, 0, 1000, 200, 0], 100n, 0);
  ev(1, "switch", ">", [300, 0, 0, 900, 100, 0], 100n, 1);
  // bash runs a writable executable with an environment
  ev(300, "execve", ">", ["/tmp/bash"]);
  ev(300, "execve", "<", execExit(300, 300, 1, "/tmp/bash", ["-c", "x"], ["HOME=/home/ubuntu", "TERM=xterm"], 1));
  ev(300, "switch", ">", [1, 0, 0, 1000, 200, 0], 2500n, 0);
  // a process forked (the caller's exit first), then a thread (the child's exit first)
  ev(300, "clone", ">", []);
  ev(300, "clone", "<", forkExit(500, 300, 300, 1));
  ev(500, "clone", "<", forkExit(0, 500, 500, 300), 700n);
  ev(301, "clone", "<", forkExit(0, 301, 300, 1, CLONE_THREAD_FLAGS));
  ev(300, "clone", "<", forkExit(301, 300, 300, 1, CLONE_THREAD_FLAGS));
  ev(301, "switch", ">", [300, 0, 0, 1000, 200, 0], 900n, 1);
  ev(500, "execve", ">", ["/usr/bin/env"]);
  ev(500, "execve", "<", execExit(500, 500, 300, "/usr/bin/env", [], ["ONLY=1"], 0), 3n * S);
  // a fork whose caller exit never comes
  ev(600, "clone", "<", forkExit(0, 600, 600, 300));
  ev(600, "brk", ">", [0]);
  // files: the device of each open call, and a dup of one
  ev(500, "open", ">", []);
  ev(500, "open", "<", [3, "/etc/hosts", 1, 0, 0x801]);
  ev(500, "openat", ">", [-100, "data", 1, 0]);
  ev(500, "openat", "<", [4, -100, "data", 1, 0, 0x1030a5]);
  ev(500, "creat", ">", ["/tmp/new", 0o644]);
  ev(500, "creat", "<", [5, "/tmp/new", 0o644, 0xfd00]);
  ev(500, "open", ">", []);
  ev(500, "open", "<", [6, "/etc/nothing", 1, 0]);
  ev(500, "dup", ">", [4]);
  ev(500, "dup", "<", [7]);
  ev(500, "read", ">", [7, 100]);
  ev(500, "read", "<", [10, "0123456789"], 150_000_000n);
  ev(500, "write", ">", [5, 4]);
  ev(500, "write", "<", [4, "abcd"], 2_500_000_000n);
  ev(500, "fstat", ">", [6]);
  ev(500, "fstat", "<", [0], 70n * S);
  // sockets: UDP without connect, a refused and an in-progress TCP connect, a dup
  ev(500, "socket", ">", [2, 2, 0]);
  ev(500, "socket", "<", [8]);
  ev(500, "sendto", ">", [8, 4, socktupleV4("10.0.0.1", 5353, "10.0.0.53", 53)]);
  ev(500, "sendto", "<", [4, "ping"]);
  ev(500, "recvfrom", ">", [8, 100]);
  ev(500, "recvfrom", "<", [4, "pong", socktupleV4("10.0.0.53", 53, "10.0.0.1", 5353)], 4000n * S);
  ev(500, "sendto", ">", [8, 4, socktupleV4("10.0.0.1", 5353, "10.0.0.53", 53)]);
  ev(500, "sendto", "<", [4, "ping"]);
  // a UDP server: bound, then told its peer by recvfrom
  ev(500, "socket", ">", [2, 2, 0]);
  ev(500, "socket", "<", [12]);
  ev(500, "bind", ">", [12]);
  ev(500, "bind", "<", [0, sockaddrV4("0.0.0.0", 5000)]);
  ev(500, "recvfrom", ">", [12, 100]);
  ev(500, "recvfrom", "<", [2, "hi", socktupleV4("10.0.0.7", 6000, "10.0.0.1", 5000)]);
  ev(500, "socket", ">", [2, 1, 0]);
  ev(500, "socket", "<", [9]);
  ev(500, "connect", ">", [9, sockaddrV4("10.9.9.9", 443)]);
  ev(500, "connect", "<", [-111, socktupleV4("10.0.0.1", 40001, "10.9.9.9", 443)], 120n * S);
  ev(500, "socket", ">", [2, 1, 0]);
  ev(500, "socket", "<", [10]);
  ev(500, "connect", ">", [10, sockaddrV4("10.8.8.8", 22)]);
  ev(500, "connect", "<", [-115, socktupleV4("10.0.0.1", 40002, "10.8.8.8", 22)], 42n);
  ev(500, "dup", ">", [10]);
  ev(500, "dup", "<", [11]);
  ev(500, "write", ">", [11, 3]);
  ev(500, "write", "<", [3, "hey"], 999n);
  ev(500, "read", ">", [9, 3]);
  ev(500, "read", "<", [-104], 1000n);
  ev(301, "read", ">", [7, 1]);
  ev(301, "read", "<", [1, "x"], 9_999_999n);
  ev(301, "switch", ">", [500, 0, 0, 1000, 200, 0], 10n, 1);
  ev(500, "procinfo", ">", [5n, 3n]);
  ev(301, "procinfo", ">", [1n, 1n]);
  ev(777, "procinfo", ">", [1n, 1n]);
  ev(500, "switch", ">", [301, 0, 0, 1000, 200, 0], 3_600_000_000_000n, 0);
  ev(500, "close", ">", [3]);
  ev(500, "close", "<", [0], 61n * S);
}, [machineBlock(2)]));

const LIFE_FILTERS = [
  "proc.env contains TERM=xterm",
  "proc.env=ONLY=1",
  "proc.env='HOME=/home/ubuntu TERM=xterm'",
  "proc.env=''",
  "proc.env contains NOWHERE",
  "proc.duration exists",
  "proc.duration>3000000000",
  "proc.duration<1000",
  "proc.duration=0",
  "proc.is_exe_writable=true",
  "proc.is_exe_writable=false and evt.type=read",
  "thread.exectime>0",
  "thread.exectime>=3600000000000",
  "thread.exectime=1",
  "thread.totexectime>1000",
  "thread.totexectime>9000000000000",
  "evt.type=switch and thread.totexectime>0",
  "thread.nametid=bash301",
  "thread.nametid startswith env",
  "thread.nametid=bash9",
  "thread.vmsize.b=819200",
  "thread.vmrss.b>0",
  "thread.vmsize.b>1000000000",
  "fd.dev=801",
  "fd.dev.major=8 and fd.dev.minor=1",
  "fd.dev.major=3",
  "fd.dev.minor=165",
  "fd.dev=64768",
  "fd.dev.major=253",
  "fd.dev=0 and fd.type=file",
  "fd.dev.minor>100000",
  "fd.connected=true",
  "fd.connected=false and fd.type=ipv4",
  "fd.connected=true and fd.l4proto=udp",
  "fd.cproto=40002",
  "fd.sproto in (22, 53)",
  "fd.lproto=5353",
  "fd.lproto in (53, 22)",
  "fd.rproto=53",
  "fd.rproto=22",
  "fd.sproto=ssh",
  "fd.proto=53",
  "fd.proto=ssh",
  "fd.proto=9999",
  "fd.proto>1000",
  "fd.name_changed=false",
  "fd.name_changed=true",
  "evt.latency.human=150ms",
  "evt.latency.human=2.50s",
  "evt.latency.human=1:10",
  "evt.latency.human=01:06:40",
  "evt.latency.human contains us",
  "evt.latency.human endswith ns",
  "evt.latency.human=3.00s",
  "evt.latency.human=1.5s",
  "evt.latency.quantized=0",
  "evt.latency.quantized=1 and evt.dir=<",
  "evt.latency.quantized>1",
  "evt.buflen.file>0",
  "evt.buflen.file.in=10",
  "evt.dir=> or evt.buflen.file.in=10",
  "evt.buflen.file.out=4",
  "evt.buflen.net exists",
  "evt.buflen.net.in=4",
  "evt.buflen.net.out=3",
  "evt.buflen.in>100",
  "evt.buflen.out>=3",
  "evt.buflen.net.out=4 and fd.l4proto=udp",
  "evt.deltatime>1000000000",
  "evt.dir=< and evt.deltatime>=70000000000",
  "evt.deltatime.s=4000",
  "evt.deltatime.ns=42",
  "evt.deltatime.s>10000",
  "evt.count.procinfo=1",
  "evt.count.threadinfo=1",
  "evt.count.procinfo exists or evt.count.threadinfo exists",
];

test(`filters on a synthetic host's process lives, files and sockets (${LIFE_FILTERS.length} filters)`, async () => {
  await checkFilters(lifeCapture(), LIFE_FILTERS, "synthetic-life");
});

test("field values on the synthetic process lives are sysdig's (sysdig -p)", async () => {
  const file = lifeCapture();
  const fields = VALUE_FIELDS;
  const diffs = (await pool(fields.map((fs) => () => valueDiffs(file, fs)), 2)).flat();
  assert.deepEqual(diffs, []);
});

test("field values on the synthetic host are sysdig's (sysdig -p)", async () => {
  const file = netCapture();
  // proc.vpgid of a forked child comes from the state engine, which has it from its parent;
  // sysdig shows 0 (reported to the state engine's owner).
  const fields = VALUE_FIELDS.map((fs) => fs.filter((f) => f !== "proc.vpgid"));
  const diffs = (await pool(fields.map((fs) => () => valueDiffs(file, fs)), 2)).flat();
  assert.deepEqual(diffs, []);
});

after(() => {
  // Per-filter pass counts, for the record (node --test prints diagnostics).
  const byFilter = new Map<string, { same: number; total: number; files: number; exact: number }>();
  for (const t of tallies) {
    const k = byFilter.get(t.filter) ?? { same: 0, total: 0, files: 0, exact: 0 };
    k.same += t.same;
    k.total += t.total;
    k.files++;
    if (t.same === t.total) k.exact++;
    byFilter.set(t.filter, k);
  }
  const exact = [...byFilter.values()].filter((k) => k.exact === k.files).length;
  const lines = [...byFilter].map(([f, k]) => `${k.exact}/${k.files} captures, ${k.same}/${k.total} lines: ${f}`);
  if (process.env.CASEFILE_FILTER_REPORT) writeFileSync(process.env.CASEFILE_FILTER_REPORT, `${lines.join("\n")}\n`);
  console.log(`# filters identical to sysdig on every capture: ${exact}/${byFilter.size}`);
});
