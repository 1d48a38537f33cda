import { test } from "node:test";
import assert from "node:assert/strict";
import { openInMemoryDb } from "../../db/open-db";
import { LINK_ID_PATTERN, openInvestigations } from "./investigations";

test("an investigation keeps its title, notes, captures and pinned events with comments", () => {
  const inv = openInvestigations(openInMemoryDb("catalog"));
  const a = inv.create("apache2 will not start", "", ["aaaaaaaaaaaaaaaa"]);
  assert.match(a.id, /^[0-9a-f]{16}$/);
  assert.deepEqual(a.captures, ["aaaaaaaaaaaaaaaa"]);
  const p2 = inv.addPin(a.id, "aaaaaaaaaaaaaaaa", 812, "bind returns EADDRINUSE")!;
  const p1 = inv.addPin(a.id, "aaaaaaaaaaaaaaaa", 17, "first")!;
  // A pin on a second capture (a packet capture of the same incident) adds it to the investigation.
  inv.addPin(a.id, "bbbbbbbbbbbbbbbb", 3, "");
  const got = inv.get(a.id)!;
  assert.deepEqual(got.captures, ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]);
  assert.deepEqual(got.pins.map((p) => [p.capture, p.num, p.comment]), [
    ["aaaaaaaaaaaaaaaa", 17, "first"], ["aaaaaaaaaaaaaaaa", 812, "bind returns EADDRINUSE"], ["bbbbbbbbbbbbbbbb", 3, ""],
  ]);
  assert.equal(inv.updatePin(a.id, p1.id, "the first bind")!.comment, "the first bind");
  assert.equal(inv.updatePin("0000000000000000", p1.id, "x"), undefined, "a pin is changed only through its own investigation");
  assert.ok(inv.removePin(a.id, p2.id));
  assert.ok(!inv.removePin(a.id, p2.id));
  const u = inv.update(a.id, { title: "port 80 taken", notes: "lsof at 812: nginx holds *:80" })!;
  assert.equal(u.title, "port 80 taken");
  assert.equal(u.notes, "lsof at 812: nginx holds *:80");
  assert.equal(u.pins.length, 2);
  assert.deepEqual(inv.list("bbbbbbbbbbbbbbbb").map((s) => [s.id, s.pins]), [[a.id, 2]]);
  assert.deepEqual(inv.list("cccccccccccccccc"), []);
  assert.ok(inv.remove(a.id));
  assert.equal(inv.get(a.id), undefined);
  assert.deepEqual(inv.list(), []);
});

test("share links: 128 random bits each, revoked for good, revoked with their investigation", () => {
  const inv = openInvestigations(openInMemoryDb("catalog"));
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const l = inv.createLink("aaaaaaaaaaaaaaaa", null, { filter: "proc.name=nc" });
    assert.match(l.id, LINK_ID_PATTERN);
    assert.equal(Buffer.from(l.id, "base64url").length, 16);
    ids.add(l.id);
  }
  assert.equal(ids.size, 200);
  const [first] = ids;
  assert.equal(inv.listLinks("aaaaaaaaaaaaaaaa").length, 200);
  assert.deepEqual(inv.listLinks("bbbbbbbbbbbbbbbb"), []);
  assert.deepEqual(inv.getLink(first)!.state, { filter: "proc.name=nc" });
  assert.equal(inv.getLink(first)!.revokedAt, null);
  assert.ok(inv.revokeLink(first));
  assert.ok(!inv.revokeLink(first), "a second revoke changes nothing");
  assert.notEqual(inv.getLink(first)!.revokedAt, null);
  assert.equal(inv.listLinks("aaaaaaaaaaaaaaaa").length, 199, "a revoked link is no longer listed");
  assert.ok(!inv.listLinks("aaaaaaaaaaaaaaaa").some((l) => l.id === first));
  assert.equal(inv.getLink("not-a-link-id"), undefined);

  const i = inv.create("t", "", ["aaaaaaaaaaaaaaaa"]);
  const l = inv.createLink("aaaaaaaaaaaaaaaa", i.id, {});
  inv.remove(i.id);
  assert.notEqual(inv.getLink(l.id)!.revokedAt, null, "a link to a deleted investigation no longer opens");
});
