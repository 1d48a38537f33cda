// The page row-blocks.test.ts drives: a block of the events table over its row model, as
// events-table.tsx renders it (useTable with the table's features and columns, a RowBlock of the
// rows), for the events the test gives. Bundled by the test (esbuild), no server.

import { useTable } from "@tanstack/react-table";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import type { EventRow } from "../server/api/store-types";
import { HEADER_WIDTHS, columns, features, rowId } from "../components/events-table/columns";
import { RowBlock } from "../components/events-table/row-blocks";

function Block({ data }: { data: EventRow[] }) {
  const model = useTable({ features, columns, data, getRowId: rowId });
  return <RowBlock rows={model.getRowModel().rows} columns={model.getAllLeafColumns()} widths={HEADER_WIDTHS} selected={null} tabStop={null} />;
}

const root = createRoot(document.getElementById("root")!);
/** Renders these events (the same component: an update, as a new page or answer is), at once. */
(window as unknown as { showEvents(data: EventRow[]): void }).showEvents = (data) => flushSync(() => root.render(<Block data={data} />));
