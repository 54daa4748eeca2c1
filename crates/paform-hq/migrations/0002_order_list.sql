-- The chain order list (SPEC §15 Speed: p99 under 20 ms over 100,000 orders) reads the newest
-- orders first, of the whole chain, of one node or of one status: each is an index scan. A
-- search by number or buyer uses trigrams (pg_trgm ships with PostgreSQL and is a trusted
-- extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX orders_newest ON orders (created_at DESC, id DESC);
CREATE INDEX orders_newest_by_node ON orders (node_id, created_at DESC, id DESC);
CREATE INDEX orders_newest_by_status ON orders (status, created_at DESC, id DESC);
CREATE INDEX orders_search ON orders USING gin ((number || ' ' || buyer_name) gin_trgm_ops);
