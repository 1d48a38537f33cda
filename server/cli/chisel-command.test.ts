// `casefile chisel NAME FILE [ARG...] [--filter F] [--pc] [-A|-x|-X|-b]` against `sysdig [-pc] [-A…] -r FILE -c NAME
// ARG... F`, byte for byte, for runs whose order of equal values is sysdig's own (number keys,
// or no equal values: see table-chisels.diff.test.ts for the rest); the list; the errors.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fixtureCapture, runCasefile, runSysdig } from "../testing/oracle";
import { CHISELS } from "../core/chisels/index";
import { OWN_VIEWS_HEADING } from "./chisel-command";

const capture = (name: string) => fixtureCapture(name);

// utf8: compared with sysdig's output decoded so.
const casefile = (args: string[]) => runCasefile(args, "utf8");

function sysdig(args: string[]): string {
  const r = runSysdig(args);
  assert.equal(r.status, 0, `sysdig ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.toString();
}

test("casefile chisel prints exactly what sysdig -c prints", () => {
  const curl = capture("curl_google.scap");
  const cases: [string, string[], string[]][] = [
    // [file, our args after FILE, sysdig's args after -c]
    [curl, ["topconns", curl], ["topconns"]],
    [curl, ["fdbytes_by", curl, "fd.num"], ["fdbytes_by", "fd.num"]],
    [curl, ["fdcount_by", curl, "proc.pid", "--filter", "evt.type=read or evt.type=close"], ["fdcount_by", "proc.pid", "evt.type=read or evt.type=close"]],
    [curl, ["topscalls_time", curl, "--filter=proc.name=curl"], ["topscalls_time", "proc.name=curl"]],
    [curl, ["topprocs_net", curl, "--pc"], ["topprocs_net"]],
    [curl, ["echo_fds", curl, "-X"], ["echo_fds"]],
    [curl, ["echo_fds", curl, "-A", "--filter", "fd.type=ipv6"], ["echo_fds", "fd.type=ipv6"]],
  ];
  for (const [file, ours, theirs] of cases) {
    const r = casefile(["chisel", ...ours]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    // Our flags that are sysdig's own go before its -c.
    const flags = ours.flatMap((a) => (a === "--pc" ? ["-pc"] : ["-A", "-x", "-X", "-b"].includes(a) ? [a] : []));
    assert.equal(r.stdout, sysdig([...flags, "-r", file, "-c", ...theirs]), ours.join(" "));
  }
});

test("casefile chisel with no name lists every chisel with its description, casefile's own views apart", () => {
  const r = casefile(["chisel"]);
  assert.equal(r.status, 0);
  const lines = r.stdout.trimEnd().split("\n");
  const heading = lines.indexOf(OWN_VIEWS_HEADING);
  const own = [...CHISELS.values()].filter((c) => c.casefileView);
  assert.ok(own.length > 0 && heading > 0, "the list names casefile's own views apart");
  assert.equal(lines[heading - 1], "");
  assert.equal(lines.length, CHISELS.size + 2);
  for (const c of CHISELS.values()) {
    const at = lines.findIndex((l) => l.startsWith(`${c.name} `) && l.endsWith(c.description));
    assert.ok(at >= 0, c.name);
    assert.equal(at > heading, c.casefileView === true, `${c.name} listed on the wrong side of the heading`);
  }
  assert.ok(lines.some((l) => /^fdbytes_by KEY +I\/O bytes/.test(l)));
});

test("casefile's own views are the chisels sysdig 0.29.3 cannot open, and only those", () => {
  const curl = capture("curl_google.scap");
  for (const c of CHISELS.values()) {
    const r = runSysdig(["-r", curl, "-c", c.name, ...c.args.filter((a) => !a.optional).map(() => "proc.name")]);
    const missing = r.status !== 0 && /can't open file/.test(`${r.stdout}${r.stderr}`);
    assert.equal(missing, c.casefileView === true, `${c.name}: sysdig says ${JSON.stringify(`${r.stdout}${r.stderr}`.slice(-200))}`);
  }
});

test("casefile chisel: one-line errors, exit status 2", () => {
  const curl = capture("curl_google.scap");
  const cases: [string[], RegExp][] = [
    [["chisel", "nosuch", curl], /^casefile: no chisel named "nosuch"/],
    [["chisel", "topconns"], /^casefile: usage: casefile chisel NAME FILE/],
    [["chisel", "fdbytes_by", curl], /^casefile: missing arguments for chisel fdbytes_by\n$/],
    [["chisel", "fdbytes_by", curl, "no.such"], /^casefile: chisel requesting nonexistent field no\.such\n$/],
    [["chisel", "topconns", curl, "extra"], /^casefile: chisel topconns takes no arguments\n$/],
    [["chisel", "topconns", curl, "--filter", "proc.name=curl and"], /^casefile: filter error at position 18: /],
    [["chisel", "topconns", curl, "--bogus"], /^casefile: unknown option --bogus/],
    [["chisel", "topconns", "/no/such/file.scap"], /^casefile: \/no\/such\/file\.scap: no such file\n$/],
  ];
  for (const [args, message] of cases) {
    const r = casefile(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
  }
});

test("casefile chisel on a capture cut short prints the table of the events before the damage, then the error", () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-chisel-"));
  const raw = gunzipSync(readFileSync(capture("falco_cat_write.scap")));
  const cut = join(dir, "cut.scap");
  writeFileSync(cut, raw.subarray(0, raw.length - 100));
  const r = casefile(["chisel", "topscalls", cut]);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^# Calls {13}Syscall {13}\n-{80}\n\d+ +procinfo\n/);
  assert.match(r.stderr, /^casefile: .*cut\.scap: .*cut short.*\n$/);
});
