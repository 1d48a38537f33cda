// Records bpf/workload under bpf/loader and keeps the loader's raw stream as a fixture
// (test/fixtures/bpf/workload.stream, with what the workload did in workload.json), so that
// decoding the BPF programs' records is tested without BPF (bpf/stream-fixture.test.ts).
// Root and a BTF kernel. Run: node --import tsx bpf/record-fixture.ts
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BPF_DIR, buildAll, runWorkload, type WorkloadTexts } from "./workload-run";

export const FIXTURE_DIR = join(BPF_DIR, "../test/fixtures/bpf");

async function main(): Promise<void> {
  buildAll();
  const texts: WorkloadTexts = {
    file: "/tmp/casefile-bpf-fixture-written.txt",
    text: "what the workload wrote\n",
    udpText: "a datagram",
    echoText: "echoed by the child",
  };
  const run = await runWorkload(texts);
  rmSync(texts.file, { force: true });
  writeFileSync(join(FIXTURE_DIR, "workload.stream"), run.stream);
  writeFileSync(join(FIXTURE_DIR, "workload.json"), JSON.stringify({ texts, facts: run.facts, stats: run.stats.at(-1), net: run.net }, null, 1) + "\n");
  console.log(`${run.stream.length} bytes, ${run.stats.at(-1)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
