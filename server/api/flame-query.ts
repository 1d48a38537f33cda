// The flame graphs of the store: the syscall time of a stored capture (no stacks needed), and
// the stacks of a stored profile. Syscall time is container → process → thread → system call →
// file or connection, weighted by evt.latency of the exit events (sysdig's time spent in the
// call), so that a container's and a process's widths are the sums sysdig gives for
//   sysdig -r FILE -p "%container.id %proc.name %evt.latency" "evt.dir=<"
// It is summed in SQL by (container, process, thread, event type, fd) over the filter's events
// in the time range, then built into a tree of a few hundred nodes. The container of an event's
// thread is its run in the overview's ov_threads (the ingest follows container.id as sysdig
// does: process list, clone, execve, container events); the whole capture's sums, kept at
// ingest, hold it already.

import type { Db } from "../../db/open-db";
import { EVENTS } from "../core/events/event-table";
import { SYSCALL_NAMES } from "../core/events/syscalls";
import { HIDDEN_TYPES } from "../core/events/event-stream";
import { FlameTreeBuilder, diffTree, treeFromFolded, type FlameTree } from "../core/analyses/flame-tree";
import { importerFor, sniffStacks, SNIFF_CHARS, StacksError, type Profile, type StackSection } from "../core/formats/stacks/index";
import type { SqlCondition } from "./analyses";
import { EVENT_CONTAINER, hasOverviewSums } from "./overview";
import { ST_HOST } from "../core/analyses/syscall-time";

const VISIBLE = `e.type NOT IN (${[...HIDDEN_TYPES].join(",") || "-1"})`;
/** Exit events sysdig names after their syscall id parameter (evt.type of a generic event):
 *  their names are read from their stored parameters, one by one. */
const GENERIC_EXITS = EVENTS.flatMap((e, id) => (e.name === "syscall" && id % 2 === 1 ? [id] : []));

/** A time range, ns since the capture's base_ts: [lo, hi). */
export interface RelRange {
  lo?: number;
  hi?: number;
}

export interface SyscallTimeRow {
  /** container.id of the thread at the call: "host" on the host, as sysdig prints it; "<NA>"
   *  when not known (sysdig: an event without thread information; the store: a capture
   *  ingested before casefile followed containers). */
  container: string;
  proc: string;
  tid: number;
  syscall: string;
  /** fds.name of the fd the call acted on; undefined when it had none. */
  fd: string | undefined;
  ns: number;
  calls: number;
}

/** The summed evt.latency of exit events by (container, process, thread, call, fd): the whole
 *  capture from the sums the ingest kept (capture-008), anything narrower from the events. */
export function syscallTimeRows(db: Db, where: SqlCondition, range: RelRange = {}): SyscallTimeRow[] {
  if (where.sql === "1" && where.params.length === 0 && range.lo === undefined && range.hi === undefined && hasSyscallTime(db)) {
    return storedSyscallTime(db);
  }
  const bounds: string[] = [];
  const params: unknown[] = [];
  if (range.lo !== undefined) {
    bounds.push("e.ts >= ?");
    params.push(range.lo);
  }
  if (range.hi !== undefined) {
    bounds.push("e.ts < ?");
    params.push(range.hi);
  }
  return summedExits(db, `${bounds.map((b) => `${b} AND `).join("")}(${where.sql})`, [...params, ...where.params]);
}

