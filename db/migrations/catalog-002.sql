-- Investigations: what an engineer found, written down next to the evidence. One investigation
-- may span several captures (a syscall capture and a packet capture of the same incident).
CREATE TABLE investigations (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE investigation_captures (
  investigation_id TEXT NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
  capture_id TEXT NOT NULL,
  PRIMARY KEY (investigation_id, capture_id)
);
CREATE INDEX investigation_captures_by_capture ON investigation_captures (capture_id);

-- An event worth coming back to: named by capture and evt.num (the sysdig number, so a pin means
-- the same event to sysdig and to a colleague), with what the engineer made of it.
CREATE TABLE pins (
  id INTEGER PRIMARY KEY,
  investigation_id TEXT NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
  capture_id TEXT NOT NULL,
  num INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX pins_by_investigation ON pins (investigation_id, capture_id, num);

-- Share links: an unguessable id that reopens one view of one capture, read-only. Revoking
-- keeps the row (revoked_at set) so that the link answers "revoked" rather than "never was".
CREATE TABLE links (
  id TEXT PRIMARY KEY,
  capture_id TEXT NOT NULL,
  investigation_id TEXT,
  state TEXT NOT NULL,        -- the view, as JSON (components/ui/view-url.ts CaptureView)
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
