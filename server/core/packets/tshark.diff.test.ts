// Differential test against tshark 4.0 (Debian) on every packet fixture it reads: for each
// packet, the number, the time in ns, and every occurrence of ip.src/dst, ipv6.src/dst, the TCP
// and UDP ports, ip.proto, tcp.flags and the ICMP/ICMPv6 type and code (outer, inner and quoted
// headers, in order) must agree on at least 99% of the packets. Every category of difference
// is printed with its count and examples, and the agreement of every file that is not whole.
//
// A file tshark cannot read at all (it fails and prints no packet: a link type it does not
// support, record data it refuses) is not compared, and is listed; a file it reads in part is
// compared on what it read, plus the packets only one side read.

import { test } from "node:test";
import assert from "node:assert/strict";
import { basename } from "node:path";
import { availableParallelism } from "node:os";
import { fixturePcaps } from "../../testing/oracle";
import { compareFields, ourFields, requireTshark, tsharkFields, type FileComparison } from "../../testing/tshark-packets";

test("packets agree with tshark 4.0 on >= 99% of the packets of every fixture it reads", { timeout: 600_000 }, async () => {
  requireTshark();
  const files = fixturePcaps();
  assert.ok(files.length > 300, `only ${files.length} pcap fixtures found`);
  const results: FileComparison[] = [];
  const unread: string[] = [];
  let next = 0;
  // tshark starts in ~0.15 s and the files are small: as many at once as there are cores.
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      const [t, o] = await Promise.all([tsharkFields(f), ourFields(f)]);
      if (t.status !== 0 && t.packets.length === 0) {
        unread.push(`${basename(f)} (${t.stderr.split("\n").filter((l) => l && !/Running as user/.test(l)).join(" ").trim()}; ours: ${o.packets.length} packets)`);
        continue;
      }
      results.push(compareFields(f, t.packets, o.packets));
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));

  let agree = 0;
  let total = 0;
  const cats = new Map<string, { count: number; examples: string[] }>();
  const partial: string[] = [];
  for (const r of results.sort((a, b) => a.file.localeCompare(b.file))) {
    const n = Math.max(r.tshark, r.ours);
    agree += r.agree;
    total += n;
    if (r.agree < n) partial.push(`  ${basename(r.file)}: ${r.agree}/${n} (${[...r.diffs.keys()].join(", ")})`);
    for (const [k, v] of r.diffs) {
      const c = cats.get(k) ?? { count: 0, examples: [] };
      c.count += v.count;
      if (c.examples.length < 4) c.examples.push(v.example);
      cats.set(k, c);
    }
  }
  const rate = total === 0 ? 0 : agree / total;
  const lines = [
    `tshark differential: ${agree}/${total} packets agree (${(100 * rate).toFixed(2)}%) over ${results.length} files`,
    `files tshark does not read (not compared): ${unread.length}`,
    ...unread.map((u) => `  ${u}`),
    `files not wholly in agreement: ${partial.length}`,
    ...partial,
    "differences by category (packets):",
    ...[...cats].sort((a, b) => b[1].count - a[1].count).flatMap(([k, v]) => [`  ${k}: ${v.count}`, ...v.examples.map((e) => `      ${e}`)]),
  ];
  console.log(lines.join("\n"));
  assert.ok(results.length > 300, `only ${results.length} files compared`);
  assert.ok(total > 3000, `only ${total} packets compared`);
  assert.ok(rate >= 0.99, `agreement ${(100 * rate).toFixed(2)}% is under 99%`);
});
