// Rendering stored events as sysdig prints them: columns from the events table, parameters
// from the raw chunks, and fd/pid texts as they were recorded at ingest.

import type { Db } from "../../db/open-db";
import { fdParamText, infoText, type RenderContext } from "../core/events/format";
import { HIDDEN_TYPES, SOLE_FD_PARAM, hasSoleFdText } from "../core/events/event-stream";
import { ParamIndex } from "../core/events/params";
import { procName, typeName } from "../core/events/printer";
import type { EventRow } from "./store-types";
import { rawEventsAt } from "./raw-events";
import { ALL, type SqlCondition } from "./analyses";
import { baseTs, firstShown } from "./capture-meta";

const HIDDEN_LIST = [...HIDDEN_TYPES].join(",") || "-1";

/** Stored rows carry their fd/pid texts; nothing else needs the state. */
const NO_STATE: RenderContext = { fd: () => undefined, comm: () => undefined, cwd: () => "" };

interface Row {
  num: number;
  ts: number | null;
  cpu: number;
  tid: number;
  type: number;
  proc: string;
  labels: string | null;
  fdLabel: string | null;
}

/** The stored texts of an event's stateful parameters: its labels string, or, when ingest left
 *  that out, the text of its fd from the fds row. */
function statefulTexts(r: Row, p: ParamIndex): string[] {
  if (r.labels !== null) return r.labels.split("\u0001");
  if (r.fdLabel !== null && hasSoleFdText(r.type, p)) return [fdParamText(p.int(SOLE_FD_PARAM[r.type]), r.fdLabel)];
  return [];
}

export function renderStoredEvents(
  db: Db, from: number, limit: number, where: SqlCondition = ALL,
): { events: EventRow[]; next: number | null } {
  const base = baseTs(db);
  const shown = firstShown(db);
  const rows = db.prepare(
    `SELECT e.num, e.ts, e.cpu, e.tid, e.type, p.s AS proc, l.s AS labels, f.label AS fdLabel
       FROM events e JOIN strings p ON p.id = e.proc LEFT JOIN strings l ON l.id = e.labels
       LEFT JOIN fds f ON f.id = e.fdref
      WHERE e.num >= ? AND e.type NOT IN (${HIDDEN_LIST}) AND (${where.sql}) ORDER BY e.num LIMIT ?`,
  ).all(Math.max(from, shown), ...where.params, limit + 1) as Row[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  if (rows.length === 0) return { events: [], next: null };

  const params = new ParamIndex();
  const raw = rawEventsAt(db, rows.map((r) => r.num));
  const events = rows.map((r): EventRow => {
    const ev = raw.get(r.num);
    const ts = r.ts === null ? 0n : base + BigInt(r.ts);
    let info = "";
    let type = "";
    let proc = r.proc || "<NA>";
    if (ev) {
      ev.type = r.type;
      const p = params.load(ev);
      info = infoText(r.type, p, NO_STATE, statefulTexts(r, p));
      type = typeName(r.type, p);
      proc = procName(r.type, r.proc, p);
    }
    return {
      num: r.num, ts: ts.toString(), cpu: r.cpu, proc, tid: r.tid,
      dir: r.type % 2 === 0 ? ">" : "<", type, info,
    };
  });
  return { events, next: more ? rows[rows.length - 1].num + 1 : null };
}
