// GET /api/captures/:id/flame through the route handler and the store, in process, on a share
// link's authority (the header the server sets for a request that came with the link's cookie,
// server/http/serve.ts): the link reads its capture's flame graph, compares it with a capture of
// its investigation, and never reads another capture through baseId; query values that merely
// look like an id (a filter on 16 hex digits) are not refused for it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./store";
import { setContext } from "./context";
import { fixtureCapture } from "../testing/oracle";
import { SHARE_HEADER } from "../http/share-route";
import { GET } from "../../app/api/captures/[id]/flame/route";

async function flame(id: string, query: string, share?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = share ? { [SHARE_HEADER]: share } : {};
  const res = await GET(new Request(`http://127.0.0.1/api/captures/${id}/flame?${query}`, { headers }), { params: Promise.resolve({ id }) });
  return { status: res.status, body: await res.json() };
}

test("a share link's flame graph: its capture, a base from its investigation, never another capture", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-flame-api-"));
  const store = openStore(dir, { queries: { workers: 0 } });
  setContext({ store, dataDir: dir, maxUpload: 1 << 30, broadcast: () => {} });
  try {
    const shared = await store.ingestFile(fixtureCapture("curl_google.scap"), "curl");
    const sibling = await store.ingestFile(fixtureCapture("falco_cat_write.scap"), "cat");
    const other = await store.ingestFile(fixtureCapture("falco_syscall.scap"), "other");
    const inv = store.investigations.create("curl", "", [shared, sibling]);
    const link = store.investigations.createLink(shared, inv.id, {});
    const bare = store.investigations.createLink(shared, null, {});

    assert.equal((await flame(shared, "source=syscalls", link.id)).status, 200);
    // A filter whose value has the form of an id is a filter, not a capture.
    const hexFilter = await flame(shared, `source=syscalls&filter=${encodeURIComponent("fd.name=0123456789abcdef")}`, link.id);
    assert.equal(hexFilter.status, 200, JSON.stringify(hexFilter.body));
    assert.equal((await flame(shared, `source=syscalls&baseFrom=1&baseTo=${"9".repeat(19)}`, link.id)).status, 200);
    // Bases: the shared capture itself and its investigation's other capture; not a third one,
    // nor the sibling for a link made outside the investigation.
    assert.equal((await flame(shared, `source=syscalls&baseId=${shared}`, link.id)).status, 200);
    const diff = await flame(shared, `source=syscalls&baseId=${sibling}`, link.id);
    assert.equal(diff.status, 200, JSON.stringify(diff.body));
    assert.ok(diff.body.baseTotal > 0);
    const refused = await flame(shared, `source=syscalls&baseId=${other}`, link.id);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.where, "baseId");
    assert.equal((await flame(shared, `source=syscalls&baseId=${sibling}`, bare.id)).status, 403);
    // A revoked or unknown link opens nothing more (the server stops it before; the route
    // still refuses a base on its authority).
    assert.equal((await flame(shared, `source=syscalls&baseId=${sibling}`, "A".repeat(22))).status, 403);
    // With the token (no share header) any capture may be the base.
    assert.equal((await flame(shared, `source=syscalls&baseId=${other}`)).status, 200);
  } finally {
    setContext(undefined);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
