// The filter parser: text → AST, and errors at sysdig's positions with sysdig's words (checked
// against `sysdig -r FILE FILTER` for each bad filter), plus what was expected.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureCapture, runSysdig } from "../../testing/oracle";
import type { FilterNode } from "./ast";
import { FilterError, parseFilter } from "./parser";

/** A compact text form of an AST, for the assertions. */
function show(n: FilterNode | undefined): string {
  if (!n) return "ALL";
  switch (n.kind) {
    case "cmp": {
      const f = n.field;
      const arg = f.index !== undefined ? `[${f.index}]` : f.argName !== undefined ? `.${f.argName}` : "";
      const name = f.field.name + (f.field.name === "evt.type.is" ? "" : arg);
      return `${name} ${n.op}${n.values.length ? ` ${JSON.stringify(n.values.length === 1 && n.op !== "in" && n.op !== "pmatch" ? n.values[0] : n.values)}` : ""}`;
    }
    case "not": return `not(${show(n.child)})`;
    default: return `${n.kind}(${n.children.map(show).join(", ")})`;
  }
}

const ast = (f: string) => show(parseFilter(f).root);

test("comparisons, boolean operators, brackets and not", () => {
  assert.equal(ast(""), "ALL");
  assert.equal(ast("evt.type=open"), 'evt.type = "open"');
  assert.equal(ast("evt.num >= 3 and proc.name != bash"), 'and(evt.num >= "3", proc.name != "bash")');
  assert.equal(ast("evt.num<3 or evt.num>7 or evt.dir=<"), 'or(evt.num < "3", evt.num > "7", evt.dir = "<")');
  assert.equal(ast("not evt.failed=true and (fd.num=3 or fd.num=4)"),
    'and(not(evt.failed = "true"), or(fd.num = "3", fd.num = "4"))');
  assert.equal(ast("not (evt.type=read or evt.type=write)"), 'not(or(evt.type = "read", evt.type = "write"))');
  assert.equal(ast("((evt.num=1))"), 'evt.num = "1"');
  assert.equal(ast("evt.num=1 and not(evt.num=2)"), 'and(evt.num = "1", not(evt.num = "2"))');
  assert.equal(ast("proc.name exists and fd.name exists"), "and(proc.name exists, fd.name exists)");
});

test("every operator", () => {
  for (const op of ["=", "!=", "<", "<=", ">", ">="]) assert.equal(ast(`evt.num${op}5`), `evt.num ${op} "5"`);
  for (const op of ["contains", "icontains", "startswith", "endswith", "glob"]) {
    assert.equal(ast(`fd.name ${op} /etc`), `fd.name ${op} "/etc"`);
  }
  assert.equal(ast("evt.type in (open, close,read)"), 'evt.type in ["open","close","read"]');
  assert.equal(ast("evt.num in (1,2)"), 'evt.num in ["1","2"]');
  assert.equal(ast("fd.name pmatch (/etc, /usr/lib)"), 'fd.name pmatch ["/etc","/usr/lib"]');
  assert.equal(ast("fd.name exists"), "fd.name exists");
});

test("sysdig's quirks: `not not` is one not, `==` is `=` with a value starting with =", () => {
  assert.equal(ast("not not evt.num=1"), 'not(evt.num = "1")');
  assert.equal(ast("evt.num=1 and not not evt.num=2"), 'and(evt.num = "1", not(evt.num = "2"))');
  assert.equal(ast("proc.name==bash"), 'proc.name = "=bash"');
});

