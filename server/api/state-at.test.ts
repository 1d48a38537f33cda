// The state at any event of a stored capture (checkpoint + replay of stored events) must print
// the same lsof/netstat/ps as sysdig's chisels at that event, and as replaying the capture file
// up to it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openDb } from "../../db/open-db";
import { ingestCapture } from "../ingest/ingest";
import { storedStateAt } from "./state-at";
import { stateLines } from "../cli/state-commands";
import { stateAt } from "../ingest/file-state";
import { fixtureCapture, fixtureCaptures } from "../testing/oracle";
import { limited, sysdigChiselAsync } from "../testing/state-oracle";
import { NO_MATCH } from "../core/state/tables";
import { openStore } from "./store";
import { setContext } from "./context";
import { captureState } from "./analyses-api";
import { captureGet } from "./http-json";

process.env.TZ = "UTC";

for (const file of fixtureCaptures().filter((f) => !/comments|falco_empty/.test(f))) {
  test(`${basename(file)}: lsof, netstat and ps from checkpoints equal sysdig's and the file replay`, async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "casefile-state-")), "c.db");
    const r = await ingestCapture(dbPath, file, undefined, { checkpointEvery: 97 });
    const db = openDb(dbPath, "capture", { readonly: true });
    const cps = (db.prepare("SELECT count(*) AS n FROM checkpoints").get() as { n: number }).n;
    assert.equal(cps, 1 + Math.floor(r.events / 97));
    const picks = [1, 2, 96, 97, 98, Math.floor(r.events / 2), r.events - 1, r.events];
    const kinds = ["lsof", "netstat", "ps"] as const;
    const theirs = await limited(4, picks.flatMap((at) => kinds.map((cmd) => () => sysdigChiselAsync(file, cmd, at))));
    let withRows = 0;
    for (const [i, at] of picks.entries()) {
      const fromFile = (await stateAt(file, at)).table;
      const stored = storedStateAt(db, at);
      if (!fromFile) assert.equal(stored, undefined, `at ${at}: no state for the chisels, none stored either`);
      else assert.ok(stored, `at ${at}`);
      for (const [k, cmd] of kinds.entries()) {
        // No state: the chisel saw no event there and prints its one sentence.
        const lines = stored ? stateLines(cmd, stored) : [NO_MATCH];
        assert.deepEqual(lines, theirs[i * kinds.length + k], `${cmd} at ${at}: sysdig's`);
        if (fromFile) assert.deepEqual(lines, stateLines(cmd, fromFile), `${cmd} at ${at}: the file replay's`);
        if (lines.length > 1) withRows++;
      }
    }
    assert.ok(withRows >= picks.length, `${withRows} tables with rows`);
    assert.equal(storedStateAt(db, r.events + 1), undefined);
    db.close();
  });
}

// Filtered: the API's lsof/netstat/ps with `filter` (the chisel's filter argument, as is) must
// equal sysdig's chisel with the same filter, and refuse what sysdig refuses or the store
// cannot answer.

async function apiState(kind: "lsof" | "netstat" | "ps", id: string, query: string): Promise<{ status: number; body: any }> {
  const handler = captureGet(captureState(kind));
  const r = await handler(new Request(`http://127.0.0.1/api/captures/${id}/${kind}?${query}`), { params: Promise.resolve({ id }) });
  return { status: r.status, body: await r.json() };
}

