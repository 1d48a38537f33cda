// What filters read about the current event beyond the thread and fd tables of the state
// engine: the few per-thread facts sysdig keeps that those tables do not (evt.latency's enter
// time, the cgroups and so the container), the fd the event acts on as sysdig resolves it
// (m_lastevent_fd), the interfaces (fd.lip, fd.is_server) and the container metadata of the
// capture's container events. One FilterContext follows a whole capture; the predicate reads
// it after the state engine applied the event, as sysdig filters after parsing.

import { EVENTS } from "../events/event-table";
import { paramIndexTable } from "../events/param-tables";
import { ACTED_FD_PARAM } from "../events/event-stream";
import { EF } from "../events/types";
import { ParamIndex } from "../events/params";
import type { RenderContext } from "../events/format";
import type { InterfaceEntry, ProcEntry } from "../formats/scap/blocks";
import type { RawEvent } from "../formats/scap/reader";
import { splitNul, unknownThread, type Fd, type Thread, type ThreadTable } from "../state/threads";
import { LEGACY_FLAGS } from "./legacy-tables";
import { followLatency, hasLatency, NO_TINFO, RESETS_THREAD, type LatencyState } from "./latency";
import { parseIpv4 } from "./values";
import type { ServiceTable } from "./services";

export interface ThreadExtra extends LatencyState {
  /** The controlling terminal (proc.tty), from the process list or execve. */
  tty: number;
  cgroups: [string, string][];
  containerId: string;
  /** Memory sizes (KiB) from the thread's last brk/mmap/munmap exit or switch, and the state
   *  engine's sizes when they were taken: the filter fields keep showing these until the
   *  engine's change (at a clone or execve). */
  vm?: [number, number, number];
  vmBase?: [number, number, number];
  /** The same for the page faults of a switch the filter saw before sysdig parsed it. */
  pf?: [number, number];
  pfBase?: [number, number];
  /** The thread's last enter event was rejected by the filter before sysdig parsed it: sysdig
   *  then does not pair the exit with it (no evt->m_fdinfo for the exit). */
  enterRejected: boolean;
  /** The environment (proc.env): from the process list, an execve exit, or the parent a new
   *  process was forked from. */
  env: string[];
  /** ts of the clone exit that made the thread (proc.duration), as hi/lo; 0/0: made before the
   *  capture (the process list of sysdig 0.29.3's files has no clone time). */
  cloneHi: number;
  cloneLo: number;
  /** PPM_EXE_WRITABLE of its last execve exit, or its parent's (proc.is_exe_writable). */
  exeWritable: boolean;
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  imageId: string;
  imageRepo: string;
  imageTag: string;
  imageDigest: string;
  type: number;
  privileged?: boolean;
  /** The container's IPv4 address (its own end of connections is local). */
  ip?: Uint8Array;
}

function cgroupPairs(b: Uint8Array): [string, string][] {
  return splitNul(b).map((e) => {
    const i = e.indexOf("=");
    const subsys = i < 0 ? e : e.slice(0, i);
    // sysdig names the cgroup v2 "io" controller by its v1 name.
    return [subsys === "io" ? "blkio" : subsys, i < 0 ? "" : e.slice(i + 1)];
  });
}

/** The container a thread runs in, from its cgroups, as sysdig's docker engine reads them
 *  (the first 12 hex digits of the id); "" for the host. */
export function containerIdOf(cgroups: readonly [string, string][]): string {
  for (const [, path] of cgroups) {
    const m = /\/docker\/([0-9a-f]{64})/.exec(path) ?? /docker-([0-9a-f]{64})\.scope/.exec(path);
    if (m) return m[1].slice(0, 12);
  }
  return "";
}

const P_CGROUPS = paramIndexTable("cgroups");
const P_JSON = paramIndexTable("json");
const P_TTY = paramIndexTable("tty");
const P_ENV = paramIndexTable("env");
const P_FLAGS = paramIndexTable("flags");
/** PPM_EXE_WRITABLE, in the flags of an execve exit. */
const EXE_WRITABLE = 1;
const P_VMSIZE = paramIndexTable("vm_size");
const P_VMRSS = paramIndexTable("vm_rss");
const P_VMSWAP = paramIndexTable("vm_swap");

