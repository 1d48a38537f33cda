// Hashes of what the packet ingest stores, to check that a change to the ingest keeps every
// stored byte: each pcap fixture (test/fixtures/pcaps, test/fixtures/recorded) and
// bench/out/big-50000.pcap (made by bench/big-pcap.ts when missing) ingested into a fresh
// database, one hash per table and per view (`packets`: what the readers see) and one of the
// ingest's result, then one over all of them.
//   node --import tsx scripts/hash-packet-store.ts [--each] [--big N] [extra files...]
// --each prints every file's hashes (for finding which file and table differ); --big N adds
// bench/out/big-N.pcap. Values are SQLite's quote() of each column, so an integer stored as a
// real, or a text as a blob, changes the hash too.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { openDb, type Db } from "../db/open-db";
import { decodeForIngest, ingestPacketCapture } from "../server/ingest/packet-ingest";
import { fixturePcaps, PCAPS_DIR, PROJECT_ROOT } from "../server/testing/oracle";
import { makeBigPcap } from "../bench/big-pcap";

const args = process.argv.slice(2);
const each = args.includes("--each");
const bigAt = args.indexOf("--big");
const bigCounts = [50_000, ...(bigAt >= 0 ? [Number(args[bigAt + 1])] : [])];
const extra = args.filter((a, i) => !a.startsWith("--") && (bigAt < 0 || i !== bigAt + 1));

const recorded = join(PCAPS_DIR, "../recorded");
const files = [
  ...fixturePcaps(),
  ...readdirSync(recorded).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((f) => join(recorded, f)),
  ...bigCounts.map((n) => {
    const dir = join(PROJECT_ROOT, "bench/out");
    const file = join(dir, `big-${n}.pcap`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      makeBigPcap(file, n);
    }
    return file;
  }),
  ...extra,
];

/** Each table's and view's rows in key order, as quote() texts, into one hash. */
function hashRelation(db: Db, name: string): { rows: number; hash: string } {
  const names = (db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((c) => `"${c.name}"`);
  const cols = names.map((c) => `quote(${c})`);
  const h = createHash("sha256");
  let rows = 0;
  for (const r of db.prepare(`SELECT ${cols.join(" || ',' || ")} AS v FROM ${name} ORDER BY ${names.slice(0, 2).join(", ")}`).pluck().iterate()) {
    h.update(r as string).update("\n");
    rows++;
  }
  return { rows, hash: h.digest("hex").slice(0, 16) };
}

const total = createHash("sha256");
const tmp = mkdtempSync(join(tmpdir(), "hash-packet-store-"));
try {
  for (const [i, file] of files.entries()) {
    const dbPath = join(tmp, `${i}.db`);
    const r = await ingestPacketCapture(dbPath, file, decodeForIngest);
    const db = openDb(dbPath, "packets", { readonly: true });
    const relations = (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name").pluck().all() as string[]);
    const parts = [`result ${createHash("sha256").update(JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).digest("hex").slice(0, 16)}`];
    for (const name of relations) {
      const { rows, hash } = hashRelation(db, name);
      parts.push(`${name} ${rows} ${hash}`);
    }
    db.close();
    rmSync(dbPath, { force: true });
    const line = `${relative(PROJECT_ROOT, file)}: ${parts.join("; ")}`;
    total.update(line).update("\n");
    if (each) console.log(line);
    else if (file.includes("bench/out")) console.log(line);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${files.length} files (${basename(files[0])} ... ${basename(files[files.length - 1])}): ${total.digest("hex")}`);
