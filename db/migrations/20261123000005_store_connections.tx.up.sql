-- Online stores and shipping platforms orders are pulled from. Credentials are sealed
-- (AES-256-GCM with LEDGERLINK_SECRET_KEY, bound to the row id) and never returned by the API.
CREATE TABLE store_connections (
    id                  bigserial PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel             text NOT NULL CHECK (channel IN ('shopify', 'woocommerce', 'shipstation')),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    base_url            text NOT NULL,
    credentials         bytea,
    -- Where its orders are posted.
    qbd_connection_id   bigint REFERENCES qbd_connections (id) ON DELETE SET NULL,
    settings            jsonb NOT NULL DEFAULT '{}',
    sync_every_minutes  integer NOT NULL DEFAULT 15 CHECK (sync_every_minutes BETWEEN 1 AND 1440),
    enabled             boolean NOT NULL DEFAULT true,
    -- Orders updated up to this time have been pulled; the next scheduled pull starts here.
    synced_through      timestamptz,
    last_sync_at        timestamptz,
    last_sync_error     text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX store_connections_account_idx ON store_connections (account_id, id DESC);
