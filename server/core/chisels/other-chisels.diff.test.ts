// Differential tests of the spy_users, echo_fds, iobytes(_file, _net) and errors chisels:
// sysdig 0.29.3's `sysdig -r FILE [FLAGS] -c NAME [ARGS] [FILTER]` and ours must print the same
// bytes, on every shared capture and on synthetic ones (testing/other-chisel-scenarios.ts), with the
// chisels' arguments, sysdig's buffer flags (-A, -x, -X, -b), -pc, and user filters. Where
// sysdig's chisel fails (a Lua error), ours must fail too, after the same output. errors has no
// sysdig chisel: its oracle is `sysdig -r FILE "evt.failed=true" -p "..."`, grouped here.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fixtureCaptures, runSysdigAsync } from "../../testing/oracle";
import { limited } from "../../testing/state-oracle";
import { readCaptureFile } from "../../ingest/capture-stream";
import { ChiselError, type Chisel, type ChiselOptions, type BufferFormat } from "./chisel";
import { chiselDriver } from "./run";
import { spyUsers } from "./spy-users";
import { echoFds } from "./echo-fds";
import { iobytes, iobytesFile, iobytesNet } from "./iobytes";
import { errors, errorsLines, sortErrorRows, type ErrorsRow } from "./errors";
import { CHISEL_SCENARIOS, buildChiselScenario } from "../../testing/other-chisel-scenarios";

process.env.TZ = "UTC";

interface Case {
  chisel: Chisel;
  args?: string[];
  opts?: ChiselOptions;
  filter?: string;
}

const FLAG_OF: Record<BufferFormat, string> = { normal: "", ascii: "-A", hex: "-x", hexascii: "-X", base64: "-b" };

function label(c: Case): string {
  const flags = [c.opts?.bufferFormat ? FLAG_OF[c.opts.bufferFormat] : "", c.opts?.printContainer ? "-pc" : ""].filter(Boolean);
  return [...flags, c.chisel.name, ...(c.args?.length ? [JSON.stringify(c.args.join(" "))] : []), ...(c.filter ? [JSON.stringify(c.filter)] : [])].join(" ");
}

interface Outcome {
  lines: string[];
  failed: boolean;
}

