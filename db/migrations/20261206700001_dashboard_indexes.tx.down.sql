DROP INDEX IF EXISTS order_events_posted_idx;
DROP INDEX IF EXISTS orders_troubled_idx;
DROP INDEX IF EXISTS orders_account_created_idx;
