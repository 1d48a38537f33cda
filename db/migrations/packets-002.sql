-- Packets stored as numbers (the ingest's speed: server/ingest/packet-writer.ts): the Protocol,
-- Source, Destination and malformed texts are interned in pstrings (a capture has few distinct
-- ones) and a row holds their ids, so a batch of rows travels to SQLite as one BLOB of float64s
-- (db/f64rows.c) instead of 27 bound values each; the Info texts, all different, go to their
-- own table in one JSON array per batch (json_each). The view `packets` gives every reader the
-- columns of packets-001.sql under their old names.
CREATE TABLE pstrings (id INTEGER PRIMARY KEY, s TEXT NOT NULL);

CREATE TABLE packet_rows (
  num INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  len INTEGER NOT NULL,
  caplen INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  linktype INTEGER NOT NULL,
  proto INTEGER NOT NULL,    -- pstrings.id
  src INTEGER NOT NULL,      -- pstrings.id
  dst INTEGER NOT NULL,      -- pstrings.id
  ip_version INTEGER,
  ip_proto INTEGER,
  sport INTEGER,
  dport INTEGER,
  tcp_flags INTEGER,
  tcp_seq INTEGER,
  tcp_ack INTEGER,
  tcp_win INTEGER,
  tcp_len INTEGER,
  icmp_type INTEGER,
  icmp_code INTEGER,
  icmp_mtu INTEGER,
  vrrp_vrid INTEGER,
  vrrp_prio INTEGER,
  dns_id INTEGER,
  malformed INTEGER,         -- pstrings.id; NULL: decoded whole
  flow INTEGER
);

CREATE TABLE packet_info (num INTEGER PRIMARY KEY, info TEXT NOT NULL);

-- A database made before this migration keeps its packets: moved into the new tables.
INSERT INTO pstrings (s) SELECT s FROM (
  SELECT proto AS s FROM packets UNION SELECT src FROM packets UNION SELECT dst FROM packets
  UNION SELECT malformed FROM packets WHERE malformed IS NOT NULL);
CREATE UNIQUE INDEX pstrings_s ON pstrings (s);
INSERT INTO packet_rows SELECT p.num, p.ts, p.len, p.caplen, p.offset, p.linktype,
  (SELECT id FROM pstrings WHERE s = p.proto), (SELECT id FROM pstrings WHERE s = p.src),
  (SELECT id FROM pstrings WHERE s = p.dst), p.ip_version, p.ip_proto, p.sport, p.dport,
  p.tcp_flags, p.tcp_seq, p.tcp_ack, p.tcp_win, p.tcp_len, p.icmp_type, p.icmp_code, p.icmp_mtu,
  p.vrrp_vrid, p.vrrp_prio, p.dns_id, (SELECT id FROM pstrings WHERE s = p.malformed), p.flow
  FROM packets p;
INSERT INTO packet_info (num, info) SELECT num, info FROM packets;
DROP INDEX IF EXISTS packets_flow;
DROP TABLE packets;
-- A moved database needs it now; the ingest drops it and makes it again after its last row
-- (cheaper than keeping it up while inserting).
CREATE INDEX packet_rows_flow ON packet_rows (flow, num);

CREATE VIEW packets AS SELECT r.num AS num, r.ts AS ts, r.len AS len, r.caplen AS caplen,
  r.offset AS offset, r.linktype AS linktype, sp.s AS proto, ss.s AS src, sd.s AS dst,
  i.info AS info, r.ip_version AS ip_version, r.ip_proto AS ip_proto, r.sport AS sport,
  r.dport AS dport, r.tcp_flags AS tcp_flags, r.tcp_seq AS tcp_seq, r.tcp_ack AS tcp_ack,
  r.tcp_win AS tcp_win, r.tcp_len AS tcp_len, r.icmp_type AS icmp_type, r.icmp_code AS icmp_code,
  r.icmp_mtu AS icmp_mtu, r.vrrp_vrid AS vrrp_vrid, r.vrrp_prio AS vrrp_prio, r.dns_id AS dns_id,
  sm.s AS malformed, r.flow AS flow
  FROM packet_rows r
  JOIN pstrings sp ON sp.id = r.proto
  JOIN pstrings ss ON ss.id = r.src
  JOIN pstrings sd ON sd.id = r.dst
  LEFT JOIN pstrings sm ON sm.id = r.malformed
  LEFT JOIN packet_info i ON i.num = r.num;