const is = (names: string[]) => EVENTS.map((e) => names.includes(e.name));
const CLONE_LIKE = is(["clone", "fork", "vfork", "clone3"]);
const EXECVE_LIKE = is(["execve", "execveat"]);
const CONTAINER = is(["container"]);
/** The events that can change the container of a thread (or, for a container event, name one):
 *  a follower that only needs container.id (the ingest's overview) gives the context these
 *  (before, after and settle) and every process list entry, and reads extraOf(thread) or, after
 *  a container event, extra. */
export const SETS_CONTAINER: readonly boolean[] = EVENTS.map((_, id) => CLONE_LIKE[id] || EXECVE_LIKE[id] || CONTAINER[id]);
const SWITCH = is(["switch"]);
const MEMORY_X = EVENTS.map((e, id) => id % 2 === 1 && ["brk", "mmap", "mmap2", "munmap"].includes(e.name));
const COPY_FILE_RANGE_X = EVENTS.findIndex((e, id) => id % 2 === 1 && e.name === "copy_file_range");
/** PPME_SYSCALL_WRITE_X (write only, not writev, pwrite or send*). */
const WRITE_X = EVENTS.findIndex((e, id) => id % 2 === 1 && e.name === "write");
/** PPME_SYSCALL_READ_X: the type of the made-up event sysdig's get_thread_table filters with. */
const READ_X = EVENTS.findIndex((e, id) => id % 2 === 1 && e.name === "read");

/** Per exit type of an fd-creating call: the parameter holding the new fd, which becomes the
 *  event's fd (sysdig's m_lastevent_fd): "fd", or a "res" of fd type, or the second of a pair. */
const NEW_FD_PARAM: Int16Array = Int16Array.from(EVENTS.map((e, id) => {
  if (id % 2 === 0 || !(LEGACY_FLAGS[id] & EF.CREATES_FD)) return -1;
  const i = ACTED_FD_PARAM[id];
  return i >= 0 ? i : e.params.findIndex((p) => p.name === "fd2");
}));

// Flag bits as plain numbers: read per event, and const enums imported across modules are not
// always inlined.
const USES_ANY_FD: number = EF.CREATES_FD | EF.USES_FD | EF.DESTROYS_FD;
const USES_FD: number = EF.USES_FD;
const MODIFIES_STATE: number = EF.MODIFIES_STATE;
const WRITES_TO_FD: number = EF.WRITES_TO_FD;

export class FilterContext {
  ev!: RawEvent;
  num = 0;
  p!: ParamIndex;
  thread!: Thread;
  extra!: ThreadExtra;
  /** sysdig's m_lastevent_fd for this event (-1: none). */
  fdNum = -1;
  /** The fd the event acts on (looked up by fdNum), when the event concerns an fd. */
  fd: Fd | undefined;
  /** Whether the event type concerns an fd at all (else every fd.* field is NULL). */
  fdEvent = false;
  /** sysdig's evt->m_fdinfo when the filter runs (evt.buflen, evt.category...). */
  evtFd: Fd | undefined;
  /** The event modifies the state: sysdig parses it before filtering it. */
  modifies = false;
  /** sysdig's evt->m_tinfo is NULL: a clone exit of a thread its table did not hold before
   *  (it looks clone exits up without creating the thread), or an event parsed without its
   *  thread (latency.ts NO_TINFO). The latency fields then read 0. */
  noTinfo = false;
  /** The event has no thread in sysdig's table after parsing: one that only looks its thread
   *  up (a switch or procinfo of a kernel thread, tid 0, a clone exit that made nothing) or has
   *  none (drop and other internal events). Its process, user, group, container and fd fields
   *  are then NULL; `thread` is a stand-in outside the table. */
  noThread = false;
  /** A filter is set (sysdig's inspector has one): a write exit then always gets the fd of
   *  its thread's last enter event, paired or not (see after). */
  filtering = false;
  /** sysdig -R: the host's service names that port numbers are shown as (fd.cproto...);
   *  undefined by default: numbers. */
  portNames: ServiceTable | undefined = undefined;
  private pendingParse = false;
  private prePf: [number, number] | undefined;
  readonly table: ThreadTable;
  readonly render: RenderContext;
  readonly localV4: Uint8Array[] = [];
  readonly localV6: Uint8Array[] = [];
  readonly containers = new Map<string, ContainerInfo>();
  /** ts of the capture's first event (evt.reltime), as hi/lo; hi < 0 until seen. */
  firstHi = -1;
  firstLo = 0;
  private readonly extras = new WeakMap<Thread, ThreadExtra>();
  private readonly procs = new Map<number, ProcEntry>();

