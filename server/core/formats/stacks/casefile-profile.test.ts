import { test } from "node:test";
import assert from "node:assert/strict";
import { casefileProfileImporter, foldFrames, toFolded, writeCasefileProfile } from "./casefile-profile";
import { StacksError, addStack, newSection, type Profile } from "./profile";

const TEXT = `# recorded on host vm
# casefile-profile section=on-cpu unit=samples hz=99 duration_ns=2000000000
burn (42);main;burn_cpu_hot_loop 180
burn (42);main;clock_gettime;entry_SYSCALL_64_[k] 3
# a comment inside the section
node (7);LazyCompile:*loop /app/x.js:3 5

# casefile-profile section=off-cpu unit=ns
sleeper (43);main;__nanosleep;entry_SYSCALL_64_[k];__schedule_[k] 1000215022
`;

function read(text: string, chunk = text.length): ReturnType<ReturnType<typeof casefileProfileImporter>["end"]> {
  const imp = casefileProfileImporter();
  for (let i = 0; i < text.length; i += chunk) imp.push(text.slice(i, i + chunk));
  return imp.end();
}

test("sections, units, hz and stacks (spaces inside frames) are read, in tiny chunks too", () => {
  for (const chunk of [TEXT.length, 1, 3, 7]) {
    const p = read(TEXT, chunk);
    assert.equal(p.format, "casefile-profile");
    assert.deepEqual(p.sections.map((s) => [s.name, s.unit, s.hz]), [["on-cpu", "samples", 99], ["off-cpu", "ns", undefined]]);
    assert.equal(p.sections[0].stacks.get("burn (42);main;burn_cpu_hot_loop"), 180);
    assert.equal(p.sections[0].stacks.get("node (7);LazyCompile:*loop /app/x.js:3"), 5);
    assert.equal(p.sections[1].stacks.get("sleeper (43);main;__nanosleep;entry_SYSCALL_64_[k];__schedule_[k]"), 1000215022);
  }
});

test("write then read gives the same profile, extra header keys and comments kept", () => {
  const imp = casefileProfileImporter();
  imp.push(TEXT);
  const p = imp.end();
  const attrs = imp.attrs();
  assert.deepEqual(attrs, [{ duration_ns: "2000000000" }, {}]);
  const text = writeCasefileProfile(p, { comments: ["recorded on host vm"], attrs });
  assert.match(text, /^# recorded on host vm\n# casefile-profile section=on-cpu unit=samples hz=99 duration_ns=2000000000\n/);
  const again = casefileProfileImporter();
  again.push(text);
  const q = again.end();
  assert.deepEqual(q.sections.map((s) => [s.name, s.unit, s.hz, [...s.stacks].sort()]), p.sections.map((s) => [s.name, s.unit, s.hz, [...s.stacks].sort()]));
  assert.deepEqual(again.attrs(), attrs);
});

test("the writer sorts stacks and cleans frames: no ';' inside a frame, no empty frame", () => {
  const s = newSection("on-cpu", "samples", 99);
  addStack(s, foldFrames(["b (1)", "x;y", ""]), 2);
  addStack(s, foldFrames(["a (2)", "f"]), 1);
  const p: Profile = { format: "casefile-profile", sections: [s] };
  assert.equal(toFolded(p), "a (2);f 1\nb (1);x:y;[unknown] 2\n");
  assert.equal(toFolded(p, "on-cpu"), toFolded(p, 0));
  assert.throws(() => toFolded(p, "off-cpu"), /no section "off-cpu" in this profile \(it has: on-cpu\)/);
});

test("a plain folded file is one section of samples; stacks before a header are one too", () => {
  const p = read("# from stackcollapse-perf\na;b 3\na;c 4\n");
  assert.deepEqual(p.sections.map((s) => [s.name, s.unit, [...s.stacks]]), [["samples", "samples", [["a;b", 3], ["a;c", 4]]]]);
  const q = read("a;b 1\n# casefile-profile section=off-cpu unit=ns\nc;d 10\n");
  assert.deepEqual(q.sections.map((s) => s.name), ["samples", "off-cpu"]);
});

test("bad input names its line", () => {
  const cases: [string, RegExp][] = [
    ["# casefile-profile section=on-cpu\na;b 1\na;b\n", /not a folded stack.*\(at line 3\)/],
    ["# casefile-profile unit=ns\n", /without section=NAME \(at line 1\)/],
    ["# casefile-profile section=x unit=bytes\n", /unit=bytes.*\(at line 1\)/],
    ["# casefile-profile section=x hz=fast\n", /hz=fast.*\(at line 1\)/],
    ["\n\n# casefile-profile section=x oops\n", /"oops" is not key=value \(at line 3\)/],
    ["a;;b 1\n", /empty frame.*\(at line 1\)/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => read(text), (e: unknown) => e instanceof StacksError && re.test(e.message), text);
  }
  // A header key with a space cannot be written (it would not read back).
  assert.throws(() => writeCasefileProfile({ format: "casefile-profile", sections: [newSection("on-cpu", "samples")] }, { attrs: [{ host: "my host" }] }), /one word/);
});
