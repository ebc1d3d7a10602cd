ALTER TABLE store_stock DROP COLUMN connection_id, DROP COLUMN tracked, DROP COLUMN shipped;
