// The command line around the filter language: `casefile events FILE FILTER` (lines as sysdig's,
// one-line errors with exit status 2) and `casefile fields` (as `sysdig -l` lists the fields).
// (Kept with the filter code: the command line's own tests are owned elsewhere.)

import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureCapture, runCasefile, runSysdig, sysdigLines } from "../../testing/oracle";
import { FIELD_CLASSES } from "./fields";
import { fieldText } from "../../cli/fields-command";

const curl = () => fixtureCapture("curl_google.scap");

const casefile = (args: string[]) => runCasefile(args);

const lines = (s: string) => s.split("\n").filter((l) => l.length > 0);

test("casefile events FILE FILTER prints what sysdig -r FILE FILTER prints, numbers unchanged", () => {
  for (const f of ["evt.type=connect or fd.l4proto=udp", "proc.name=curl and evt.dir=< and evt.failed=true", ""]) {
    const r = casefile(["events", curl(), f]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), sysdigLines(curl(), f ? [f] : []), f);
  }
});

test("a bad filter: one line naming the position and what was expected, exit status 2, nothing printed", () => {
  for (const [f, message] of [
    ["evt.num=1 and", "casefile: filter error at position 13: unexpected end of filter: expected a field, 'not' or '('"],
    ["evt.type=open and proc.name=a or proc.name=b", "casefile: filter error at position 45: expression mixes 'and' and 'or' in an ambiguous way. Please use brackets."],
    ["foo.bar=1", "casefile: filter error at position 7: unrecognized field foo.bar at pos 0"],
    ["evt.num>abc", "casefile: filter error at position 11: abc is not a valid number"],
    ["evt.num contains 1", "casefile: filter error at position 0: 'contains' not supported for numeric filters"],
  ]) {
    const r = casefile(["events", curl(), f]);
    assert.equal(r.status, 2, f);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `${message}\n`);
  }
});

test("casefile fields lists fields as sysdig -l does, each entry word for word", () => {
  const theirs = runSysdig(["-l"]).stdout.toString();
  const ours = casefile(["fields"]);
  assert.equal(ours.status, 0);
  let n = 0;
  for (const c of FIELD_CLASSES) {
    assert.ok(ours.stdout.includes(`Field Class:                  ${c.title}\n`), c.title);
    assert.ok(theirs.includes(`Field Class:                  ${c.title}\n`), c.title);
    for (const f of c.fields.filter((x) => x.supported && x.listed)) {
      const entry = `${fieldText(f)}\n`;
      assert.ok(theirs.includes(entry), `sysdig -l has not:\n${entry}`);
      assert.ok(ours.stdout.includes(entry), f.name);
      n++;
    }
  }
  assert.ok(n > 120, `${n} fields listed`);
});
