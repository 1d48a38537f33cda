// Opening SQLite databases with their migrations applied (numbered .sql files, in order;
// PRAGMA user_version records how many ran).

import Database from "better-sqlite3";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type Db = Database.Database;
/** catalog: the captures; capture: one syscall capture (.scap); packets: one packet capture. */
export type SchemaKind = "catalog" | "capture" | "packets";

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

function migrate(db: Db, kind: SchemaKind): void {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.startsWith(`${kind}-`) && f.endsWith(".sql")).sort();
  const done = db.pragma("user_version", { simple: true }) as number;
  for (let i = done; i < files.length; i++) {
    db.transaction(() => {
      db.exec(readFileSync(join(MIGRATIONS_DIR, files[i]), "utf8"));
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

export function openDb(path: string, kind: SchemaKind, opts: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: opts.readonly ?? false });
  if (!opts.readonly) {
    // A capture database is written once, in bulk, then scanned: large pages make the ingest's
    // inserts about a fifth cheaper (fewer page splits) and scans faster. Only a new database
    // takes it (the page size is fixed once the first table exists).
    if (kind !== "catalog") db.pragma("page_size = 65536");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    migrate(db, kind);
  }
  return db;
}

export function openInMemoryDb(kind: SchemaKind): Db {
  const db = new Database(":memory:");
  migrate(db, kind);
  return db;
}

/** Turns the rollback journal off, for the bulk load of a new database that nobody reads before
 *  it is whole and that is thrown away if the load fails (the ingests). better-sqlite3 opens
 *  every connection in SQLite's defensive mode, in which journal_mode=OFF is refused without an
 *  error: the pragma answers the mode it kept, and every capture's rows went through the WAL,
 *  written twice and read back once (bench/packets' 1 M packets: 109 MB of WAL written, 106 MB
 *  read again to checkpoint it). The mode is checked, not trusted. */
export function journalOff(db: Db): void {
  db.unsafeMode(true);
  try {
    const mode = db.pragma("journal_mode = OFF", { simple: true });
    if (mode !== "off") throw new Error(`journal_mode stayed ${String(mode)}, not off`);
  } finally {
    db.unsafeMode(false);
  }
}
