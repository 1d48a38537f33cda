// Checks our event table against what sysdig 0.29.3 (libs e5c53d64) itself lists with `sysdig -L`:
// every line `> name(TYPE pname, TYPE pname)` it prints must be reproduced from EVENTS, using
// the first legacyParamCount parameters (or all of them when not set).
//
// Run: npx -y tsx --test server/core/events/event-table.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, outputLines, runSysdig } from "../../testing/oracle";

import { EVENTS, EVENT_COUNT, LEGACY_EVENT_COUNT } from "./event-table";
import { PT, type ParamInfo } from "./types";

/** PT value -> the type name sysdig prints (libsinsp param_type_to_string; PT_DYN is "DYNAMIC"). */
const TYPE_NAMES: ReadonlyMap<PT, string> = new Map<PT, string>([
  [PT.NONE, "NONE"], [PT.INT8, "INT8"], [PT.INT16, "INT16"], [PT.INT32, "INT32"],
  [PT.INT64, "INT64"], [PT.UINT8, "UINT8"], [PT.UINT16, "UINT16"], [PT.UINT32, "UINT32"],
  [PT.UINT64, "UINT64"], [PT.CHARBUF, "CHARBUF"], [PT.BYTEBUF, "BYTEBUF"], [PT.ERRNO, "ERRNO"],
  [PT.SOCKADDR, "SOCKADDR"], [PT.SOCKTUPLE, "SOCKTUPLE"], [PT.FD, "FD"], [PT.PID, "PID"],
  [PT.FDLIST, "FDLIST"], [PT.FSPATH, "FSPATH"], [PT.SYSCALLID, "SYSCALLID"],
  [PT.SIGTYPE, "SIGTYPE"], [PT.RELTIME, "RELTIME"], [PT.ABSTIME, "ABSTIME"], [PT.PORT, "PORT"],
  [PT.L4PROTO, "L4PROTO"], [PT.SOCKFAMILY, "SOCKFAMILY"], [PT.BOOL, "BOOL"],
  [PT.IPV4ADDR, "IPV4ADDR"], [PT.DYN, "DYNAMIC"], [PT.FLAGS8, "FLAGS8"],
  [PT.FLAGS16, "FLAGS16"], [PT.FLAGS32, "FLAGS32"], [PT.UID, "UID"], [PT.GID, "GID"],
  [PT.DOUBLE, "DOUBLE"], [PT.SIGSET, "SIGSET"], [PT.CHARBUFARRAY, "CHARBUFARRAY"],
  [PT.CHARBUF_PAIR_ARRAY, "CHARBUF_PAIR_ARRAY"], [PT.IPV4NET, "IPV4NET"],
  [PT.IPV6ADDR, "IPV6ADDR"], [PT.IPV6NET, "IPV6NET"], [PT.IPADDR, "IPADDR"], [PT.IPNET, "IPNET"],
  [PT.MODE, "MODE"], [PT.FSRELPATH, "FSRELPATH"], [PT.ENUMFLAGS8, "ENUMFLAGS8"],
  [PT.ENUMFLAGS16, "ENUMFLAGS16"], [PT.ENUMFLAGS32, "ENUMFLAGS32"],
]);

/** Number of event types in sysdig 0.29.3's table (PPM_EVENT_MAX of libs e5c53d64). */
const LEGACY_EVENT_MAX = 336;

/**
 * Event ids that `sysdig -L` does not print: the ones flagged EF_OLD_VERSION or EF_UNUSED, or
 * in category EC_INTERNAL, in sysdig 0.29.3's own table (g_event_info of libscap e5c53d64).
 * The flags of the current libs table cannot be used for this: many events were flagged
 * EF_OLD_VERSION after 2022.
 */
const HIDDEN_BY_SYSDIG_0_29_3: ReadonlySet<number> = new Set([
  10, 11, 12, 13, 14, 15, 16, 17, 26, 27, 56, 57, 90, 91, 102, 103, 104, 105, 106, 107, 108, 109,
  110, 111, 146, 147, 148, 149, 153, 154, 155, 156, 157, 172, 173, 182, 183, 184, 185, 187, 196,
  197, 214, 215, 216, 217, 218, 219, 220, 221, 228, 229, 233, 234, 235, 245, 260, 261, 270, 271,
  273, 281, 282, 283, 286, 287, 288, 289, 291, 323, 325,
]);

