DROP INDEX IF EXISTS inventory_updates_mismatched;
ALTER TABLE inventory_updates DROP COLUMN IF EXISTS mismatch_checked_at;
