// evt.latency as sysdig 0.29.3 keeps it: per thread, the time of its last enter event and the
// latency of its last exit (an exit's distance to that enter, whatever call it was). Events
// sysdig does not "reset" its thread for (switch, and those flagged to skip it) leave both as
// they were; internal events have no latency at all. The filter context and the ingest both
// follow it, so stored captures answer evt.latency exactly.

import type { ParamIndex } from "../events/params";
import { EVENTS } from "../events/event-table";
import { EC, EF } from "../events/types";
import { eventCategory, LEGACY_FLAGS } from "./legacy-tables";

export interface LatencyState {
  /** ts of the thread's last enter event, hi/lo; 0/0: none. */
  enterHi: number;
  enterLo: number;
  /** ns between the thread's last exit event and the enter before it. */
  latency: number;
}

/** Per event type: whether it resets its thread's latency state (sinsp_parser::reset). */
export const RESETS_THREAD: readonly boolean[] = EVENTS.map((e, type) =>
  !(LEGACY_FLAGS[type] & EF.SKIPPARSERESET) && e.name !== "switch");

/** Per event type: whether libsinsp parses it with no thread at all (EF_SKIPPARSERESET, switch
 *  aside: reset() still finds a switch's thread). Its evt->m_tinfo stays NULL, so evt.latency
 *  reads 0 there, not the thread's last latency: sysdig 0.29.3 gives notification,
 *  cpu_hotplug and plugin events of a thread that just left a call a latency of 0, and
 *  topscalls_time never counts them. */
export const NO_TINFO: readonly boolean[] = EVENTS.map((e, type) => !RESETS_THREAD[type] && e.name !== "switch");

/** Follows one event of the thread whose state `x` is. */
export function followLatency(x: LatencyState, type: number, tsHi: number, tsLo: number): void {
  if (!RESETS_THREAD[type]) return;
  if (type % 2 === 0) {
    x.latency = 0;
    x.enterHi = tsHi;
    x.enterLo = tsLo;
  } else if (x.enterHi !== 0 || x.enterLo !== 0) {
    x.latency = (tsHi - x.enterHi) * 4294967296 + (tsLo - x.enterLo);
  }
}

/** Whether evt.latency has a value for this event (internal events have none). */
export function hasLatency(type: number, p: ParamIndex): boolean {
  return !(eventCategory(type, p) & EC.INTERNAL);
}
