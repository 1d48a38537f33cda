// Live ingest throughput: a 2-million-event capture (bench/ingest.ts makes it) fed as a live
// session's stream (whole blocks, as the collector's frames bring them) through LiveCapture: the
// file ingest's reader, state, rows and SQLite writer thread, committing every 200 ms so that
// queries see new events. Then the whole chain: a collector (its file source replaying the
// capture as fast as it is taken) sending frames over a WebSocket to a LiveHub, which pauses the
// socket while SQLite is behind: events/s end to end and the drops. Printed beside the file
// ingest of the same bytes and `sysdig -r FILE > /dev/null`, measured in the same run.
//
//   node --import tsx bench/live-ingest.ts [--events N]

import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../db/open-db";
import { ingestCapture } from "../server/ingest/ingest";
import { LiveCapture } from "../server/live/live-capture";
import { BlockFramer } from "../collector/sources";
import { PROJECT_ROOT } from "../server/testing/oracle";
import http from "node:http";
import { once } from "node:events";
import { WebSocketServer } from "ws";
import { openStore } from "../server/api/store";
import { LiveHub } from "../server/live/live-hub";
import { CollectorClient } from "../collector/collector-client";
import { FileSource } from "../collector/sources";

const args = process.argv.slice(2);
const minEvents = Number(args[args.indexOf("--events") + 1]) || 2_000_000;
const big = join(PROJECT_ROOT, "bench/out", `big-${minEvents}.scap`);
if (!existsSync(big)) execFileSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "bench/ingest.ts"), "--events", String(minEvents), "--rounds", "1"], { stdio: "inherit" });

async function live(): Promise<{ events: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-live-"));
  mkdirSync(join(dir, "captures"));
  const catalog = openDb(join(dir, "catalog.db"), "catalog");
  const cap = LiveCapture.create(catalog, dir, "00000000000000be", "bench");
  const started = process.hrtime.bigint();
  const framer = new BlockFramer((b) => cap.push(b));
  for await (const chunk of createReadStream(big, { highWaterMark: 256 * 1024 })) {
    framer.push(chunk as Buffer);
    // The writer thread holds the stream back when SQLite is slower (as the hub pauses the
    // collector's socket).
    await cap.drain();
  }
  const r = await cap.finish();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
  return { events: r.events, seconds };
}

async function file(): Promise<{ events: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-file-"));
  const started = process.hrtime.bigint();
  const r = await ingestCapture(join(dir, "c.db"), big);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  return { events: r.events, seconds };
}

function sysdig(): number {
  const started = process.hrtime.bigint();
  execFileSync("sh", ["-c", `sysdig -r ${big} > /dev/null`]);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function chain(): Promise<{ events: number; seconds: number; drops: number }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-chain-"));
  const store = openStore(dir);
  const hub = new LiveHub(dir, store);
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  server.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => hub.acceptCollector(ws)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws/collector`;
  let sourceDone!: () => void;
  const done = new Promise<void>((r) => (sourceDone = r));
  const client = new CollectorClient({
    server: url, token: "bench", host: "bench", reconnect: false, log: () => {},
    source: () => {
      const src = new FileSource(big);
      const start = src.start.bind(src);
      src.start = (h) => start({ ...h, end: (f) => { h.end(f); sourceDone(); } });
      return src;
    },
  });
  await client.start();
  while (!hub.hosts().length) await new Promise((r) => setTimeout(r, 10));
  const started = process.hrtime.bigint();
  const s = await hub.start({ host: "bench" });
  await done;
  // The source ended: the collector sends `ended`, the hub finishes the capture.
  while (hub.get(s.id)!.status !== "ready" && hub.get(s.id)!.status !== "error") await new Promise((r) => setTimeout(r, 20));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const info = hub.get(s.id)!;
  await client.close();
  await hub.close();
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { events: info.stored, seconds, drops: info.drops };
}

const l = await live();
const c = await chain();
const f = await file();
const s = sysdig();
const rate = (n: number, secs: number) => `${(n / secs / 1e6).toFixed(2)} M events/s`;
console.log(`live ingest of ${l.events} events (whole blocks, commits every 200 ms): ${l.seconds.toFixed(2)} s, ${rate(l.events, l.seconds)}`);
console.log(`collector -> WebSocket -> hub -> SQLite, ${c.events} events:  ${c.seconds.toFixed(2)} s, ${rate(c.events, c.seconds)}, ${c.drops} drops`);
console.log(`file ingest of the same file:                         ${f.seconds.toFixed(2)} s, ${rate(f.events, f.seconds)}`);
console.log(`sysdig -r FILE > /dev/null:                           ${s.toFixed(2)} s, ${rate(l.events, s)}`);
console.log(`ratios: live/file ${(l.seconds / f.seconds).toFixed(2)}x, live/sysdig ${(l.seconds / s).toFixed(2)}x, chain/file ${(c.seconds / f.seconds).toFixed(2)}x, chain/sysdig ${(c.seconds / s).toFixed(2)}x`);
