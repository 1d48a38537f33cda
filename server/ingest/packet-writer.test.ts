// The packet ingest's writer thread stores what the inline writer stores: a generated capture
// of several batches (bench/big-pcap.ts: TCP with lost segments and duplicate ACKs, DNS, ICMP
// frag-needed, ARP, VRRP, truncated TCP options marked malformed) ingested both ways gives the
// same packets (every column, through the view), findings, conversations and meta; the packet
// count is tshark's. The inline writer's answers are checked against tshark file by file in
// server/api/packet-store.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../../db/open-db";
import { makeBigPcap } from "../../bench/big-pcap";
import { decodePacket } from "../core/packets/decode";
import { requireTshark } from "../testing/tshark-packets";
import { ingestPacketCapture } from "./packet-ingest";

test("the writer thread stores the same packets, findings and conversations as the inline writer", async () => {
  requireTshark();
  const dir = mkdtempSync(join(tmpdir(), "packet-writer-"));
  try {
    const file = join(dir, "mix.pcap");
    makeBigPcap(file, 9000);
    const decode = (raw: Parameters<typeof decodePacket>[0]) => decodePacket(raw, { layers: false });
    const byThread = await ingestPacketCapture(join(dir, "thread.db"), file, decode, undefined, undefined, { worker: true });
    const inline = await ingestPacketCapture(join(dir, "inline.db"), file, decode, undefined, undefined, { worker: false });
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
    assert.deepEqual(a.indexes, ["findings_kind", "packet_rows_flow", "pstrings_s"]);
    assert.deepEqual(a, b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
