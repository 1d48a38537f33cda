// The HTTP API of the analyses on a real server (Next + store), as a script would use it:
// upload a capture, then ask for gaps, what ran in a gap, the spectrogram and the top views.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { sysdigChiselAsync } from "../server/testing/state-oracle";
import { expectedSpectrogram, sysdigGaps, sysdigLatencies } from "../server/testing/sysdig-analyses";
import { useWorkbench } from "./workbench-harness";

const PING = fixtureCapture("falco_ping_sendto.scap");
const h = useWorkbench("api");
let id: string;

const get = async (p: string) => {
  const r = await h.api("GET", p);
  return { status: r.status, body: r.json };
};

h.before(async () => {
  id = await h.upload(PING, "ping.scap");
});

test("gaps, activity in a gap, spectrogram and top answer over HTTP", async () => {
  const gaps = await get(`/api/captures/${id}/gaps?min=100ms`);
  assert.equal(gaps.status, 200);
  // The gaps between the events sysdig shows, found by plain code from its evt.rawtime.
  const expectedGaps = sysdigGaps(PING, "", 100_000_000n);
  assert.ok(expectedGaps.length > 0);
  assert.deepEqual(
    gaps.body.gaps.map((x: { num: number; prevNum: number; gapNs: string }) => [x.num, x.prevNum, x.gapNs]),
    expectedGaps.map((x) => [x.num, x.prevNum, String(x.gapNs)]),
  );
  const g = gaps.body.gaps[0];
  // The time of the event after the gap, as the events list has it.
  const after = await get(`/api/captures/${id}/events?from=${g.num}&limit=1`);
  assert.equal(g.ts, after.body.events[0].ts);

  // Between two sendmsg calls only hidden procinfo events ran: nothing to show.
  const quiet = await get(`/api/captures/${id}/activity?from=${g.prevNum}&to=${g.num}`);
  assert.deepEqual(quiet, { status: 200, body: { rows: [] } });
  const act = await get(`/api/captures/${id}/activity?from=0&to=100000`);
  assert.equal(act.status, 200);
  // Every event sysdig shows, counted by process and type.
  const byProcType = new Map<string, number>();
  for (const l of sysdigLines(PING, ["-p", "%proc.name %evt.type"])) byProcType.set(l, (byProcType.get(l) ?? 0) + 1);
  const key = (r: { proc: string; type: string; count: number }) => `${r.proc} ${r.type} ${r.count}`;
  assert.deepEqual(act.body.rows.map(key).sort(), [...byProcType].map(([k, n]) => `${k} ${n}`).sort());

  const spec = await get(`/api/captures/${id}/spectrogram?bins=10`);
  assert.equal(spec.status, 200);
  assert.equal(spec.body.bins, 10);
  // The cells of sysdig's evt.latency by plain code; bin 0 starts at the first event sysdig
  // shows (with -D: the hidden ones too).
  const latencies = sysdigLatencies(PING);
  assert.ok(latencies.exits.length > 0);
  assert.deepEqual(spec.body.cells, expectedSpectrogram(latencies, 10).cells);
  assert.equal(spec.body.startTs, String(latencies.first));

  const top = await get(`/api/captures/${id}/top?by=syscall&limit=3`);
  assert.equal(top.status, 200);
  // Exit events by type and how many failed, as sysdig counts them (one type here, so no
  // order of equal counts to agree on).
  const exits = new Map<string, [number, number]>();
  for (const l of sysdigLines(PING, ["-p", "%evt.type %evt.failed", "evt.dir=<"])) {
    const [type, failed] = l.split(" ");
    const c = exits.get(type) ?? [0, 0];
    exits.set(type, [c[0] + 1, c[1] + (failed === "true" ? 1 : 0)]);
  }
  assert.equal(exits.size, 1);
  assert.deepEqual(top.body.rows.map((r: { key: string; count: number; errors: number }) => [r.key, r.count, r.errors]), [...exits].map(([k, [n, e]]) => [k, n, e]));
});

test("lsof, netstat and ps at an event answer the chisel's rows and lines", async () => {
  for (const kind of ["lsof", "netstat", "ps"] as const) {
    const r = await get(`/api/captures/${id}/${kind}?at=700`);
    assert.equal(r.status, 200);
    const expected = await sysdigChiselAsync(PING, kind, 700);
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
  assert.equal((await h.request("GET", `/api/captures/${id}/gaps`)).status, 401);
});
