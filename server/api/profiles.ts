// CPU profiles kept in the data folder: a catalog entry of format 'profile' (listed with the
// captures), its kept file the profile's text (captures/ID.capture, as every kept file), and
// parent_id naming the capture it was recorded with (catalog-003). Its own module rather than
// more of store.ts: a profile has no events database and none of the capture queries.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDb, type Db } from "../../db/open-db";
import { casefileProfileImporter } from "../core/formats/stacks/casefile-profile";

export interface ProfileEntry {
  id: string;
  name: string;
  /** The capture it belongs to, when linked. */
  captureId: string | null;
  bytes: number;
  createdAt: string;
}

const ID_PATTERN = /^[0-9a-f]{16}$/;

export class Profiles {
  private readonly catalog: Db;
  constructor(private readonly dataDir: string, catalog?: Db) {
    mkdirSync(join(dataDir, "captures"), { recursive: true });
    this.catalog = catalog ?? openDb(join(dataDir, "catalog.db"), "catalog");
  }

  private keptFile(id: string): string {
    return join(this.dataDir, "captures", `${id}.capture`);
  }

  /** Keeps the profile at `file` (checked: it must read as a profile), linked to `captureId`
   *  when given (which must exist). Returns its id. */
  add(file: string, name: string, captureId?: string | null): string {
    return this.addText(readFileSync(file, "utf8"), name, captureId);
  }

  /** The same for a profile's text (a collector's answer). */
  addText(text: string, name: string, captureId?: string | null): string {
    const imp = casefileProfileImporter();
    imp.push(text);
    const p = imp.end(); // throws StacksError naming the bad line
    if (!p.sections.length) throw new Error("no stacks in this profile");
    if (captureId) {
      const c = this.catalog.prepare("SELECT format FROM captures WHERE id = ?").get(captureId) as { format: string } | undefined;
      if (!c) throw new Error(`no capture ${captureId} to link the profile to`);
    }
    const id = randomBytes(8).toString("hex");
    writeFileSync(this.keptFile(id), text);
    // events: its distinct stacks, as an uploaded profile counts them (store.ts importProfile).
    const stacks = p.sections.reduce((n, s) => n + s.stacks.size, 0);
    this.catalog.prepare(
      "INSERT INTO captures (id, name, format, events, bytes, status, created_at, parent_id) VALUES (?, ?, 'profile', ?, ?, 'ready', ?, ?)",
    ).run(id, name, stacks, Buffer.byteLength(text), new Date().toISOString(), captureId ?? null);
    return id;
  }

  /** Profiles, newest first; of one capture when `captureId` is given. */
  list(captureId?: string): ProfileEntry[] {
    const rows = (captureId
      ? this.catalog.prepare("SELECT * FROM captures WHERE format = 'profile' AND parent_id = ? ORDER BY created_at DESC").all(captureId)
      : this.catalog.prepare("SELECT * FROM captures WHERE format = 'profile' ORDER BY created_at DESC").all()) as {
      id: string; name: string; parent_id: string | null; bytes: number; created_at: string;
    }[];
    return rows.map((r) => ({ id: r.id, name: r.name, captureId: r.parent_id, bytes: r.bytes, createdAt: r.created_at }));
  }

  /** The profile's text, or undefined when there is no such profile (or its file is gone). */
  text(id: string): string | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    const r = this.catalog.prepare("SELECT format FROM captures WHERE id = ?").get(id) as { format: string } | undefined;
    const file = this.keptFile(id);
    return r?.format === "profile" && existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }

  /** A fact of the data folder (catalog_meta). */
  meta(key: string): string | undefined {
    return (this.catalog.prepare("SELECT value FROM catalog_meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.catalog.prepare("INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  close(): void {
    this.catalog.close();
  }
}