test("filtered lsof, netstat and ps of stored captures equal sysdig's, through the API", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-state-api-"));
  const store = openStore(dir);
  setContext({ store, dataDir: dir, maxUpload: 1 << 30, broadcast: () => {} });
  let same = 0;
  let withRows = 0;
  try {
    for (const name of ["curl_google.scap", "falco_connect_localhost.scap", "psp_run_as_user_65534_container.scap"]) {
      const file = fixtureCapture(name);
      const id = await store.ingestFile(file, name);
      const events = store.getCapture(id)!.events;
      for (const at of [Math.floor(events / 3), Math.floor((2 * events) / 3), events]) {
        const fromFile = await stateAt(file, at, { withContext: true });
        if (!fromFile.table) continue;
        const ts = (BigInt(fromFile.tsHi) << 32n) | BigInt(fromFile.tsLo);
        const first = (BigInt(fromFile.context!.firstHi) << 32n) | BigInt(fromFile.context!.firstLo);
        const filters = [
          "proc.name=curl", "fd.type=ipv4", "fd.name contains /etc", "not fd.type=file", "user.name=root",
          "fd.num<3 and thread.tid>1", "fd.sport=80 or fd.l4proto=udp", "proc.vmsize>10000 and fd.typechar=u",
          `evt.rawtime=${ts} and fd.num<2`, `evt.reltime=${ts - first} and fd.num=0`, "proc.pname exists and group.name=root",
        ];
        const queries = filters.flatMap((filter) => (["lsof", "netstat", "ps"] as const).map((kind) => ({ filter, kind })));
        const theirs = await limited(4, queries.map(({ filter, kind }) => () => sysdigChiselAsync(file, kind, at, `'${filter}'`)));
        for (const [i, { filter, kind }] of queries.entries()) {
          const expected = theirs[i];
          const r = await apiState(kind, id, `at=${at}&filter=${encodeURIComponent(filter)}`);
          assert.equal(r.status, 200, `${name} ${kind} "${filter}" @${at}: ${JSON.stringify(r.body)}`);
          assert.deepEqual(r.body.lines, expected, `${name} ${kind} "${filter}" @${at}`);
          assert.equal(r.body.rows.length, expected.length - 1);
          same++;
          if (expected.length > 1) withRows++;
        }
      }
      // The exact-time filters do keep rows: the stored times are sysdig's.
      const r = await apiState("lsof", id, `at=${events}&filter=${encodeURIComponent("evt.rawtime>0")}`);
      assert.ok(r.body.lines.length > 1);
    }
    // Fd facts the checkpoints carry: connected sockets, one by its connect (returned at 190),
    // the others TCP sockets of the capture's fd list, which libsinsp marks connected.
    const local = fixtureCapture("falco_connect_localhost.scap");
    const localId = store.listCaptures().find((c) => c.name === "falco_connect_localhost.scap")!.id;
    const connected = await apiState("lsof", localId, `at=191&filter=${encodeURIComponent("fd.connected=true")}`);
    const theirConnected = await sysdigChiselAsync(local, "lsof", 191, "'fd.connected=true'");
    assert.ok(theirConnected.length > 1, "sysdig shows no connected socket at 191");
    assert.deepEqual(connected.body.lines, theirConnected);
    assert.equal(connected.body.rows.length, theirConnected.length - 1);
    // The memory sizes a brk (1178) or switch (1179) reports show at that event only.
    const py = fixtureCapture("falco_open-multiple-files.scap");
    const pyId = await store.ingestFile(py, "py.scap");
    for (const [at, rows] of [[1177, 0], [1178, 1], [1179, 1], [1180, 0]]) {
      const filter = "proc.name=python and proc.vmsize=24608 and thread.vmrss=6880";
      const expected = await sysdigChiselAsync(py, "ps", at, `'${filter}'`);
      const r = await apiState("ps", pyId, `at=${at}&filter=${encodeURIComponent(filter)}`);
      assert.deepEqual(r.body.lines, expected, `@${at}`);
      assert.equal(r.body.rows.length, rows, `@${at}`);
      same++;
    }
    t.diagnostic(`${same} filtered tables equal sysdig's (${withRows} with rows)`);
    assert.ok(withRows >= 50, `only ${withRows} of ${same} filtered tables have rows`);

    const id = store.listCaptures().find((c) => c.name === "curl_google.scap")!.id;
    // No filter, an empty one: every row (netstat: its own filter only).
    for (const kind of ["lsof", "netstat", "ps"] as const) {
      assert.deepEqual((await apiState(kind, id, "at=1187&filter=")).body, (await apiState(kind, id, "at=1187")).body);
    }
    // What sysdig refuses, at sysdig's position; what the store cannot answer, said so.
    assert.deepEqual(await apiState("lsof", id, `at=1187&filter=${encodeURIComponent("evt.type=open")}`), {
      status: 400, body: { error: "filter error at position 8: the given filter is not supported for thread table filtering", where: "filter" },
    });
    assert.deepEqual(await apiState("netstat", id, `at=1187&filter=${encodeURIComponent("evt.type=open")}`), {
      status: 400, body: { error: "filter error at position 43: the given filter is not supported for thread table filtering", where: "filter" },
    });
    const bad = await apiState("ps", id, `at=1187&filter=${encodeURIComponent("proc.name=curl and")}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^filter error at position 18: /);
    // Fields the checkpoints do not keep: the kept file replayed, as the command line does.
    const curlFile = fixtureCapture("curl_google.scap");
    for (const filter of ["container.id=host and fd.type=ipv6", "proc.tty=0 and fd.is_server=false"]) {
      const viaFile = await apiState("lsof", id, `at=1187&filter=${encodeURIComponent(filter)}`);
      assert.equal(viaFile.status, 200, JSON.stringify(viaFile.body));
      assert.deepEqual(viaFile.body.lines, await sysdigChiselAsync(curlFile, "lsof", 1187, `'${filter}'`));
    }
    // Without the file, said so.
    const kept = join(dir, "captures", `${id}.capture`);
    renameSync(kept, `${kept}.away`);
    const container = await apiState("lsof", id, `at=1187&filter=${encodeURIComponent("container.id=host and fd.lport=22")}`);
    renameSync(`${kept}.away`, kept);
    assert.equal(container.status, 400);
    assert.equal(container.body.where, "filter");
    assert.match(container.body.error, /a stored capture cannot answer container\.id, fd\.lport in a lsof filter without its capture file; use casefile lsof FILE --at N --filter F/);
    // A bad filter is a 400 even at an event the capture does not have.
    assert.equal((await apiState("lsof", id, `at=999999&filter=${encodeURIComponent("evt.type=open")}`)).status, 400);
    assert.equal((await apiState("lsof", id, `at=999999&filter=${encodeURIComponent("proc.name=curl")}`)).status, 404);
    // The API and sysdig, directly, once per chisel.
    const file = fixtureCapture("curl_google.scap");
    for (const kind of ["lsof", "netstat", "ps"] as const) {
      const filter = "fd.type=ipv6 or proc.name=curl";
      const r = await apiState(kind, id, `at=1187&filter=${encodeURIComponent(filter)}`);
      assert.deepEqual(r.body.lines, await sysdigChiselAsync(file, kind, 1187, `'${filter}'`));
    }
  } finally {
    setContext(undefined);
    store.close();
  }
});
