-- The catalog: every capture in the store.
CREATE TABLE captures (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  events INTEGER NOT NULL DEFAULT 0,
  first_ts TEXT,
  last_ts TEXT,
  bytes INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  created_at TEXT NOT NULL
);
