// `casefile ingest FILE`: imports a capture (scap; pcap, pcapng: told by content) into the store, with a progress bar on a terminal,
// and prints the capture id.

import { basename } from "node:path";
import { statSync } from "node:fs";
import { openStore } from "../api/store";
import { fail } from "./output";

export async function ingestCommand(args: string[]): Promise<number> {
  const [file] = args;
  if (!file) return fail("usage: casefile ingest FILE");
  try {
    statSync(file);
  } catch {
    return fail(`${file}: no such file`);
  }
  const store = openStore(process.env.CASEFILE_DATA ?? "./data");
  const tty = process.stderr.isTTY;
  const started = Date.now();
  try {
    const id = await store.ingestFile(file, basename(file), (p) => {
      if (!tty || p.done) return;
      const frac = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
      const width = 30;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.events.toLocaleString("en-US")} events`);
    });
    if (tty) process.stderr.write("\r\x1b[K");
    const c = store.getCapture(id)!;
    const secs = (Date.now() - started) / 1000;
    if (c.status === "error") return fail(`${file}: ${c.error}`);
    process.stdout.write(`${id}\n`);
    // A packet capture (pcap, pcapng) counts packets.
    const unit = c.format === "pcap" || c.format === "pcapng" ? "packets" : "events";
    process.stderr.write(`${c.events} ${unit} in ${secs.toFixed(2)} s${c.error ? `; kept the ${unit} before the damage: ${c.error}` : ""}\n`);
    return c.error ? 2 : 0;
  } finally {
    store.close();
  }
}
