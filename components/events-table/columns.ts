// The columns of sysdig's default output:
// %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
// Plain definitions rather than a table library's column model: the table renders thousands of
// rows, and each row is one <tr> of plain cells (a library's per-row and per-cell objects and
// components cost more than the rows themselves; see events-table.tsx).

import type { EventRow } from "../../server/api/store-types";
import { timeOfDayUtc } from "../ui/format";

export interface EventColumn {
  key: keyof EventRow;
  header: string;
  /** The cell's text, when it is not the value itself. */
  text?(row: EventRow): string;
}

export const EVENT_COLUMNS: EventColumn[] = [
  { key: "num", header: "evt.num" },
  { key: "ts", header: "time (UTC)", text: (r) => timeOfDayUtc(r.ts) },
  { key: "cpu", header: "cpu" },
  { key: "proc", header: "proc" },
  { key: "tid", header: "tid" },
  { key: "dir", header: "dir" },
  { key: "type", header: "type" },
  { key: "info", header: "info" },
];
