// The stack importers: each format read whole and in chunks of a few characters (the same
// answer), sniffed by content, and bad lines named by number. The perf script expectations are
// written by hand from stackcollapse-perf.pl's rules (the comment above each says which rule);
// perf-script.perf.test.ts checks the importer against perf itself on a live recording.

import { test } from "node:test";
import assert from "node:assert/strict";
import { foldedLines, importerFor, parseStacks, sniffStacks, StacksError, type Profile } from "./index";

function chunked(text: string, size: number): Profile {
  const s = sniffStacks(text, true);
  assert.ok("format" in s && s.format, `sniffed: ${JSON.stringify(s)}`);
  const imp = importerFor(s.format!);
  for (let i = 0; i < text.length; i += size) imp.push(text.slice(i, i + size));
  return imp.end();
}

/** Every chunk size from 1 to 9 and the whole: one answer. */
function parseEveryWay(text: string): Profile {
  const whole = parseStacks(text);
  for (let size = 1; size < 10; size++) assert.deepEqual(chunked(text, size), whole, `chunks of ${size}`);
  return whole;
}

const lines = (p: Profile, i = 0) => foldedLines(p.sections[i]);

test("folded stacks: frames with spaces, summed repeats, comments and CRLF", () => {
  const p = parseEveryWay("# made by hand\r\nbash;main;read_[k] 3\r\n\r\nV8 WorkerThread;run 2\nbash;main;read_[k] 4\nbash;main 1.5\n");
  assert.equal(p.format, "folded");
  assert.deepEqual(lines(p), ["V8 WorkerThread;run 2", "bash;main 1.5", "bash;main;read_[k] 7"]);
  assert.equal(p.sections[0].unit, "samples");
});

test("folded stacks: a line with no value is named by its number", () => {
  assert.throws(() => parseStacks("a;b 1\na;b;c 2\na;b;c\n"), (e: unknown) => e instanceof StacksError && e.line === 3 && /not a folded stack/.test(e.message));
  assert.throws(() => parseStacks("a;b 1\na;;c 2\n"), (e: unknown) => e instanceof StacksError && e.line === 2 && /empty frame/.test(e.message));
});

test("casefile profile: sections with their units and frequency", () => {
  const text = [
    "# casefile-profile section=on-cpu unit=samples hz=99",
    "nginx;main;epoll_wait;do_syscall_64_[k] 5",
    "nginx;main;handle 2",
    "# a comment inside",
    "# casefile-profile section=off-cpu unit=ns",
    "nginx;main;epoll_wait;schedule_[k] 1500000",
    "",
  ].join("\n");
  const p = parseEveryWay(text);
  assert.equal(p.format, "casefile-profile");
  assert.deepEqual(p.sections.map((s) => [s.name, s.unit, s.hz]), [["on-cpu", "samples", 99], ["off-cpu", "ns", undefined]]);
  assert.deepEqual(lines(p, 1), ["nginx;main;epoll_wait;schedule_[k] 1500000"]);
  assert.throws(() => parseStacks("# casefile-profile section=x unit=ms\na 1\n"), (e: unknown) => e instanceof StacksError && e.line === 1);
});

// Two samples of one event, one of another event, comm with a space, pid/tid, cpu column.
const PERF = `# ========
# captured on    : Sun Dec  6 10:50:00 2026
# ========
#
dd  2110 [001] 11400.100000:    1001001 cpu-clock: 
\tffffffff8224215b read_zero+0xb ([kernel.kallsyms])
\tffffffff82243c75 vfs_read+0x5 ([kernel.kallsyms])
\t          1169 __GI___libc_read+0x30 (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t          593f [unknown] (/usr/bin/dd)
\t             0 [unknown] ([unknown])

dd  2110 [001] 11400.101000:    1001001 cpu-clock: 
\tffffffff8224215b read_zero+0xb ([kernel.kallsyms])
\tffffffff82243c75 vfs_read+0x5 ([kernel.kallsyms])
\t          1169 __GI___libc_read+0x30 (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t          593f [unknown] (/usr/bin/dd)
\t             0 [unknown] ([unknown])

V8 WorkerThread 24636/25607 [000] 11400.102000:          1 sched:sched_switch: prev_comm=x prev_pid=1
\t          4a10 std::vector<int>::push_back(int const&)+0x10 (/opt/app)
\t          4b20 inlined_leaf->outer_fn+0x20 (/opt/app)
\t          4c30 ns::(anonymous namespace)::run(void*)+0x1 (/opt/app)
\t          4d40 "quoted;name"+0x2 (/opt/app)
\t          4e50 (/opt/app)+0x2 (/opt/app)

Timer 1 77/78 [001] 11400.102500: 1001001 cpu-clock:
\t          5a10 tick+0x4 (/opt/app)

java 100 11400.103000: cpu-clock:
\t          7f00 Lorg/x/Foo;.call(I)V+0x1 (/tmp/perf-100.map)
`;

