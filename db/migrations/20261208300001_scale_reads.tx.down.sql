DROP INDEX IF EXISTS orders_needs_mapping_idx;
DROP INDEX IF EXISTS sync_logs_errors_idx;
DROP INDEX IF EXISTS sync_logs_account_created_idx;
CREATE INDEX sync_logs_account_created_idx ON sync_logs (account_id, created_at);
DROP INDEX IF EXISTS orders_account_created_idx;
CREATE INDEX orders_account_created_idx ON orders (account_id, created_at);
ALTER TABLE sync_logs ALTER COLUMN hint SET STATISTICS -1;
ALTER TABLE sync_logs ALTER COLUMN message SET STATISTICS -1;
ALTER TABLE orders ALTER COLUMN search_text SET STATISTICS -1;
