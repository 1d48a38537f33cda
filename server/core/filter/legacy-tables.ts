// Event facts of sysdig 0.29.3 that filters depend on and that differ from the event table
// (event-table.ts follows current libs for flags and categories): which events concern an fd
// (fd.* fields are NULL for the others), and event categories (evt.category, evt.latency). The
// facts themselves are generated from libs e5c53d64 (legacy-event-facts.ts); this file applies
// them to the event table.

import { EVENTS } from "../events/event-table";
import type { ParamIndex } from "../events/params";
import { LEGACY_EVENT_CATEGORIES, LEGACY_EVENT_FLAGS, SYSCALL_CATEGORIES } from "./legacy-event-facts";

/** The flag bits sysdig 0.29.3's table gives (EF_CREATES_FD .. EF_SKIPPARSERESET); the higher
 *  bits stay the event table's. */
const LOW_FLAGS = 0x1ff;

// Events newer than sysdig 0.29.3's table keep the event table's facts.
export const LEGACY_FLAGS: Uint32Array = Uint32Array.from(EVENTS.map((e, id) =>
  id < LEGACY_EVENT_FLAGS.length ? (e.flags & ~LOW_FLAGS) | LEGACY_EVENT_FLAGS[id]! : e.flags));

const LEGACY_CATEGORY: Uint32Array = Uint32Array.from(EVENTS.map((e, id) =>
  id < LEGACY_EVENT_CATEGORIES.length ? LEGACY_EVENT_CATEGORIES[id]! : e.category & 0xffff));

const GENERIC = new Set(EVENTS.flatMap((e, id) => (e.name === "syscall" ? [id] : [])));

/** The event's category (EC.* base value, no EC_SYSCALL-style bits), as sysdig 0.29.3 has it. */
export function eventCategory(type: number, p: ParamIndex): number {
  if (GENERIC.has(type) && p.has(0)) return SYSCALL_CATEGORIES[p.uint(0)] ?? 0;
  return LEGACY_CATEGORY[type];
}
