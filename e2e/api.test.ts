// The HTTP API of the analyses on a real server (Next + store), as a script would use it:
// upload a capture, then ask for gaps, what ran in a gap, the spectrogram and the top views.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { projectRoot, startServer, type RunningServer } from "../server/http/serve";
import { stateLines } from "../server/cli/state-commands";
import { stateAt } from "../server/ingest/file-state";
import { fixtureCapture } from "../server/testing/oracle";

const TOKEN = "api-0123456789abcdef0123456789abcdef";
const PING = fixtureCapture("falco_ping_sendto.scap");
let server: RunningServer;
let dataDir: string;
let id: string;

const get = async (p: string) => {
  const r = await fetch(`${server.origin}${p}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return { status: r.status, body: await r.json() };
};

before(async () => {
  assert.ok(existsSync(path.join(projectRoot, ".next", "BUILD_ID")), "run `npx next build` first");
  dataDir = mkdtempSync(path.join(tmpdir(), "casefile-api-"));
  server = await startServer({ host: "127.0.0.1", port: 0, dataDir, token: TOKEN });
  const r = await fetch(`${server.origin}/api/captures`, {
    method: "POST", body: readFileSync(PING),
    headers: { Authorization: `Bearer ${TOKEN}`, "X-Filename": "ping.scap", Origin: server.origin },
  });
  assert.equal(r.status, 201);
  id = ((await r.json()) as { id: string }).id;
});

after(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("gaps, activity in a gap, spectrogram and top answer over HTTP", async () => {
  const gaps = await get(`/api/captures/${id}/gaps?min=100ms`);
  assert.equal(gaps.status, 200);
  assert.ok(gaps.body.gaps.length > 0, JSON.stringify(gaps));
  const g = gaps.body.gaps[0];
  assert.match(g.gapNs, /^\d+$/);
  assert.ok(Number(g.gapNs) > 100e6 && g.num > g.prevNum);
  // The time of the event after the gap, as the events list has it.
  const after = await get(`/api/captures/${id}/events?from=${g.num}&limit=1`);
  assert.equal(g.ts, after.body.events[0].ts);

  // Between two sendmsg calls only hidden procinfo events ran: nothing to show.
  const quiet = await get(`/api/captures/${id}/activity?from=${g.prevNum}&to=${g.num}`);
  assert.deepEqual(quiet, { status: 200, body: { rows: [] } });
  const act = await get(`/api/captures/${id}/activity?from=0&to=100000`);
  assert.equal(act.status, 200);
  // sysdig prints 20 events for this capture: all sendmsg of one unnamed thread.
  assert.deepEqual(act.body.rows, [{ proc: "<NA>", type: "sendmsg", count: 20 }]);

  const spec = await get(`/api/captures/${id}/spectrogram?bins=10`);
  assert.equal(spec.status, 200);
  assert.equal(spec.body.bins, 10);
  assert.ok(spec.body.cells.length > 0 && spec.body.cells.every((c: { t: number }) => c.t < 10), JSON.stringify(spec));
  // Bin 0 starts at the first event sysdig shows (with -D: the hidden ones too).
  const first = execFileSync("sysdig", ["-D", "-r", PING, "-p", "%evt.rawtime"], { stdio: ["ignore", "pipe", "ignore"] }).toString().split("\n")[0];
  assert.equal(spec.body.startTs, first);

  const top = await get(`/api/captures/${id}/top?by=syscall&limit=3`);
  assert.equal(top.status, 200);
  // Ten sendmsg calls (exit events), none failed.
  assert.deepEqual(top.body.rows.map((r: { key: string; count: number; errors: number }) => [r.key, r.count, r.errors]), [["sendmsg", 10, 0]]);
});

test("lsof, netstat and ps at an event answer the chisel's rows and lines", async () => {
  for (const kind of ["lsof", "netstat", "ps"] as const) {
    const r = await get(`/api/captures/${id}/${kind}?at=700`);
    assert.equal(r.status, 200);
    const expected = stateLines(kind, (await stateAt(PING, 700)).table!);
    assert.deepEqual(r.body.lines, expected);
    assert.equal(r.body.rows.length, expected.length - 1); // the header line
  }
  assert.equal((await get(`/api/captures/${id}/lsof?at=999999`)).status, 404);
  assert.equal((await get(`/api/captures/${id}/lsof`)).body.where, "at");
});

test("bad parameters are 400s that name the parameter; unknown captures 404", async () => {
  assert.deepEqual(await get(`/api/captures/${id}/gaps?min=5parsecs`), {
    status: 400, body: { error: 'not a duration: "5parsecs" (expected e.g. 5s, 200ms, 50us, 300ns)', where: "min" },
  });
  assert.equal((await get(`/api/captures/${id}/spectrogram?bins=0`)).body.where, "bins");
  assert.equal((await get(`/api/captures/${id}/top?by=moon`)).body.where, "by");
  // The route handlers are Next's bundles: the store's errors are still told apart.
  assert.deepEqual((await get(`/api/captures/${id}/chisels/topconns?filter=${encodeURIComponent("proc.name=x and")}`)).status, 400);
  assert.equal((await get(`/api/captures/${id}/chisels/topconns?filter=${encodeURIComponent("proc.name=x and")}`)).body.where, "filter");
  assert.equal((await get(`/api/captures/${id}/chisels/fdbytes_by?arg=fd.nme`)).body.where, "arg");
  assert.equal((await get(`/api/captures/${id}/chisels/nosuch`)).status, 404);
  assert.equal((await get(`/api/captures/0123456789abcdef/gaps`)).status, 404);
  assert.equal((await fetch(`${server.origin}/api/captures/${id}/gaps`)).status, 401);
});
