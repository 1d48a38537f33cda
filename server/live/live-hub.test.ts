// Live sessions end to end below the pages: a real collector (CollectorClient, or the command
// line's `casefile collector` as its own process) connected over a WebSocket to a LiveHub on a
// real HTTP server, a real store, browsers as ws clients.
// - The workload, recorded through the real BPF loader attached to its pid: exactly its
//   events arrive in the store, in a subscribed client, and in the exported .scap, which sysdig
//   reads with the expected parameters and the same lines as `casefile events`.
// - A browser that leaves mid-recording loses nothing: evt.nums 1..N, N = the collector's count.
// - A collector killed mid-recording is reported to the subscribed client within a second.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket, { WebSocketServer } from "ws";
import Database from "better-sqlite3";
import { openStore } from "../api/store";
import type { EventRow, Store } from "../api/store-types";
import { exportScap } from "../api/scap-export";
import { fixtureCapture, PROJECT_ROOT, sysdigLines } from "../testing/oracle";
import { CollectorClient } from "../../collector/collector-client";
import { FileSource } from "../../collector/sources";
import { buildAll, WORKLOAD, type WorkloadFacts } from "../../bpf/workload-run";
import { checkWorkloadCapture } from "../../bpf/workload-checks";
import { LiveHub } from "./live-hub";

process.env.TZ = "UTC";
const TOKEN = "live-hub-test-token";

interface Hub {
  hub: LiveHub;
  store: Store;
  dir: string;
  url: string;
  close(): Promise<void>;
}

