// Investigations (title, notes, pinned events with comments, over one or more captures) and the
// share links that open a view of a capture read-only, both kept in the catalog database.
// Plain data access with bound parameters; the HTTP checks are in investigations-api.ts.

import { randomBytes } from "node:crypto";
import type { Db } from "../../db/open-db";

export interface Pin {
  id: number;
  capture: string;
  num: number;
  comment: string;
  createdAt: string;
}

export interface Investigation {
  id: string;
  title: string;
  notes: string;
  captures: string[];
  pins: Pin[];
  createdAt: string;
  updatedAt: string;
}

export interface InvestigationSummary {
  id: string;
  title: string;
  captures: string[];
  pins: number;
  updatedAt: string;
}

export interface ShareLink {
  id: string;
  capture: string;
  investigation: string | null;
  /** The view as the page's URL holds it (components/ui/view-url.ts), already normalised. */
  state: Record<string, unknown>;
  createdAt: string;
  revokedAt: string | null;
}

/** Bytes of randomness in a share link id: 128 bits, as many as a UUIDv4 has and more than
 *  anyone can guess or enumerate against a server that answers a few thousand requests a second. */
export const LINK_ID_BYTES = 16;
/** base64url of LINK_ID_BYTES bytes, unpadded. */
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const INVESTIGATION_ID_PATTERN = /^[0-9a-f]{16}$/;

export interface Investigations {
  list(capture?: string): InvestigationSummary[];
  get(id: string): Investigation | undefined;
  create(title: string, notes: string, captures: string[]): Investigation;
  /** Changes the fields given; captures given are added (a capture is never silently dropped
   *  from an investigation that pins its events). Undefined when there is no such one. */
  update(id: string, patch: { title?: string; notes?: string; addCaptures?: string[] }): Investigation | undefined;
  remove(id: string): boolean;
  addPin(id: string, capture: string, num: number, comment: string): Pin | undefined;
  updatePin(id: string, pinId: number, comment: string): Pin | undefined;
  removePin(id: string, pinId: number): boolean;
  createLink(capture: string, investigation: string | null, state: Record<string, unknown>): ShareLink;
  /** The links to a capture that still open, newest first. */
  listLinks(capture: string): ShareLink[];
  /** The link whatever its state (revoked ones too); undefined for an id never issued. */
  getLink(id: string): ShareLink | undefined;
  revokeLink(id: string): boolean;
}

interface InvRow {
  id: string;
  title: string;
  notes: string;
  created_at: string;
  updated_at: string;
}

interface PinRow {
  id: number;
  capture_id: string;
  num: number;
  comment: string;
  created_at: string;
}

interface LinkRow {
  id: string;
  capture_id: string;
  investigation_id: string | null;
  state: string;
  created_at: string;
  revoked_at: string | null;
}

const now = () => new Date().toISOString();

const linkOf = (r: LinkRow): ShareLink => ({
  id: r.id, capture: r.capture_id, investigation: r.investigation_id, state: JSON.parse(r.state) as Record<string, unknown>,
  createdAt: r.created_at, revokedAt: r.revoked_at,
});

