// The packet ingest's writer thread stores what the inline writer stores: a generated capture
// of several batches (bench/big-pcap.ts: TCP with lost segments and duplicate ACKs, DNS, ICMP
// frag-needed, ARP, VRRP, truncated TCP options marked malformed) ingested both ways gives the
// same packets (every column, through the view), findings, conversations and meta; the packet
// count is tshark's. The inline writer's answers are checked against tshark file by file in
// server/api/packet-store.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb, openInMemoryDb } from "../../db/open-db";
import { makeBigPcap } from "../../bench/big-pcap";
import { requireTshark } from "../testing/tshark-packets";
import { decodeForIngest, ingestPacketCapture } from "./packet-ingest";
import { F64ROWS_PATH } from "./sqlite-batch-writer";
import { PacketBatchWriter, TextColumn, readTextColumn } from "./packet-writer";
import { PacketRowBuilder } from "./packet-rows";
import { tcpInfo } from "../core/packets/tcp";
import { pcapFileHeader, writePcapRecord } from "../core/formats/pcap/writer";
import { FIXED_DETAILS, type FindingKind } from "../core/analyses/packet-analysis";
import { PROJECT_ROOT } from "../testing/oracle";

test("the writer thread stores the same packets, findings and conversations as the inline writer", async () => {
  requireTshark();
  const dir = mkdtempSync(join(tmpdir(), "packet-writer-"));
  try {
    const file = join(dir, "mix.pcap");
    makeBigPcap(file, 9000);
    const byThread = await ingestPacketCapture(join(dir, "thread.db"), file, decodeForIngest, undefined, undefined, { worker: true });
    const inline = await ingestPacketCapture(join(dir, "inline.db"), file, decodeForIngest, undefined, undefined, { worker: false });
    const tshark = execFileSync("tshark", ["-r", file, "-T", "fields", "-e", "frame.number"], { maxBuffer: 1 << 26 }).toString().trim().split("\n").length;
    assert.equal(byThread.packets, tshark);
    assert.deepEqual(byThread, inline);
    const read = (name: string) => {
      const db = openDb(join(dir, name), "packets", { readonly: true });
      try {
        return {
          packets: db.prepare("SELECT * FROM packets ORDER BY num").all(),
          findings: db.prepare("SELECT * FROM findings ORDER BY num, kind").all(),
          conversations: db.prepare("SELECT * FROM conversations ORDER BY id").all(),
          meta: db.prepare("SELECT * FROM meta ORDER BY key").all(),
          indexes: db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all(),
        };
      } finally {
        db.close();
      }
    };
    const a = read("thread.db"), b = read("inline.db");
    assert.equal(a.packets.length, tshark);
    // The capture has every kind of row the writer handles, or the comparison proves little.
    const kinds = new Set((a.findings as { kind: string }[]).map((f) => f.kind));
    for (const k of ["malformed", "lost-segment", "duplicate-ack", "frag-needed"]) assert.ok(kinds.has(k), `no ${k} finding`);
    assert.ok((a.packets as { info: string }[]).every((p) => p.info.length > 0), "a packet without its Info");
    // pstrings_s only: packets-003.sql dropped the indexes no query read.
    assert.deepEqual(a.indexes, ["pstrings_s"]);
    assert.deepEqual(a, b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("texts go through f64rows with their numbers whole: any character, empty ones, NULs, non-BMP, lone surrogates as U+FFFD (also one that would pair with the next text's)", () => {
  const texts = ["", "a", "80 → 443 [SYN]", "nul\u0000inside", "\u0000", "emoji 😀 end", "😀", "é", "lone \ud800 high", "\udc00", "x".repeat(70_000), ""];
  const col = new TextColumn();
  for (const t of texts) col.add(t);
  const blob = col.take();
  assert.equal(col.count, 0, "taken");
  const nums = new Float64Array(texts.map((_, i) => i * 10));
  const db = openInMemoryDb("packets");
  try {
    assert.ok(F64ROWS_PATH, "dist/f64rows.so (scripts/build-cli.sh builds it)");
    db.loadExtension(F64ROWS_PATH);
    const rows = db.prepare("SELECT c0, t FROM f64rows(?, 1, ?)").raw().all(Buffer.from(nums.buffer), blob) as [number, string][];
    const expected = texts.map((t) => t.replace(/[\ud800-\udfff]/gu, "\ufffd"));
    assert.deepEqual(rows, expected.map((t, i) => [i * 10, t]));
    assert.deepEqual(readTextColumn(blob), expected, "the writer's path without the extension reads the same texts");
    // Joined, these two texts are well formed (a surrogate pair across them); each by itself is not.
    const pairAcross = new TextColumn();
    pairAcross.add("high at the end \ud83d");
    pairAcross.add("\ude00 low at the start");
    assert.deepEqual(db.prepare("SELECT t FROM f64rows(?, 1, ?)").pluck().all(Buffer.from(new Float64Array(2).buffer), pairAcross.take()),
      ["high at the end \ufffd", "\ufffd low at the start"]);
    // Without texts the column is NULL; texts that do not match the rows are refused.
    assert.deepEqual(db.prepare("SELECT t FROM f64rows(?, 1)").pluck().all(Buffer.from(nums.buffer)), texts.map(() => null));
    assert.throws(() => db.prepare("SELECT t FROM f64rows(?, 1, ?)").all(Buffer.from(nums.buffer.slice(8)), blob), /texts/);
    const cut = Buffer.from(blob).subarray(0, blob.length - 1);
    assert.throws(() => db.prepare("SELECT t FROM f64rows(?, 1, ?)").all(Buffer.from(nums.buffer), cut), /texts/);
  } finally {
    db.close();
  }
});

test("the view makes a plain TCP segment's Info from its numbers, as the decoder's tcpInfo does, for every flag combination; other packets keep their text", () => {
  const T0 = 1_700_000_000_000_000_000n;
  const rows = Array.from({ length: 4096 }, (_, flags) => ({
    num: flags + 1, ts: T0, len: 60, caplen: 60, proto: "TCP", src: "10.0.0.1", dst: "10.0.0.2", ipVersion: 4 as const, ipProto: 6,
    sport: flags % 65536, dport: 65535 - (flags % 7), tcpFlags: flags, tcpSeq: flags % 2 ? 4294967295 : flags * 1048573,
    tcpAck: flags % 3 ? 0 : 4294967295 - flags, tcpWin: flags * 16 % 65536, tcpLen: flags % 5 ? flags : 0, info: "", plainTcpInfo: true,
  }));
  const other = { ...rows[0], num: 4097, proto: "DNS", info: "Standard query 0x0001 A example.com", plainTcpInfo: false };
  for (const extension of [true, false]) {
    const db = openInMemoryDb("packets");
    try {
      const builder = new PacketRowBuilder(rows.length + 1);
      for (const p of [...rows, other]) builder.add(p, { offset: 0, linktype: 1 }, Number(p.ts - T0));
      new PacketBatchWriter(db, { extension }).apply(builder.take()!);
      assert.equal(db.prepare("SELECT count(*) FROM packet_info").pluck().get(), 1, "only the DNS packet's Info is stored");
      const infos = db.prepare("SELECT info FROM packets ORDER BY num").pluck().all();
      assert.deepEqual(infos, [...rows.map((p) => tcpInfo(p.sport, p.dport, p.tcpFlags, p.tcpSeq, p.tcpAck, p.tcpWin, p.tcpLen)), other.info]);
    } finally {
      db.close();
    }
  }
});

test("a kind's fixed detail is stored once, in the view, with the analysis' text; other details are stored; a database made before packets-005.sql keeps its findings", () => {
  const T0 = 1_700_000_000_000_000_000n;
  const row = { num: 1, ts: T0, len: 60, caplen: 60, proto: "TCP", src: "10.0.0.1", dst: "10.0.0.2", info: "x" };
  const kinds = Object.keys(FIXED_DETAILS) as FindingKind[];
  assert.ok(kinds.length > 0);
  for (const extension of [true, false]) {
    const db = openInMemoryDb("packets");
    try {
      const builder = new PacketRowBuilder(4);
      builder.add(row, { offset: 0, linktype: 1 }, 0);
      kinds.forEach((k, i) => builder.finding(1 + i, k, FIXED_DETAILS[k]!, undefined, 1));
      builder.finding(1, "duplicate-ack", "duplicate ACK #1 of 7", 7, 1);
      new PacketBatchWriter(db, { extension }).apply(builder.take()!);
      assert.deepEqual(db.prepare("SELECT detail FROM finding_rows WHERE kind != 'duplicate-ack'").pluck().all(), kinds.map(() => null), "not stored");
      assert.deepEqual(db.prepare("SELECT kind, detail FROM findings ORDER BY num, kind").raw().all(),
        [...kinds.map((k) => [k, FIXED_DETAILS[k]]), ["duplicate-ack", "duplicate ACK #1 of 7"]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        "the view gives the analysis' text");
    } finally {
      db.close();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "packet-writer-"));
  try {
    const path = join(dir, "old.db");
    const old = new Database(path);
    for (const f of ["packets-001.sql", "packets-002.sql", "packets-003.sql", "packets-004.sql"]) old.exec(readFileSync(join(PROJECT_ROOT, "db/migrations", f), "utf8"));
    old.pragma("user_version = 4");
    old.prepare("INSERT INTO findings VALUES (?, ?, ?, ?, ?)").run(3, "lost-segment", "previous segment not captured", null, 2);
    old.prepare("INSERT INTO findings VALUES (?, ?, ?, ?, ?)").run(5, "reset", "connection reset by 10.0.0.1:80", null, 2);
    old.close();
    const db = openDb(path, "packets");
    try {
      assert.deepEqual(db.prepare("SELECT * FROM findings ORDER BY num").raw().all(),
        [[3, "lost-segment", "previous segment not captured", null, 2], [5, "reset", "connection reset by 10.0.0.1:80", null, 2]]);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a packet's stored time, made from the pcap reader's numbers, is the bigints' difference from the first packet's, days and decades away", async () => {
  const T0 = 1_700_000_000_123_456_789n;
  const DAY = 86_400_000_000_000n;
  // Days, then decades away (past 2^53 ns: the double is rounded, once, as Number() rounds the bigint).
  const times = [T0, T0 + 1n, T0 + 103n * DAY + 7n, T0 - 1n, T0 + 200n * DAY + 999_999_999n, T0 - 300n * DAY, T0 - 18_250n * DAY + 3n, T0 + 5n];
  const dir = mkdtempSync(join(tmpdir(), "packet-times-"));
  try {
    const out = new Uint8Array(4096);
    let pos = 0;
    out.set(pcapFileHeader(1), 0);
    pos += 24;
    const frame = new Uint8Array(60);
    for (const t of times) pos = writePcapRecord(out, pos, t, frame);
    const file = join(dir, "times.pcap");
    writeFileSync(file, out.subarray(0, pos));
    await ingestPacketCapture(join(dir, "t.db"), file, decodeForIngest, undefined, undefined, { worker: false });
    const db = openDb(join(dir, "t.db"), "packets", { readonly: true });
    try {
      assert.deepEqual(db.prepare("SELECT ts FROM packets ORDER BY num").pluck().all(), times.map((t) => Number(t - T0)));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
