// Rendering stored events as sysdig prints them: columns from the events table, parameters
// from the raw chunks, and fd/pid texts as they were recorded at ingest.

import type { Db } from "../../db/open-db";
import { infoText, type RenderContext } from "../core/events/format";
import { HIDDEN_TYPES } from "../core/events/event-stream";
import { ParamIndex } from "../core/events/params";
import { procName, typeName } from "../core/events/printer";
import type { RawEvent } from "../core/formats/scap/reader";
import type { EventRow } from "./store-types";

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
}

function meta(db: Db, key: string): string | undefined {
  return (db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
}

export function renderStoredEvents(db: Db, from: number, limit: number): { events: EventRow[]; next: number | null } {
  const base = BigInt(meta(db, "base_ts") ?? "0");
  const firstShown = Number(meta(db, "first_shown") ?? "1");
  const rows = db.prepare(
    `SELECT e.num, e.ts, e.cpu, e.tid, e.type, p.s AS proc, l.s AS labels
       FROM events e JOIN strings p ON p.id = e.proc LEFT JOIN strings l ON l.id = e.labels
      WHERE e.num >= ? AND e.type NOT IN (${HIDDEN_LIST}) ORDER BY e.num LIMIT ?`,
  ).all(Math.max(from, firstShown), limit + 1) as Row[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  if (rows.length === 0) return { events: [], next: null };

  const raw = rawRecords(db, rows[0].num, rows[rows.length - 1].num);
  const params = new ParamIndex();
  const events = rows.map((r): EventRow => {
    const ev = raw.get(r.num);
    const ts = r.ts === null ? 0n : base + BigInt(r.ts);
    let info = "";
    let type = "";
    let proc = r.proc || "<NA>";
    if (ev) {
      ev.type = r.type;
      const p = params.load(ev);
      info = infoText(r.type, p, NO_STATE, r.labels === null ? [] : r.labels.split("\u0001"));
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

/** The raw parameter records of events first..last, as RawEvent views over the chunk blobs. */
function rawRecords(db: Db, first: number, last: number): Map<number, RawEvent> {
  const chunks = db.prepare(
    "SELECT first_num, data FROM chunks WHERE last_num >= ? AND first_num <= ? ORDER BY first_num",
  ).all(first, last) as { first_num: number; data: Buffer }[];
  const out = new Map<number, RawEvent>();
  for (const c of chunks) {
    const buf = c.data;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let num = c.first_num;
    for (let o = 0; o < buf.length; num++) {
      const len = dv.getUint32(o, true);
      if (num >= first && num <= last) {
        const lenSize = buf[o + 4] as 2 | 4;
        const nparams = dv.getUint16(o + 5, true);
        out.set(num, {
          buf, dv, blockOffset: 0, cpu: 0, flags: 0, tsHi: 0, tsLo: 0, tid: 0, type: 0, nparams,
          lenSize, lensOff: o + 7, valsOff: o + 7 + nparams * lenSize, end: o + len,
        });
      }
      o += len;
    }
  }
  return out;
}
