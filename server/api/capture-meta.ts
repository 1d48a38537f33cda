// What ingest records about a capture in its database's meta table.

import type { Db } from "../../db/open-db";

function meta(db: Db, key: string): string | undefined {
  return (db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
}

/** ns since the epoch of the capture's first timed event: the events' ts count from it. */
export function baseTs(db: Db): bigint {
  return BigInt(meta(db, "base_ts") ?? "0");
}

/** The first event sysdig shows: the container events a capture may start with are not. */
export function firstShown(db: Db): number {
  return Number(meta(db, "first_shown") ?? "1");
}
