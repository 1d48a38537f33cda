// The store end to end on the real captures: ingest, then the events API renders every event
// exactly as sysdig -r prints it (the same differential check as the command line, through
// SQLite); delete; damaged input.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { openStore } from "./store";
import { Profiles } from "./profiles";
import { formatLine } from "../core/events/printer";
import { timeOfDayBig } from "../core/events/local-time";
import { fixtureCapture, fixtureCaptures, sysdigLines } from "../testing/oracle";
import { compareLines } from "../testing/compare";
import type { EventRow, Store } from "./store-types";

process.env.TZ = "UTC";

function sysdigLine(e: EventRow): string {
  return formatLine({
    num: e.num, time: timeOfDayBig(BigInt(e.ts)), cpu: e.cpu, proc: e.proc, tid: e.tid,
    type: e.dir === ">" ? 0 : 1, typeName: e.type, info: e.info,
  });
}

async function allLines(store: Store, id: string, pageSize: number, filter?: string): Promise<string[]> {
  const out: string[] = [];
  let from: number | null = 1;
  while (from !== null) {
    const page = await store.events(id, { from, limit: pageSize, filter });
    for (const e of page.events) out.push(...sysdigLine(e).split("\n").filter((l) => l.length > 0));
    from = page.next;
  }
  return out;
}

test("stored captures render exactly as sysdig -r, page by page", async () => {
  const store = openStore(mkdtempSync(join(tmpdir(), "casefile-store-")));
  try {
    for (const file of fixtureCaptures().filter((f) => !f.endsWith("curl_google_comments.scap"))) {
      const id = await store.ingestFile(file, basename(file));
      const c = store.getCapture(id)!;
      assert.equal(c.status, "ready", `${basename(file)}: ${c.error}`);
      const c2 = compareLines(await allLines(store, id, 37), sysdigLines(file));
      assert.equal(c2.percent, 100, `${basename(file)}: ${JSON.stringify(c2.diffs, null, 1)}`);
    }
  } finally {
    store.close();
  }
});

test("filters the event columns cannot answer are replayed from the kept file, exactly as sysdig", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-store-"));
  const store = openStore(dir);
  try {
    const file = fixtureCapture("curl_google.scap");
    // A copy: the store links to what it ingests, and this test removes the kept file.
    const mine = join(dir, "curl.scap");
    writeFileSync(mine, readFileSync(file));
    const id = await store.ingestFile(mine, "curl.scap");
    const filters = [
      "fd.name contains nscd", // the ingest's fd of a failed connect has no name; sysdig's has
      "fd.type=ipv6 and evt.dir=<",
      "user.name=ubuntu and fd.directory=/etc",
      "evt.arg.flags contains O_CLOEXEC",
      "proc.name=curl and not fd.typechar=f",
    ];
    for (const f of filters) {
      const page = await store.events(id, { filter: f, limit: 1 });
      assert.equal(page.replayed, true, f);
      const theirs = sysdigLines(file, [f]);
      assert.ok(theirs.length > 0, `${f}: sysdig prints something`);
      const c = compareLines(await allLines(store, id, 5, f), theirs);
      assert.equal(c.percent, 100, `${f}: ${JSON.stringify(c.diffs, null, 1)}`);
    }
    // Without the file: the ingest columns stand in where they can, and say so.
    rmSync(join(dir, "captures", `${id}.capture`));
    const near = await store.events(id, { filter: "fd.name contains nscd" });
    assert.deepEqual(near.approximate, ["fd.name"]);
    await assert.rejects(store.events(id, { filter: "user.name=root" }), /cannot answer user.name without its capture file/);
  } finally {
    store.close();
  }
});

test("deleting a capture deletes the profiles linked to it, rows and files; other profiles stay", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-store-profiles-"));
  const store = openStore(dir);
  const profiles = new Profiles(dir);
  try {
    const id = await store.ingestFile(fixtureCapture("falco_cat_write.scap"), "cat.scap");
    const other = await store.ingestFile(fixtureCapture("falco_syscall.scap"), "syscall.scap");
    const text = "# casefile-profile section=on-cpu unit=samples hz=99\ncat;main;write 3\n";
    const mine = [profiles.addText(text, "a", id), profiles.addText(text, "b", id)];
    // Another capture's profile and an unlinked one.
    const kept = [profiles.addText(text, "c", other), profiles.addText(text, "d")];
    assert.deepEqual(new Set(profiles.list(id).map((e) => e.id)), new Set(mine));
    const file = (x: string) => join(dir, "captures", `${x}.capture`);
    for (const x of [...mine, ...kept]) assert.ok(existsSync(file(x)), x);

    assert.equal(store.deleteCapture(id), true);
    for (const x of mine) {
      assert.equal(store.getCapture(x), undefined, `profile ${x}'s catalog row`);
      assert.equal(existsSync(file(x)), false, `profile ${x}'s file`);
    }
    assert.deepEqual(profiles.list(id), []);
    for (const x of kept) {
      assert.equal(store.getCapture(x)?.format, "profile", x);
      assert.ok(existsSync(file(x)), x);
    }
    assert.equal(store.getCapture(other)?.status, "ready");
  } finally {
    profiles.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("catalog: list, delete, and a damaged file keeps its valid events", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-store-"));
  const store = openStore(dir);
  try {
    const file = fixtureCapture("falco_cat_write.scap");
    const id = await store.ingestFile(file, "cat.scap");
    const c = store.getCapture(id)!;
    // The events sysdig numbers, hidden ones too: the last evt.num of `sysdig -D`.
    const lastNum = (f: string) => Number(sysdigLines(f, ["-D"]).at(-1)!.split(" ")[0]);
    assert.equal(c.events, lastNum(file));
    assert.equal(store.listCaptures().length, 1);

    const raw = gunzipSync(readFileSync(file));
    const cut = join(dir, "cut.scap");
    writeFileSync(cut, raw.subarray(0, raw.length - 100));
    const cutId = await store.ingestFile(cut, "cut.scap");
    const cc = store.getCapture(cutId)!;
    assert.equal(cc.status, "ready");
    assert.match(cc.error ?? "", /cut short.*at byte \d+/);
    assert.ok(cc.events < c.events);
    assert.equal(cc.events, lastNum(cut));

    const junk = join(dir, "junk.scap");
    writeFileSync(junk, "hello, not a capture");
    const junkId = await store.ingestFile(junk, "junk");
    assert.equal(store.getCapture(junkId)!.status, "error");
    assert.match(store.getCapture(junkId)!.error!, /not a scap capture/);

    assert.equal(store.deleteCapture(id), true);
    assert.equal(store.deleteCapture(id), false);
    assert.equal(store.getCapture(id), undefined);
    assert.equal(existsSync(join(dir, "captures", `${id}.db`)), false);
    assert.deepEqual(await store.events(id, {}), { events: [], next: null });
    assert.deepEqual(await store.events("../../etc/passwd", {}), { events: [], next: null });
  } finally {
    store.close();
  }
});
