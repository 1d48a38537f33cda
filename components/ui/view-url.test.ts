import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_VIEW, chiselCommand, eventsCommand, gapsCommand, rangeFilter, readView, spectrogramCommand, summaryCommand, viewHref, viewQuery } from "./view-url";

test("a view round-trips through its URL, in a fixed order", () => {
  const v = { ...DEFAULT_VIEW, filter: "proc.name=curl and evt.type=connect", from: 700, at: 705, state: "netstat" as const };
  const q = viewQuery(v);
  assert.equal(q, "?filter=proc.name%3Dcurl+and+evt.type%3Dconnect&from=700&at=705&state=netstat");
  assert.deepEqual(readView(new URLSearchParams(q)), v);
  assert.equal(viewHref("ab12", { filter: "", from: 0, at: null, state: "lsof" }), "/captures/ab12");
});

test("each investigation view writes its own parameters, and only those", () => {
  const gaps = { ...DEFAULT_VIEW, filter: "proc.name=keepalived", view: "gaps" as const, min: "500ms", gap: 276 };
  assert.equal(viewQuery({ ...gaps, from: 9, at: 12, bins: 50 }), "?filter=proc.name%3Dkeepalived&view=gaps&min=500ms&gap=276");
  assert.deepEqual(readView(new URLSearchParams(viewQuery(gaps))), gaps);
  const spectrogram = { ...DEFAULT_VIEW, view: "spectrogram" as const, bins: 50 };
  assert.equal(viewQuery(spectrogram), "?view=spectrogram&bins=50");
  assert.deepEqual(readView(new URLSearchParams(viewQuery(spectrogram))), spectrogram);
  const chisel = { ...DEFAULT_VIEW, view: "chisel" as const, chisel: "fdbytes_by", arg: "fd.name" };
  assert.equal(viewQuery(chisel), "?view=chisel&chisel=fdbytes_by&arg=fd.name");
  assert.deepEqual(readView(new URLSearchParams(viewQuery(chisel))), chisel);
  // Defaults stay out of the link.
  assert.equal(viewQuery({ view: "gaps", min: "1s" }), "?view=gaps");
  assert.equal(viewQuery({ view: "spectrogram", bins: DEFAULT_VIEW.bins }), "?view=spectrogram");
});

test("junk in the URL falls back to the plain view", () => {
  assert.deepEqual(readView({ from: "-3", at: "0", state: "top", filter: undefined }), DEFAULT_VIEW);
  assert.deepEqual(readView({ at: ["12", "13"] }).at, 12);
  assert.deepEqual(
    readView({ view: "treemap", bins: "0", min: "soon", gap: "x", chisel: "../x" }),
    DEFAULT_VIEW,
  );
  assert.equal(readView({ bins: "100000" }).bins, DEFAULT_VIEW.bins);
  // Parameters that are not the view's (a token, say) are kept after it.
  assert.equal(viewQuery({ filter: "", from: 5, at: null, state: "ps" }, new URLSearchParams("token=x&from=1&view=gaps")), "?from=5&token=x");
});

test("the sysdig command lines quote what the shell would break", () => {
  assert.equal(chiselCommand("curl_google.scap", "lsof", 1272), `sysdig -r curl_google.scap -c lsof "" "evt.num=1272"`);
  assert.equal(chiselCommand("my trace's.scap", "ps", 3), `sysdig -r 'my trace'\\''s.scap' -c ps "" "evt.num=3"`);
  assert.equal(eventsCommand("a.scap", "proc.name=curl"), `sysdig -r a.scap "proc.name=curl"`);
  assert.equal(eventsCommand("a.scap", `evt.arg.data contains "$HOME"`), `sysdig -r a.scap 'evt.arg.data contains "$HOME"'`);
  assert.equal(eventsCommand("a.scap", ""), "sysdig -r a.scap");
  assert.equal(summaryCommand("a.scap", "topfiles_bytes", "", "proc.name=curl"), `sysdig -r a.scap -c topfiles_bytes "proc.name=curl"`);
  assert.equal(summaryCommand("a.scap", "fdbytes_by", "fd.name", ""), "sysdig -r a.scap -c fdbytes_by fd.name");
  assert.equal(summaryCommand("a.scap", "errors", "", "proc.name=curl", false), `casefile chisel errors a.scap --filter "proc.name=curl"`);
  assert.equal(gapsCommand("a.scap", "evt.type=sendmsg and evt.dir='>'", "500ms"), `casefile gaps a.scap --filter "evt.type=sendmsg and evt.dir='>'" --min 500ms`);
  assert.equal(gapsCommand("a.scap", "", "1s"), `casefile gaps a.scap --filter "" --min 1s`);
  assert.equal(spectrogramCommand("a.scap", "", 100), "casefile spectrogram a.scap --bins 100");
});

test("the timeline's range is part of every view's URL and of the filter the views run", () => {
  const range = { from: "1534527342999999999", to: "1534527400123456789" };
  for (const view of ["events", "spectrogram", "gaps", "chisel"] as const) {
    const v = { ...DEFAULT_VIEW, view, filter: "proc.name=curl", range };
    const q = viewQuery(v);
    assert.match(q, /&t0=1534527342999999999&t1=1534527400123456789/);
    assert.deepEqual(readView(new URLSearchParams(q)).range, range);
  }
  assert.equal(rangeFilter("", range), "evt.rawtime>=1534527342999999999 and evt.rawtime<=1534527400123456789");
  assert.equal(rangeFilter("evt.type=read or evt.type=write", range),
    "(evt.type=read or evt.type=write) and evt.rawtime>=1534527342999999999 and evt.rawtime<=1534527400123456789");
  assert.equal(rangeFilter("proc.name=curl", null), "proc.name=curl");
  // A range backwards, beyond 64 bits or not digits is no range.
  assert.equal(readView({ t0: "20", t1: "10" }).range, null);
  assert.equal(readView({ t0: "1", t1: "18446744073709551616" }).range, null);
  assert.equal(readView({ t0: "1e9", t1: "2e9" }).range, null);
  assert.deepEqual(readView({ t0: "007", t1: "7" }).range, { from: "7", to: "7" });
});
