-- A plain TCP segment's Info text (ports, flags, numbers, no option words: tcpInfo in
-- server/core/packets/tcp.ts) is no longer stored: the view makes it from the numbers its row
-- keeps, the same text. Building 800k of them for bench/packets' 1 M packets, copying them out and
-- storing them was a third of the ingest's reading thread and a fifth of its writer thread.
-- packet_info keeps every other packet's Info (a row whose packet_info row is missing is such a
-- segment); a database made before keeps its texts, which the view reads first.
DROP VIEW packets;
CREATE VIEW packets AS SELECT r.num AS num, r.ts AS ts, r.len AS len, r.caplen AS caplen,
  r.offset AS offset, r.linktype AS linktype, sp.s AS proto, ss.s AS src, sd.s AS dst,
  COALESCE(i.info, r.sport || ' → ' || r.dport || ' [' || rtrim(
    CASE WHEN r.tcp_flags & 1 THEN 'FIN, ' ELSE '' END || CASE WHEN r.tcp_flags & 2 THEN 'SYN, ' ELSE '' END ||
    CASE WHEN r.tcp_flags & 4 THEN 'RST, ' ELSE '' END || CASE WHEN r.tcp_flags & 8 THEN 'PSH, ' ELSE '' END ||
    CASE WHEN r.tcp_flags & 16 THEN 'ACK, ' ELSE '' END || CASE WHEN r.tcp_flags & 32 THEN 'URG, ' ELSE '' END ||
    CASE WHEN r.tcp_flags & 64 THEN 'ECE, ' ELSE '' END || CASE WHEN r.tcp_flags & 128 THEN 'CWR, ' ELSE '' END ||
    CASE WHEN r.tcp_flags & 256 THEN 'AE, ' ELSE '' END, ', ') || '] Seq=' || r.tcp_seq ||
    CASE WHEN r.tcp_flags & 16 THEN ' Ack=' || r.tcp_ack ELSE '' END || ' Win=' || r.tcp_win || ' Len=' || r.tcp_len) AS info,
  r.ip_version AS ip_version, r.ip_proto AS ip_proto, r.sport AS sport,
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
