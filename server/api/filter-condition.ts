// A filter, as the user typed it, to the SQL condition the analyses run with.

import { ALL, type SqlCondition } from "./analyses";

export class FilterError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
  }
}

export function filterCondition(filter: string | undefined): SqlCondition {
  if (!filter || !filter.trim()) return ALL;
  throw new FilterError("filters on stored captures are not available yet");
}
