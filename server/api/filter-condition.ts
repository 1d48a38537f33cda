// A filter, as the user typed it, to the SQL condition the stored-capture queries run with.
// Fields the event columns answer exactly as sysdig does compile exactly; fd.* fields
// come from the ingest's own columns, which differ from sysdig's fields in corner cases (the
// filter compiler lists them), so a condition says when it used them. The events list replays
// the capture file instead for those (planFilter).

import type { Filter } from "../core/filter/ast";
import { compileFilter, type Predicate } from "../core/filter/evaluate";
import { FilterError as ParseError, parseFilter } from "../core/filter/parser";
import { filterToSql } from "../core/filter/sql";
import { ALL, type SqlCondition } from "./analyses";
import { isErrorNamed } from "./http-json";
import { hostServices } from "../ingest/host-services";

export class FilterError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
    this.name = "FilterError";
  }
}

/** By name (see isErrorNamed): the parser's FilterError and this one both count. */
export function isFilterError(e: unknown): e is FilterError {
  return isErrorNamed(e, "FilterError");
}

export interface StoredCondition extends SqlCondition {
  /** Fields answered from the ingest columns rather than exactly as sysdig (empty if none). */
  approximate: string[];
}

function parse(filter: string): Filter {
  try {
    return parseFilter(filter, { services: hostServices() });
  } catch (e) {
    if (e instanceof ParseError) throw new FilterError(e.message, e.position);
    throw e;
  }
}

export function filterCondition(filter: string | undefined): StoredCondition {
  const plan = planFilter(filter);
  if (plan.sql) return plan.sql;
  if (plan.approximate) return plan.approximate;
  throw new FilterError(`a stored capture cannot answer ${plan.unanswerable.join(", ")} yet; use casefile events FILE FILTER on the file`);
}

/** How a stored capture answers a filter: exactly in SQL; or else exactly by replaying the
 *  capture file with the predicate, or approximately in SQL where the ingest columns stand in. */
export type FilterPlan =
  | { sql: StoredCondition; predicate?: undefined; approximate?: undefined; unanswerable?: undefined }
  | { sql?: undefined; predicate: Predicate; approximate?: StoredCondition; unanswerable: string[] };

export function planFilter(filter: string | undefined): FilterPlan {
  if (!filter || !filter.trim()) return { sql: { ...ALL, approximate: [] } };
  const parsed = parse(filter);
  const exact = filterToSql(parsed);
  if (exact.ok) return { sql: { sql: exact.sql, params: exact.params, approximate: [] } };
  const near = filterToSql(parsed, { inexact: true });
  const approximate = near.ok ? { sql: near.sql, params: near.params, approximate: exact.unanswerable } : undefined;
  return { predicate: compileFilter(parsed), approximate, unanswerable: near.ok ? exact.unanswerable : near.unanswerable };
}
