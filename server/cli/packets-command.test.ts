// `casefile packets` through the real command line, against tshark 4.0 on the same files: every
// 10th packet fixture (sorted by name: a spread of link types, not a chosen few) and a gzip copy
// of one. Number, time since the first packet (to the digits we print), source, destination
// and length on the wire must agree with tshark's columns (-n) on >= 97% of the lines (the
// Source/Destination columns of protocols we keep as payload are tshark's own: the rest are
// listed); a filter keeps exactly the packets tshark's display filter keeps; a damaged or
// foreign file gets its reason and exit status 2.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { fixtureCapture, fixtureCaptures, fixturePcaps } from "../testing/oracle";
import { epochToNs, requireTshark, TSHARK_OPTIONS } from "../testing/tshark-packets";

const CASEFILE = fileURLToPath(new URL("../../bin/casefile", import.meta.url));

function run(cmd: string, args: string[]): Promise<{ out: string; err: string; status: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    c.stdout.on("data", (b: Buffer) => out.push(b));
    c.stderr.on("data", (b: Buffer) => err.push(b));
    c.on("error", reject);
    c.on("close", (status, signal) => {
      if (status === null) reject(new Error(`${cmd} killed by ${signal}`));
      else resolve({ out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8"), status });
    });
  });
}

const LINE = /^\s*(\d+)\s+(\S+) (\S*) → (\S*) (\S+) (\d+)(?: (.*))?$/;

interface Row { num: number; time: string; src: string; dst: string; len: number }

function ours(out: string): Row[] {
  return out.split("\n").filter((l) => l).map((l) => {
    const m = LINE.exec(l);
    assert.ok(m, `not a packets line: ${l}`);
    return { num: Number(m[1]), time: m[2], src: m[3], dst: m[4], len: Number(m[6]) };
  });
}

async function theirs(file: string, filter?: string): Promise<Row[]> {
  requireTshark();
  const r = await run("tshark", ["-r", file, ...TSHARK_OPTIONS, ...(filter ? ["-Y", filter] : []), "-T", "fields",
    "-e", "frame.number", "-e", "frame.time_relative", "-e", "_ws.col.Source", "-e", "_ws.col.Destination", "-e", "frame.len"]);
  return r.out.split("\n").filter((l) => l).map((l) => {
    const [num, time, src, dst, len] = l.split("\t");
    return { num: Number(num), time, src, dst, len: Number(len) };
  });
}

/** tshark's relative time cut to the digits of ours (both truncate). */
function sameTime(t: string, o: string): boolean {
  const digits = o.split(".")[1]?.length ?? 0;
  const ns = epochToNs(t).toString().padStart(10, "0");
  const want = `${ns.slice(0, -9)}.${ns.slice(-9).slice(0, digits)}`;
  return want === o;
}

test("casefile packets: number, time, source, destination and length as tshark's columns", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-packets-"));
  try {
    const files = fixturePcaps().filter((_, i) => i % 10 === 0);
    const gz = join(dir, `${basename(files[1])}.gz`);
    writeFileSync(gz, gzipSync(readFileSync(files[1])));
    let agree = 0;
    let total = 0;
    const diffs: string[] = [];
    const unread: string[] = [];
    for (const f of [...files, gz]) {
      const [o, t] = await Promise.all([run(CASEFILE, ["packets", f]), theirs(f.endsWith(".gz") ? files[1] : f)]);
      const rows = ours(o.out);
      // A link type tshark does not read at all: nothing to compare with (the differential test
      // lists these files).
      if (t.length === 0 && rows.length > 0 && !f.endsWith(".gz")) { unread.push(basename(f)); continue; }
      assert.equal(rows.length, t.length, `${basename(f)}: ${rows.length} lines, tshark ${t.length} (${o.err.trim()})`);
      for (let i = 0; i < t.length; i++) {
        total++;
        const a = t[i];
        const b = rows[i];
        assert.equal(b.num, a.num, `${basename(f)} line ${i + 1}`);
        assert.equal(b.len, a.len, `${basename(f)} #${a.num} length`);
        assert.ok(sameTime(a.time, b.time), `${basename(f)} #${a.num}: time ${b.time}, tshark ${a.time}`);
        if (a.src === b.src && a.dst === b.dst) agree++;
        else if (diffs.length < 20) diffs.push(`${basename(f)} #${a.num}: ${b.src} → ${b.dst}, tshark ${a.src} → ${a.dst}`);
      }
    }
    console.log(`casefile packets vs tshark columns: ${agree}/${total} source/destination agree; not read by tshark: ${unread.join(", ") || "none"}\n${diffs.join("\n")}`);
    assert.ok(unread.length <= 2, `tshark read none of ${unread.join(", ")}`);
    assert.ok(total > 300, `only ${total} lines compared`);
    assert.ok(agree / total >= 0.97, `source/destination agree on ${agree}/${total}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("casefile packets FILTER keeps the packets tshark's display filter keeps", async () => {
  const f = fixturePcaps().find((p) => basename(p) === "icmp-rfc5837.pcap")!;
  // frame.len is the same field for both; tunnels' inner headers do not come into it.
  const g = fixturePcaps().find((p) => basename(p) === "various_gre.pcap")!;
  for (const [file, ours_, theirs_] of [
    [f, "icmp.type=11", "icmp.type==11"],
    [g, "frame.len>100", "frame.len>100"],
    [g, "not frame.len>100 and frame.len>60", "!(frame.len>100) && frame.len>60"],
  ] as const) {
    const o = await run(CASEFILE, ["packets", file, ours_]);
    assert.equal(o.status, 0, o.err);
    const nums = ours(o.out).map((r) => r.num);
    const t = (await theirs(file, theirs_)).map((r) => r.num);
    assert.ok(t.length > 0, `tshark keeps nothing with ${theirs_}`);
    assert.deepEqual(nums, t, `${basename(file)} ${ours_}`);
  }
});

test("casefile packets: a file cut short keeps its whole packets and names the byte offset; a scap is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "casefile-packets-"));
  try {
    const src = fixturePcaps().find((p) => basename(p) === "icmpv6.pcap")!;
    const bytes = readFileSync(src);
    const cut = join(dir, "cut.pcap");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const whole = ours((await run(CASEFILE, ["packets", src])).out);
    const r = await run(CASEFILE, ["packets", cut]);
    assert.equal(r.status, 2);
    assert.deepEqual(ours(r.out), whole.slice(0, -1));
    assert.match(r.err, /cut short in the middle of packet \d+ .* \(at byte \d+\)/);
    const t = await run("tshark", ["-r", cut, "-T", "fields", "-e", "frame.number"]);
    assert.equal(ours(r.out).length, t.out.split("\n").filter((l) => l).length, "tshark reads as many whole packets");
    const scap = join(dir, "x.scap");
    copyFileSync(fixtureCapture(basename(fixtureCaptures()[0])), scap);
    const s = await run(CASEFILE, ["packets", scap]);
    assert.equal(s.status, 2);
    // Says what the file is and where it was told (the fuzzer's rule for every refusal).
    assert.match(s.err, /: a sysdig capture, not a packet capture: read it with casefile events \(at byte 0\)\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
