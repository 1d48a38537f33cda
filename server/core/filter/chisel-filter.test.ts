// The chisels' filter argument without sysdig: how sysdig splits a chisel's argument string
// (each case measured with `sysdig -c lsof "..."`), netstat's own filter in front of the
// user's, and what a thread-table filter refuses, where.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChiselArgsError, chiselFilterArg, compileChiselFilter, splitChiselArgs, threadTableFilterText,
} from "./chisel-filter";
import { FilterError } from "./parser";

test("a chisel's argument string splits on spaces outside quotes, as sinsp_chisel::set_args", () => {
  assert.deepEqual(splitChiselArgs("", "lsof"), []);
  assert.deepEqual(splitChiselArgs("  \t", "lsof"), []);
  assert.deepEqual(splitChiselArgs(" proc.name=curl ", "lsof"), ["proc.name=curl"]);
  assert.deepEqual(splitChiselArgs("'proc.name=curl and fd.type=file'", "lsof"), ["proc.name=curl and fd.type=file"]);
  assert.deepEqual(splitChiselArgs("`proc.name=curl`", "lsof"), ["proc.name=curl"]);
  assert.deepEqual(splitChiselArgs("a b", "lsof"), ["a", "b"]);
  assert.deepEqual(splitChiselArgs("''", "lsof"), [""]);
  // An opening quote anywhere moves the argument's start by one; a closing one at its end is cut.
  assert.deepEqual(splitChiselArgs("proc.name='curl'", "lsof"), ["roc.name='curl"]);
  assert.deepEqual(splitChiselArgs("a'proc.name=curl and fd.num=3'", "lsof"), ["'proc.name=curl and fd.num=3"]);
  assert.deepEqual(splitChiselArgs("'é x'", "lsof"), ["é x"]);
  assert.throws(() => splitChiselArgs("'proc.name=curl", "ps"), new ChiselArgsError("corrupted parameters for chisel ps"));
  assert.equal(chiselFilterArg("lsof", undefined), undefined);
  assert.equal(chiselFilterArg("lsof", ""), undefined);
  assert.equal(chiselFilterArg("lsof", "''"), "");
  assert.throws(() => chiselFilterArg("netstat", "proc.name=nc and fd.type=ipv4"),
    new ChiselArgsError("too many parameters for chisel netstat, 0 required, 1 optional, 3 given"));
});

test("the filter text each chisel compiles: netstat's own condition first; empty is none", () => {
  assert.equal(threadTableFilterText("lsof", undefined), undefined);
  assert.equal(threadTableFilterText("lsof", ""), undefined);
  assert.equal(threadTableFilterText("ps", "proc.name=nc"), "proc.name=nc");
  assert.equal(threadTableFilterText("netstat", undefined), undefined);
  assert.equal(threadTableFilterText("netstat", "proc.name=nc"), "(fd.type=ipv4 or fd.type=ipv6)and (proc.name=nc)");
  assert.equal(compileChiselFilter("lsof", undefined), undefined);
  assert.equal(compileChiselFilter("netstat", "fd.sport=80")?.text, "(fd.type=ipv4 or fd.type=ipv6)and (fd.sport=80)");
});

test("thread-table filters refuse evt fields but a few time fields, where the field ends", () => {
  const refusal = (cmd: "lsof" | "netstat" | "ps", f: string) => {
    try {
      compileChiselFilter(cmd, f);
      return "accepted";
    } catch (e) {
      assert.ok(e instanceof FilterError);
      return e.message;
    }
  };
  const NOT = "the given filter is not supported for thread table filtering";
  assert.equal(refusal("lsof", "evt.type=open"), `filter error at position 8: ${NOT}`);
  assert.equal(refusal("ps", "evt.reltime.s exists"), `filter error at position 13: ${NOT}`);
  assert.equal(refusal("lsof", "proc.name=curl and evt.num >0"), `filter error at position 26: ${NOT}`);
  // netstat's positions count its own 35 characters.
  assert.equal(refusal("netstat", "evt.type=open"), `filter error at position 43: ${NOT}`);
  for (const f of ["evt.time", "evt.time.s", "evt.datetime", "evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime"]) {
    assert.equal(refusal("lsof", `${f} exists`), "accepted", f);
  }
  for (const f of ["proc.name", "thread.tid", "user.name", "group.name", "container.id", "fd.name", "fdlist.nums"]) {
    assert.equal(refusal("lsof", `${f} exists`), "accepted", f);
  }
  // An unknown field is unknown before it is refused.
  assert.equal(refusal("lsof", "evt.nope=1"), "filter error at position 8: unrecognized field evt.nope at pos 0");
});
