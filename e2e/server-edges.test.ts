// The server as a user starts it (`casefile serve`, a child process), tried at its edges: requests
// sent while it starts, the token kept out of pages, redirects and logs, odd request targets, and
// clients that trickle their headers or body. Needs `npx next build` first.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import { useWorkbench } from "./workbench-harness";

const h = useWorkbench("edges", { server: false });
const TOKEN = h.token;
let child: ChildProcess;
let port: number;
let origin: string;
let stdout = "";
let stderr = "";

interface Outcome {
  sentAt: number;
  ms: number;
  status?: number;
  retryAfter?: string | null;
  error?: string;
}

let startup: Outcome[] = [];
let readyAt = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on("error", reject);
  });
}

h.before(async () => {
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  child = h.spawnCasefile(["serve", "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d;
    if (!readyAt && stdout.includes("\n")) readyAt = performance.now() - t0;
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  // Forty requests in the first 4 s of the start-up, as a browser tab left open would send them.
  const sent: Promise<Outcome>[] = [];
  for (let i = 0; i < 40; i++) {
    const sentAt = performance.now() - t0;
    sent.push(
      fetch(`${origin}/api/captures`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(10_000) }).then(
        async (r) => {
          await r.arrayBuffer();
          return { sentAt, ms: performance.now() - t0 - sentAt, status: r.status, retryAfter: r.headers.get("retry-after") };
        },
        (e: Error & { cause?: { code?: string } }) => ({ sentAt, ms: performance.now() - t0 - sentAt, error: e.cause?.code ?? e.name }),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  startup = await Promise.all(sent);
  for (let i = 0; i < 200 && !readyAt; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(readyAt, `the server did not start: ${stderr}`);
});

test("every request sent during start-up is answered within 10 s: 503 with Retry-After until ready", () => {
  const count = (f: (o: Outcome) => boolean) => startup.filter(f).length;
  const summary = {
    refused: count((o) => o.error === "ECONNREFUSED"), starting: count((o) => o.status === 503), ok: count((o) => o.status === 200),
    other: startup.filter((o) => o.status !== 503 && o.status !== 200 && o.error !== "ECONNREFUSED"),
    slowestMs: Math.round(Math.max(...startup.map((o) => o.ms))), readyMs: Math.round(readyAt),
  };
  console.log(`# start-up: ${JSON.stringify(summary)}`);
  // Before the port is bound the kernel refuses at once; once bound, every request gets an answer.
  assert.deepEqual(summary.other, []);
  assert.ok(summary.slowestMs < 10_000);
  assert.ok(summary.starting + summary.ok > 0, "no request reached the server in its first 4 s");
  for (const o of startup.filter((x) => x.status === 503)) assert.equal(o.retryAfter, "1");
});

/** Sends one raw request and reads the whole answer (the connection is closed after it). */
function raw(text: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => c.write(text));
    let out = "";
    c.on("data", (d) => (out += d));
    c.on("close", () => resolve(out));
    c.on("error", () => resolve(out));
  });
}

test("the token never reaches a page, a redirect or the logs", async () => {
  for (const p of ["/", "/captures/0123456789abcdef?from=5", "/no-such-page", "/captures/"]) {
    const sep = p.includes("?") ? "&" : "?";
    const r = await fetch(`${origin}${p}${sep}token=${TOKEN}`, { redirect: "manual" });
    const body = await r.text();
    assert.ok(!body.includes(TOKEN), `${p}: the token is in the page`);
    assert.ok(!(r.headers.get("location") ?? "").includes(TOKEN), `${p}: the token is in a redirect`);
    assert.equal(r.headers.get("referrer-policy"), "no-referrer");
    // The visit leaves the token in an HttpOnly cookie instead.
    assert.match(r.headers.get("set-cookie") ?? "", new RegExp(`^casefile_token_${port}=${TOKEN}; .*HttpOnly`));
  }
  // A redirect Next makes (trailing slash) still leads to the page, without the token.
  const slash = await fetch(`${origin}/captures/?token=${TOKEN}`, { redirect: "manual" });
  assert.equal(slash.status, 308);
  assert.equal(slash.headers.get("location"), "/captures");
  // Only the start-up line carries it.
  const lines = (stdout + stderr).split("\n").filter((l) => l.includes(TOKEN));
  assert.deepEqual(lines, [`Casefile on ${origin}/?token=${TOKEN}`]);
});

test("absolute-form and other odd request targets are refused with 400, without echo", async () => {
  const host = `Host: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
  for (const line of [
    `GET http://evil.example/?token=${TOKEN} HTTP/1.1`,
    `GET //evil.example/?token=${TOKEN} HTTP/1.1`,
    `GET /\\evil.example/?token=${TOKEN} HTTP/1.1`,
    "OPTIONS * HTTP/1.1",
    "CONNECT evil.example:443 HTTP/1.1",
  ]) {
    const out = await raw(`${line}\r\n${host}`);
    assert.match(out, /^HTTP\/1\.1 400 /, line);
    assert.ok(!out.includes("evil") && !out.includes(TOKEN), `${line}: echoed ${out}`);
  }
});

test("headers or a body that trickle in are cut off; a quiet connection does not hang the server", async () => {
  const t0 = performance.now();
  const timed = (p: Promise<string>) => p.then((out) => ({ out, s: (performance.now() - t0) / 1000 }));
  const [headers, body, ok] = await Promise.all([
    // Headers never finished.
    timed(raw(`GET /api/captures HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n`)),
    // A body that never arrives whole (a route that is not an upload, and does not read it: it
    // answers at once; the connection is closed, not kept for the rest).
    timed(raw(`DELETE /api/captures/0123456789abcdef HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100\r\n\r\n{"x":`)),
    // Meanwhile the server answers others at once.
    fetch(`${origin}/api/captures`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.status),
  ]);
  console.log(`# time-outs: headers cut after ${headers.s.toFixed(1)} s, the trickling body's connection closed after ${body.s.toFixed(1)} s`);
  assert.equal(ok, 200);
  assert.ok(headers.s >= 9 && headers.s < 13, `headers: ${headers.s} s`);
  assert.match(headers.out, /^(HTTP\/1\.1 408 |$)/);
  assert.match(body.out, /^HTTP\/1\.1 404 /);
  assert.ok(body.s < 35, `body: ${body.s} s`);
});
