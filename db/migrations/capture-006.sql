-- The containers tile of the overview (server/core/analyses/overview-sums.ts): the runs of
-- evt.nums in which a thread's shown events were in one container (container.id as sysdig
-- follows it: process list, clone, execve, container events), for threads in a container only.
-- The container of an event the events table holds is that of the run of its tid around its
-- evt.num: the scan of a filtered overview and the ends of a bin count containers from these.
-- The unfiltered overview reads the buckets' members (capture-007). Filled when meta
-- 'overview' lists the containers tile.
CREATE TABLE ov_threads (
  tid INTEGER NOT NULL,
  first_num INTEGER NOT NULL,
  last_num INTEGER NOT NULL,
  container INTEGER NOT NULL,   -- strings.id of the container.id
  PRIMARY KEY (tid, first_num)
) WITHOUT ROWID;
