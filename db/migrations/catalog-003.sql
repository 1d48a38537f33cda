-- What belongs to a capture without being one of its events: a CPU profile recorded beside it
-- (format 'profile', its kept file the profile's text) names the capture in parent_id.
ALTER TABLE captures ADD COLUMN parent_id TEXT;
CREATE INDEX captures_by_parent ON captures (parent_id);

-- Facts about the data folder itself: demo_offered (the demo capture was ingested once, so that
-- one the user deleted does not come back at the next start).
CREATE TABLE catalog_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
