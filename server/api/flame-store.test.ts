// The store's flame graphs on real captures, against sysdig: the syscall-time tree of a stored
// capture gives each container, and each process in it, the total sysdig's evt.latency sums give
// (through the ingest's sums, through SQL, and through a replay of the kept file for a filter SQL
// cannot answer), on the fixtures and on a generated capture whose threads are in containers and
// move between them; a time range and a differential of two ranges; profiles stored from text
// (folded, perf script) give their stacks back; bad profiles are refused with their line.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { openStore } from "./store";
import { childrenOf, pathOf, treeFromJson } from "../core/analyses/flame-tree";
import { PROJECT_ROOT, fixtureCapture, fixtureCaptures, oracleFileFor, sysdigLines } from "../testing/oracle";
import { buildScenario } from "../testing/scap-scenario";
import { CONTAINER_SCENARIO } from "../testing/container-scenario";
import type { FlameAnswer, Store } from "./store-types";
import { syscallTimeRows } from "./flame-query";
import Database from "better-sqlite3";
import { openDb } from "../../db/open-db";

process.env.TZ = "UTC";

/** sysdig's sum of evt.latency per container.id;proc.name over exit events (with an extra
 *  filter). */
function sysdigPerProcess(file: string, filter = ""): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of sysdigLines(file, ["-p", "%evt.latency %container.id %proc.name", filter ? `evt.dir=< and (${filter})` : "evt.dir=<"])) {
    const [, ns, container, proc] = /^(\d+) (\S+) (.*)$/.exec(l)!;
    const k = `${container};${proc}`;
    m.set(k, (m.get(k) ?? 0) + Number(ns));
  }
  return m;
}

/** The tree's first two levels: container;process → total. */
function perProcess(a: FlameAnswer): Map<string, number> {
  const t = treeFromJson(a.tree);
  const kids = childrenOf(t);
  const m = new Map<string, number>();
  for (const c of kids[0]) for (const k of kids[c]) m.set(`${t.names[t.name[c]]};${t.names[t.name[k]]}`, t.total[k]);
  return m;
}

const sorted = (m: Map<string, number>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

async function withStore(fn: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "casefile-flame-store-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("every fixture: each container's and process's syscall time is sysdig's sum of evt.latency", { timeout: 300_000 }, async () => {
  await withStore(async (store, dir) => {
    let processes = 0;
    const generated = join(dir, "containers.scap");
    writeFileSync(generated, buildScenario(CONTAINER_SCENARIO).bytes);
    for (const file of [...fixtureCaptures(), generated]) {
      const id = await store.ingestFile(file, file);
      const a = await store.flame({ id, source: "syscalls" });
      assert.ok(a, file);
      assert.equal(a.unit, "ns");
      assert.deepEqual(sorted(perProcess(a)), sorted(sysdigPerProcess(oracleFileFor(file))), file);
      processes += perProcess(a).size;
      // Every node's total is its self plus its children's (the tree is whole).
      const t = treeFromJson(a.tree);
      const kids = childrenOf(t);
      for (let i = 0; i < t.name.length; i++) {
        assert.equal(t.total[i], t.self[i] + kids[i].reduce((s, k) => s + t.total[k], 0), `${file}: ${pathOf(t, i).join(";")}`);
      }
    }
    assert.ok(processes >= 12, `${processes} processes compared`);
    // Filters SQL answers and one only a replay answers, on the capture with containers.
    const id = await store.ingestFile(generated, "containers.scap");
    for (const filter of ["evt.type=getuid or evt.type=write", "container.id!=host", "fd.name contains nginx or evt.type=execve"]) {
      const a = await store.flame({ id, source: "syscalls", filter });
      assert.deepEqual(sorted(perProcess(a!)), sorted(sysdigPerProcess(generated, filter)), filter);
      assert.ok(perProcess(a!).size >= 2, filter);
    }
  });
});

