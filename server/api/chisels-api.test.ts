// GET /api/captures/:id/chisels/:name through the route handler and the store, in process:
// the store keeps the ingested file (copied from a path the user gave, moved from an upload's
// temp file, removed with the capture), and the chisel run over it prints what sysdig prints.

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./store";
import { setContext } from "./context";
import { fixtureCapture, runSysdig } from "../testing/oracle";
import { GET } from "../../app/api/captures/[id]/chisels/[name]/route";

process.env.TZ = "UTC";

const capture = (name: string) => fixtureCapture(name);

function sysdigLines(args: string[]): string[] {
  const r = runSysdig(args);
  assert.equal(r.status, 0, `sysdig ${args.join(" ")}: ${r.stderr}`);
  const out = r.stdout.toString();
  return out.split("\n").slice(0, -1);
}

async function get(id: string, name: string, query = ""): Promise<{ status: number; body: any }> {
  const res = await GET(new Request(`http://127.0.0.1/api/captures/${id}/chisels/${name}${query}`), { params: Promise.resolve({ id, name }) });
  return { status: res.status, body: await res.json() };
}

test("chisels over a stored capture: sysdig's lines, the table, and the errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-chisels-api-"));
  const store = openStore(dir);
  setContext({ store, dataDir: dir, maxUpload: 1 << 30, broadcast: () => {} });
  try {
    const file = capture("curl_google.scap");
    // A copy of the fixture: the store may link to what it is given, and this test changes it.
    const mine = join(dir, "curl_google.scap");
    copyFileSync(capture("curl_google.scap"), mine);
    const id = await store.ingestFile(mine, "curl_google.scap");
    assert.ok(existsSync(join(dir, "captures", `${id}.capture`)), "the file is kept");
    assert.ok(existsSync(mine), "a file named by the user is kept where it is, not moved");

    const conns = await get(id, "topconns");
    assert.equal(conns.status, 200);
    const theirConns = sysdigLines(["-r", file, "-c", "topconns"]);
    assert.deepEqual(conns.body.lines, theirConns);
    assert.deepEqual(conns.body.table.columns, ["Bytes", "Proto", "Conn"]);
    // The table's rows are sysdig's lines under its heading and rule (columns 20 wide); the
    // bytes column holds numbers where sysdig prints 11.31KB.
    const theirRows = theirConns.slice(2).map((l) => [l.slice(0, 20).trim(), l.slice(20, 40).trim(), l.slice(40)]);
    assert.ok(theirRows.length > 0);
    assert.deepEqual(conns.body.table.rows.map((r: unknown[]) => [r[1], r[2]]), theirRows.map((r) => [r[1], r[2]]));

    const q = new URLSearchParams([["arg", "fd.num"], ["filter", "proc.name=curl"]]);
    const byFd = await get(id, "fdbytes_by", `?${q}`);
    assert.equal(byFd.status, 200);
    assert.deepEqual(byFd.body.lines, sysdigLines(["-r", file, "-c", "fdbytes_by", "fd.num", "proc.name=curl"]));

    const pc = await get(id, "topprocs_net", "?pc=1");
    assert.deepEqual(pc.body.lines, sysdigLines(["-pc", "-r", file, "-c", "topprocs_net"]));

    const hex = await get(id, "echo_fds", "?buffers=hexascii");
    assert.deepEqual(hex.body.lines, sysdigLines(["-X", "-r", file, "-c", "echo_fds"]));

    const errors: [string, string, string, number, string][] = [
      [id, "nosuch", "", 404, "name"],
      ["0123456789abcdef", "topconns", "", 404, "id"],
      ["../../etc", "topconns", "", 404, "id"],
      [id, "fdbytes_by", "", 400, "arg"],
      [id, "fdbytes_by", "?arg=no.such", 400, "arg"],
      [id, "topconns", `?filter=${encodeURIComponent("proc.name=curl and")}`, 400, "filter"],
      [id, "echo_fds", "?buffers=octal", 400, "buffers"],
    ];
    for (const [cid, name, query, status, where] of errors) {
      const r = await get(cid, name, query);
      assert.equal(r.status, status, `${name}${query}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.where, where);
      assert.equal(typeof r.body.error, "string");
    }

    // An upload's temp file is moved into the store, and goes with the capture.
    const tmp = join(dir, "upload.tmp");
    copyFileSync(capture("falco_cat_write.scap"), tmp);
    const up = await store.ingestFile(tmp, "cat.scap", undefined, { move: true });
    assert.equal(existsSync(tmp), false, "moved");
    const calls = await get(up, "topscalls_time");
    assert.deepEqual(calls.body.lines, sysdigLines(["-r", capture("falco_cat_write.scap"), "-c", "topscalls_time"]));
    assert.equal(store.deleteCapture(up), true);
    assert.equal(existsSync(join(dir, "captures", `${up}.capture`)), false, "deleted with the capture");

    // A kept file rewritten since (the store may hold a hard link to the user's file), or gone.
    const kept = join(dir, "captures", `${id}.capture`);
    const { size } = statSync(kept);
    truncateSync(kept, size - 1);
    const changed = await get(id, "topconns");
    assert.equal(changed.status, 409);
    rmSync(kept);
    const gone = await get(id, "topconns");
    assert.equal(gone.status, 409);
    assert.equal(gone.body.where, "id");
  } finally {
    setContext(undefined);
    store.close();
  }
});
