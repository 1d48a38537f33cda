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