test("perf script: folded as stackcollapse-perf.pl folds it, one section per event", () => {
  const p = parseEveryWay(PERF);
  assert.equal(p.format, "perf-script");
  assert.deepEqual(p.sections.map((s) => s.name), ["cpu-clock", "sched:sched_switch"]);
  assert.deepEqual(lines(p, 0), [
    // Rules: comm is the root; leaf last; +0x offsets cut; kernel modules get _[k];
    // [unknown] in a known module is [basename]; in an unknown module it stays [unknown].
    // A comm with a number after a space is whole (the pid is the number before the time).
    "Timer_1;tick 1",
    "dd;[unknown];[dd];__GI___libc_read;vfs_read_[k];read_zero_[k] 2",
    // java: a sample with no blank line before EOF; "L" of a class path dropped, ";" made ":",
    // arguments from "(" cut.
    "java;org/x/Foo:.call 1",
  ]);
  assert.deepEqual(lines(p, 1), [
    // Spaces in comm become "_"; a frame "(…)" is skipped; ";" made ":" and quotes dropped;
    // "(anonymous namespace)" kept, other arguments cut; a->b is a;b_[i] (inlined).
    "V8_WorkerThread;quoted:name;ns::(anonymous namespace)::run;inlined_leaf;outer_fn_[i];std::vector<int>::push_back 1",
  ]);
});

test("perf script: samples without stacks, and a stray line named by number", () => {
  const p = parseEveryWay("sh 5 1.000001: cpu-clock:\nsh 5 1.000002: cpu-clock:\n");
  assert.deepEqual(lines(p), ["sh 2"]);
  assert.throws(() => parseStacks(`${PERF.split("\n").slice(0, 8).join("\n")}\nthis is not perf\n`), (e: unknown) => e instanceof StacksError && e.line === 9);
});

const BPFTRACE = `Attaching 1 probe...


@[
    read_zero+11
    vfs_read+133
    do_syscall_64+91
    entry_SYSCALL_64_after_hwframe+98
, 
    __GI___libc_read+20
    main+34
]: 12
@[
    main+40
, 
    native_safe_halt+6
    default_idle+10
    do_idle+500
]: 3
@[
, 
    0xffffffff81000000
]: 1
@x[bash, 
    readline+10
    main+7
]: 4
@x[sshd, 1234]: 2
`;

test("bpftrace maps: [ustack, kstack], [kstack], [comm, ustack]; user above kernel; one section per map", () => {
  const p = parseEveryWay(BPFTRACE);
  assert.equal(p.format, "bpftrace");
  assert.deepEqual(p.sections.map((s) => s.name), ["samples", "x"]);
  assert.deepEqual(lines(p, 0), [
    "0xffffffff81000000_[k] 1",
    "main+34;__GI___libc_read+20;entry_SYSCALL_64_after_hwframe+98_[k];do_syscall_64+91_[k];vfs_read+133_[k];read_zero+11_[k] 12",
    "main+40;do_idle+500_[k];default_idle+10_[k];native_safe_halt+6_[k] 3",
  ]);
  assert.deepEqual(lines(p, 1), ["bash;main+7;readline+10 4", "sshd;1234 2"]);
  assert.throws(() => parseStacks("@[\n    a+1\n"), (e: unknown) => e instanceof StacksError && /no "\]: N" end/.test(e.message));
});

test("sniffing goes by content; binary and prose are refused with a reason", () => {
  assert.deepEqual(sniffStacks("a;b 1\n", true), { format: "folded" });
  assert.deepEqual(sniffStacks(PERF, true), { format: "perf-script" });
  assert.deepEqual(sniffStacks(BPFTRACE, true), { format: "bpftrace" });
  assert.deepEqual(sniffStacks("# casefile-profile section=on-cpu\n", true), { format: "casefile-profile" });
  assert.deepEqual(sniffStacks("a;b 1", false), { more: true });
  const prose = sniffStacks("Hello, this is a letter.\n", true);
  assert.ok("why" in prose && /at line 1/.test(prose.why));
  const bin = sniffStacks("\u0000\u0001abc", false);
  assert.ok("why" in bin && /binary/.test(bin.why));
});
