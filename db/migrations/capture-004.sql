-- The long silences of the events sysdig shows, found at ingest (server/core/analyses/
-- time-buckets.ts): every shown event that comes more than 2^20 ns (1.05 ms) after the previous
-- shown event of the same scope, in evt.num order. The gaps of the whole capture, of one
-- process or of one thread at any threshold of at least that read these rows instead of every
-- event (server/api/timeline.ts bucketGaps). Filled when meta 'steps' is '1'.
CREATE TABLE tl_steps (
  scope INTEGER NOT NULL,    -- 0: every shown event; 1: one process name (key: its strings.id); 2: one thread (key: tid)
  key INTEGER NOT NULL,
  num INTEGER NOT NULL,      -- the event after the silence
  prev_num INTEGER NOT NULL, -- the scope's event before it
  gap INTEGER NOT NULL,      -- ns
  PRIMARY KEY (scope, key, num)
) WITHOUT ROWID;
