-- Stock levels read from stores, so an inventory item Ledgerlink creates in QuickBooks starts with
-- the store's quantity (Missing Product Action "create", item type inventory).
CREATE TABLE store_stock (
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    sku         text NOT NULL,   -- lower-cased
    quantity    integer NOT NULL,
    read_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, sku)
);