function typeName(t: PT): string {
  const n = TYPE_NAMES.get(t);
  if (n === undefined) throw new Error(`no type name for PT ${t}`);
  return n;
}

function legacyParams(id: number): readonly ParamInfo[] {
  const ev = EVENTS[id]!;
  return ev.params.slice(0, ev.legacyParamCount ?? ev.params.length);
}

function renderLine(id: number): string {
  const ev = EVENTS[id]!;
  const dir = id % 2 === 0 ? ">" : "<";
  const params = legacyParams(id).map((p) => `${typeName(p.type)} ${p.name}`).join(", ");
  return `${dir} ${ev.name}(${params})`;
}

function sysdigListLines(): string[] {
  return outputLines(runSysdig(["-L"]).stdout, "utf8").map((l) => l.trimEnd()).filter((l) => l.length > 0);
}

test("every `sysdig -L` line is reproduced by EVENTS (legacy parameter view)", () => {
  const expected = sysdigListLines();
  const shownIds: number[] = [];
  for (let id = 0; id < LEGACY_EVENT_MAX; id++) {
    if (!HIDDEN_BY_SYSDIG_0_29_3.has(id)) shownIds.push(id);
  }
  const ours = shownIds.map(renderLine);

  const diffs: string[] = [];
  const n = Math.max(expected.length, ours.length);
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = ours[i];
    if (want === got) {
      matched++;
    } else {
      diffs.push(`#${i} (event id ${shownIds[i] ?? "-"}):\n  sysdig: ${want ?? "<missing>"}\n  ours:   ${got ?? "<missing>"}`);
    }
  }
  console.log(`sysdig -L lines matched: ${matched}/${expected.length}`);
  assert.equal(expected.length, ours.length, `line count differs: sysdig ${expected.length}, ours ${ours.length}`);
  assert.equal(diffs.length, 0, `${diffs.length} line(s) differ:\n${diffs.join("\n")}`);
});

test("table shape", () => {
  // Counts from the vendored sources, not from the array itself: the transcribed tree ends at
  // PPME_SYSCALL_SETREGID_X (its experimental PPME_ITER_* ids after it left out), and sysdig
  // 0.29.3's table has PPM_EVENT_MAX entries.
  const header = (commit: string) => readFileSync(join(PROJECT_ROOT, "scripts/vendor", commit, "driver/ppm_events_public.h"), "latin1");
  const enumValue = (text: string, name: string) => Number(new RegExp(`\\b${name}\\s*=\\s*(\\d+)`).exec(text)![1]);
  const lastId = enumValue(header("0bd4cb5d3e74c0e0b7a3c83bd90088ff668a8b3c"), "PPME_SYSCALL_SETREGID_X");
  assert.equal(EVENT_COUNT, lastId + 1);
  assert.equal(EVENTS[lastId]?.name, "setregid");
  const legacyMax = enumValue(header("e5c53d648f3c4694385bbe488e7d47eaa36c229a"), "PPM_EVENT_MAX");
  assert.equal(LEGACY_EVENT_COUNT, legacyMax);
  assert.equal(LEGACY_EVENT_MAX, legacyMax);
  assert.equal(EVENTS[LEGACY_EVENT_COUNT - 1]?.name, "clone3", "sysdig 0.29.3's last event type is clone3's exit");
  assert.ok(EVENTS.length >= LEGACY_EVENT_MAX, "table must cover all of sysdig 0.29.3's ids");
  assert.equal(EVENTS.length % 2, 0, "events come in enter/exit pairs");
  for (const [id, ev] of EVENTS.entries()) {
    const where = `event ${id} (${ev.name})`;
    if (ev.legacyParamCount !== undefined) {
      assert.ok(ev.legacyParamCount < ev.params.length, `${where}: legacyParamCount must be < params.length`);
      assert.ok(id < LEGACY_EVENT_MAX, `${where}: legacyParamCount on an event sysdig 0.29.3 did not know`);
    }
    for (const p of ev.params) {
      assert.ok(TYPE_NAMES.has(p.type), `${where}: param ${p.name} has unknown type ${p.type}`);
      if (p.type === PT.DYN) assert.ok(p.dyn && p.dyn.length > 0, `${where}: DYN param ${p.name} without dyn table`);
      else assert.equal(p.dyn, undefined, `${where}: non-DYN param ${p.name} with dyn table`);
    }
  }
});
