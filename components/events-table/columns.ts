// The columns of sysdig's default output:
// %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
// Each column's text is said once (EVENT_COLUMNS): the table's column model (@tanstack/react-table,
// `columns`) renders its cells with it, and `widen` measures the widths with it, on a page's rows
// before they are rendered.

import { createColumnHelper, tableFeatures } from "@tanstack/react-table";
import type { EventRow } from "../../server/api/store-types";
import { timeOfDayUtc } from "../ui/format";
import { appendedRowModel } from "./appended-row-model";

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

/** No optional feature (sorting, filtering…): the server filters, and the rows keep sysdig's
 *  order. The core row model keeps the rows already made when a page is appended. */
export const features = tableFeatures({ coreRowModel: appendedRowModel() });

const col = createColumnHelper<typeof features, EventRow>();

/** The table's column model: one accessor column per EVENT_COLUMNS entry (same id, header and
 *  order), its cell the column's text. */
export const columns = col.columns(
  EVENT_COLUMNS.map((c) => col.accessor(c.key, { header: c.header, cell: (cell) => cellText(c, cell.row.original) })),
);

/** The row's id is its evt.num: unique in a capture, and what the DOM and the URL name it by. */
export const rowId = (e: EventRow) => String(e.num);

/** The width of each column but the last (info takes the rest), in characters. */
export type Widths = number[];

/** Each column as wide as its header, in characters of the monospace font. */
export const HEADER_WIDTHS: Widths = EVENT_COLUMNS.slice(0, -1).map((c) => c.header.length);

/** The cell's text. */
export function cellText(c: EventColumn, r: EventRow): string {
  return c.text ? c.text(r) : String(r[c.key]);
}

/** The widths, widened to hold the widest text of each column in `rows`; the same array when
 *  none is wider (so that no block renders again). A wider value widens its column in every
 *  block, once. */
export function widen(widths: Widths, rows: EventRow[]): Widths {
  let w = widths;
  for (const r of rows) {
    for (let i = 0; i < w.length; i++) {
      const n = cellText(EVENT_COLUMNS[i], r).length;
      if (n > w[i]) {
        if (w === widths) w = widths.slice();
        w[i] = n;
      }
    }
  }
  return w;
}
