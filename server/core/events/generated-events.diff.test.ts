// Every event type and every parameter type that sysdig 0.29.3 knows, with boundary values,
// printed by `casefile events` and by `sysdig -r` (the oracle), line by line. The captures come
// from server/testing/generated-captures.ts; the expected lines come from sysdig only.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENTS, LEGACY_EVENT_COUNT } from "./event-table";
import { PT } from "./types";
import { generatedCaptures, legacyParams, LEFT_OUT_EVENTS } from "../../testing/generated-captures";
import { feedCapture, runCasefile, sysdigLines } from "../../testing/oracle";
import { eventPrinter } from "./printer";
import { encodeBytes } from "./byte-strings";

/** sysdig's output as one text per event number: a string parameter may hold newlines, so an
 *  event's line can run over several lines of the output; a new event starts with the next
 *  number and a time. Comparing by event number keeps one extra or missing event from shifting
 *  every line after it. */
function eventTexts(lines: string[]): Map<number, string> {
  const out = new Map<number, string>();
  let cur = 0;
  for (const line of lines) {
    // The default format (`N hh:mm:ss.nnnnnnnnn ...`), or the plugin events' (`N yyyy-mm-dd hh:mm:ss [...`).
    const m = /^(\d+) (?:\d\d:\d\d:\d\d\.\d{9}|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) /.exec(line);
    if (m && Number(m[1]) > cur) {
      cur = Number(m[1]);
      out.set(cur, line);
    } else if (cur > 0) {
      out.set(cur, `${out.get(cur)}\n${line}`);
    }
  }
  return out;
}

const PT_NAMES = [
  "NONE", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "CHARBUF", "BYTEBUF",
  "ERRNO", "SOCKADDR", "SOCKTUPLE", "FD", "PID", "FDLIST", "FSPATH", "SYSCALLID", "SIGTYPE", "RELTIME",
  "ABSTIME", "PORT", "L4PROTO", "SOCKFAMILY", "BOOL", "IPV4ADDR", "DYN", "FLAGS8", "FLAGS16", "FLAGS32",
  "UID", "GID", "DOUBLE", "SIGSET", "CHARBUFARRAY", "CHARBUF_PAIR_ARRAY", "IPV4NET", "IPV6ADDR", "IPV6NET",
  "IPADDR", "IPNET", "MODE", "FSRELPATH", "ENUMFLAGS8", "ENUMFLAGS16", "ENUMFLAGS32",
];

/** Every line of the generated captures is identical to sysdig's, with and without -D: each
 *  difference found was a rule of libsinsp and is implemented as one (paths relative to the
 *  directory fd that the 0.29.3 table's DIRFD_PARAM names, its event names, clone exits of
 *  children in a pid namespace, empty names given by clone/execve exits, socket names from
 *  addresses and tuples of other families, `<unknown>` for a socket of no known protocol, `::`
 *  taken for IPv4). A new difference fails the test and is printed above. */
const IDENTICAL_FLOOR = 1;

/** Compares two outputs event by event, printing every event whose text differs. */
function compareEvents(name: string, how: string, theirs: string[], ours: string[]): { same: number; total: number } {
  const t = eventTexts(theirs), o = eventTexts(ours);
  const nums = [...new Set([...t.keys(), ...o.keys()])].sort((a, b) => a - b);
  let same = 0;
  for (const n of nums) {
    if (t.get(n) === o.get(n)) { same++; continue; }
    console.log(`${name}${how} event ${n}\n  sysdig: ${(t.get(n) ?? "<not printed>").slice(0, 300)}\n  ours:   ${(o.get(n) ?? "<not printed>").slice(0, 300)}`);
  }
  return { same, total: nums.length };
}

