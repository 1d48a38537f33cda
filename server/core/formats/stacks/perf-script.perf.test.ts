// The perf script importer against perf itself: a live recording of every CPU while dd copies
// zeros (kernel and user frames, [unknown] ones, many processes), read by our importer from
// `perf script`, compared with `perf report`'s sample counts per process and per (process,
// symbol of the sampled instruction), which perf computes from the same perf.data.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importerFor, sniffStacks } from "./index";
import { perfRecord, perfReportLeaves, perfScript } from "../../../testing/perf-oracle";

test("perf script of a live recording: per-process and per-leaf sample counts equal perf report's", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-perf-"));
  try {
    const data = join(dir, "perf.data");
    perfRecord(data, 499, ["dd", "if=/dev/zero", "of=/dev/null", "bs=64", "count=600000"]);
    const text = perfScript(data);
    const sniff = sniffStacks(text.slice(0, 65536), text.length <= 65536);
    assert.deepEqual(sniff, { format: "perf-script" });
    const imp = importerFor("perf-script");
    // Fed in odd-sized chunks, as an upload arrives.
    for (let i = 0; i < text.length; i += 4093) imp.push(text.slice(i, i + 4093));
    const profile = imp.end();
    assert.deepEqual(profile.sections.map((s) => s.name), ["cpu-clock"]);
    const ours = profile.sections[0].stacks;

    const perfRows = perfReportLeaves(data);
    const perfTotal = perfRows.reduce((s, r) => s + r.samples, 0);
    assert.ok(perfTotal >= 100, `perf recorded ${perfTotal} samples`);

    // Per process (stackcollapse-perf writes comm with "_" for spaces).
    const perComm = (rows: [string, number][]) => {
      const m = new Map<string, number>();
      for (const [c, n] of rows) m.set(c, (m.get(c) ?? 0) + n);
      return m;
    };
    const theirs = perComm(perfRows.map((r) => [r.comm.replace(/ /g, "_"), r.samples]));
    const mine = perComm([...ours].map(([k, v]) => [k.slice(0, k.indexOf(";") < 0 ? k.length : k.indexOf(";")), v]));
    assert.deepEqual(new Map([...mine].sort()), new Map([...theirs].sort()));
    assert.ok(mine.has("dd"), "dd was sampled");

    // Per (process, leaf symbol) where perf names the symbol (unresolved ones print as an
    // address in perf report and as [module] in the folded stacks). stackcollapse-perf.pl's
    // --kernel suffix goes by the frame's module, the kernel image: a BPF program perf report
    // counts as kernel ([k]) is its own module (running tracers put them under any process).
    const key = (comm: string, sym: string, kernel: boolean) => `${comm}\t${sym}${kernel ? "_[k]" : ""}`;
    const theirLeaves = new Map<string, number>();
    for (const r of perfRows) {
      if (/^0x[0-9a-f]+$/.test(r.symbol) || r.symbol.includes("(")) continue;
      const k = key(r.comm.replace(/ /g, "_"), r.symbol, r.kernel && /(kernel\.|vmlinux$)/.test(r.dso));
      theirLeaves.set(k, (theirLeaves.get(k) ?? 0) + r.samples);
    }
    const myLeaves = new Map<string, number>();
    for (const [stack, v] of ours) {
      const frames = stack.split(";");
      const leaf = frames.at(-1)!;
      const k = `${frames[0]}\t${leaf}`;
      if (theirLeaves.has(k)) myLeaves.set(k, (myLeaves.get(k) ?? 0) + v);
    }
    assert.ok(theirLeaves.size >= 3, `perf named ${theirLeaves.size} leaf symbols`);
    for (const [k, n] of theirLeaves) assert.equal(myLeaves.get(k) ?? 0, n, `samples with leaf ${k}`);
    const kernelLeaves = [...theirLeaves.keys()].filter((k) => k.startsWith("dd\t") && k.endsWith("_[k]"));
    assert.ok(kernelLeaves.length > 0, "dd has kernel leaves, suffixed _[k]");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
