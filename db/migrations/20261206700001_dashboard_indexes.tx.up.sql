-- The dashboard's counts (db/overview.go): orders received per day, orders QuickBooks accepted per
-- day (their posting events), and the most recent orders needing attention.
CREATE INDEX orders_account_created_idx ON orders (account_id, created_at);
CREATE INDEX orders_troubled_idx ON orders (account_id, updated_at DESC, id DESC) WHERE state IN ('error', 'needs_mapping');
CREATE INDEX order_events_posted_idx ON order_events (account_id, created_at)
    WHERE kind = 'quickbooks' AND details->>'txnId' IS NOT NULL;
