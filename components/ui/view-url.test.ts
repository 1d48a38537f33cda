import { test } from "node:test";
import assert from "node:assert/strict";
import { chiselCommand, eventsCommand, readView, viewHref, viewQuery } from "./view-url";

test("a view round-trips through its URL, in a fixed order", () => {
  const v = { filter: "proc.name=curl and evt.type=connect", from: 700, at: 705, state: "netstat" as const };
  const q = viewQuery(v);
  assert.equal(q, "?filter=proc.name%3Dcurl+and+evt.type%3Dconnect&from=700&at=705&state=netstat");
  assert.deepEqual(readView(new URLSearchParams(q)), v);
  assert.equal(viewHref("ab12", { filter: "", from: 0, at: null, state: "lsof" }), "/captures/ab12");
});

test("junk in the URL falls back to the plain view", () => {
  assert.deepEqual(readView({ from: "-3", at: "0", state: "top", filter: undefined }), { filter: "", from: 0, at: null, state: "lsof" });
  assert.deepEqual(readView({ at: ["12", "13"] }).at, 12);
  // Parameters that are not the view's (a token, say) are kept after it.
  assert.equal(viewQuery({ filter: "", from: 5, at: null, state: "ps" }, new URLSearchParams("token=x&from=1")), "?from=5&token=x");
});

test("the sysdig command lines quote what the shell would break", () => {
  assert.equal(chiselCommand("curl_google.scap", "lsof", 1272), `sysdig -r curl_google.scap -c lsof "" "evt.num=1272"`);
  assert.equal(chiselCommand("my trace's.scap", "ps", 3), `sysdig -r 'my trace'\\''s.scap' -c ps "" "evt.num=3"`);
  assert.equal(eventsCommand("a.scap", "proc.name=curl"), `sysdig -r a.scap "proc.name=curl"`);
  assert.equal(eventsCommand("a.scap", `evt.arg.data contains "$HOME"`), `sysdig -r a.scap 'evt.arg.data contains "$HOME"'`);
  assert.equal(eventsCommand("a.scap", ""), "sysdig -r a.scap");
});
