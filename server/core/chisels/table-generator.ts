// sysdig's table chisels (topprocs_*, topfiles_*, topconns, topports_server, topscalls*,
// fdbytes_by, fdtime_by) are all table_generator.lua with different arguments: group the events
// that pass the chisel's filter by the values of some key fields, sum a value field, and print
// the biggest sums with common.lua's print_sorted_table. This is that one generator; each
// chisel is a TableView (table-chisels.ts). fdcount_by, which counts distinct fds per key, is
// here too since it shares the sorting and the Lua value rules.
//
// Values follow what sysdig's Lua sees (chisel_api.cpp rawval_to_lua_stack): numeric fields are
// Lua numbers (doubles), booleans booleans, IP addresses text, the rest strings; a NULL field is
// nil and the event does not count.

import { ipText, displayExtractorFor, type Extractor, type Value } from "../filter/extract";
import { resolveField } from "../filter/parser";
import type { FilterContext } from "../filter/runtime";
import { ChiselArgError, ChiselError, type CaptureSpan, type ChiselOutput, type ChiselRun } from "./chisel";
import { extendString, formatBytes, formatTimeInterval, luaFixed, luaHead, luaText } from "./lua-format";
import { sortedKeys, type LuaKey } from "./lua-sort";

export type Units = "bytes" | "time" | "timepct" | "none";

/** table_generator.lua's arguments. */
export interface TableView {
  /** The key fields (table_generator's comma-separated "keys"). */
  keys: readonly string[];
  keyDescs: readonly string[];
  /** The field summed per key. */
  value: string;
  valueDesc: string;
  /** chisel.set_filter ("" for none). */
  filter: string;
  /** How many rows to print; 0: all. */
  top: number;
  units: Units;
  /** topprocs_cpu's own on_event (not table_generator's): it adds value*scale for every event,
   *  zero included, where table_generator adds only values above zero. */
  scale?: number;
}

/** chisel.request_field for a field the user names: sysdig refuses unknown ones before reading
 *  the capture ("chisel requesting nonexistent field X"). */
export function requestUserField(name: string): Extractor {
  let ref;
  try {
    ref = resolveField(name)?.ref;
  } catch {
    ref = undefined;
  }
  if (!ref) throw new ChiselArgError(`chisel requesting nonexistent field ${name}`);
  const x = displayExtractorFor(ref);
  if (!x || !ref.field.supported) throw new ChiselArgError(`field ${ref.field.name} is not supported by casefile yet`);
  return x;
}

/** A field value as evt.field() gives it to Lua. */
export function luaValue(v: Value): LuaKey | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Uint8Array) return ipText(v);
  return v;
}

/** Lua's `a .. b`: numbers as "%.14g"; a boolean is an error that stops the chisel. */
function concat(a: LuaKey, b: LuaKey): string {
  if (typeof a === "boolean" || typeof b === "boolean") {
    throw new ChiselError("table_generator.lua: attempt to concatenate a boolean value", []);
  }
  return luaText(a) + "\x01\x01" + luaText(b);
}

const EXTEND = 20;
const RULE = "-".repeat(80);

function formatValue(v: number, units: Units, delta: number): string {
  switch (units) {
    case "none": return luaText(v);
    case "bytes": return formatBytes(v);
    case "time": return formatTimeInterval(v);
    case "timepct": return delta > 0 ? `${luaFixed((v / delta) * 100, 2)}%` : "0.00%";
  }
}

/** print_sorted_table (the "normal" output format). `sums` in insertion order. */
export function printSortedTable(sums: Map<LuaKey, number>, view: TableView, span: CaptureSpan): ChiselOutput {
  const delta = Number(BigInt.asIntN(64, span.lastTs - span.firstTs));
  const lines = [extendString(view.valueDesc, EXTEND) + view.keyDescs.map((d) => extendString(d, EXTEND)).join(""), RULE];
  const rows: (string | number)[][] = [];
  const keys = sortedKeys([...sums.keys()], (a, b) => sums.get(b)! < sums.get(a)!);
  for (let i = 0; i < keys.length && (view.top === 0 || i < view.top); i++) {
    const k = keys[i];
    // pairs_top_by_val's iterator ends at a false key; a true one makes split() fail, which
    // sysdig swallows after printing what came before.
    if (typeof k === "boolean") break;
    const v = sums.get(k)!;
    const parts = typeof k === "number" ? [k] : k.split("\x01\x01");
    let keystr = "";
    parts.forEach((p, j) => {
      const s = luaText(p);
      keystr += j < parts.length - 1 ? extendString(luaHead(s, EXTEND), EXTEND) : s;
    });
    // print(): a key with line ends in it (a file name can have them) makes several lines.
    lines.push(...(extendString(formatValue(v, view.units, delta), EXTEND) + keystr).split("\n"));
    rows.push([v, ...parts]);
  }
  return { lines, table: { columns: [view.valueDesc, ...view.keyDescs], rows } };
}

/** A run of table_generator with these arguments. Throws ChiselArgError for unknown fields. */
export function tableRun(view: TableView): ChiselRun {
  const keyFields = view.keys.map(requestUserField);
  const valueField = requestUserField(view.value);
  const sums = new Map<LuaKey, number>();
  const scale = view.scale;
  return {
    filter: view.filter || undefined,
    // topscalls counts procinfo events, topprocs_cpu reads nothing else.
    seesHidden: true,
    event(ctx: FilterContext) {
      let key: LuaKey | undefined;
      for (const f of keyFields) {
        const kv = luaValue(f(ctx));
        if (kv === undefined) return;
        key = key === undefined ? kv : concat(key, kv);
      }
      if (key === undefined) return;
      const value = luaValue(valueField(ctx));
      if (typeof value !== "number") return;
      if (scale !== undefined) {
        const prev = sums.get(key);
        sums.set(key, prev === undefined ? value * scale : prev + value * scale);
      } else if (value > 0) {
        const prev = sums.get(key);
        sums.set(key, prev === undefined ? value : prev + value);
      }
    },
    end: (span) => printSortedTable(sums, view, span ?? { firstTs: 0n, lastTs: 0n }),
  };
}

/** fdcount_by.lua: per value of `key`, how many distinct fds (number and name) the events that
 *  name an fd above 0 touched; every key, biggest count first, printed as Lua's print(k, n). */
export function fdCountRun(keyField: string): ChiselRun {
  const fkey = requestUserField(keyField);
  const fnum = requestUserField("fd.num");
  const fname = requestUserField("fd.name");
  const counts = new Map<LuaKey, Set<string>>();
  return {
    seesHidden: true,
    event(ctx: FilterContext) {
      const key = luaValue(fkey(ctx));
      const num = luaValue(fnum(ctx));
      const name = luaValue(fname(ctx));
      if (key === undefined || typeof num !== "number" || !(num > 0) || name === undefined || name === "") return;
      let fds = counts.get(key);
      if (!fds) counts.set(key, (fds = new Set()));
      fds.add(luaText(num) + luaText(name));
    },
    end() {
      const keys = sortedKeys([...counts.keys()], (a, b) => counts.get(b)!.size < counts.get(a)!.size);
      const lines: string[] = [];
      const rows: (string | number)[][] = [];
      for (const k of keys) {
        // The iterator stops at a false key (true prints as "true").
        if (k === false) break;
        const n = counts.get(k)!.size;
        lines.push(...`${luaText(k)}\t${luaText(n)}`.split("\n"));
        rows.push([typeof k === "boolean" ? String(k) : k, n]);
      }
      return { lines, table: { columns: [keyField, "FDs"], rows } };
    },
  };
}