test("a filter (by SQL, and one only a replay answers) and a time range, as sysdig selects", { timeout: 120_000 }, async () => {
  await withStore(async (store) => {
    const file = fixtureCapture("curl_google.scap");
    const id = await store.ingestFile(file, "curl");
    const sql = await store.flame({ id, source: "syscalls", filter: "evt.type=read or evt.type=write" });
    assert.deepEqual(sorted(perProcess(sql!)), sorted(sysdigPerProcess(file, "evt.type=read or evt.type=write")));
    assert.equal(sql!.replayed, undefined);
    const replayed = await store.flame({ id, source: "syscalls", filter: "fd.name contains google or fd.name contains /etc" });
    assert.equal(replayed!.replayed, true);
    assert.deepEqual(sorted(perProcess(replayed!)), sorted(sysdigPerProcess(file, "fd.name contains google or fd.name contains /etc")));
    // A range: the middle third of the exits, by sysdig's own timestamps.
    const times = sysdigLines(file, ["-p", "%evt.rawtime", "evt.dir=<"]).map(BigInt);
    const lo = times[Math.floor(times.length / 3)], hi = times[Math.floor((2 * times.length) / 3)];
    const ranged = await store.flame({ id, source: "syscalls", from: String(lo), to: String(hi) });
    assert.deepEqual(sorted(perProcess(ranged!)), sorted(sysdigPerProcess(file, `evt.rawtime>=${lo} and evt.rawtime<${hi}`)));
    // Two ranges compared: widths are the second's, the base's own total is the first's.
    const diff = await store.flame({ id, source: "syscalls", from: String(hi), base: { from: String(lo), to: String(hi) } });
    const before = [...sysdigPerProcess(file, `evt.rawtime>=${lo} and evt.rawtime<${hi}`).values()].reduce((s, v) => s + v, 0);
    const after = [...sysdigPerProcess(file, `evt.rawtime>=${hi}`).values()].reduce((s, v) => s + v, 0);
    assert.equal(diff!.baseTotal, before);
    const t = treeFromJson(diff!.tree);
    assert.equal(t.total[0], after);
    // Normalised to the second's total (difffolded -n).
    assert.ok(Math.abs(t.baseTotal![0] - after) < 1e-6 * after);
  });
});

test("profiles: folded and perf script text, plain or gzip-compressed, stored as profiles, their stacks back; a bad one refused with its line", async () => {
  await withStore(async (store, dir) => {
    const folded = join(dir, "a.folded");
    writeFileSync(folded, "app;main;work 30\napp;main;idle 10\n");
    const id = await store.ingestFile(folded, "a.folded");
    assert.equal(store.getCapture(id)!.format, "profile");
    assert.equal(store.getCapture(id)!.status, "ready");
    const a = await store.flame({ id });
    const t = treeFromJson(a!.tree);
    assert.equal(a!.unit, "samples");
    assert.equal(t.total[0], 40);
    const perf = join(dir, "b.perf");
    writeFileSync(perf, "app 1 [000] 1.000001: 1001001 cpu-clock:\n\t1 work+0x1 (/app)\n\t2 main+0x2 (/app)\n\napp 1 [000] 1.000002: 1001001 cpu-clock:\n\t3 spin+0x1 (/app)\n\t2 main+0x2 (/app)\n\n");
    const id2 = await store.ingestFile(perf, "b.perf");
    const b = await store.flame({ id: id2 });
    assert.deepEqual(b!.sections, ["cpu-clock"]);
    assert.equal(treeFromJson(b!.tree).total[0], 2);
    // a (before) → b (after): spin grew from nothing, idle went away.
    const d = await store.flame({ id: id2, base: { id, source: "" } });
    const dt = treeFromJson(d!.tree);
    assert.equal(d!.baseTotal, 40);
    const spin = dt.name.findIndex((n, i) => i > 0 && dt.names[n] === "spin");
    assert.equal(dt.total[spin], 1);
    assert.equal(dt.baseTotal![spin], 0);
    // The same two gzip-compressed (any name: told by content): kept inflated, the same stacks.
    for (const [plain, plainId] of [[folded, id], [perf, id2]] as const) {
      const gz = join(dir, `${basename(plain)}.data`);
      writeFileSync(gz, gzipSync(readFileSync(plain)));
      const gzId = await store.ingestFile(gz, basename(gz));
      assert.equal(store.getCapture(gzId)!.format, "profile", gz);
      assert.equal(store.getCapture(gzId)!.status, "ready", store.getCapture(gzId)!.error ?? "");
      assert.deepEqual(await store.flame({ id: gzId }), await store.flame({ id: plainId }));
      assert.equal(readFileSync(join(dir, "captures", `${gzId}.capture`), "utf8"), readFileSync(plain, "utf8"));
    }
    // A gzip whose text is no profile is refused as one, with its line.
    const badGz = join(dir, "bad.gz");
    writeFileSync(badGz, gzipSync("x;y 1\nx;y;z\n"));
    const badGzId = await store.ingestFile(badGz, "bad.gz");
    assert.equal(store.getCapture(badGzId)!.status, "error");
    assert.match(store.getCapture(badGzId)!.error!, /\(at line 2\)/);
    const bad = join(dir, "c.folded");
    writeFileSync(bad, "x;y 1\nx;y;z\n");
    const id3 = await store.ingestFile(bad, "c.folded");
    assert.equal(store.getCapture(id3)!.status, "error");
    assert.match(store.getCapture(id3)!.error!, /\(at line 2\)/);
    // A profile has no events: the event questions find no capture database.
    assert.deepEqual(await store.events(id, {}), { events: [], next: null });
  });
});

