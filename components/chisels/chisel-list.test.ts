import { test } from "node:test";
import assert from "node:assert/strict";
import { CHISELS } from "../../server/core/chisels/index";
import { TABLE_VIEWS, byKeyView } from "../../server/core/chisels/table-chisels";
import { ERRORS_COLUMNS, errorsLines } from "../../server/core/chisels/errors";
import { DEFAULT_CHISEL } from "../ui/view-url";
import { CHISEL_CHOICES, TEXT_CHISELS, chiselChoice } from "./chisel-list";

test("the browser's chisel list is the server's, less the chisels that print text", () => {
  const offered = CHISEL_CHOICES.map((c) => c.name);
  assert.equal(new Set(offered).size, offered.length, "no chisel twice");
  assert.deepEqual([...offered, ...TEXT_CHISELS].sort(), [...CHISELS.keys()].sort());
  assert.ok(chiselChoice(DEFAULT_CHISEL), "the default chisel is offered");
  for (const c of CHISEL_CHOICES) {
    const server = CHISELS.get(c.name)!;
    assert.equal(c.description, server.description, c.name);
    // The browser says "sysdig has no such chisel" exactly where the server's list does.
    assert.equal(c.sysdig, server.casefileView !== true, c.name);
    assert.deepEqual(c.arg ? [{ name: c.arg.name, description: c.arg.description }] : [], server.args.map((a) => ({ name: a.name, description: a.description })), c.name);
  }
});

test("value units are the ones the chisels print with", () => {
  for (const [name, v] of Object.entries(TABLE_VIEWS)) assert.equal(chiselChoice(name)?.units, v.plain.units, name);
  assert.equal(chiselChoice("fdbytes_by")?.units, byKeyView("fdbytes_by", "fd.name").units);
  assert.equal(chiselChoice("fdtime_by")?.units, byKeyView("fdtime_by", "fd.name").units);
  const errors = chiselChoice("errors")!;
  assert.equal(ERRORS_COLUMNS[errors.eventColumn!], "first");
  // Its headings are the ones its text prints (columns 20 wide, the last as long as it is).
  assert.equal(errors.headers!.length, ERRORS_COLUMNS.length);
  assert.equal(errorsLines([])[0], errors.headers!.map((h, i, all) => (i < all.length - 1 ? h.padEnd(20) : h)).join(""));
});