/** The exits that `cond` (SQL on events e, with its bound params) keeps, summed. */
function summedExits(db: Db, cond: string, params: readonly unknown[]): SyscallTimeRow[] {
  const exits = `(e.kind & 1) AND e.latency IS NOT NULL AND ${VISIBLE} AND ${cond}`;
  const generic = `(e.kind & 1023) IN (${GENERIC_EXITS.join(",") || "-1"})`;
  // A capture ingested before casefile followed containers has no runs: its containers are
  // not known, rather than all on the host.
  const followed = hasOverviewSums(db);
  // No runs: every thread on the host, and no lookup per event (a fifth more CPU on the scan of
  // the 2-million-event bench capture).
  const container = followed && db.prepare("SELECT 1 FROM ov_threads LIMIT 1").get() ? EVENT_CONTAINER : "NULL";
  const host = followed ? "host" : "<NA>";
  // Exit events: the direction bit of the packed kind; the proc and type come out of kind too
  // (the virtual columns would each be computed first, which a 2-million-event scan feels).
  const rows = db.prepare(
    `SELECT cs.s AS container, g.tid AS tid, g.t AS t, g.ns AS ns, g.calls AS calls, s.s AS proc, f.name AS fd
       FROM (SELECT ${container} AS c, e.kind >> 26 AS p, e.tid AS tid, e.kind & 1023 AS t, e.fdref AS fdref, sum(e.latency) AS ns, count(*) AS calls
               FROM events e WHERE ${exits} AND NOT ${generic}
              GROUP BY c, p, tid, t, fdref) g
       JOIN strings s ON s.id = g.p LEFT JOIN fds f ON f.id = g.fdref LEFT JOIN strings cs ON cs.id = g.c`,
  ).all(...params) as { container: string | null; tid: number; t: number; ns: number; calls: number; proc: string; fd: string | null }[];
  const out: SyscallTimeRow[] = rows.map((r) => ({
    container: r.container ?? host, proc: r.proc || "<NA>", tid: r.tid, syscall: callName(r.t, -1), fd: r.fd || undefined, ns: r.ns, calls: r.calls,
  }));
  // Generic events, one by one: their name is their syscall id's, in their stored parameters.
  const generics = db.prepare(
    `SELECT e.num AS num, ${container} AS c, e.kind >> 26 AS p, e.tid AS tid, e.fdref AS fdref, e.latency AS ns, e.kind & 1023 AS t
       FROM events e WHERE ${exits} AND ${generic} ORDER BY e.num`,
  ).raw().all(...params) as [number, number | null, number, number, number | null, number, number][];
  if (generics.length) {
    const ids = syscallIdsOf(db, generics.map((g) => g[0]));
    const stringOf = db.prepare("SELECT s FROM strings WHERE id = ?").pluck();
    const fdOf = db.prepare("SELECT name FROM fds WHERE id = ?").pluck();
    const strings = new Map<number, string>();
    const text = (id: number) => {
      let t = strings.get(id);
      if (t === undefined) strings.set(id, (t = (stringOf.get(id) as string | undefined) ?? ""));
      return t;
    };
    const fds = new Map<number, string | undefined>();
    const sums = new Map<string, SyscallTimeRow>();
    for (let i = 0; i < generics.length; i++) {
      const [, cid, pid, tid, fdref, ns, type] = generics[i];
      let fd: string | undefined;
      if (fdref !== null) {
        if (!fds.has(fdref)) fds.set(fdref, (fdOf.get(fdref) as string | undefined) || undefined);
        fd = fds.get(fdref);
      }
      const syscall = callName(type, ids[i]);
      const key = `${cid ?? ""}\u0000${pid}\u0000${tid}\u0000${syscall}\u0000${fdref ?? ""}`;
      let r = sums.get(key);
      if (!r) sums.set(key, (r = { container: cid === null ? host : text(cid), proc: text(pid) || "<NA>", tid, syscall, fd, ns: 0, calls: 0 }));
      r.ns += ns;
      r.calls++;
    }
    out.push(...sums.values());
  }
  return out;
}

/** The syscall id (first parameter, as typeName reads it) of each of these events (sorted
 *  nums), straight from the stored records: one pass over the chunks that hold them, no object
 *  per event (a whole capture has a quarter of a million generic events). -1 where missing. */
function syscallIdsOf(db: Db, nums: readonly number[]): Int32Array {
  const ids = new Int32Array(nums.length).fill(-1);
  if (!nums.length) return ids;
  const chunks = db.prepare("SELECT first_num, last_num, data FROM chunks WHERE last_num >= ? AND first_num <= ? ORDER BY first_num")
    .raw().iterate(nums[0], nums[nums.length - 1]) as IterableIterator<[number, number, Buffer]>;
  let i = 0;
  for (const [first, last, buf] of chunks) {
    if (i >= nums.length) break;
    if (last < nums[i]) continue;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let o = 0, num = first; o < buf.length && i < nums.length && nums[i] <= last; num++) {
      const len = dv.getUint32(o, true);
      if (num === nums[i]) {
        const lenSize = buf[o + 4];
        const np = dv.getUint16(o + 5, true);
        if (np > 0) {
          const l0 = lenSize === 2 ? dv.getUint16(o + 7, true) : dv.getUint32(o + 7, true);
          const v = o + 7 + np * lenSize;
          ids[i] = l0 === 2 ? dv.getUint16(v, true) : l0 === 4 || l0 === 8 ? dv.getUint32(v, true) : -1;
        }
        i++;
      }
      o += len;
    }
  }
  return ids;
}

