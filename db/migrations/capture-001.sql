-- One database per capture.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Interned strings: process names, fd annotations.
CREATE TABLE strings (id INTEGER PRIMARY KEY, s TEXT NOT NULL);

-- One row per event, numbered as sysdig numbers them (hidden events included).
CREATE TABLE events (
  num INTEGER PRIMARY KEY,   -- evt.num
  ts INTEGER,                -- ns since meta.base_ts (a double holds it exactly for 104 days);
                             -- NULL for events with no timestamp (ts 0: metadata written first)
  kind INTEGER NOT NULL,     -- type | cpu << 10 | proc << 26, unpacked below (ingest binds
                             -- every value it stores: one packed value is faster than three)
  tid INTEGER NOT NULL,
  res INTEGER,               -- return value of exit events, when they have one
  latency INTEGER,           -- evt.latency as sysdig has it (enter events 0; NULL: internal)
  fdref INTEGER,             -- fds.id of the fd the event acts on (exits: the one their enter named)
  labels INTEGER,            -- strings.id of the rendered fd/pid/path arguments, \u0001-separated;
                             -- NULL when the only one is the fd of fdref (its text is fds.label's)
  type INTEGER GENERATED ALWAYS AS (kind & 1023) VIRTUAL,   -- event type id; direction is type & 1
  cpu INTEGER GENERATED ALWAYS AS ((kind >> 10) & 65535) VIRTUAL,
  proc INTEGER GENERATED ALWAYS AS (kind >> 26) VIRTUAL   -- strings.id of the thread's command
                                                          -- name ('' prints as <NA>)
);

-- The fds events act on, as they were at the event: one row per distinct (number, type, name).
CREATE TABLE fds (
  id INTEGER PRIMARY KEY,
  num INTEGER NOT NULL,      -- fd.num
  typechar TEXT NOT NULL,    -- fd.typechar: f file, 4 ipv4, 6 ipv6, u unix, p pipe... ('' unknown)
  l4 TEXT NOT NULL,          -- t tcp, u udp, i icmp, r raw, '' other
  name TEXT NOT NULL,        -- fd.name
  label TEXT NOT NULL        -- what the printer shows after the number: <4t>1.2.3.4:5->…, '' unknown
);

-- State checkpoints: the thread and fd tables after event `num` (0: before the first event, as
-- the capture's process and fd lists left them), so the state at any evt.num is the nearest
-- checkpoint plus a short replay.
CREATE TABLE checkpoints (num INTEGER PRIMARY KEY, data BLOB NOT NULL);

-- Raw parameters, in runs of consecutive events, to render evt.info on demand.
-- Record layout: u32 record length, u8 length width (2|4), u16 nparams, lengths, values.
CREATE TABLE chunks (first_num INTEGER PRIMARY KEY, last_num INTEGER NOT NULL, data BLOB NOT NULL);