test("generated captures: every event type and parameter type printed as sysdig -r prints it", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-generated-"));
  try {
    const captures = generatedCaptures();
    const types = new Set<number>();
    const paramTypes = new Set<PT>();
    let same = 0, total = 0, sameD = 0, totalD = 0;
    const rows: string[] = [];
    for (const c of captures) {
      const file = join(dir, `${c.name}.scap`);
      writeFileSync(file, c.bytes);
      const theirs = sysdigLines(file);
      const r = runCasefile(["events", file]);
      assert.equal(r.status, 0, `casefile events ${c.name}: ${r.stderr}`);
      assert.ok(theirs.length > 0, `sysdig printed nothing for ${c.name}`);
      const cmp = compareEvents(c.name, "", theirs, r.stdout.split("\n").filter((l) => l.length > 0));
      same += cmp.same;
      total += cmp.total;
      // With -D (hidden events shown): the printer in process, its lines as the bytes the
      // command line would write.
      const hidden: string[] = [];
      feedCapture(c.bytes, eventPrinter((l) => hidden.push(Buffer.from(encodeBytes(l)).toString("latin1")), { showHidden: true }));
      const cmpD = compareEvents(c.name, " -D", sysdigLines(file, ["-D"]), hidden.join("\n").split("\n").filter((l) => l.length > 0));
      sameD += cmpD.same;
      totalD += cmpD.total;
      for (const x of c.types) types.add(x);
      for (const x of c.paramTypes) paramTypes.add(x);
      rows.push(`${c.name}: ${c.events} events written, event lines identical ${cmp.same}/${cmp.total} (${((100 * cmp.same) / cmp.total).toFixed(2)}%), with -D ${cmpD.same}/${cmpD.total}`);
    }

    // Event types: every id of sysdig 0.29.3's table, enter (even) and exit (odd) apart.
    const all = [...Array(LEGACY_EVENT_COUNT).keys()];
    const enters = all.filter((id) => id % 2 === 0), exits = all.filter((id) => id % 2 === 1);
    const missing = all.filter((id) => !types.has(id));
    const unexplained = missing.filter((id) => !LEFT_OUT_EVENTS.has(id));

    // Parameter types: those a 0.29.3 event carries (dynamic ones count their choices).
    const usable = new Set<PT>();
    for (const id of all) {
      for (const p of legacyParams(id)) {
        usable.add(p.type);
        for (const d of p.dyn ?? []) usable.add(d.type);
      }
    }
    const ptMissing = PT_NAMES.map((_, t) => t as PT).filter((t) => !paramTypes.has(t));
    const ptReason = (t: PT): string => {
      if (!usable.has(t)) return "no parameter of a sysdig 0.29.3 event has this type";
      const carriers = all.filter((id) => legacyParams(id).some((p) => p.type === t));
      if (carriers.length > 0 && carriers.every((id) => LEFT_OUT_EVENTS.has(id))) return `only in left-out events (${carriers.map((id) => EVENTS[id].name).join(", ")})`;
      return "";
    };

    console.log([
      "coverage of the generated captures (sysdig 0.29.3):",
      `  enter event types exercised: ${enters.filter((id) => types.has(id)).length}/${enters.length}`,
      `  exit event types exercised:  ${exits.filter((id) => types.has(id)).length}/${exits.length}`,
      ...missing.map((id) => `    left out: ${id} ${EVENTS[id].name} ${id % 2 === 0 ? ">" : "<"}: ${LEFT_OUT_EVENTS.get(id) ?? "NO REASON"}`),
      `  parameter types exercised: ${paramTypes.size}/${PT_NAMES.length}`,
      ...ptMissing.map((t) => `    not exercised: PT_${PT_NAMES[t]}: ${ptReason(t) || "NO REASON"}`),
      ...rows.map((r) => `  ${r}`),
      `  all captures: event lines identical ${same}/${total} (${((100 * same) / total).toFixed(2)}%); with -D ${sameD}/${totalD} (${((100 * sameD) / totalD).toFixed(2)}%)`,
    ].join("\n"));

    assert.deepEqual(unexplained.map((id) => `${id} ${EVENTS[id].name}`), [], "every event type is exercised or left out with a reason");
    assert.deepEqual(ptMissing.filter((t) => ptReason(t) === "").map((t) => PT_NAMES[t]), [], "every parameter type a 0.29.3 event carries is exercised");
    assert.ok(same / total >= IDENTICAL_FLOOR, `lines identical ${same}/${total}, below the floor ${IDENTICAL_FLOOR}`);
    assert.ok(sameD / totalD >= IDENTICAL_FLOOR, `lines identical with -D ${sameD}/${totalD}, below the floor ${IDENTICAL_FLOOR}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
