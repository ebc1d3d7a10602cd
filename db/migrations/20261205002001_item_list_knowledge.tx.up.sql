-- What Ledgerlink knows of a QuickBooks company's item list, so an order can be checked against
-- it before it is queued (every unknown SKU listed at once instead of one per 3140 answer).
-- item_list_at: when the last whole read from QuickBooks finished (an uploaded CSV may be partial,
-- so it alone does not make the list known);
-- items_read_at: when the last complete read through the Web Connector finished (the scheduled
-- refresh is due from it).
ALTER TABLE qbd_connections ADD COLUMN item_list_at timestamptz, ADD COLUMN items_read_at timestamptz;

-- read_key names the read from QuickBooks that last saw an item: once a read has every page,
-- items it did not see (deleted in QuickBooks) leave the list. 'ledgerlink' marks items
-- Ledgerlink itself created in QuickBooks.
ALTER TABLE qb_items ADD COLUMN read_key text;
ALTER TABLE qb_items DROP CONSTRAINT qb_items_source_check;
ALTER TABLE qb_items ADD CONSTRAINT qb_items_source_check CHECK (source IN ('csv', 'quickbooks', 'ledgerlink'));
