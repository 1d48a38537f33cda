// The flame view's URL state and the filters it hands to the events view.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFilter } from "../../server/core/filter/parser";
import { flameApiQuery, frameFilter, readFlame, writeFlame } from "./flame-url";

test("the state survives a round trip through the URL; junk falls back to defaults", () => {
  const s = { source: "off-cpu", search: "/^read/", order: "icicle", sort: "heavy", focus: ["curl", "17497", "poll"], sandwich: "read_[k]",
    base: { id: "0123456789abcdef", source: "", filter: "proc.name=x", from: "1", to: "2" } } as const;
  const q = writeFlame(new URLSearchParams("view=flame&filter=a"), { ...s, focus: [...s.focus], base: { ...s.base } });
  assert.equal(q.get("view"), "flame");
  assert.equal(q.get("filter"), "a");
  assert.deepEqual(readFlame(q), s);
  const junk = readFlame(new URLSearchParams("ford=sideways&fsort=x&fb=../etc&fbt0=soon"));
  assert.equal(junk.order, "flame");
  assert.equal(junk.sort, "alpha");
  assert.deepEqual(junk.base, { id: "", source: "", filter: "", from: "", to: "" });
  assert.equal(flameApiQuery(readFlame(new URLSearchParams("fsrc=on-cpu")), "x=1", undefined).toString(), "source=on-cpu&filter=x%3D1");
});

test("a frame's events: a filter the parser reads, on top of the view's", () => {
  const f = frameFilter(["697956520d89", "my proc", "42", "read", "/tmp/a b"], "evt.failed=false");
  assert.equal(f, `(evt.failed=false) and container.id=697956520d89 and proc.name="my proc" and thread.tid=42 and evt.type=read and fd.name="/tmp/a b"`);
  assert.doesNotThrow(() => parseFilter(f));
  const curl = ["host", "curl", "17497", "connect", "10.0.0.1:5->1.2.3.4:80"];
  assert.equal(frameFilter(curl, ""), "container.id=host and proc.name=curl and thread.tid=17497 and evt.type=connect and fd.name=10.0.0.1:5->1.2.3.4:80");
  assert.doesNotThrow(() => parseFilter(frameFilter(curl, "")));
  assert.equal(frameFilter(["<NA>"], ""), "");
  assert.equal(frameFilter(["<NA>", "<NA>", "7"], ""), "thread.tid=7");
});
