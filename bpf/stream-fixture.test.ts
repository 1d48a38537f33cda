// The recorded loader stream of test/fixtures/bpf (bpf/record-fixture.ts), decoded without
// BPF: behind a section header, sysdig 0.29.3 reads exactly the workload's events with their
// parameters and `casefile events` prints the same lines (bpf/workload-checks.ts); the loader's
// count is the number of events. Also: every file of the folder has its README row.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { sysdigLines } from "../server/testing/oracle";
import { checkWorkloadCapture } from "./workload-checks";
import { BPF_DIR, captureOf, type WorkloadFacts, type WorkloadTexts } from "./workload-run";

const FIXTURES = join(BPF_DIR, "../test/fixtures/bpf");
const dir = mkdtempSync(join(tmpdir(), "casefile-bpf-fixture-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the recorded stream reads in sysdig 0.29.3 with the workload's events, and casefile events prints the same", () => {
  const meta = JSON.parse(readFileSync(join(FIXTURES, "workload.json"), "utf8")) as { texts: WorkloadTexts; facts: WorkloadFacts; stats: string };
  const file = join(dir, "workload.scap");
  writeFileSync(file, captureOf(readFileSync(join(FIXTURES, "workload.stream"))));
  checkWorkloadCapture(file, meta.facts, meta.texts);
  const events = Number(/events=(\d+)/.exec(meta.stats)?.[1]);
  assert.equal(sysdigLines(file, ["-p", "%evt.num"]).length, events, "sysdig numbers as many events as the loader counted");
});

test("every file of test/fixtures/bpf has a README row naming the script that recorded it", () => {
  const readme = readFileSync(join(FIXTURES, "README.md"), "utf8");
  const rows = new Set([...readme.matchAll(/^\| ([\w.-]+) \| `bpf\/record-fixture\.ts` \|/gm)].map((m) => m[1]));
  assert.deepEqual([...rows].sort(), readdirSync(FIXTURES).filter((f) => f !== "README.md").sort());
});
