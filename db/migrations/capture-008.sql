-- The syscall-time sums keep the container of each call (server/core/analyses/syscall-time.ts):
-- capture-003's table had none, so the whole capture's flame graph had to find, from the
-- container runs and the events, which calls of a thread that changed containers were where.
-- The writer now sums each batch's rows by the container.id its thread had at the event (the
-- row batch's container column, the one the overview's runs follow). Read when meta
-- 'syscall_time' is '2'; a capture ingested before has '1' and its sums lost with the old
-- table: its flame graph sums the events instead (correct, slower).
DROP TABLE syscall_time;
CREATE TABLE syscall_time (
  container INTEGER NOT NULL, -- strings.id of the thread's container.id; -1 on the host
  proc INTEGER NOT NULL,      -- strings.id of the thread's command name
  tid INTEGER NOT NULL,
  type INTEGER NOT NULL,      -- the exit event's type
  sc INTEGER NOT NULL,        -- generic events: the syscall id they are named after; else -1
  fdref INTEGER NOT NULL,     -- fds.id of the fd the call acted on; -1 for none
  ns INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  PRIMARY KEY (container, proc, tid, type, sc, fdref)
) WITHOUT ROWID;
