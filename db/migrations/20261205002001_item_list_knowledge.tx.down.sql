DELETE FROM qb_items WHERE source = 'ledgerlink';
ALTER TABLE qb_items DROP CONSTRAINT qb_items_source_check;
ALTER TABLE qb_items ADD CONSTRAINT qb_items_source_check CHECK (source IN ('csv', 'quickbooks'));
ALTER TABLE qb_items DROP COLUMN read_key;
ALTER TABLE qbd_connections DROP COLUMN item_list_at, DROP COLUMN items_read_at;