test("the whole capture's flame graph from the ingest's sums equals the one summed from the events", { timeout: 120_000 }, async () => {
  await withStore(async (store, dir) => {
    const generated = join(dir, "containers.scap");
    writeFileSync(generated, buildScenario(CONTAINER_SCENARIO).bytes);
    for (const file of ["curl_google.scap", "falco_cat_write.scap", "single_ipv6_conn.scap"].map(fixtureCapture).concat(generated)) {
      const name = basename(file);
      const id = await store.ingestFile(file, name);
      const stored = await store.flame({ id, source: "syscalls" });
      // A filter that keeps every exit, so that the events are summed instead of the table read.
      const scanned = await store.flame({ id, source: "syscalls", filter: "evt.num>0" });
      const folded = (a: FlameAnswer) => {
        const t = treeFromJson(a.tree);
        const out: string[] = [];
        for (let i = 1; i < t.name.length; i++) if (t.self[i] > 0) out.push(`${pathOf(t, i).join(";")} ${t.self[i]}`);
        return out.sort();
      };
      assert.ok(folded(stored!).length > 3, name);
      assert.deepEqual(folded(stored!), folded(scanned!), name);
    }
  });
});

test("a thread that moves into a container mid-way: the whole capture's sums hold each call where it was, read without the events, as sysdig sums them; a capture ingested before sums its events", { timeout: 120_000 }, async () => {
  await withStore(async (store, dir) => {
    const generated = join(dir, "containers.scap");
    writeFileSync(generated, buildScenario(CONTAINER_SCENARIO).bytes);
    const id = await store.ingestFile(generated, "containers.scap");
    // A copy without the events: an answer that summed any of them (as the split of sums
    // without a container did for thread 400, runc on the host then postgres in DB) fails.
    const copy = join(dir, "sums-only.db");
    const source = new Database(join(dir, "captures", `${id}.db`), { readonly: true });
    source.exec(`VACUUM INTO '${copy}'`);
    source.close();
    const db = new Database(copy);
    db.exec("DROP TABLE events");
    const rows = syscallTimeRows(db, { sql: "1", params: [] });
    db.close();
    const ours = new Map<string, number>();
    for (const r of rows) {
      const k = `${r.container} ${r.proc} ${r.tid} ${r.syscall}`;
      ours.set(k, (ours.get(k) ?? 0) + r.ns);
    }
    const theirs = new Map<string, number>();
    for (const l of sysdigLines(generated, ["-p", "%container.id %proc.name %thread.tid %evt.type %evt.latency", "evt.dir=<"])) {
      const [, k, ns] = /^(.*) (\d+)$/.exec(l)!;
      theirs.set(k, (theirs.get(k) ?? 0) + Number(ns));
    }
    assert.deepEqual(sorted(ours), sorted(theirs));
    // The thread that moved has calls on both sides.
    const moved = [...ours.keys()].filter((k) => / 400 /.test(k)).map((k) => k.split(" ")[0]);
    assert.ok(moved.includes("host") && moved.some((c) => c !== "host"), moved.join(", "));

    // A capture ingested before the sums kept the container (schema 7, capture-003's table,
    // meta '1'): it opens, migrates, and its flame graph sums the events, the same.
    const old = join(dir, "before-008.db");
    const s = new Database(join(dir, "captures", `${id}.db`), { readonly: true });
    s.exec(`VACUUM INTO '${old}'`);
    s.close();
    const o = new Database(old);
    o.exec("DROP TABLE syscall_time");
    o.exec(readFileSync(join(PROJECT_ROOT, "db/migrations/capture-003.sql"), "utf8"));
    o.exec("INSERT INTO syscall_time VALUES (1, 1, 1, -1, -1, 1, 1); UPDATE meta SET value = '1' WHERE key = 'syscall_time'");
    o.pragma("user_version = 7");
    o.close();
    const migrated = openDb(old, "capture");
    const scanned = new Map<string, number>();
    for (const r of syscallTimeRows(migrated, { sql: "1", params: [] })) {
      const k = `${r.container} ${r.proc} ${r.tid} ${r.syscall}`;
      scanned.set(k, (scanned.get(k) ?? 0) + r.ns);
    }
    migrated.close();
    assert.deepEqual(sorted(scanned), sorted(theirs));
  });
});
