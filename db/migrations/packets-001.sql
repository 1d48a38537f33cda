-- One database per packet capture (pcap, pcapng): the packets' summaries, one row each, as the
-- decoder gives them (server/core/packets/types.ts); the bytes stay in the kept file and are
-- read again by `offset` for the detail pane and the bytes view.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE packets (
  num INTEGER PRIMARY KEY,   -- frame.number
  ts INTEGER NOT NULL,       -- ns since meta.base_ts (the first packet's time): a double holds
                             -- it exactly for 104 days; packets before the first are negative
  len INTEGER NOT NULL,      -- frame.len
  caplen INTEGER NOT NULL,   -- frame.cap_len
  offset INTEGER NOT NULL,   -- byte offset of the packet's record in the kept file (inflated)
  linktype INTEGER NOT NULL,
  proto TEXT NOT NULL,       -- the Protocol column
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  info TEXT NOT NULL,
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
  malformed TEXT,            -- why the packet could not be decoded whole; NULL when it was
  flow INTEGER               -- conversations.id of its 5-tuple (either direction); NULL: none
);

-- Conversations per 5-tuple, either direction: endpoint a is the side that sent first.
CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  ip_proto INTEGER NOT NULL,
  a_addr TEXT NOT NULL, a_port INTEGER, b_addr TEXT NOT NULL, b_port INTEGER,
  first_num INTEGER NOT NULL, last_num INTEGER NOT NULL,
  first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,      -- as packets.ts
  packets_ab INTEGER NOT NULL, bytes_ab INTEGER NOT NULL,
  packets_ba INTEGER NOT NULL, bytes_ba INTEGER NOT NULL,
  retransmissions INTEGER NOT NULL DEFAULT 0,
  syn_num INTEGER, synack_num INTEGER, ack_num INTEGER,       -- the handshake's packets
  rtt_ns INTEGER                                              -- SYN -> SYN/ACK -> ACK
);

-- Expert findings, as Wireshark's expert info: one row per packet and kind.
CREATE TABLE findings (
  num INTEGER NOT NULL,      -- the packet
  kind TEXT NOT NULL,        -- retransmission, fast-retransmission, duplicate-ack, zero-window,
                             -- reset, frag-needed, packet-too-big, malformed
  detail TEXT NOT NULL,
  ref_num INTEGER,           -- a packet it refers to (the original of a retransmission ...)
  flow INTEGER,              -- the conversation it hit (frag-needed: the quoted one's)
  PRIMARY KEY (num, kind)
) WITHOUT ROWID;
CREATE INDEX findings_kind ON findings (kind, num);