test("quoting and escapes as sysdig reads them", () => {
  assert.equal(ast(`proc.name="a b"`), 'proc.name = "a b"');
  assert.equal(ast(`proc.name='a (b)'`), 'proc.name = "a (b)"');
  // Either quote closes a quoted value: what follows the ' here is a syntax error (as in sysdig).
  assert.equal(ast(`proc.name="it' and evt.num=1`), 'and(proc.name = "it", evt.num = "1")');
  assert.throws(() => parseFilter(`proc.name="it's"`), (e: unknown) => e instanceof FilterError && e.position === 14);
  assert.equal(ast(String.raw`evt.buffer contains \x41\x42`), 'evt.buffer contains "AB"');
  assert.equal(ast(String.raw`proc.name="a\"b"`), 'proc.name = "a\\"b"');
  assert.equal(ast(String.raw`proc.name=a\\b`), 'proc.name = "a\\\\b"');
  assert.equal(ast(String.raw`proc.name=a\nb`), 'proc.name = "a\\\\nb"', "an unknown escape stays as written");
  assert.equal(ast("fd.name in ('/a b', \"/c,d\")"), 'fd.name in ["/a b","/c,d"]');
  // A value runs to a blank or a bracket; = < > ! are ordinary there.
  assert.equal(ast("proc.name=a=b"), 'proc.name = "a=b"');
});

test("fields with arguments", () => {
  assert.equal(ast("evt.arg.fd=3"), 'evt.arg.fd = "3"');
  assert.equal(ast("evt.arg[1]=x"), 'evt.arg[1] = "x"');
  assert.equal(ast("evt.rawarg.res<0"), 'evt.rawarg.res < "0"');
  assert.equal(ast("proc.aname[2]=bash"), 'proc.aname[2] = "bash"');
  assert.equal(ast("proc.apid[1]=1"), 'proc.apid[1] = "1"');
  assert.equal(ast("proc.aname=bash"), 'proc.aname = "bash"');
  assert.equal(ast("thread.cgroup.cpuset=/"), 'thread.cgroup.cpuset = "/"');
  assert.equal(ast("evt.type.is.open=1"), 'evt.type.is = "1"');
  assert.equal(parseFilter("evt.rawarg.res=-2").root?.kind === "cmp" && (parseFilter("evt.rawarg.res=-2").root as { field: { type: string } }).field.type, "ERRNO");
  // evt.arg.NAME takes the longest parameter name that NAME starts with.
  assert.equal(ast("evt.arg.flags contains O_"), 'evt.arg.flags contains "O_"');
});

// --- errors -----------------------------------------------------------------------------------

/** The error sysdig prints for a filter: [position, message without its inner prefix]. */
function sysdigError(filter: string): [number, string] | undefined {
  const r = runSysdig(["-r", fixtureCapture("falco_syscall.scap"), filter]);
  if (r.status === 0) return undefined;
  const out = r.stdout.toString() + r.stderr.toString();
  const m = /filter error at position (\d+): (?:filter error: )?(.*)/.exec(out);
  return m ? [Number(m[1]), m[2].trimEnd()] : undefined;
}

/** Bad filters: our error has sysdig's position and starts with sysdig's message. */
const BAD = [
  "evt.num=1 and evt.num=2 or evt.num=3",
  "evt.num=1 or evt.num=2 and evt.num=3 or evt.num=4",
  "(evt.num=1 and evt.num=2 or evt.num=3) and evt.num=4",
  "not evt.num=1 and evt.num=2 or evt.num=3",
  "evt.num=",
  "evt.num=1 and",
  "evt.num=1 and ",
  "evt.num>=1 and not",
  "(evt.num=1",
  "(evt.num='1'",
  "evt.num=1 or (evt.num=2",
  " ",
  "foo.bar=1",
  "evt.numx=1",
  "anything",
  "orx=1",
  "evt.type=open and and",
  "evt.num 1",
  "evt.num in (1,2",
  "evt.num in 1,2",
  "evt.num in ()",
  "proc.name in (a b)",
  "proc.name='abc",
  `proc.name="abc`,
  "evt.arg.=3",
  "evt.arg.nosuch=3",
  "evt.arg[x]=3",
  "evt.rawarg.nosuch=3",
  "evt.rawarg[0]=3",
  "evt.rawarg.res=EAGAIN",
  "proc.aname[x]=bash",
  "evt.num=abc",
  "evt.num==1",
  "evt.num=0x10",
  "evt.num=1e3",
  "user.uid=abc",
  "fd.sip=1.2.3",
  "fd.snet=abc",
  "fd.snet=10.0.0.0/33",
  "fd.snet=10.0.0.0",
  "fd.net=2a00::/16",
  "fd.port=nosuchservice",
  "evt.failed=1",
  "evt.failed=TRUE",
  "evt.type=nosuch",
  "evt.type contains op",
  "evt.type in (open, nosuch)",
  "proc.name pmatch /a",
  "evt.num pmatch (1)",
  "  evt.num=1 xyz",
  "(evt.num=1)(evt.num=2)",
  "evt.num=1 an evt.num=2",
  "evt.num=1 o evt.num=2",
  "nox=1",
  String.raw`proc.name=\xZZ`,
];

