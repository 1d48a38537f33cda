// Makes a large capture out of a real one: its header blocks (section, machine, process, fd,
// interface and user lists) once, then its event blocks repeated with every timestamp shifted
// by the source's span plus 1 ms per round, so the result is ordered in time like a real,
// longer recording. sysdig reads it like any capture.

import { createWriteStream } from "node:fs";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { EVENT_BLOCK_LAYOUT } from "../server/core/formats/scap/blocks";

export async function makeBigCapture(source: string, out: string, minEvents: number): Promise<number> {
  const raw = readFileSync(source);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: Buffer[] = [];
  const events: { off: number; len: number; tsOff: number }[] = [];
  let firstTs = -1n, lastTs = 0n;
  for (let o = 0; o < bytes.length;) {
    const type = dv.getUint32(o, true);
    const len = dv.getUint32(o + 4, true);
    const layout = EVENT_BLOCK_LAYOUT.get(type);
    if (layout) {
      const tsOff = o + 8 + (layout.hasFlags ? 6 : 2);
      const ts = dv.getBigUint64(tsOff, true);
      if (ts > 0n) {
        if (firstTs < 0n) firstTs = ts;
        lastTs = ts;
      }
      events.push({ off: o, len, tsOff: tsOff - o });
    } else if (events.length === 0) {
      header.push(Buffer.from(bytes.subarray(o, o + len)));
    }
    o += len;
  }
  const shiftPerRound = lastTs - firstTs + 1_000_000n;
  const rounds = Math.ceil(minEvents / events.length);
  const ws = createWriteStream(out);
  const write = (b: Buffer) => (ws.write(b) ? Promise.resolve() : new Promise<void>((r) => ws.once("drain", () => r())));
  for (const h of header) await write(h);
  for (let r = 0; r < rounds; r++) {
    const round = Buffer.alloc(events.reduce((n, e) => n + e.len, 0));
    let p = 0;
    const shift = shiftPerRound * BigInt(r);
    for (const e of events) {
      bytes.subarray(e.off, e.off + e.len).forEach((v, i) => (round[p + i] = v));
      const ts = dv.getBigUint64(e.off + e.tsOff, true);
      if (ts > 0n) round.writeBigUInt64LE(ts + shift, p + e.tsOff);
      p += e.len;
    }
    await write(round);
  }
  await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return rounds * events.length;
}