/** A LiveHub behind a real HTTP server, wired as serve.ts wires it (token checked). */
async function startHub(): Promise<Hub> {
  const dir = mkdtempSync(join(tmpdir(), "casefile-live-hub-"));
  const store = openStore(dir);
  const hub = new LiveHub(dir, store);
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const collectors = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  const browsers = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || url.searchParams.get("token");
    if (token !== TOKEN) return socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
    if (url.pathname === "/ws/collector") collectors.handleUpgrade(req, socket, head, (ws) => hub.acceptCollector(ws));
    else browsers.handleUpgrade(req, socket, head, (ws) => {
      hub.browserConnected(ws);
      ws.on("message", (d) => hub.browserMessage(ws, d));
      ws.on("close", () => hub.browserClosed(ws));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  return {
    hub, store, dir, url: `ws://127.0.0.1:${port}`,
    async close() {
      await hub.close();
      for (const ws of [...collectors.clients, ...browsers.clients]) ws.terminate();
      server.closeAllConnections();
      // Upgraded sockets count as the server's connections until their close is seen: a test
      // that failed midway must not hang here.
      await Promise.race([new Promise((r) => server.close(r)), new Promise((r) => setTimeout(r, 2000).unref())]);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A browser: a ws client that keeps every message. */
async function browser(url: string): Promise<{ ws: WebSocket; messages: Record<string, any>[]; waitFor(pred: (m: Record<string, any>) => boolean, ms?: number): Promise<Record<string, any>> }> {
  const ws = new WebSocket(`${url}/ws?token=${TOKEN}`);
  sockets.push(ws);
  const messages: Record<string, any>[] = [];
  const waiters: { pred: (m: Record<string, any>) => boolean; ok: (m: Record<string, any>) => void }[] = [];
  ws.on("message", (d) => {
    const m = JSON.parse(d.toString());
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.ok(m); }
  });
  await once(ws, "open");
  return {
    ws, messages,
    waitFor(pred, ms = 10_000) {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((ok, ko) => {
        const t = setTimeout(() => ko(new Error(`no message as wanted within ${ms} ms; got types ${[...new Set(messages.map((m) => m.type))]}`)), ms);
        waiters.push({ pred, ok: (m) => { clearTimeout(t); ok(m); } });
      });
    },
  };
}

async function waitUntil(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The stored capture's evt.nums: count, first, last (contiguous when count = last - first + 1). */
function storedNums(dir: string, id: string): { n: number; lo: number; hi: number } {
  const db = new Database(join(dir, "captures", `${id}.db`), { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n, min(num) AS lo, max(num) AS hi FROM events").get() as { n: number; lo: number; hi: number };
  } finally {
    db.close();
  }
}

async function allRows(store: Store, id: string, filter = ""): Promise<EventRow[]> {
  const out: EventRow[] = [];
  for (let from: number | null = 1; from !== null;) {
    const page = await store.events(id, { from, limit: 2000, filter });
    out.push(...page.events);
    from = page.next;
  }
  return out;
}

/** Every browser socket a test opened: closed at the end even when a test failed midway. */
const sockets: WebSocket[] = [];
let h: Hub;
before(async () => {
  h = await startHub();
});
after(async () => {
  for (const ws of sockets) ws.terminate();
  await h.close();
});

test("the workload recorded through the BPF loader: in the store, in a subscribed client, in the exported .scap (sysdig)", { timeout: 120_000 }, async () => {
  buildAll();
  const client = new CollectorClient({ server: `${h.url}/ws/collector`, token: TOKEN, host: "this-host", reconnect: false, log: () => {} });
  await client.start();
  await waitUntil("the collector's hello", () => h.hub.hosts().some((x) => x.host === "this-host"));
  const tag = `casefile-live-${process.pid}-${Date.now()}`;
  const texts = { file: join(tmpdir(), `${tag}.txt`), text: `hello from ${tag}`, udpText: `udp ${tag}`, echoText: `echo ${tag}` };
  const sh = spawn("/bin/sh", ["-c", 'read x; exec "$0" "$@"', WORKLOAD, texts.file, texts.text, texts.udpText, texts.echoText], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  sh.stdout!.on("data", (s: Buffer) => (out += s.toString()));
  const exited = once(sh, "close");
  try {
    const s = await h.hub.start({ host: "this-host", pid: sh.pid });
    assert.deepEqual(s.kernel?.pids, [sh.pid]);
    const b = await browser(h.url);
    b.ws.send(JSON.stringify({ type: "subscribe", session: s.id }));
    sh.stdin!.write("go\ngo\n");
    sh.stdin!.end();
    const [code] = await exited;
    assert.equal(code, 0, "the workload ran");
    const facts = JSON.parse(out.split("\n").find((l) => l.startsWith("{\"pid\""))!) as WorkloadFacts;
    await new Promise((r) => setTimeout(r, 300)); // the loader drains every ~5 ms, frames every 50 ms
    const ended = await h.hub.stop(s.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    assert.equal(ended.drops, 0);
    assert.ok(ended.written! > 50, `events recorded: ${ended.written}`);
    // The store: every event the collector sent, numbered 1..N.
    const nums = storedNums(h.dir, s.id);
    assert.deepEqual(nums, { n: ended.written, lo: 1, hi: ended.written }, "evt.nums 1..N, N = the collector's count");
    const capture = h.store.getCapture(s.id)!;
    assert.equal(capture.status, "ready");
    assert.equal(capture.events, ended.written);
    // The exported .scap: sysdig (the oracle) finds exactly the workload's events with their
    // parameters, and casefile events prints it line for line as sysdig does.
    const exported = join(h.dir, "exported.scap");
    const parts: Uint8Array[] = [];
    const r = await exportScap(join(h.dir, "captures", `${s.id}.capture`), undefined, async (x) => { parts.push(x); });
    assert.equal(r.error, undefined);
    writeFileSync(exported, Buffer.concat(parts));
    checkWorkloadCapture(exported, facts, texts);
    // The store answers the story's question: the bind that failed, with the port.
    const bind = await allRows(h.store, s.id, "evt.type=bind and evt.dir=< and evt.failed=true");
    assert.equal(bind.length, 1);
    assert.match(bind[0].info, new RegExp(`res=-98\\(EADDRINUSE\\) addr=127\\.0\\.0\\.1:${facts.port}`));
    // The subscribed client got the stored rows, all of them, in order.
    await b.waitFor((m) => m.type === "live-ended" && m.session === s.id);
    const stored = await allRows(h.store, s.id);
    const got = b.messages.filter((m) => m.type === "live-rows" && m.session === s.id).flatMap((m) => m.events as EventRow[]);
    assert.ok(stored.length > 50);
    assert.deepEqual(got, stored, `the client's rows are the store's rows (messages: ${JSON.stringify(b.messages.filter((m) => m.type !== "live-rows")).slice(0, 2000)})`);
    b.ws.close();
  } finally {
    sh.kill();
    rmSync(texts.file, { force: true });
    await client.close();
  }
});

test("a browser that leaves mid-recording loses nothing: evt.nums 1..N, N = the collector's count", { timeout: 120_000 }, async () => {
  const file = fixtureCapture("curl_google.scap");
  // ~6000 events/s for about 2 s (the capture's events replayed twice).
  const client = new CollectorClient({
    server: `${h.url}/ws/collector`, token: TOKEN, host: "replay-host", reconnect: false, log: () => {},
    source: () => new FileSource(file, { rate: 3000, loops: 1000 }),
  });
  await client.start();
  await waitUntil("the collector's hello", () => h.hub.hosts().some((x) => x.host === "replay-host"));
  try {
    const s = await h.hub.start({ host: "replay-host" });
    const b = await browser(h.url);
    b.ws.send(JSON.stringify({ type: "subscribe", session: s.id, filter: "proc.name=curl" }));
    // A filter the event columns cannot answer: replayed over the growing kept file.
    const b2 = await browser(h.url);
    const replayFilter = "fd.port=80";
    b2.ws.send(JSON.stringify({ type: "subscribe", session: s.id, filter: replayFilter }));
    await b.waitFor((m) => m.type === "live-rows" && m.events.length > 0);
    const rowsBefore = b.messages.filter((m) => m.type === "live-rows").flatMap((m) => m.events as EventRow[]);
    assert.ok(rowsBefore.every((e) => e.proc === "curl"), "the subscription's filter holds");
    b.ws.terminate();
    const storedWhenLeft = h.hub.get(s.id)!.stored;
    // Generous on a loaded machine: the replay runs at 3000 events/s when it gets the CPU.
    await waitUntil("the recording to go on after the browser left", () => h.hub.get(s.id)!.stored > storedWhenLeft + 3000, 60_000);
    const ended = await h.hub.stop(s.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    assert.ok(ended.written! > storedWhenLeft + 3000);
    assert.deepEqual(storedNums(h.dir, s.id), { n: ended.written, lo: 1, hi: ended.written });
    assert.equal(ended.drops, 0);
    // The replayed subscription got exactly the events sysdig's filter picks from the capture.
    await b2.waitFor((m) => m.type === "live-ended" && m.session === s.id);
    const got = b2.messages.filter((m) => m.type === "live-rows").flatMap((m) => (m.events as EventRow[]).map((e) => String(e.num)));
    const errors = b2.messages.filter((m) => m.type === "live-error");
    assert.deepEqual(errors, []);
    const theirs = sysdigLines(join(h.dir, "captures", `${s.id}.capture`), ["-p", "%evt.num", replayFilter]);
    assert.ok(theirs.length > 10);
    assert.deepEqual(got, theirs, "the replayed subscription's rows are sysdig's");
    b2.ws.close();
  } finally {
    await client.close();
  }
});

test("a collector killed mid-recording is reported to the subscribed client within a second", { timeout: 120_000 }, async () => {
  const file = fixtureCapture("curl_google.scap");
  const child: ChildProcess = spawn(join(PROJECT_ROOT, "bin/casefile"), [
    "collector", "--server", `${h.url}/ws/collector`, "--host", "doomed-host", "--source", `file:${file}@2000*1000`,
  ], { env: { ...process.env, CASEFILE_TOKEN: TOKEN }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  try {
    await waitUntil(`the collector process's hello (${err})`, () => h.hub.hosts().some((x) => x.host === "doomed-host"), 30_000);
    // A long replay: the file looped until the kill.
    const s = await h.hub.start({ host: "doomed-host" });
    const b = await browser(h.url);
    b.ws.send(JSON.stringify({ type: "subscribe", session: s.id }));
    await b.waitFor((m) => m.type === "live-rows" && m.events.length > 0);
    const killedAt = Date.now();
    child.kill("SIGKILL");
    const told = await b.waitFor((m) => (m.type === "live-failed" || m.type === "live-ended") && m.session === s.id, 1000);
    const ms = Date.now() - killedAt;
    assert.ok(ms <= 1000, `told after ${ms} ms`);
    assert.match(told.error, /collector of host doomed-host disconnected/);
    const ended = await b.waitFor((m) => m.type === "live-ended" && m.session === s.id);
    // What was recorded before is kept, marked with the reason.
    assert.equal(ended.status, "ready");
    const c = h.store.getCapture(s.id)!;
    assert.equal(c.status, "ready");
    assert.match(c.error ?? "", /disconnected/);
    assert.ok(c.events > 0);
    assert.deepEqual(storedNums(h.dir, s.id), { n: c.events, lo: 1, hi: c.events });
    b.ws.close();
  } finally {
    child.kill("SIGKILL");
  }
});
