-- No query reads packet_rows_flow or findings_kind: a conversation's packets are asked by their
-- addresses and ports (the filter), and the findings list (server/api/packet-store.ts
-- findingRows) reads findings in their primary key's order, (num, kind), with a kind test that
-- no index serves. Made after the last row, they were the writer thread's serial tail: 0.7-0.85 s
-- and 0.16 s of CPU for bench/packets' 1 M packets (36k conversations, 535k findings), a tenth
-- of the ingest's CPU. A view that needs a conversation's packets by number adds an index then.
DROP INDEX IF EXISTS packet_rows_flow;
DROP INDEX IF EXISTS findings_kind;
