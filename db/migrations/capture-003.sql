-- The syscall-time flame graph of the whole capture, summed at ingest
-- (server/core/analyses/syscall-time.ts): per process, thread, event type, syscall id and fd,
-- the summed evt.latency of the visible exit events that have one, and their number. Read
-- when meta says 'syscall_time' (a capture ingested before this migration has an empty
-- table, and a live one is still growing: their flame graphs sum the events instead).
CREATE TABLE syscall_time (
  proc INTEGER NOT NULL,     -- strings.id of the thread's command name
  tid INTEGER NOT NULL,
  type INTEGER NOT NULL,     -- the exit event's type
  sc INTEGER NOT NULL,       -- generic events: the syscall id they are named after; else -1
  fdref INTEGER NOT NULL,    -- fds.id of the fd the call acted on; -1 for none
  ns INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  PRIMARY KEY (proc, tid, type, sc, fdref)
) WITHOUT ROWID;
