// bench/packets: our packet path against tshark 4.0 on the same file in the same run.
//   node --import tsx bench/packets.ts [--packets N] [--rounds R] [--smoke]
// The file (bench/out/big-N.pcap, made by big-pcap.ts with our writer: 1 million packets by
// default) is read by:
//   - our reader alone, reader + decoders (summary, the ingest's path), reader + decoders with
//     the layer tree (the detail pane's), in this process;
//   - `casefile ingest`-equivalent: ingestPacketCapture into a fresh SQLite database;
//   - `casefile packets FILE > /dev/null` (a process, like tshark);
//   - `tshark -r FILE -T fields -e frame.number > /dev/null` and `tshark -r FILE > /dev/null`.
// Prints packets/s for each and the ratios against tshark's times from the same run (median of
// R alternating rounds). Never fails on time; --smoke fails only when a tool reads the wrong
// number of packets.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodePacket } from "../server/core/packets/decode";
import { readPacketFile } from "../server/ingest/packet-stream";
import { ingestPacketCapture } from "../server/ingest/packet-ingest";
import { PROJECT_ROOT } from "../server/testing/oracle";
import { requireTshark } from "../server/testing/tshark-packets";
import { makeBigPcap } from "./big-pcap";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const opt = (name: string) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
const count = opt("--packets") ?? (smoke ? 50_000 : 1_000_000);
const rounds = opt("--rounds") ?? (smoke ? 1 : 3);

requireTshark();
const dir = join(PROJECT_ROOT, "bench/out");
mkdirSync(dir, { recursive: true });
const file = join(dir, `big-${count}.pcap`);
if (!existsSync(file)) makeBigPcap(file, count);

async function inProcess(mode: "read" | "summary" | "layers"): Promise<{ seconds: number; packets: number }> {
  const t0 = performance.now();
  let packets = 0;
  let sink = 0;
  await readPacketFile(file, {
    onPacket(p) {
      packets++;
      if (mode === "read") sink += p.caplen;
      else sink += decodePacket(p, { layers: mode === "layers" }).info.length;
    },
    onError(e) { throw new Error(e.message); },
  });
  if (sink < 0) console.log(sink);
  return { seconds: (performance.now() - t0) / 1000, packets };
}

async function ingest(): Promise<{ seconds: number; packets: number }> {
  const tmp = mkdtempSync(join(tmpdir(), "bench-packets-"));
  try {
    const t0 = performance.now();
    const r = await ingestPacketCapture(join(tmp, "p.db"), file, (raw) => decodePacket(raw, { layers: false }));
    return { seconds: (performance.now() - t0) / 1000, packets: r.packets };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function proc(cmd: string): { seconds: number; packets: number } {
  const t0 = performance.now();
  const out = execFileSync("sh", ["-c", `${cmd} | wc -l`], { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 20 }).toString();
  return { seconds: (performance.now() - t0) / 1000, packets: Number(out.trim()) };
}

const rows: Record<string, { seconds: number; packets: number }[]> = {};
const add = (name: string, r: { seconds: number; packets: number }) => (rows[name] ??= []).push(r);
const casefile = join(PROJECT_ROOT, "bin/casefile");
for (let i = 0; i < rounds; i++) {
  add("tshark -T fields -e frame.number", proc(`tshark -r '${file}' -T fields -e frame.number 2>/dev/null`));
  add("reader only", await inProcess("read"));
  add("reader + decode (summary)", await inProcess("summary"));
  add("reader + decode (layers)", await inProcess("layers"));
  add("ingest into SQLite", await ingest());
  add("tshark -r (default lines)", proc(`tshark -r '${file}' 2>/dev/null`));
  add("casefile packets (lines)", proc(`'${casefile}' packets '${file}'`));
}

const median = (xs: { seconds: number; packets: number }[]) => [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor(xs.length / 2)];
const tsharkFields = median(rows["tshark -T fields -e frame.number"]).seconds;
const tsharkLines = median(rows["tshark -r (default lines)"]).seconds;
console.log(`capture: ${count.toLocaleString("en-US")} packets, ${(statSync(file).size / 1e6).toFixed(0)} MB (${file}); median of ${rounds} round(s)`);
console.log(`${"".padEnd(34)} ${"seconds".padStart(8)} ${"packets/s".padStart(11)}  vs tshark -T fields   vs tshark -r`);
let wrong = false;
for (const [name, rs] of Object.entries(rows)) {
  const m = median(rs);
  if (m.packets !== count) wrong = true;
  console.log(`${name.padEnd(34)} ${m.seconds.toFixed(2).padStart(8)} ${Math.round(m.packets / m.seconds).toLocaleString("en-US").padStart(11)}  ${(m.seconds / tsharkFields).toFixed(3).padStart(8)}   ${(m.seconds / tsharkLines).toFixed(3).padStart(12)}   (${m.packets} packets; runs ${rs.map((r) => r.seconds.toFixed(2)).join(", ")} s)`);
}
console.log("ratio = our seconds / tshark's seconds (under 1: faster); target >= 500,000 packets/s for reader + decode and ingest");
if (smoke && wrong) {
  console.error("bench smoke: a tool read the wrong number of packets");
  process.exit(1);
}
