-- What a store says about a SKU besides its quantity, and which store connection said it: an
-- item Ledgerlink creates is an inventory item only when the store counts its stock, and starts
-- with the store's quantity plus what that store's pulled orders, not yet in QuickBooks, will
-- take off it when they post (the store's quantity is already net of them).
ALTER TABLE store_stock
    ADD COLUMN connection_id bigint REFERENCES store_connections (id) ON DELETE CASCADE,
    ADD COLUMN tracked boolean NOT NULL DEFAULT true,
    ADD COLUMN shipped boolean NOT NULL DEFAULT true;
