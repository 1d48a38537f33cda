// Where a named parameter sits, per event type. Each event type has its own parameter layout
// (the same name at different places, absent from others); the state engine, the renderer and
// the filter fields read parameters by name on every event, so a name is resolved once for
// every type, into a typed array indexed by the event type.

import { EVENTS } from "./event-table";

/** Per event type: the index of its parameter called `name`, or -1. */
export function paramIndexTable(name: string): Int16Array {
  return Int16Array.from(EVENTS.map((e) => e.params.findIndex((p) => p.name === name)));
}
