-- The overview's tiles counted at ingest (server/core/analyses/overview-sums.ts), per time
-- bucket at a few power-of-two levels (bucket = ts >> level, ts: ns since meta.base_ts; level -1
-- holds the events without a time, bucket 0), so that the unfiltered overview of any time range
-- reads a few hundred rows instead of evaluating each tile's filter on every event
-- (server/api/overview.ts). Filled when meta 'overview' names the tiles they hold (a capture
-- ingested before, or before its tiles changed, is counted by the scan).

-- The events the overview counts (sysdig shows them) per bucket: their evt.num range (the ends
-- of a bin finer than the finest level are counted from those events) and, per tile whose
-- measure adds up (a count, a sum of bytes), its value: a BLOB of float64s in the order meta
-- 'overview' lists those tiles.
CREATE TABLE ov_buckets (
  level INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  min_num INTEGER NOT NULL,
  max_num INTEGER NOT NULL,
  sums BLOB NOT NULL,
  PRIMARY KEY (level, bucket)
) WITHOUT ROWID;

-- The different values a distinct-count tile saw per bucket (process names' strings ids,
-- thread ids): different values do not add up over buckets, the union of these does.
CREATE TABLE ov_members (
  level INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  tile INTEGER NOT NULL,     -- index among meta 'overview''s distinct tiles
  member INTEGER NOT NULL,
  PRIMARY KEY (level, bucket, tile, member)
) WITHOUT ROWID;
