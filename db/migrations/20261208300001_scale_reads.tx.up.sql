-- Reads at a million orders (issue 15), found with EXPLAIN ANALYZE on a seeded account.

-- Search estimates: the planner guesses how many rows an ILIKE '%…%' matches from the column's
-- histogram. With the default 100 entries a name held by 0.1 % of the orders looked like 1 %,
-- and the planner walked the whole list looking for it (seconds) instead of asking the trigram
-- index (milliseconds). 1 000 entries tell 0.1 % from 1 %.
ALTER TABLE orders ALTER COLUMN search_text SET STATISTICS 1000;
ALTER TABLE sync_logs ALTER COLUMN message SET STATISTICS 1000;
ALTER TABLE sync_logs ALTER COLUMN hint SET STATISTICS 1000;

-- The dashboard's orders received today and in the last 7 days per store: counted from the
-- index alone (a busy shop receives hundreds of thousands a week).
DROP INDEX IF EXISTS orders_account_created_idx;
CREATE INDEX orders_account_created_idx ON orders (account_id, created_at) INCLUDE (connection_id);

-- The dashboard's log counts of the last 24 hours per level, from the index alone, and its
-- error chart: the error lines of the last 30 days, not every line.
DROP INDEX IF EXISTS sync_logs_account_created_idx;
CREATE INDEX sync_logs_account_created_idx ON sync_logs (account_id, created_at) INCLUDE (level);
CREATE INDEX sync_logs_errors_idx ON sync_logs (account_id, created_at) WHERE level = 'error';

-- The dashboard's missing products: the SKUs of the orders waiting for a mapping, from the index.
CREATE INDEX orders_needs_mapping_idx ON orders (account_id) INCLUDE (id, missing_skus) WHERE state = 'needs_mapping';
