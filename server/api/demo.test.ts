// The demo capture kept in the repository (public/demo, recorded by scripts/record-demo.sh):
// sysdig 0.29.3 reads it to its end and finds each story in it; a fresh data folder lists it,
// ready, with its profile linked, and only once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, outputLines, runSysdig } from "../testing/oracle";
import { openStore } from "./store";
import { Profiles } from "./profiles";
import { DEMO_NAME, offerDemo } from "./demo";
import { casefileProfileImporter } from "../core/formats/stacks/casefile-profile";

const DEMO = join(PROJECT_ROOT, "public/demo/demo.scap.gz");
const PROFILE = join(PROJECT_ROOT, "public/demo/demo.profile");

function sysdig(args: string[]): string[] {
  const r = runSysdig(["-r", DEMO, ...args]);
  assert.equal(r.status, 0, `sysdig ${args.join(" ")}: ${r.stderr.toString()}`);
  assert.equal(r.stderr.toString().trim(), "", `sysdig ${args.join(" ")} complained`);
  return outputLines(r.stdout);
}

test("sysdig reads the demo to its end", () => {
  assert.ok(sysdig([]).length > 500);
});

test("httpd's bind fails with EADDRINUSE, and sysdig's lsof at that event shows the holder", () => {
  const fails = sysdig(["-p", "%evt.num %proc.name %evt.info", "evt.type=bind and evt.dir=< and evt.res=EADDRINUSE"]);
  assert.equal(fails.length, 1, fails.join("\n"));
  const [num, proc] = fails[0].split(" ");
  assert.equal(proc, "httpd");
  const port = /addr=127\.0\.0\.1:(\d+)/.exec(fails[0])?.[1];
  assert.ok(port, fails[0]);
  const lsof = sysdig(["-c", "lsof", `fd.sport=${port}`, `evt.num=${num}`]);
  assert.equal(lsof.length, 2, lsof.join("\n")); // the header and the holder
  assert.match(lsof[1], new RegExp(`^stale-httpd\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\d+\\s+ipv4\\s+127\\.0\\.0\\.1:${port}$`));
});

test("keepalived's heartbeat (sendmsg every second) has one gap of about 5 s", () => {
  const times = sysdig(["-p", "%evt.rawtime", "proc.name=keepalived and evt.type=sendmsg and evt.dir=>"]).map(BigInt);
  assert.ok(times.length >= 10, `${times.length} heartbeats`);
  const gaps = times.slice(1).map((t, i) => Number(t - times[i]) / 1e9);
  const long = gaps.filter((g) => g > 2);
  assert.equal(long.length, 1, `gaps: ${gaps.map((g) => g.toFixed(2)).join(" ")}`);
  assert.ok(long[0] >= 4.9 && long[0] <= 6.5, `the gap: ${long[0]} s`);
  for (const g of gaps.filter((x) => x <= 2)) assert.ok(g >= 0.9 && g <= 1.5, `a regular beat ${g} s apart`);
});

test("worker-pool forks a worker, which starts (exec) in a cgroup of its own", () => {
  const clones = sysdig(["-p", "%proc.pid %evt.rawarg.res", "proc.name=worker-pool and evt.type=clone and evt.dir=<"]);
  const parent = clones.map((l) => l.split(" ")).find(([, res]) => Number(res) > 0);
  assert.ok(parent, clones.join("\n"));
  const child = parent[1];
  assert.ok(clones.some((l) => l === `${child} 0`), `the child ${child} returns 0 from clone: ${clones.join(" | ")}`);
  const exec = sysdig(["-p", "%proc.pid %thread.cgroups", `evt.type=execve and evt.dir=< and proc.pid=${child}`]);
  assert.equal(exec.length, 1, exec.join("\n"));
  assert.match(exec[0], /=\/casefile-demo-\d+/);
});

test("mysql reads the password from a terminal (/dev/tty, a pty)", () => {
  const reads = sysdig(["-p", "%fd.name %evt.rawarg.res", "proc.name=mysql and evt.type=read and evt.dir=< and fd.name=/dev/tty"]);
  assert.equal(reads.length, 1, reads.join("\n"));
  assert.ok(Number(reads[0].split(" ")[1]) > 0);
});

test("the demo profile shows keepalived's stall in burn_cpu_hot_loop", () => {
  const imp = casefileProfileImporter();
  imp.push(readFileSync(PROFILE, "utf8"));
  const p = imp.end();
  assert.deepEqual(p.sections.map((s) => [s.name, s.unit]), [["on-cpu", "samples"], ["off-cpu", "ns"]]);
  let total = 0, hot = 0;
  for (const [stack, v] of p.sections[0].stacks) {
    total += v;
    if (stack.split(";").includes("burn_cpu_hot_loop")) hot += v;
  }
  assert.ok(hot >= 0.5 * total && total > 50, `${hot} of ${total} samples in burn_cpu_hot_loop`);
});

test("a fresh data folder gets the demo, ready, with its profile linked; once only", async () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-data-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  try {
    const id = await offerDemo(store, dir, PROJECT_ROOT);
    assert.ok(id);
    const listed = store.listCaptures().find((c) => c.id === id);
    assert.equal(listed?.name, DEMO_NAME);
    assert.equal(listed?.status, "ready");
    assert.equal(listed?.events, sysdig([]).length); // every event sysdig prints (none hidden)
    const profiles = new Profiles(dir);
    try {
      const linked = profiles.list(id);
      assert.equal(linked.length, 1);
      assert.equal(profiles.text(linked[0].id), readFileSync(PROFILE, "utf8"));
    } finally {
      profiles.close();
    }
    assert.equal(await offerDemo(store, dir, PROJECT_ROOT), undefined);
    assert.equal(store.deleteCapture(id), true);
    assert.equal(await offerDemo(store, dir, PROJECT_ROOT), undefined, "a deleted demo stays deleted");
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a data folder that already holds captures does not get the demo, then or later", async () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-data-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  try {
    const theirs = await store.ingestFile(join(PROJECT_ROOT, "test/fixtures/captures", readdirSync(join(PROJECT_ROOT, "test/fixtures/captures")).find((f) => f.endsWith(".scap"))!), "theirs");
    assert.equal(await offerDemo(store, dir, PROJECT_ROOT), undefined);
    store.deleteCapture(theirs);
    assert.equal(await offerDemo(store, dir, PROJECT_ROOT), undefined);
    assert.deepEqual(store.listCaptures(), []);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
