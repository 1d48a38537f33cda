// The state (threads, fds, users) of a stored capture at any event: the nearest checkpoint at or
// before it, restored, then the events after it replayed from their stored raw records.

import type { Db } from "../../db/open-db";
import { applyEvent } from "../core/state/apply";
import { ParamIndex } from "../core/events/params";
import { restore } from "../core/state/snapshot";
import type { ThreadTable } from "../core/state/threads";
import { forEachStoredEvent } from "./raw-events";

/** The thread table once event `at` has been applied (as the lsof/netstat/ps chisels see it),
 *  or undefined when the capture has no such event. */
export function storedStateAt(db: Db, at: number): ThreadTable | undefined {
  const last = (db.prepare("SELECT max(num) AS n FROM events").get() as { n: number | null }).n ?? 0;
  // Leading container events take numbers, but no chisel ever sees the state at them.
  const firstShown = Number((db.prepare("SELECT value FROM meta WHERE key = 'first_shown'").get() as { value: string } | undefined)?.value ?? 1);
  if (at < firstShown || at > last) return undefined;
  const cp = db.prepare("SELECT num, data FROM checkpoints WHERE num <= ? ORDER BY num DESC LIMIT 1").get(at) as
    { num: number; data: Buffer | string } | undefined;
  if (!cp) throw new Error("this capture has no state checkpoints: ingest it again");
  const table = restore(typeof cp.data === "string" ? cp.data : cp.data.toString("utf8"));
  const params = new ParamIndex();
  forEachStoredEvent(db, cp.num + 1, at, (_num, ev) => applyEvent(table, ev.tid, ev.type, params.load(ev)));
  return table;
}
