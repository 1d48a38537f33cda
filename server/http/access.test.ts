import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import {
  allowedHosts, originAllowed, presentedShare, presentedToken, shareAllows, shareCookie, shareLinkPath, tokenMatches, type ShareScope,
} from "./access";
import { parseServeArgs } from "./serve-command";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const url = (s: string) => new URL(s, "http://x");

test("the Host allow-list names loopback with the port, plus a specific bound address", () => {
  assert.deepEqual([...allowedHosts("127.0.0.1", 3000)], ["localhost:3000", "127.0.0.1:3000", "[::1]:3000"]);
  assert.ok(allowedHosts("192.168.1.5", 8080).has("192.168.1.5:8080"));
  assert.ok(!allowedHosts("0.0.0.0", 8080).has("0.0.0.0:8080"));
  assert.ok(allowedHosts("fe80::1", 9).has("[fe80::1]:9"));
  assert.ok(allowedHosts("127.0.0.1", 80).has("localhost"), "browsers omit :80");
});

test("the token comes from the header first, then ?token=, then the port's cookie", () => {
  assert.deepEqual(presentedToken(req({ authorization: "Bearer abc" }), url("/?token=zzz"), 3000), { token: "abc", via: "header" });
  assert.deepEqual(presentedToken(req({ authorization: "Basic abc" }), url("/"), 3000), { token: "", via: "header" });
  assert.deepEqual(presentedToken(req({ cookie: "a=1; casefile_token_3000=ck" }), url("/?token=q"), 3000), { token: "q", via: "query" });
  assert.deepEqual(presentedToken(req({ cookie: "a=1; casefile_token_3000=ck" }), url("/"), 3000), { token: "ck", via: "cookie" });
  assert.equal(presentedToken(req({ cookie: "casefile_token_3001=ck" }), url("/"), 3000), null);
  assert.ok(tokenMatches("s3cret", "s3cret"));
  assert.ok(!tokenMatches("s3cre", "s3cret"));
});

test("a WebSocket Origin must be this server", () => {
  assert.ok(originAllowed("http://127.0.0.1:3000", "127.0.0.1:3000"));
  assert.ok(!originAllowed("http://localhost:8080", "localhost:3000"));
  assert.ok(!originAllowed("null", "localhost:3000"));
  assert.ok(originAllowed(undefined, "localhost:3000"), "non-browser clients send none");
});

test("serve's arguments", () => {
  assert.deepEqual(parseServeArgs([]), { host: "127.0.0.1", port: 3000 });
  assert.deepEqual(parseServeArgs(["--host", "::1", "--port=8080"]), { host: "::1", port: 8080 });
  assert.throws(() => parseServeArgs(["--port", "x"]), /--port must be a number/);
  assert.throws(() => parseServeArgs(["--port"]), /needs a value/);
  assert.throws(() => parseServeArgs(["serve"]), /unknown argument/);
});

test("a share link reads its own capture, its link and its investigation, and nothing else", () => {
  const scope: ShareScope = { link: "AAAAAAAAAAAAAAAAAAAAAA", capture: "0123456789abcdef", investigation: "fedcba9876543210" };
  const reads = [
    "/captures/0123456789abcdef",
    "/api/captures/0123456789abcdef/events",
    "/api/captures/0123456789abcdef/lsof",
    "/api/captures/0123456789abcdef/chisels/topprocs_cpu",
    "/api/links/AAAAAAAAAAAAAAAAAAAAAA",
    "/api/investigations/fedcba9876543210",
    "/icon.svg",
  ];
  for (const p of reads) {
    assert.ok(shareAllows("GET", p, scope), `GET ${p}`);
    assert.ok(shareAllows("HEAD", p, scope), `HEAD ${p}`);
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", undefined]) assert.ok(!shareAllows(m, p, scope), `${m} ${p}`);
  }
  const refused = [
    "/", "/captures", "/api/captures", "/api/investigations", "/api/links", "/ws",
    "/captures/1111111111111111", "/api/captures/1111111111111111/events", "/api/captures/0123456789abcdef",
    "/api/links/BBBBBBBBBBBBBBBBBBBBBB", "/api/investigations/0000000000000000",
    "/api/captures/0123456789abcdef/../1111111111111111/events", "/api/captures/0123456789abcdef/%2e%2e/x",
    "/api/captures//0123456789abcdef/events", "/captures/0123456789abcdef/", "/s/AAAAAAAAAAAAAAAAAAAAAA/x",
  ];
  for (const p of refused) assert.ok(!shareAllows("GET", p, scope), `GET ${p}`);
  // Query values are not this check's: a route whose query names another capture (the flame
  // graph's baseId) checks it against the link itself (server/api/flame-api.test.ts).
  // A link made outside an investigation reads no investigation.
  assert.ok(!shareAllows("GET", "/api/investigations/fedcba9876543210", { ...scope, investigation: null }));
});

test("a share link's cookie is HttpOnly, SameSite=Strict and per port; /s/<id> names the link", () => {
  assert.equal(shareCookie(3000, "abc"), "casefile_share_3000=abc; Path=/; HttpOnly; SameSite=Strict");
  assert.equal(presentedShare(req({ cookie: "casefile_token_3000=t; casefile_share_3000=abc" }), 3000), "abc");
  assert.equal(presentedShare(req({ cookie: "casefile_share_3001=abc" }), 3000), undefined);
  assert.equal(shareLinkPath("/s/AAAAAAAAAAAAAAAAAAAAAA"), "AAAAAAAAAAAAAAAAAAAAAA");
  assert.equal(shareLinkPath("/s/"), undefined);
  assert.equal(shareLinkPath("/s/a/b"), undefined);
  assert.equal(shareLinkPath("/x/AAAA"), undefined);
});
