import assert from "node:assert/strict";
import { test } from "node:test";
import { constructTable, createCoreRowModel, tableFeatures } from "@tanstack/react-table";
import { storeReactivityBindings } from "@tanstack/table-core/store-reactivity-bindings";
import type { EventRow } from "../../server/api/store-types";
import { appendedRowModel, extendsData } from "./appended-row-model";
import { columns } from "./columns";

const events = (from: number, n: number): EventRow[] =>
  Array.from({ length: n }, (_, i) => ({ num: from + i, ts: String(1534527348514632619n + BigInt(i)), cpu: i % 4, proc: "curl", tid: 17497, dir: i % 2 ? "<" : ">", type: "read", info: `fd=${i}` }));

/** A table as the page makes it, with the given core row model. */
function tableOf(coreRowModel: typeof features.coreRowModel, data: EventRow[]) {
  return constructTable({ features: tableFeatures({ coreRowModel, coreReactivityFeature: storeReactivityBindings() }), columns, data, getRowId: (e: EventRow) => String(e.num) });
}
const features = tableFeatures({ coreRowModel: appendedRowModel() });
const setData = (t: ReturnType<typeof tableOf>, data: EventRow[]) => t.setOptions((o) => ({ ...o, data }));
/** Each row's id, index, event and cells' texts (every column has a cell function: columns.ts). */
const view = (t: ReturnType<typeof tableOf>) =>
  t.getRowModel().rows.map((r) => [r.id, r.index, r.original, r.getAllCells().map((c) => (c.column.columnDef.cell as (ctx: unknown) => string)(c.getContext()))]);

test("pages appended: the rows already made are kept, the new ones made; the model reads as the library's own", () => {
  const page1 = events(1, 500);
  const mine = tableOf(appendedRowModel(), page1);
  const theirs = tableOf(createCoreRowModel(), page1);
  const before = mine.getRowModel().rows;
  assert.deepEqual(view(mine), view(theirs));
  const two = page1.concat(events(501, 500));
  setData(mine, two);
  setData(theirs, two);
  const after = mine.getRowModel();
  assert.equal(after.rows.length, 1000);
  assert.notEqual(after.rows, before, "a new rows array, so that whoever memoises on it sees the change");
  for (let i = 0; i < before.length; i++) assert.equal(after.rows[i], before[i], `row ${i} kept`);
  assert.equal(after.rowsById["1000"], after.rows[999]);
  assert.equal(after.rowsById["1"], before[0]);
  assert.deepEqual(view(mine), view(theirs));
  assert.equal(mine.getRowModel(), after, "the same data gives the same model");
});

test("other data (a new filter or start) is made anew", () => {
  const t = tableOf(appendedRowModel(), events(1, 10));
  const old = t.getRowModel().rows;
  setData(t, events(1, 20)); // the same evt.nums, but other objects: another answer
  const rows = t.getRowModel().rows;
  assert.equal(rows.length, 20);
  assert.ok(rows.every((r, i) => i >= old.length || r !== old[i]));
  setData(t, events(5, 3));
  assert.deepEqual(t.getRowModel().rows.map((r) => r.id), ["5", "6", "7"]);
  assert.equal(t.getRowModel().rowsById["1"], undefined, "no id left from the data before");
  setData(t, []);
  assert.equal(t.getRowModel().rows.length, 0);
});

test("other rows between the same first and last are other data: every Row is made anew", () => {
  const page = events(1, 5);
  const t = tableOf(appendedRowModel(), page);
  const old = t.getRowModel().rows;
  const other = [page[0], ...events(100, 3), page[4]];
  setData(t, other.concat(events(6, 2)));
  const rows = t.getRowModel().rows;
  assert.ok(rows.every((r, i) => r !== old[i]), "no Row kept: a block memoised on its Rows renders again");
  assert.deepEqual(rows.slice(0, 5).map((r) => r.original), other);
});

test("extendsData: only the old rows, in place, followed by more", () => {
  const a = events(1, 3);
  assert.ok(extendsData(a, a.concat(events(4, 2))));
  assert.ok(!extendsData([], a), "nothing before: nothing to keep");
  assert.ok(!extendsData(a, a.slice(0, 2)));
  assert.ok(!extendsData(a, events(1, 5)));
  assert.ok(!extendsData(a, [a[0], events(9, 1)[0], a[2], ...events(4, 2)]), "the same ends, another row between them");
});
