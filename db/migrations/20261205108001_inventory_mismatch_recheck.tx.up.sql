-- When the store's catalogue was last searched for a mismatched row's SKU (by the push that
-- found it missing, or by a later bulk recheck), so that rechecks are rare and in bulk, never a
-- look-up per push.
ALTER TABLE inventory_updates ADD COLUMN mismatch_checked_at timestamptz;
CREATE INDEX inventory_updates_mismatched ON inventory_updates (store_connection_id, mismatch_checked_at) WHERE status = 'mismatched';
