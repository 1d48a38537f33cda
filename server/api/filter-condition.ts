// A filter, as the user typed it, to the SQL condition the stored-capture queries run with.
// Fields the event columns answer exactly as sysdig does compile exactly; fd.* and evt.latency
// come from the ingest's own columns, which differ from sysdig's fields in corner cases (the
// filter compiler lists them), so a condition says when it used them.

import { FilterError as ParseError, parseFilter } from "../core/filter/parser";
import { filterToSql } from "../core/filter/sql";
import { ALL, type SqlCondition } from "./analyses";

export class FilterError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
    this.name = "FilterError";
  }
}

/** By name, not instanceof: route handlers are bundled by Next, so they hold their own copy of
 *  this class, while the store (loaded by the server) throws the server's. */
export function isFilterError(e: unknown): e is FilterError {
  return e instanceof Error && e.name === "FilterError";
}

export interface StoredCondition extends SqlCondition {
  /** Fields answered from the ingest columns rather than exactly as sysdig (empty if none). */
  approximate: string[];
}

export function filterCondition(filter: string | undefined): StoredCondition {
  if (!filter || !filter.trim()) return { ...ALL, approximate: [] };
  let parsed;
  try {
    parsed = parseFilter(filter);
  } catch (e) {
    if (e instanceof ParseError) throw new FilterError(e.message, e.position);
    throw e;
  }
  const exact = filterToSql(parsed);
  if (exact.ok) return { sql: exact.sql, params: exact.params, approximate: [] };
  const near = filterToSql(parsed, { inexact: true });
  if (near.ok) return { sql: near.sql, params: near.params, approximate: exact.unanswerable };
  throw new FilterError(`a stored capture cannot answer ${near.unanswerable.join(", ")} yet; use casefile events FILE FILTER on the file`);
}
