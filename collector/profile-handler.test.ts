// The `profile` request of the collector protocol, end to end without the socket: the server's
// ProfileRequests sends, the collector's handler records a real profile (root, BPF) and its
// `profile-result` comes back to the waiting request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { profileHandler, readProfileRequest } from "./profile-handler";
import { ProfileRequests } from "../server/live/profile-requests";
import { casefileProfileImporter } from "../server/core/formats/stacks/casefile-profile";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

test("the request's arguments are checked, each refusal naming the argument", () => {
  assert.deepEqual(readProfileRequest({ seconds: 2, pid: 7, hz: 49 }), { seconds: 2, pid: 7, hz: 49 });
  assert.deepEqual(readProfileRequest({ seconds: 0.5 }), { seconds: 0.5 });
  for (const [msg, re] of [
    [{}, /seconds must be/],
    [{ seconds: "2" }, /seconds must be/],
    [{ seconds: 301 }, /at most 300/],
    [{ seconds: 1, pid: -3 }, /pid must be a process id/],
    [{ seconds: 1, pid: 1.5 }, /pid must be/],
    [{ seconds: 1, hz: 0 }, /hz must be/],
  ] as [Record<string, unknown>, RegExp][]) {
    const r = readProfileRequest(msg);
    assert.ok("error" in r && re.test(r.error), `${JSON.stringify(msg)} → ${JSON.stringify(r)}`);
  }
});

test("a profile requested through the protocol comes back as a casefile profile; one at a time", async (t) => {
  if (process.getuid?.() !== 0) throw new Error("loads BPF programs: run as root");
  execFileSync("make", ["-s", "-C", join(ROOT, "bpf"), "-f", "profile.mk", "profiler"], { stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "profile-handler-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "spin.c"), `
    volatile unsigned long sink;
    __attribute__((noinline)) unsigned long burn_cpu_hot_loop(unsigned long n) { unsigned long x = sink; for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005ul + i; return x; }
    int main(void) { for (;;) sink += burn_cpu_hot_loop(10000000); }
  `);
  execFileSync("cc", ["-O1", "-fno-omit-frame-pointer", "-fno-inline", "-o", join(dir, "spin"), join(dir, "spin.c")]);
  const spin = spawn(join(dir, "spin"), { stdio: "ignore" });
  t.after(() => spin.kill("SIGKILL"));

  const requests = new ProfileRequests();
  const handle = profileHandler();
  // The collector's side answers through the server's side, as the WebSocket would carry it.
  const send = (msg: Record<string, unknown>) => handle(msg, (a) => setImmediate(() => requests.result({ type: "profile-result", request: msg.request, ...a })));
  const first = requests.request(send, { seconds: 1, pid: spin.pid, hz: 99 });
  const second = requests.request(send, { seconds: 1 });
  await assert.rejects(second, /a profile is already being recorded on this host/);
  const r = await first;
  assert.equal(requests.size, 0);
  const imp = casefileProfileImporter();
  imp.push(r.text);
  const p = imp.end();
  assert.deepEqual(r.sections.map((s) => [s.name, s.unit]), p.sections.map((s) => [s.name, s.unit]));
  assert.ok([...p.sections[0].stacks.keys()].some((k) => k.startsWith(`spin (${spin.pid});`) && k.split(";").includes("burn_cpu_hot_loop")), [...p.sections[0].stacks.keys()].join("\n"));
  assert.equal(r.sections[0].total, [...p.sections[0].stacks.values()].reduce((a, b) => a + b, 0));
  // A bad request is answered with its reason.
  await assert.rejects(requests.request(send, { seconds: 1, pid: 0 }), /pid must be a process id/);
});

test("a collector that goes away fails its pending requests with the reason", async () => {
  const requests = new ProfileRequests();
  const pending = requests.request(() => {}, { seconds: 5 });
  requests.failAll("the collector of host vm disconnected");
  await assert.rejects(pending, /the collector of host vm disconnected/);
  assert.equal(requests.result({ type: "profile-result", request: "nobody", text: "" }), false);
});
