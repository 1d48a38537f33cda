-- A finding whose detail is its kind's one fixed text (a lost segment's, "previous segment not
-- captured": FIXED_DETAILS in server/core/analyses/packet-analysis.ts) keeps no copy of it: the
-- view `findings` gives it from the kind. bench/packets' 1 M packets have 412k such findings of
-- 535k; their texts were joined and copied out by the reading thread, converted to UTF-8 and
-- stored by the writer thread, 12 MB of the same 29 characters. Every reader reads the view,
-- with the columns and the primary key order of packets-001.sql's table; a database made before
-- keeps its rows, moved with their texts.
CREATE TABLE finding_rows (
  num INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT,               -- NULL: the kind's fixed detail
  ref_num INTEGER,
  flow INTEGER,
  PRIMARY KEY (num, kind)
) WITHOUT ROWID;
INSERT INTO finding_rows (num, kind, detail, ref_num, flow) SELECT num, kind, detail, ref_num, flow FROM findings;
DROP TABLE findings;
CREATE VIEW findings AS SELECT num, kind,
  COALESCE(detail, CASE kind WHEN 'lost-segment' THEN 'previous segment not captured' END) AS detail, ref_num, flow
  FROM finding_rows;
