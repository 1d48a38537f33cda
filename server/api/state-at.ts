// The state (threads, fds, users) of a stored capture at any event: the nearest checkpoint at or
// before it, restored, then the events after it replayed from their stored raw records. And the
// lsof / netstat / ps filter applied to it (core/filter/chisel-filter.ts), for the fields a
// stored capture answers exactly as sysdig.

import type { Db } from "../../db/open-db";
import { applyEvent } from "../core/state/apply";
import { ParamIndex } from "../core/events/params";
import { restore } from "../core/state/snapshot";
import type { FdPredicate } from "../core/state/tables";
import type { ThreadTable } from "../core/state/threads";
import { comparisons } from "../core/filter/ast";
import { FilterContext } from "../core/filter/runtime";
import { rowFilter, type ChiselFilter } from "../core/filter/chisel-filter";
import { forEachStoredEvent } from "./raw-events";
import { baseTs, firstShown } from "./capture-meta";

/** The thread table once event `at` has been applied (as the lsof/netstat/ps chisels see it),
 *  or undefined when the capture has no such event. */
export function storedStateAt(db: Db, at: number): ThreadTable | undefined {
  const last = (db.prepare("SELECT max(num) AS n FROM events").get() as { n: number | null }).n ?? 0;
  // Leading container events take numbers, but no chisel ever sees the state at them.
  const shown = firstShown(db);
  if (at < shown || at > last) return undefined;
  const cp = db.prepare("SELECT num, data FROM checkpoints WHERE num <= ? ORDER BY num DESC LIMIT 1").get(at) as
    { num: number; data: Buffer | string } | undefined;
  if (!cp) throw new Error("this capture has no state checkpoints: ingest it again");
  const table = restore(typeof cp.data === "string" ? cp.data : cp.data.toString("utf8"));
  const params = new ParamIndex();
  forEachStoredEvent(db, cp.num + 1, at, (_num, ev) => applyEvent(table, ev.tid, ev.type, params.load(ev)));
  return table;
}

/** Fields a state filter may use that a stored capture cannot answer as sysdig does: they read
 *  what the state engine's checkpoints do not keep (the process list's cgroups and ttys, the
 *  capture's interfaces, container metadata, page faults of switches sysdig did not parse). */
const NEEDS_THE_FILE: ReadonlySet<string> = new Set([
  "thread.cgroups", "thread.cgroup", "proc.tty", "thread.pfmajor", "thread.pfminor",
  "fd.lip", "fd.rip", "fd.lnet", "fd.rnet", "fd.lport", "fd.rport", "fd.is_server",
  "fd.containername", "fd.containerdirectory",
]);

/** The fields of a state filter a stored capture cannot answer (empty: it answers them all). */
export function unanswerableStateFields(f: ChiselFilter): string[] {
  const out = new Set<string>();
  for (const c of comparisons(f.filter.root)) {
    const field = c.field.field;
    if (field.cls === "container" || NEEDS_THE_FILE.has(field.name)) out.add(c.field.text);
  }
  return [...out];
}

/** An event's time as sysdig has it (ns since the epoch; 0 for events written without one). */
function storedTs(db: Db, where: string, ...params: unknown[]): bigint {
  const base = baseTs(db);
  const r = db.prepare(`SELECT ts FROM events WHERE ${where} ORDER BY num LIMIT 1`).get(...params) as { ts: number | null } | undefined;
  return r && r.ts !== null ? base + BigInt(r.ts) : 0n;
}

const hi = (ts: bigint) => Number(ts >> 32n);
const lo = (ts: bigint) => Number(ts & 0xffffffffn);

/** The chisel filter as a row filter on a stored capture's state at event `at` (the table that
 *  storedStateAt gave). The filter must use only answerable fields (unanswerableStateFields). */
export function storedRowFilter(db: Db, table: ThreadTable, at: number, f: ChiselFilter): FdPredicate {
  // Stored events carry their fd and pid texts: the parameters' rendering needs no state.
  const ctx = new FilterContext({ table, fd: () => undefined, comm: () => undefined, cwd: () => "" });
  // evt.reltime counts from the first event that is not a container event: the first shown.
  const first = storedTs(db, "num = ?", firstShown(db));
  ctx.firstHi = hi(first);
  ctx.firstLo = lo(first);
  // The memory sizes of a brk/mmap/munmap or switch at event N, which sysdig parsed (the chisel
  // runs with the filter evt.num=N: it parsed no such event before N).
  const o = table.vmOverride;
  const t = o.tid >= 0 ? table.threads.get(o.tid) : undefined;
  if (t) {
    const x = ctx.extraOf(t);
    x.vm = [o.sizeKb, o.rssKb, o.swapKb];
    x.vmBase = [t.vmsizeKb, t.vmrssKb, t.vmswapKb];
  }
  const ts = storedTs(db, "num = ?", at);
  return rowFilter(f, ctx, hi(ts), lo(ts));
}
