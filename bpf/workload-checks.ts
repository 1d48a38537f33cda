// What a recording of bpf/workload must hold, asked of sysdig 0.29.3 (the oracle) with its own
// filters, and compared line for line with `casefile events`. The expected values are what the
// kernel told the workload (its facts line: ports, fds, pids) and what the test asked it to do.
import assert from "node:assert/strict";
import { runCasefile, sysdigLines } from "../server/testing/oracle";
import type { WorkloadFacts, WorkloadTexts } from "./workload-run";

/** sysdig's lines for a filter, which must be exactly `n`. */
function exactly(file: string, filter: string, n: number): string[] {
  const lines = sysdigLines(file, [filter]);
  assert.equal(lines.length, n, `sysdig -r ${file} '${filter}': ${n} line(s) wanted, got:\n${lines.join("\n")}`);
  return lines;
}

function has(line: string, ...parts: string[]): void {
  for (const p of parts) assert.ok(line.includes(p), `'${p}' wanted in: ${line}`);
}

/** sysdig shows a buffer's bytes outside printable ASCII as '.'. */
function shown(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ".");
}

export function checkWorkloadCapture(file: string, f: WorkloadFacts, t: WorkloadTexts): void {
  const all = sysdigLines(file);
  assert.ok(all.length > 50, `a recording of the workload has its events (${all.length} lines)`);

  // Only the workload and its child: the kernel filter followed the fork and nothing else.
  const pids = new Set(sysdigLines(file, ["-p", "%proc.pid"]).filter((l) => l !== "<NA>"));
  assert.deepEqual([...pids].sort(), [String(f.pid), String(f.child)].sort());

  // The file: opened with the flags asked, written, closed.
  const open = exactly(file, `evt.type=openat and evt.dir=< and fd.name=${t.file}`, 1)[0];
  has(open, `fd=${f.fd}(<f>${t.file})`, `name=${t.file}`, "flags=262(O_TRUNC|O_CREAT|O_WRONLY)", "mode=0640");
  const openEnter = exactly(file, `evt.type=openat and evt.dir=> and evt.arg.name=${t.file}`, 1)[0];
  has(openEnter, "dirfd=-100(AT_FDCWD)", "flags=262(O_TRUNC|O_CREAT|O_WRONLY)", "mode=0640");
  const write = exactly(file, `evt.type=write and evt.dir=< and fd.name=${t.file}`, 1)[0];
  has(write, `res=${f.wrote}`, `data=${shown(t.text)}`);
  exactly(file, `evt.type=write and evt.dir=> and fd.name=${t.file}`, 1).forEach((l) => has(l, `size=${Buffer.byteLength(t.text)}`));
  exactly(file, `evt.type=close and evt.dir=> and fd.name=${t.file}`, 1);

  // TCP: the connect, the accept of it, and the bind that finds the port taken.
  const lo = "127.0.0.1";
  const connect = exactly(file, "evt.type=connect and evt.dir=<", 1)[0];
  has(connect, "res=0", `tuple=${lo}:${f.clientPort}->${lo}:${f.port}`);
  has(exactly(file, "evt.type=connect and evt.dir=>", 1)[0], `fd=${f.clientFd}(`, `addr=${lo}:${f.port}`);
  const accept = exactly(file, "evt.type=accept and evt.dir=<", 1)[0];
  has(accept, `fd=${f.acceptFd}(`, `tuple=${lo}:${f.clientPort}->${lo}:${f.port}`);
  assert.equal(f.bindErrno, 98, "the workload's second bind failed with EADDRINUSE");
  const bind = exactly(file, "evt.type=bind and evt.dir=< and evt.failed=true", 1)[0];
  has(bind, "res=-98(EADDRINUSE)", `addr=${lo}:${f.port}`);

  // UDP: the datagram and where it went.
  const sendto = exactly(file, "evt.type=sendto and evt.dir=<", 1)[0];
  has(sendto, `res=${f.sent}`, `data=${shown(t.udpText)}`);
  has(exactly(file, "evt.type=sendto and evt.dir=>", 1)[0], `fd=${f.udpFd}(`, `size=${Buffer.byteLength(t.udpText)}`, `->${lo}:${f.udpPort}`);

  // The fork (glibc's fork is clone): the parent's exit names the child, the child's is 0.
  const clones = exactly(file, "evt.type=clone and evt.dir=<", 2);
  const parent = clones.find((l) => l.includes(`res=${f.child}(`));
  const child = clones.find((l) => l.includes("res=0 "));
  assert.ok(parent && child, `the parent's and the child's clone exit:\n${clones.join("\n")}`);
  has(parent, `tid=${f.pid}(`, `pid=${f.pid}(`);
  has(child, `tid=${f.child}(`, `pid=${f.child}(`, `ptid=${f.pid}(`);

  // The child's exec of echo with its argument, and both processes' exits.
  const exec = exactly(file, `evt.type=execve and evt.dir=< and proc.pid=${f.child}`, 1)[0];
  has(exec, "res=0", "exe=echo", `args=${shown(t.echoText)}.`, `pid=${f.child}(echo)`, `ptid=${f.pid}(`, "comm=echo");
  exactly(file, `evt.type=procexit and thread.tid=${f.child}`, 1).forEach((l) => has(l, "status=0"));
  exactly(file, `evt.type=procexit and thread.tid=${f.pid}`, 1);

  // And our reader prints every line as sysdig does.
  const ours = runCasefile(["events", file]);
  assert.equal(ours.status, 0, ours.stderr);
  const oursLines = ours.stdout.split("\n").filter((l) => l.length > 0);
  assert.equal(oursLines.length, all.length, "casefile events prints as many lines as sysdig -r");
  for (let i = 0; i < all.length; i++) assert.equal(oursLines[i], all[i], `line ${i + 1}`);
}
