-- The overview's distinct-count members move into their bucket's row (capture-005 kept one
-- row per member: a million rows on a 2-million-event capture, most of the ingest's added
-- cost): per distinct tile, its count then its members, as float64s (overview-sums.ts);
-- NULL when none. meta 'overview' says which layout a capture holds.
ALTER TABLE ov_buckets ADD COLUMN members BLOB;
DROP TABLE ov_members;
