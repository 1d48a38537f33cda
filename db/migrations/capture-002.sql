-- Pre-aggregated buckets (as Perfetto's mipmaps), built at ingest by
-- server/ingest/timeline-aggregator.ts, so that the timeline, the spectrogram and the gaps of a
-- process answer from a few thousand rows instead of scanning every event. A capture ingested
-- before this migration has empty tables and no meta 'aggregates' row: readers check that row
-- and scan the events instead (server/api/timeline.ts).
--
-- Time buckets: bucket = ts >> level (ts: ns since meta.base_ts), at a few power-of-two levels.

-- Visible timed events (sysdig prints them) per time bucket and thread.
CREATE TABLE tl_buckets (
  level INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  proc INTEGER NOT NULL,     -- strings.id of the thread's command name at the event
  tid INTEGER NOT NULL,
  count INTEGER NOT NULL,
  min_num INTEGER NOT NULL,  -- the evt.num range of these events: bounds a scan of the window
  max_num INTEGER NOT NULL,
  PRIMARY KEY (level, bucket, proc, tid)
) WITHOUT ROWID;

-- Exit events with a latency (from the first event sysdig shows) per time bucket and decade of
-- evt.latency: the spectrogram's cells. example: the first event of the bucket's decade.
CREATE TABLE sp_buckets (
  level INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  decade INTEGER NOT NULL,
  count INTEGER NOT NULL,
  min_num INTEGER NOT NULL,
  max_num INTEGER NOT NULL,
  PRIMARY KEY (level, bucket, decade)
) WITHOUT ROWID;

-- Visible timed events per run of 4096 evt.nums (chunk = num >> 12) and thread: the first and
-- last event and the smallest and largest ts. A run whose ts spread is at most the gap asked
-- for holds no gap inside it, so the gaps of a process read only its runs' ends.
CREATE TABLE tl_chunks (
  chunk INTEGER NOT NULL,
  proc INTEGER NOT NULL,
  tid INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first_num INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_num INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  PRIMARY KEY (chunk, proc, tid)
) WITHOUT ROWID;
