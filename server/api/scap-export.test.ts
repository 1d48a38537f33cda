// Export .scap, differential: every fixture capture and every generated capture exported whole
// and through a filter by `casefile export`, then read by sysdig 0.29.3 (the oracle). A whole
// export must print in sysdig exactly as the source does; a filtered one must hold exactly the
// events sysdig's own filter picks from the source (same time, thread, type, direction, in
// order), and `casefile events` on it must print what `sysdig -r` prints on it.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { generatedCaptures } from "../testing/generated-captures";
import { fixtureCaptures, oracleFileFor, runCasefile, sysdigLines } from "../testing/oracle";
import { compareLines } from "../testing/compare";
import { openStore } from "./store";
import { setContext } from "./context";
import { GET } from "../../app/api/captures/[id]/export.scap/route";

const dir = mkdtempSync(join(tmpdir(), "casefile-export-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const IDENTITY = ["-p", "%evt.rawtime %thread.tid %evt.type %evt.dir"];

function same(what: string, ours: string[], theirs: string[]): void {
  const c = compareLines(ours, theirs);
  assert.equal(c.percent, 100, `${what}: ${c.same}/${c.total} identical; first differences:\n${JSON.stringify(c.diffs, null, 1)}`);
}

/** The process name with the most events in sysdig's reading of the file: a filter that keeps
 *  some events and drops others, chosen by the oracle, not by us. */
function busiestProcess(file: string): string | undefined {
  const counts = new Map<string, number>();
  for (const name of sysdigLines(file, ["-p", "%proc.name"])) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].filter(([n]) => /^[\w.-]+$/.test(n)).sort((a, b) => b[1] - a[1])[0]?.[0];
}

function check(name: string, src: string): void {
  const oracleSrc = oracleFileFor(src);
  const whole = join(dir, `${name}.whole.scap`);
  const r = runCasefile(["export", src, "-w", whole]);
  assert.ok(r.status === 0 || r.status === 2, `casefile export ${name}: status ${r.status}: ${r.stderr}`);
  const theirs = sysdigLines(oracleSrc);
  assert.ok(theirs.length > 0 || name.includes("empty"), `sysdig printed nothing for ${name}`);
  same(`${name}: sysdig -r on the whole export vs on the source`, sysdigLines(whole), theirs);
  same(`${name}: sysdig -r -D on the whole export vs on the source`, sysdigLines(whole, ["-D"]), sysdigLines(oracleSrc, ["-D"]));

  const proc = busiestProcess(oracleSrc);
  if (!proc) return;
  const filter = `proc.name=${proc}`;
  const part = join(dir, `${name}.part.scap`);
  const p = runCasefile(["export", src, "-w", part, filter]);
  assert.ok(p.status === 0 || p.status === 2, `casefile export ${name} ${filter}: status ${p.status}: ${p.stderr}`);
  const picked = sysdigLines(oracleSrc, [...IDENTITY, filter]);
  assert.ok(picked.length > 0, `${name}: the filter ${filter} picks nothing in sysdig`);
  same(`${name}: the events of the export filtered by ${filter} vs sysdig's filter on the source`, sysdigLines(part, IDENTITY), picked);
  const partLines = sysdigLines(part);
  same(`${name}: casefile events vs sysdig -r on the export filtered by ${filter}`, runCasefile(["events", part]).stdout.split("\n").filter(Boolean), partLines);
}

for (const f of fixtureCaptures()) {
  test(`export of fixture ${basename(f)}: sysdig reads it with the same events`, () => check(basename(f, ".scap"), f));
}

for (const g of generatedCaptures()) {
  test(`export of generated capture ${g.name}: sysdig reads it with the same events`, () => {
    const name = g.name.replace(/[^\w.-]+/g, "_");
    const src = join(dir, `${name}.scap`);
    writeFileSync(src, g.bytes);
    check(name, src);
  });
}

test("GET /api/captures/:id/export.scap: the stored capture filtered, as sysdig picks the events; errors name the filter and the id", async () => {
  const data = mkdtempSync(join(dir, "store-"));
  const store = openStore(data, { queries: { workers: 0 } });
  setContext({ store, dataDir: data, maxUpload: 1 << 30, broadcast: () => {} });
  try {
    const src = fixtureCaptures().find((f) => f.endsWith("/falco_connect_localhost.scap"))!;
    const id = await store.ingestFile(src, basename(src));
    const get = (q: string, cid = id) => GET(new Request(`http://127.0.0.1/api/captures/${cid}/export.scap${q}`), { params: Promise.resolve({ id: cid }) });
    const filter = "evt.type=connect or fd.type=ipv4";
    const res = await get(`?filter=${encodeURIComponent(filter)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename=".*\.scap"/);
    const out = join(data, "api.scap");
    writeFileSync(out, Buffer.from(await res.arrayBuffer()));
    const picked = sysdigLines(src, [...IDENTITY, filter]);
    assert.ok(picked.length > 0);
    same("export.scap?filter vs sysdig's filter on the source", sysdigLines(out, IDENTITY), picked);
    const bad = await get("?filter=evt.type%3D");
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).where, "filter");
    const missing = await get("", "0123456789abcdef");
    assert.equal(missing.status, 404);
  } finally {
    setContext(undefined);
    await store.close();
  }
});