export function openInvestigations(db: Db): Investigations {
  const capturesOf = (id: string) =>
    (db.prepare("SELECT capture_id FROM investigation_captures WHERE investigation_id = ? ORDER BY rowid").pluck().all(id) as string[]);
  const pinOf = (r: PinRow): Pin => ({ id: r.id, capture: r.capture_id, num: r.num, comment: r.comment, createdAt: r.created_at });
  const touch = (id: string) => db.prepare("UPDATE investigations SET updated_at = ? WHERE id = ?").run(now(), id);
  const addCaptures = (id: string, captures: readonly string[]) => {
    const ins = db.prepare("INSERT OR IGNORE INTO investigation_captures (investigation_id, capture_id) VALUES (?, ?)");
    for (const c of captures) ins.run(id, c);
  };

  const self: Investigations = {
    list(capture?: string): InvestigationSummary[] {
      const rows = (capture === undefined
        ? db.prepare("SELECT * FROM investigations ORDER BY updated_at DESC").all()
        : db.prepare(
          "SELECT i.* FROM investigations i JOIN investigation_captures c ON c.investigation_id = i.id WHERE c.capture_id = ? ORDER BY i.updated_at DESC",
        ).all(capture)) as InvRow[];
      const countPins = db.prepare("SELECT count(*) FROM pins WHERE investigation_id = ?").pluck();
      return rows.map((r) => ({ id: r.id, title: r.title, captures: capturesOf(r.id), pins: countPins.get(r.id) as number, updatedAt: r.updated_at }));
    },

    get(id: string): Investigation | undefined {
      const r = db.prepare("SELECT * FROM investigations WHERE id = ?").get(id) as InvRow | undefined;
      if (!r) return undefined;
      const pins = (db.prepare("SELECT * FROM pins WHERE investigation_id = ? ORDER BY capture_id, num, id").all(id) as PinRow[]).map(pinOf);
      return { id: r.id, title: r.title, notes: r.notes, captures: capturesOf(id), pins, createdAt: r.created_at, updatedAt: r.updated_at };
    },

    create(title: string, notes: string, captures: string[]): Investigation {
      const id = randomBytes(8).toString("hex");
      const t = now();
      db.transaction(() => {
        db.prepare("INSERT INTO investigations (id, title, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(id, title, notes, t, t);
        addCaptures(id, captures);
      })();
      return self.get(id)!;
    },

    update(id, patch) {
      const found = db.transaction(() => {
        if (!db.prepare("SELECT 1 FROM investigations WHERE id = ?").get(id)) return false;
        if (patch.title !== undefined) db.prepare("UPDATE investigations SET title = ? WHERE id = ?").run(patch.title, id);
        if (patch.notes !== undefined) db.prepare("UPDATE investigations SET notes = ? WHERE id = ?").run(patch.notes, id);
        if (patch.addCaptures) addCaptures(id, patch.addCaptures);
        touch(id);
        return true;
      })();
      return found ? self.get(id) : undefined;
    },

    remove(id: string): boolean {
      // The catalog runs without foreign-key enforcement: the dependent rows go by hand. Links
      // that named the investigation are revoked with it (they would show notes that are gone).
      return db.transaction(() => {
        const gone = db.prepare("DELETE FROM investigations WHERE id = ?").run(id).changes > 0;
        db.prepare("DELETE FROM investigation_captures WHERE investigation_id = ?").run(id);
        db.prepare("DELETE FROM pins WHERE investigation_id = ?").run(id);
        db.prepare("UPDATE links SET revoked_at = ? WHERE investigation_id = ? AND revoked_at IS NULL").run(now(), id);
        return gone;
      })();
    },

    addPin(id, capture, num, comment) {
      return db.transaction(() => {
        if (!db.prepare("SELECT 1 FROM investigations WHERE id = ?").get(id)) return undefined;
        addCaptures(id, [capture]);
        const r = db.prepare("INSERT INTO pins (investigation_id, capture_id, num, comment, created_at) VALUES (?, ?, ?, ?, ?)")
          .run(id, capture, num, comment, now());
        touch(id);
        return pinOf(db.prepare("SELECT * FROM pins WHERE id = ?").get(r.lastInsertRowid) as PinRow);
      })();
    },

    updatePin(id, pinId, comment) {
      return db.transaction(() => {
        if (db.prepare("UPDATE pins SET comment = ? WHERE id = ? AND investigation_id = ?").run(comment, pinId, id).changes === 0) return undefined;
        touch(id);
        return pinOf(db.prepare("SELECT * FROM pins WHERE id = ?").get(pinId) as PinRow);
      })();
    },

    removePin(id, pinId) {
      const gone = db.prepare("DELETE FROM pins WHERE id = ? AND investigation_id = ?").run(pinId, id).changes > 0;
      if (gone) touch(id);
      return gone;
    },

    createLink(capture, investigation, state) {
      const id = randomBytes(LINK_ID_BYTES).toString("base64url");
      db.prepare("INSERT INTO links (id, capture_id, investigation_id, state, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(id, capture, investigation, JSON.stringify(state), now());
      return self.getLink(id)!;
    },

    listLinks(capture: string): ShareLink[] {
      return (db.prepare("SELECT * FROM links WHERE capture_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, rowid DESC").all(capture) as LinkRow[])
        .map(linkOf);
    },

    getLink(id: string): ShareLink | undefined {
      if (!LINK_ID_PATTERN.test(id)) return undefined;
      const r = db.prepare("SELECT * FROM links WHERE id = ?").get(id) as LinkRow | undefined;
      return r && linkOf(r);
    },

    revokeLink(id: string): boolean {
      return db.prepare("UPDATE links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now(), id).changes > 0;
    },
  };
  return self;
}