/** Whether the ingest kept the whole capture's sums by container (capture-008, meta '2'). A
 *  capture ingested before ('1': sums without the container, dropped by that migration) or a
 *  live one still growing (no meta yet) sums its events. */
function hasSyscallTime(db: Db): boolean {
  return (db.prepare("SELECT value FROM meta WHERE key = 'syscall_time'").pluck().get() as string | undefined) === "2";
}

/** The ingest's sums: a few hundred rows for two million events, each call already in the
 *  container its thread was in (ST_HOST: the host). */
function storedSyscallTime(db: Db): SyscallTimeRow[] {
  const rows = db.prepare(
    `SELECT cs.s AS container, s.s AS proc, t.tid AS tid, t.type AS type, t.sc AS sc, f.name AS fd, t.ns AS ns, t.calls AS calls
       FROM syscall_time t JOIN strings s ON s.id = t.proc LEFT JOIN fds f ON f.id = t.fdref
       LEFT JOIN strings cs ON cs.id = t.container AND t.container <> ${ST_HOST}`,
  ).all() as { container: string | null; proc: string; tid: number; type: number; sc: number; fd: string | null; ns: number; calls: number }[];
  return rows.map((r) => ({
    container: r.container ?? "host", proc: r.proc || "<NA>", tid: r.tid,
    syscall: callName(r.type, r.sc),
    fd: r.fd || undefined, ns: r.ns, calls: r.calls,
  }));
}

/** A call's frame: a generic event's syscall (`sc`, its id parameter, -1 when not one), or the
 *  event type's name, as %evt.type prints them. */
function callName(type: number, sc: number): string {
  return sc >= 0 ? (SYSCALL_NAMES[sc] ?? "<unknown>") : (EVENTS[type]?.name ?? "<unknown>");
}

/** container → process → thread → call → fd, in ns. */
export function syscallTimeTree(rows: readonly SyscallTimeRow[]): FlameTree {
  const b = new FlameTreeBuilder("ns");
  for (const r of rows) b.add(syscallFrames(r), r.ns);
  return b.tree;
}

/** A row's frames, root first: container, process, thread, call, and the fd when it had one. */
export function syscallFrames(r: SyscallTimeRow): string[] {
  const frames = [r.container, r.proc, String(r.tid), r.syscall];
  if (r.fd !== undefined) frames.push(r.fd);
  return frames;
}

/** Reads a profile file's text (the store keeps it as uploaded), sniffing its format. */
export function readProfileText(text: string): Profile {
  const s = sniffStacks(text.slice(0, SNIFF_CHARS), text.length <= SNIFF_CHARS);
  if ("more" in s) throw new StacksError("too short to tell what kind of profile it is", 1);
  if (!s.format) throw new StacksError(s.why.replace(/ \(at line \d+\)$/, ""), Number(/at line (\d+)/.exec(s.why)?.[1] ?? 1));
  const imp = importerFor(s.format);
  // In pieces, as the importers stream: one huge string would only be split again.
  for (let i = 0; i < text.length; i += 1 << 20) imp.push(text.slice(i, i + (1 << 20)));
  return imp.end();
}

/** The section a flame source names: on-cpu/off-cpu (the casefile profile), or a section by
 *  name, or the first one ("" or "syscalls" on a profile: its first section). */
export function pickSection(p: Profile, source: string): StackSection {
  const s = p.sections.find((x) => x.name === source) ?? (source === "" || source === "syscalls" || source === "samples" ? p.sections[0] : undefined);
  if (!s) throw new StacksError(`the profile has no section ${JSON.stringify(source)}; it has ${p.sections.map((x) => x.name).join(", ") || "none"}`, 1);
  return s;
}

export function profileTree(section: StackSection): FlameTree {
  return treeFromFolded(section.stacks, section.unit);
}

export function profileDiff(before: StackSection, after: StackSection): FlameTree {
  if (before.unit !== after.unit) {
    throw new StacksError(`the two profiles count in different units (${before.unit}, ${after.unit})`, 1);
  }
  return diffTree(before.stacks, after.stacks, after.unit);
}