/** stdout as lines: split at each line end; the text after the last one, if any, is a line. */
function toLines(out: string): string[] {
  const lines = out.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function sysdig(file: string, c: Case): Promise<Outcome> {
  const argv = ["-r", file];
  if (c.opts?.bufferFormat) argv.push(FLAG_OF[c.opts.bufferFormat]);
  if (c.opts?.printContainer) argv.push("-pc");
  argv.push("-c", c.chisel.name);
  if (c.args?.length) argv.push(c.args.join(" "));
  if (c.filter) argv.push(c.filter);
  // A chisel's Lua error makes sysdig exit non-zero: that is an answer (ours must fail too).
  return runSysdigAsync(argv).then((r) => ({ lines: toLines(r.stdout.toString("utf8")), failed: r.status !== 0 }));
}

/** Our run of a chisel over a capture, through run.ts's driver (as the CLI and the API run it). */
async function ours(file: string, c: Case): Promise<Outcome> {
  const d = chiselDriver(c.chisel, c.args ?? [], { ...c.opts, filter: c.filter });
  try {
    await readCaptureFile(file, d.handler);
  } catch (e) {
    if (e instanceof ChiselError) return { lines: e.lines, failed: true };
    throw e;
  }
  return { lines: d.finish().lines, failed: false };
}

/** Runs every case on the file; returns the pass counts and the first differences. */
async function compare(file: string, cases: Case[]) {
  const theirs = await limited(4, cases.map((c) => () => sysdig(file, c)));
  let runs = 0, same = 0, lines = 0, sameLines = 0, failing = 0;
  const diffs: string[] = [];
  for (let i = 0; i < cases.length; i++) {
    const mine = await ours(file, cases[i]);
    const t = theirs[i];
    runs++;
    if (t.failed) failing++;
    const n = Math.max(mine.lines.length, t.lines.length);
    let ok = 0;
    let first = -1;
    for (let k = 0; k < n; k++) {
      if (mine.lines[k] === t.lines[k]) ok++;
      else if (first < 0) first = k;
    }
    lines += n;
    sameLines += ok;
    if (ok === n && mine.failed === t.failed) same++;
    else if (diffs.length < 5) {
      diffs.push(`${label(cases[i])}: ${first >= 0
        ? `line ${first}: ours ${JSON.stringify(mine.lines[first])} sysdig ${JSON.stringify(t.lines[first])}`
        : `ours ${mine.failed ? "failed" : "succeeded"}, sysdig ${t.failed ? "failed" : "succeeded"}`}`);
    }
  }
  return { runs, same, lines, sameLines, failing, diffs };
}

const FORMATS: BufferFormat[] = ["ascii", "hex", "hexascii", "base64"];

const CASES: Case[] = [
  { chisel: spyUsers },
  { chisel: spyUsers, args: ["1"] },
  { chisel: spyUsers, args: ["0", "disable_color"] },
  { chisel: spyUsers, opts: { printContainer: true } },
  { chisel: spyUsers, filter: "proc.name!=ls" },
  { chisel: echoFds },
  { chisel: echoFds, args: ["disable_color"] },
  ...FORMATS.map((f) => ({ chisel: echoFds, opts: { bufferFormat: f } })),
  { chisel: echoFds, opts: { printContainer: true } },
  { chisel: echoFds, filter: "fd.type=file" },
  { chisel: iobytes },
  { chisel: iobytesFile },
  { chisel: iobytesNet },
  { chisel: iobytes, filter: "evt.type!=procinfo" },
  { chisel: iobytes, filter: "evt.num>0" },
];

function report(t: { diagnostic(s: string): void }, name: string, r: Awaited<ReturnType<typeof compare>>) {
  t.diagnostic(`${name}: ${r.same}/${r.runs} runs identical (${r.failing} where sysdig's chisel stops with an error), ${r.sameLines}/${r.lines} lines`);
}

const dir = mkdtempSync(join(tmpdir(), "casefile-other-chisels-"));
const scenarioFiles = CHISEL_SCENARIOS.map((s) => {
  const file = join(dir, `${s.name.replace(/\W+/g, "-")}.scap`);
  writeFileSync(file, buildChiselScenario(s));
  return file;
});

// curl_google_comments.scap is a copy of curl_google.scap that sysdig 0.29.3 cannot open.
const captures = fixtureCaptures().filter((f) => !f.endsWith("/curl_google_comments.scap"));

for (const file of [...captures, ...scenarioFiles]) {
  test(`spy_users, echo_fds, iobytes on ${basename(file)} print what sysdig prints`, async (t) => {
    const r = await compare(file, CASES);
    report(t, basename(file), r);
    assert.deepEqual(r.diffs, []);
  });
}

// ---------------------------------------------------------------------------------------
// errors: against `sysdig -r FILE "evt.failed=true" -p "%proc.name %evt.type %evt.res %evt.num"`.

function sysdigFailures(file: string, filter: string): Promise<string[]> {
  return runSysdigAsync(["-r", file, "-p", "%proc.name %evt.type %evt.res %evt.num", filter])
    .then((r) => toLines(r.stdout.toString("utf8")));
}

/** The oracle's groups: sysdig's failed events, counted per process, type and error (the
 *  process name may hold spaces; the other three fields cannot). */
async function oracleErrors(file: string, userFilter?: string): Promise<ErrorsRow[]> {
  const filter = userFilter ? `evt.failed=true and (${userFilter})` : "evt.failed=true";
  const groups = new Map<string, ErrorsRow>();
  for (const line of await sysdigFailures(file, filter)) {
    const m = /^(.*) (\S+) (\S+) (\d+)$/.exec(line);
    assert.ok(m, `unexpected sysdig line ${JSON.stringify(line)}`);
    const [, proc, type, error, num] = m;
    const key = `${proc}\0${type}\0${error}`;
    const g = groups.get(key);
    if (g) g[0]++;
    else groups.set(key, [1, proc, type, error, Number(num)]);
  }
  return sortErrorRows([...groups.values()]);
}

for (const file of [...captures, ...scenarioFiles]) {
  test(`errors of ${basename(file)} are sysdig's failed events, grouped`, async (t) => {
    let runs = 0, same = 0, groups = 0;
    for (const filter of [undefined, "proc.name!=curl"]) {
      const expected = await oracleErrors(file, filter);
      const mine = await ours(file, { chisel: errors, filter });
      runs++;
      groups += expected.length;
      assert.deepEqual(mine.lines, errorsLines(expected), `errors ${filter ?? ""}`);
      same++;
    }
    t.diagnostic(`${basename(file)}: errors ${same}/${runs} runs identical (${groups} groups)`);
  });
}

test("errors prints a table with the most frequent failure first", async () => {
  const file = scenarioFiles[CHISEL_SCENARIOS.findIndex((s) => s.name === "failures")];
  const { lines } = await ours(file, { chisel: errors });
  assert.equal(lines[0], "#Errors             Process             Syscall             Error               First evt.num");
  assert.equal(lines[1], "-".repeat(80));
  assert.match(lines[2], /^3 +apache2 +open +ENOENT +2$/);
  // An errno sysdig has no name for keeps its number.
  assert.ok(lines.some((l) => /^1 +nginx +read +-600 +\d+$/.test(l)), lines.join("\n"));
});
