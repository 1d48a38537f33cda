// Event facts of sysdig 0.29.3 that filters depend on and that differ from the event table
// (event-table.ts follows current libs for flags and categories): which events concern an fd
// (fd.* fields are NULL for the others), and event categories (evt.category, evt.latency).
// Read from g_event_info and g_syscall_info_table of the libscap shared library sysdig 0.29.3
// ships with (libscap.so.0.1.1dev+git20220316.e5c53d64, libs e5c53d64): libs' category and
// flag numbers, which for these bits are the same as EC.* and EF.* in events/types.ts.

import { EVENTS } from "../events/event-table";
import type { ParamIndex } from "../events/params";

/** Low 9 flag bits (EF_CREATES_FD .. EF_SKIPPARSERESET) where sysdig 0.29.3's differ. */
const FLAG_OVERRIDES: Record<number, number> = {
  51: 0x0, // sendmmsg
  55: 0x0, // recvmmsg
  77: 0x4, // fstat64
  147: 0x140, // NA2
  160: 0x0, // mmap
  161: 0x0, // mmap
  162: 0x0, // mmap2
  163: 0x0, // mmap2
  181: 0x0, // symlinkat
  269: 0x0, // tracer
  294: 0x20, // setpgid
  295: 0x20, // setpgid
  303: 0x0, // unlinkat
  305: 0x0, // mkdirat
  313: 0x0, // fchmodat
  317: 0x0, // fchmod
};

/** Event categories where sysdig 0.29.3's differ. */
const CATEGORY_OVERRIDES: Record<number, number> = {
  17: 6, // NA1
  147: 128, // NA2
  153: 128, // NA2
  187: 6, // NA1
  197: 256, // sysdigevent
  229: 256, // container
  233: 9, // signaldeliver
  235: 256, // NA2
  245: 8, // NA2
  261: 8, // NA3
  269: 1, // tracer
  271: 8, // NA4
  273: 6, // container
  281: 8, // NA4
  287: 8, // NA4
  291: 1, // NA5
  323: 1, // pluginevent
  325: 6, // container
};

/** Per PPM_SC_* syscall code: its category (generic `syscall` events take it). */
const SYSCALL_CATEGORIES: readonly number[] = [
  1, 8, 6, 32, 33, 2, 2, 2, 2, 2, 2, 11, 2, 2, 2, 2,
  6, 2, 1, 11, 2, 64, 11, 2, 34, 4, 2, 2, 2, 34, 4, 11,
  5, 6, 34, 64, 6, 6, 4, 2, 34, 6, 6, 6, 8, 6, 6, 11,
  11, 2, 2, 2, 6, 6, 8, 2, 2, 2, 2, 2, 6, 6, 2, 2,
  8, 11, 11, 8, 1, 64, 8, 8, 34, 8, 8, 5, 8, 8, 8, 6,
  2, 8, 6, 2, 64, 2, 34, 32, 33, 6, 34, 5, 5, 5, 5, 6,
  6, 6, 6, 7, 6, 6, 6, 7, 2, 64, 6, 9, 9, 9, 9, 9,
  9, 2, 6, 6, 2, 6, 2, 10, 10, 10, 10, 10, 10, 10, 10, 2,
  10, 10, 10, 10, 2, 10, 10, 10, 10, 6, 5, 5, 6, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 9, 4, 6, 6, 6, 6, 34,
  34, 34, 34, 34, 34, 64, 64, 64, 2, 6, 11, 11, 11, 11, 11, 11,
  11, 11, 7, 9, 2, 4, 4, 4, 4, 4, 4, 8, 64, 8, 8, 8,
  6, 6, 4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 64, 64, 6, 6, 6, 4, 4, 4, 6, 64, 2, 9, 11, 4, 11,
  11, 9, 4, 64, 34, 4, 4, 32, 33, 1, 1, 4, 6, 1, 2, 6,
  4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 2,
  2, 6, 1, 9, 4, 3, 2, 2, 2, 2, 2, 64, 9, 9, 9, 8,
  2, 9, 6, 11, 2, 64, 2, 2, 6, 4, 9, 34, 34, 34, 34, 34,
  34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 8, 1, 1, 34, 34, 34,
  2, 2, 2, 2, 8, 8, 2, 6, 6,
];

export const LEGACY_FLAGS: Uint32Array = Uint32Array.from(EVENTS.map((e, id) =>
  id in FLAG_OVERRIDES ? (e.flags & ~0x1ff) | FLAG_OVERRIDES[id] : e.flags));

const LEGACY_CATEGORY: Uint32Array = Uint32Array.from(EVENTS.map((e, id) =>
  id in CATEGORY_OVERRIDES ? CATEGORY_OVERRIDES[id] : e.category & 0xffff));

const GENERIC = new Set(EVENTS.flatMap((e, id) => (e.name === "syscall" ? [id] : [])));

/** The event's category (EC.* base value, no EC_SYSCALL-style bits), as sysdig 0.29.3 has it. */
export function eventCategory(type: number, p: ParamIndex): number {
  if (GENERIC.has(type) && p.has(0)) return SYSCALL_CATEGORIES[p.uint(0)] ?? 0;
  return LEGACY_CATEGORY[type];
}
