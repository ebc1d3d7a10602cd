-- The QuickBooks item list of a QuickBooks Desktop company, for matching and autocomplete:
-- uploaded as the CSV QuickBooks exports, or read from QuickBooks.
CREATE TABLE qb_items (
    id                bigserial PRIMARY KEY,
    account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    qbd_connection_id bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    full_name         text NOT NULL,
    item_type         text NOT NULL DEFAULT '',
    description       text NOT NULL DEFAULT '',
    price             text NOT NULL DEFAULT '',
    quantity_on_hand  text NOT NULL DEFAULT '',
    active            boolean NOT NULL DEFAULT true,
    source            text NOT NULL CHECK (source IN ('csv', 'quickbooks')),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX qb_items_name_key ON qb_items (qbd_connection_id, lower(full_name));
CREATE INDEX qb_items_account_idx ON qb_items (account_id, qbd_connection_id);

-- Mappings made on the Missing Product Mapping page. When the parked orders are resynced each
-- becomes a "Map SKU" (or shipping method) rule and leaves this table.
CREATE TABLE product_mappings (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('product', 'shipping_method')),
    store_value text NOT NULL,   -- the SKU, or the store's shipping method
    item_name   text NOT NULL,   -- the QuickBooks item
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, kind, store_value)
);
