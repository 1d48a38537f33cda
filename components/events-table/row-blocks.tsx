// The events table's rows, in blocks (events-table.tsx says why blocks): each block a memoised
// fixed-layout <table> of the row model's Rows, each row a memoised <tr> of the columns' cells.

import { memo, type ReactNode } from "react";
import type { Cell, Column, Row } from "@tanstack/react-table";
import type { EventRow } from "../../server/api/store-types";
import type { Widths, features } from "./columns";

type EventModelRow = Row<typeof features, EventRow>;
type EventColumnModel = Column<typeof features, EventRow>;

/** The same <colgroup> in the header and in every block, so that their columns line up. */
export function Columns({ columns, widths }: { columns: EventColumnModel[]; widths: Widths }) {
  return (
    <colgroup>
      {columns.map((c, i) => (
        // 16px: a cell's padding (globals.css, .events-table td).
        <col key={c.id} className={`col-${c.id}`} style={i < widths.length ? { width: `calc(${widths[i]}ch + 16px)` } : undefined} />
      ))}
    </colgroup>
  );
}

interface BlockProps {
  rows: EventModelRow[];
  /** The table's leaf columns (the same array while the column definitions are the same). */
  columns: EventColumnModel[];
  widths: Widths;
  /** The selected evt.num and the keyboard's tab stop, when they are in this block (else null). */
  selected: number | null;
  tabStop: number | null;
}

/** Up to BLOCK rows. Rendered again only when one of its Rows is another object: the row model
 *  keeps a Row while its event is the same object at the same index (appended-row-model.ts) and
 *  makes new ones for any other data, so a full block of a growing table stays as it is, while
 *  other rows (a new answer, even one with the same first event and as many rows) always show.
 *  Comparing each Row costs a step per loaded row on each render of the table (~0.07 ms for
 *  20,000 in node); comparing only the first event and the length left the old rows on screen. */
export const RowBlock = memo(
  function RowBlock({ rows, columns, widths, selected, tabStop }: BlockProps) {
    return (
      <div className="events-block">
        <table role="rowgroup">
          <Columns columns={columns} widths={widths} />
          <tbody>
            {rows.map((row) => <EventTr key={row.id} row={row} selected={row.original.num === selected} tabStop={row.original.num === tabStop} />)}
          </tbody>
        </table>
      </div>
    );
  },
  (a, b) =>
    sameRows(a.rows, b.rows) && a.columns === b.columns && a.widths === b.widths && a.selected === b.selected && a.tabStop === b.tabStop,
);

function sameRows(a: readonly EventModelRow[], b: readonly EventModelRow[]): boolean {
  return a.length === b.length && a.every((row, i) => row === b[i]);
}

/** One row, its cells the column definitions' cell functions. Memoised (on its Row, as the
 *  blocks): moving the selection re-renders two rows, not a block. */
const EventTr = memo(function EventTr({ row, selected, tabStop }: { row: EventModelRow; selected: boolean; tabStop: boolean }) {
  const e = row.original;
  return (
    <tr data-num={e.num} className={`${e.dir === ">" ? "enter" : "exit"}${selected ? " selected" : ""}`} aria-selected={selected} tabIndex={tabStop ? 0 : -1}>
      {row.getAllCells().map((cell) => (
        <td key={cell.column.id} className={`col-${cell.column.id}`}>
          {cellContent(cell)}
        </td>
      ))}
    </tr>
  );
});

/** A cell's content: its column's cell function, called. flexRender (and <FlexRender cell>) would
 *  mount that function as a component: a fiber per cell, 800 a block, that React also walks over
 *  on every context change above the table (each URL update as the top row follows the scroll),
 *  for cells that are plain text. */
function cellContent(cell: Cell<typeof features, EventRow>): ReactNode {
  const render = cell.column.columnDef.cell;
  return typeof render === "function" ? render(cell.getContext()) : render;
}