  /** @param stream what the context follows: the state engine's table, and the renderer of
   *  parameters (an EventStream is both). */
  constructor(stream: { readonly table: ThreadTable } & RenderContext) {
    this.table = stream.table;
    this.render = stream;
  }

  private lastThread: Thread | undefined;
  private lastExtra: ThreadExtra | undefined;

  extraOf(t: Thread): ThreadExtra {
    // Events come in runs from one thread: skip the map for them.
    if (t === this.lastThread) return this.lastExtra!;
    let x = this.extras.get(t);
    if (!x) {
      x = {
        tty: 0, cgroups: [], containerId: "", enterHi: 0, enterLo: 0, latency: 0, enterRejected: false,
        env: [], cloneHi: 0, cloneLo: 0, exeWritable: false,
      };
      const pe = this.procs.get(t.tid);
      if (pe) {
        x.tty = pe.tty;
        x.env = splitNul(pe.env);
        x.cgroups = cgroupPairs(pe.cgroups);
        x.containerId = containerIdOf(x.cgroups);
        // Only the thread the process list describes: a later thread may reuse the tid.
        this.procs.delete(t.tid);
      }
      this.extras.set(t, x);
    }
    this.lastThread = t;
    this.lastExtra = x;
    return x;
  }

  /** A thread's memory sizes (KiB) as sysdig's fields show them now. */
  vmOf(t: Thread): [number, number, number] {
    const x = this.extraOf(t);
    const b = x.vmBase;
    if (x.vm && b && b[0] === t.vmsizeKb && b[1] === t.vmrssKb && b[2] === t.vmswapKb) return x.vm;
    x.vm = undefined;
    return [t.vmsizeKb, t.vmrssKb, t.vmswapKb];
  }

  /** A thread of the capture's process list (the Thread itself is made by the state engine). */
  process(p: ProcEntry): void {
    this.procs.set(p.tid, p);
  }

