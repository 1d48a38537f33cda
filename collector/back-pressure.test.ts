// A server that reads slowly slows the collector down instead of making it lose events: the
// collector pauses its sessions' sources while its socket's backlog is large (the loader's ring
// then holds the events and counts what it cannot as drops) and lets them go on once the
// server has caught up. Here a real WebSocket server stops reading for a while; the collector
// replays a real capture many times as fast as it can; every event must arrive, none counted
// as dropped, and the collector's unsent backlog must stay near its pause mark meanwhile (it
// grew to 64 MiB and dropped past that before).

import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import type { Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { CollectorClient } from "./collector-client";
import { FileSource } from "./sources";
import { EVENT_BLOCK_LAYOUT } from "../server/core/formats/scap/blocks";
import { CAPTURES_DIR } from "../server/testing/oracle";

const LOOPS = 500; // curl_google.scap holds ~93 KB of event blocks: ~46 MB in all
const PAUSE_MARK = 8 * 1024 * 1024;

/** Event blocks in a run of whole blocks (the frame's scap bytes). */
function eventBlocks(b: Buffer): number {
  let n = 0;
  for (let pos = 0; pos + 8 <= b.length;) {
    const total = b.readUInt32LE(pos + 4);
    if (EVENT_BLOCK_LAYOUT.has(b.readUInt32LE(pos))) n++;
    if (total < 12) throw new Error(`bad block length ${total} at ${pos}`);
    pos += total;
  }
  return n;
}

test("a slow server holds the collector back: no event lost, the backlog bounded", async () => {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await once(wss, "listening");
  const port = (wss.address() as { port: number }).port;
  let events = 0;
  let bytes = 0;
  // The frames' scap bytes are whole blocks only at frame ends: joined per session first.
  let pending = Buffer.alloc(0);
  let ended: Record<string, unknown> | undefined;
  let endedWait: () => void = () => {};
  const endedP = new Promise<void>((r) => (endedWait = r));
  let serverWs!: WebSocket;
  const connected = new Promise<void>((ok) => {
    wss.on("connection", (ws) => {
      serverWs = ws;
      ws.on("message", (data: Buffer, isBinary) => {
        if (isBinary) {
          const n = data[0];
          const buf = Buffer.concat([pending, data.subarray(1 + n)]);
          // Frames carry whole blocks: nothing pends between them.
          events += eventBlocks(buf);
          bytes += buf.length;
          pending = Buffer.alloc(0);
          return;
        }
        const m = JSON.parse(data.toString());
        if (m.type === "hello") ok();
        if (m.type === "ended") {
          ended = m;
          endedWait();
        }
      });
    });
  });
  const client = new CollectorClient({
    server: `ws://127.0.0.1:${port}/ws/collector`, token: "t", host: "bp-test", reconnect: false, log: () => {},
    source: () => new FileSource(join(CAPTURES_DIR, "curl_google.scap"), { loops: LOOPS }),
  });
  try {
    await client.start();
    await connected;
    // The server stops reading (TCP's buffers fill, then the collector's own backlog grows).
    const sock = (serverWs as unknown as { _socket: Socket })._socket;
    sock.pause();
    serverWs.send(JSON.stringify({ type: "start", session: "s1" }));
    let maxBacklog = 0;
    const clientWs = () => (client as unknown as { ws: WebSocket }).ws;
    const t0 = Date.now();
    while (Date.now() - t0 < 3000) {
      maxBacklog = Math.max(maxBacklog, clientWs().bufferedAmount);
      await new Promise((r) => setTimeout(r, 5));
    }
    sock.resume();
    await endedP;
    assert.ok(ended, "the collector ended the session");
    assert.equal(ended!.failure, undefined, `no failure: ${ended!.failure}`);
    assert.equal(ended!.drops, 0, "nothing dropped");
    assert.ok(Number(ended!.events) > 0);
    // Every event the source gave (and the collector wrote) arrived.
    assert.equal(ended!.written, ended!.events);
    assert.equal(events, ended!.written, "events received = events written");
    assert.ok(bytes > 4 * PAUSE_MARK, `the replay (${bytes} bytes) is far more than the pause mark, so the backlog had to be held back`);
    // The backlog stopped near the mark: one frame (256 KiB of blocks, plus a read of the
    // file) may go past it before the sources pause.
    assert.ok(maxBacklog <= PAUSE_MARK + 2 * 1024 * 1024, `backlog at most ${maxBacklog} bytes`);
    assert.ok(maxBacklog > 0, "the server's stop was felt");
    console.log(`replayed ${bytes} bytes, ${events} events; the largest backlog ${maxBacklog} bytes`);
  } finally {
    await client.close();
    wss.close();
  }
});