test(`bad filters fail where sysdig fails, with sysdig's words (${BAD.length} filters)`, () => {
  const mismatches: string[] = [];
  for (const f of BAD) {
    const theirs = sysdigError(f);
    assert.ok(theirs, `sysdig accepts ${JSON.stringify(f)}`);
    let ours: FilterError | undefined;
    try {
      parseFilter(f);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      ours = e;
    }
    if (!ours) {
      mismatches.push(`${JSON.stringify(f)}: accepted; sysdig: ${theirs[0]}: ${theirs[1]}`);
      continue;
    }
    if (ours.position !== theirs[0] || !ours.detail.startsWith(theirs[1])) {
      mismatches.push(`${JSON.stringify(f)}: ours ${ours.position}: ${ours.detail}; sysdig ${theirs[0]}: ${theirs[1]}`);
    }
  }
  assert.deepEqual(mismatches, []);
});

test("errors say what was expected", () => {
  const err = (f: string) => {
    try {
      parseFilter(f);
    } catch (e) {
      return (e as FilterError).message;
    }
    return "";
  };
  assert.equal(err("evt.num=1 and"), "filter error at position 13: unexpected end of filter: expected a field, 'not' or '('");
  assert.equal(err("(evt.num=1"), "filter error at position 11: unexpected end of filter: expected ')'");
  assert.match(err("evt.num 1"), /^filter error at position 8: unrecognized comparison operator after evt\.num : expected one of = != < <= > >= contains/);
  assert.match(err("evt.num=1 xyz"), /position 10: syntax error in filter: expected 'and', 'or' or '\)'/);
  assert.equal(err("foo.bar=1"), "filter error at position 7: unrecognized field foo.bar at pos 0");
  assert.equal(err("evt.failed=1"), "filter error at position 12: unrecognized boolean value 1");
});

test("what sysdig accepts but means nothing by is refused here", () => {
  // sysdig reads these letter by letter (`orb` = or b), drops `not x` after a complete term,
  // accepts empty brackets, and crashes on a stray ')'.
  for (const [f, pos] of [
    ["evt.num=1 orevt.num=2", 12], ["evt.num=1 a n d evt.num=2", 12], ["evt.num=1 not evt.num=2", 12],
    ["() evt.num=1", 1], ["evt.num=1) and evt.num=2", 9], ["evt.num=1 and ()", 15],
  ] as const) {
    assert.throws(() => parseFilter(f), (e: unknown) => e instanceof FilterError && e.position === pos, f);
  }
});

test("thread.cpu (a double) only exists: sysdig refuses every comparison where the value ends", () => {
  assert.doesNotThrow(() => parseFilter("thread.cpu exists"));
  // Positions as sysdig 0.29.3 reports them.
  for (const [f, pos] of [["thread.cpu>=0", 13], ["thread.cpu=0", 12], ["thread.cpu.user>0", 17], ["thread.cpu in (0,1)", 15], ["thread.cpu contains 1", 21]] as const) {
    assert.throws(() => parseFilter(f), (e: unknown) => e instanceof FilterError && e.position === pos && /wrong parameter type 33/.test(e.message), f);
  }
});

test("fields sysdig knows and we do not evaluate are named as such", () => {
  assert.throws(() => parseFilter("container.healthcheck=x"), /field container\.healthcheck is not supported by casefile yet/);
  assert.throws(() => parseFilter("fd.cip.name=example.com"), /position 11: field fd\.cip\.name is not supported/);
});