  interfaces(list: InterfaceEntry[]): void {
    for (const i of list) {
      if (i.family === 4) {
        const v = i.addr as number;
        this.localV4.push(Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24));
      } else {
        this.localV6.push(i.addr as Uint8Array);
      }
    }
  }

  /** Before the state engine applies the event. */
  before(ev: RawEvent): void {
    this.prePf = undefined;
    const cloneExit = CLONE_LIKE[ev.type] && ev.type % 2 === 1;
    this.noTinfo = cloneExit && !this.table.threads.has(ev.tid);
    if (cloneExit) this.noteCloneChild(ev);
    if (SWITCH[ev.type]) {
      const t = this.table.threads.get(ev.tid);
      if (t) this.prePf = [t.pfMajor, t.pfMinor];
    }
    // evt.reltime counts from the first event after the container events a capture starts with.
    if (this.firstHi < 0 && !CONTAINER[ev.type]) {
      this.firstHi = ev.tsHi;
      this.firstLo = ev.tsLo;
    }
  }

  /** After the state engine applied the event: the facts the predicate reads. sysdig filters
   *  an event that does not modify the state (EF_MODIFIES_STATE) before parsing it, and does not
   *  parse it at all when the filter rejects it: the parsing done here for such an event waits
   *  for settle(). */
  after(ev: RawEvent, num: number, thread: Thread, p: ParamIndex): void {
    this.ev = ev;
    this.num = num;
    this.p = p;
    this.thread = thread;
    const type = ev.type;
    this.noThread = !CONTAINER[type] && this.table.threads.get(ev.tid) !== thread;
    const x = this.extraOf(thread);
    this.extra = x;
    const flags = LEGACY_FLAGS[type];
    this.modifies = (flags & MODIFIES_STATE) !== 0;

    // evt.latency: an exit's distance to its thread's last enter event (latency.ts).
    followLatency(x, type, ev.tsHi, ev.tsLo);
    // Internal events keep no latency at all (hasLatency); the other threadless ones read 0.
    if (NO_TINFO[type] && hasLatency(type, p)) this.noTinfo = true;
    let valid = true;
    if (RESETS_THREAD[type]) {
      if (type % 2 === 0) x.enterRejected = false;
      // sysdig pairs an exit with its thread's last enter event, unless a filter rejected it.
      else valid = thread.enterType === type - 1 && !x.enterRejected;
    }

    // The event's fd: the one its enter event named, or the one an fd-creating exit returned
    // (fd.* fields look it up this way even for an exit sysdig could not pair).
    this.fdEvent = (flags & USES_ANY_FD) !== 0;
    this.fdNum = thread.lastFd ?? -1;
    // copy_file_range uses two fds: its exit points sysdig at the output one (sinsp_parser::reset).
    if (type === COPY_FILE_RANGE_X && valid && p.has(1)) this.fdNum = p.int(1);
    const nf = NEW_FD_PARAM[type];
    let created = false;
    if (nf >= 0 && p.has(nf) && valid) {
      const v = p.int(nf);
      if (v >= 0) {
        this.fdNum = v;
        created = true;
      }
    }
    this.fd = this.fdNum >= 0 ? thread.fds.get(this.fdNum) : undefined;
    // The event's own fd record (sysdig's evt->m_fdinfo), which some evt.* fields read: set
    // for fd-using events, for exits only when paired with their enter.
    this.evtFd = (flags & USES_FD && valid) || created ? this.fd : undefined;
    // With a filter set, sysdig looks the fd of every write exit up by the thread's last fd
    // before filtering (its check for tracer writes), whether the exit has its enter or not.
    if (type === WRITE_X && this.filtering) this.evtFd = this.fd;

    this.pendingParse = true;
    if (this.modifies) this.parse();
    else if (SWITCH[type] && this.prePf) {
      // Filtered before parsing: the switch's page faults are not the thread's yet.
      x.pf = this.prePf;
      x.pfBase = [thread.pfMajor, thread.pfMinor];
    }
  }

  /** The filter's verdict on the event (true without a filter). */
  settle(passed: boolean): void {
    if (!this.pendingParse) return;
    if (passed) {
      this.parse();
      return;
    }
    this.pendingParse = false;
    const type = this.ev.type;
    // A rejected enter event leaves its exit unpaired; except a write's (measured: sysdig 0.29.3
    // still gives the exit of a rejected write enter its fd, as evt.buflen shows).
    if (type % 2 === 0 && RESETS_THREAD[type] && !(LEGACY_FLAGS[type] & WRITES_TO_FD)) this.extra.enterRejected = true;
  }

  private parse(): void {
    this.pendingParse = false;
    const { ev, p, thread } = this;
    const type = ev.type;
    if (SWITCH[type]) this.extra.pf = undefined;
    if ((MEMORY_X[type] || SWITCH[type]) && P_VMSWAP[type] >= 0 && p.has(P_VMSWAP[type])) {
      // A switch reports its process's sizes, the others their thread's.
      const t = SWITCH[type] && thread.pid !== thread.tid ? this.table.threads.get(thread.pid) : thread;
      if (t) {
        const tx = this.extraOf(t);
        tx.vm = [p.uint(P_VMSIZE[type]), p.uint(P_VMRSS[type]), p.uint(P_VMSWAP[type])];
        tx.vmBase = [t.vmsizeKb, t.vmrssKb, t.vmswapKb];
      }
    }
    if (CLONE_LIKE[type]) this.cloned(thread, p, type);
    else if (EXECVE_LIKE[type]) this.execed(this.extra, p, type);
    else if (CONTAINER[type]) {
      const id = this.container(p, type);
      // Only the JSON-carrying events get a thread of their own (libsinsp's
      // parse_container_json_evt sets one); the old container event (PPME_CONTAINER_E: id,
      // type, name, image) keeps its tid's thread: with sysdig 0.29.3 it is proc.name=nginx,
      // container.id=host for an event of nginx's tid, in filters and chisels alike.
      if (id !== undefined && P_JSON[type] >= 0) this.containerThread(id);
    }
  }

  /** sysdig gives a container event a made-up thread of its own: named container:ID, in that
   *  container, root, with no parent. */
  private containerThread(id: string): void {
    const t = unknownThread(this.ev.tid);
    t.comm = `container:${id}`;
    t.ptid = 0;
    t.uid = 0;
    t.gid = 0;
    t.loginuid = 0;
    t.vtid = -2;
    t.vpid = -2;
    this.thread = t;
    this.noThread = false;
    this.extra = { ...this.extraOf(t), containerId: id };
    this.fdEvent = false;
  }

  private tableEv: RawEvent | undefined;
  private readonly tableParams = new ParamIndex();

  /** Points the context at one fd of one thread as sysdig's get_thread_table filters it (the
   *  filter argument of the lsof, netstat and ps chisels): a made-up read exit of that thread
   *  with no parameters, number 0, cpu 0, at time ts (the last event's), whose fd
   *  (evt->m_fdinfo, and the thread's m_lastevent_fd) is that fd. Thread, user, group, container
   *  and fd fields then read the thread and the fd; the parser refuses the other evt fields. */
  atThreadFd(thread: Thread, fdNum: number, fd: Fd, tsHi: number, tsLo: number): void {
    let ev = this.tableEv;
    if (!ev) {
      ev = {
        buf: new Uint8Array(0), dv: new DataView(new ArrayBuffer(0)), blockOffset: 0, cpu: 0, flags: 0,
        tsHi: 0, tsLo: 0, tid: 0, type: READ_X, nparams: 0, lenSize: 2, lensOff: 0, valsOff: 0, end: 0,
      };
      this.tableEv = ev;
      this.tableParams.load(ev);
    }
    ev.tid = thread.tid;
    ev.tsHi = tsHi;
    ev.tsLo = tsLo;
    this.ev = ev;
    this.num = 0;
    this.p = this.tableParams;
    this.thread = thread;
    this.noThread = false;
    this.extra = this.extraOf(thread);
    this.fdNum = fdNum;
    this.fd = fd;
    this.fdEvent = true;
    this.evtFd = fd;
    this.modifies = false;
    this.pendingParse = false;
  }

  /** A thread's page faults as sysdig's fields show them now. */
  pfOf(t: Thread): [number, number] {
    const x = this.extraOf(t);
    const b = x.pfBase;
    if (x.pf && b && b[0] === t.pfMajor && b[1] === t.pfMinor) return x.pf;
    x.pf = undefined;
    return [t.pfMajor, t.pfMinor];
  }

  private readonly cloneParams = new ParamIndex();
  /** The thread a clone exit names as its child (the caller's result, or the child itself),
   *  as the table holds it before the event: a different one afterwards is new. */
  private childBefore: Thread | undefined;

  private noteCloneChild(ev: RawEvent): void {
    const p = this.cloneParams;
    p.load(ev);
    const res = p.has(0) ? p.int(0) : -1;
    this.childBefore = res < 0 ? undefined : this.table.threads.get(res > 0 ? res : ev.tid);
  }

  private cloned(parent: Thread, p: ParamIndex, type: number): void {
    if (!p.has(0)) return;
    const res = p.int(0);
    const child = res > 0 ? this.table.threads.get(res) : res === 0 ? parent : undefined;
    const made = child !== undefined && child !== this.childBefore;
    this.childBefore = undefined;
    if (!child || !made) {
      // sysdig made no thread: the child's own exit after its parent's (or after the process
      // list had it), or the parent's after an inverted clone. The thread keeps the cgroups it
      // had, and so its container, whatever this exit says (measured: a child whose exit names
      // a container its parent's exit did not stays where the parent's exit put it).
      return;
    }
    // The caller, or for the child's own exit what sysdig looks up: its process's main thread
    // (a thread) or its parent (a process).
    this.born(child, res > 0 ? parent : this.table.threads.get(child.pid !== child.tid ? child.pid : child.ptid));
    const x = this.extraOf(child);
    if (res > 0) x.tty = this.extraOf(parent).tty;
    const i = P_CGROUPS[type];
    if (i >= 0 && p.has(i)) {
      x.cgroups = cgroupPairs(p.bytes(i));
      x.containerId = containerIdOf(x.cgroups);
    } else if (res > 0) {
      const px = this.extraOf(parent);
      x.cgroups = px.cgroups;
      x.containerId = px.containerId;
    }
  }

  /** A thread the clone exit just made: sysdig stamps its clone time and, for a new process,
   *  copies its parent's environment; the executable's writability comes from the parent. */
  private born(child: Thread, parent: Thread | undefined): void {
    const x = this.extraOf(child);
    x.cloneHi = this.ev.tsHi;
    x.cloneLo = this.ev.tsLo;
    if (!parent) return;
    const px = this.extraOf(parent);
    x.exeWritable = px.exeWritable;
    if (child.pid === child.tid) x.env = px.env;
  }

  private execed(x: ThreadExtra, p: ParamIndex, type: number): void {
    if (!p.has(0) || p.int(0) < 0) return;
    const e = P_ENV[type];
    if (e >= 0 && p.has(e)) x.env = splitNul(p.bytes(e));
    // Only the execve exits of sysdig 0.29.3's newest layout carry the flags (parameter 19).
    const f = P_FLAGS[type];
    if (f >= 0 && f < 20 && p.has(f)) x.exeWritable = (p.uint(f) & EXE_WRITABLE) !== 0;
    if (P_TTY[type] >= 0 && p.has(P_TTY[type])) x.tty = p.int(P_TTY[type]);
    const i = P_CGROUPS[type];
    if (i >= 0 && p.has(i)) {
      x.cgroups = cgroupPairs(p.bytes(i));
      x.containerId = containerIdOf(x.cgroups);
    }
  }

  /** Records a container's metadata; returns its id. */
  private container(p: ParamIndex, type: number): string | undefined {
    const i = P_JSON[type];
    if (i >= 0 && p.has(i)) {
      try {
        const c = JSON.parse(p.str(i))?.container;
        if (c && typeof c.id === "string") {
          this.containers.set(c.id, {
            id: c.id, name: c.name ?? "", image: c.image ?? "", imageId: c.imageid ?? "",
            imageRepo: c.imagerepo ?? "", imageTag: c.imagetag ?? "", imageDigest: c.imagedigest ?? "",
            type: typeof c.type === "number" ? c.type : 0,
            privileged: typeof c.privileged === "boolean" ? c.privileged : undefined,
            ip: typeof c.ip === "string" ? parseIpv4(c.ip) : undefined,
          });
          return c.id;
        }
      } catch {
        // A damaged container description adds nothing.
      }
      return undefined;
    } else if (p.has(0)) {
      // The old container event: id, type, name, image.
      const id = p.str(0);
      this.containers.set(id, {
        id, type: p.has(1) ? p.uint(1) : 0, name: p.has(2) ? p.str(2) : "", image: p.has(3) ? p.str(3) : "",
        imageId: "", imageRepo: "", imageTag: "", imageDigest: "",
      });
      return id;
    }
    return undefined;
  }
}
