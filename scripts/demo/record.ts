// The demo's recorder (scripts/record-demo.sh runs it as root): the collector's Recording (what
// `casefile record` runs) with two differences that a capture kept in the repository needs:
// - the /proc snapshot holds only the scenario's processes: the rest of the host's process
//   table (other programs' command lines and environments) has no place in a public file;
// - blocks sysdig 0.29.3 does not know (the collector's own network blocks) are left out of the
//   file, so that `sysdig -r` reads the demo to its end.
//
//   node --import tsx scripts/demo/record.ts -w OUT.scap --names a,b,c   (SIGINT/SIGTERM stop)

import { openSync, readFileSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { Recording } from "../../collector/recording";
import { snapshotHost } from "../../collector/proc-snapshot";
import { hostServices } from "../../server/ingest/host-services";
import { EVENT_BLOCK_LAYOUT, FDL_BLOCK_TYPE_V2, IL_BLOCK_TYPE_V2, MI_BLOCK_TYPE, PL_BLOCK_VERSION, SHB_BLOCK_TYPE, UL_BLOCK_TYPE_V2 } from "../../server/core/formats/scap/blocks";

const args = process.argv.slice(2);
const out = args[args.indexOf("-w") + 1];
const names = (args[args.indexOf("--names") + 1] ?? "").split(",").filter(Boolean);
if (!out || args.indexOf("-w") < 0 || !names.length) {
  process.stderr.write("usage: record.ts -w OUT.scap --names comm,comm,...\n");
  process.exit(2);
}

const snap = snapshotHost();
const kept = new Set(snap.processes.filter((p) => names.includes(p.comm)).map((p) => p.pid));
const snapshot = {
  procs: snap.procs.filter((p) => kept.has(p.pid)),
  fds: new Map([...snap.fds].filter(([pid]) => kept.has(pid))),
  processes: snap.processes.filter((p) => kept.has(p.pid)),
};
const fd = openSync(out, "w");
const rec = new Recording({
  filter: `proc.name in (${names.join(", ")})`,
  parse: { services: hostServices() },
  excludePids: [process.pid],
  snapshot,
  write: (b) => void writeSync(fd, b),
  onEnd: (failure) => stop(failure),
});

let stopping = false;
async function stop(failure?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const totals = await rec.stop();
  closeSync(fd);
  const dropped = keepKnownBlocks(out);
  process.stderr.write(`record: ${totals.written} events written, ${totals.drops} dropped by the kernel side; ${dropped} blocks sysdig does not know left out\n`);
  const why = failure ?? totals.failure;
  if (why) process.stderr.write(`record: the recording stopped: ${why}\n`);
  process.exit(why || totals.drops ? 1 : 0);
}

/** Rewrites the file without the blocks sysdig 0.29.3 cannot read; returns how many. */
function keepKnownBlocks(path: string): number {
  const known = new Set<number>([SHB_BLOCK_TYPE, MI_BLOCK_TYPE, FDL_BLOCK_TYPE_V2, IL_BLOCK_TYPE_V2, UL_BLOCK_TYPE_V2, ...PL_BLOCK_VERSION.keys(), ...EVENT_BLOCK_LAYOUT.keys()]);
  const b = readFileSync(path);
  const parts: Buffer[] = [];
  let dropped = 0;
  for (let pos = 0; pos + 12 <= b.length;) {
    const type = b.readUInt32LE(pos), len = b.readUInt32LE(pos + 4);
    if (len < 12 || pos + len > b.length) throw new Error(`${path}: a block of ${len} bytes at offset ${pos} runs past the end`);
    if (known.has(type)) parts.push(b.subarray(pos, pos + len));
    else dropped++;
    pos += len;
  }
  writeFileSync(path, Buffer.concat(parts));
  return dropped;
}

process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
await rec.start();
process.stderr.write(`record: recording to ${out} (${kept.size} scenario processes in the snapshot)\n`);
