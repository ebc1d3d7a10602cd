-- Store webhooks (issue 16): orders/create and friends arrive at /webhooks/<channel>/<token>.

-- The per-connection token of the delivery address, kept only as its SHA-256 (the address is
-- shown to the store once, when the webhooks are registered, and rotated on each registration).
ALTER TABLE store_connections ADD COLUMN webhook_token_hash bytea;
CREATE UNIQUE INDEX store_connections_webhook_token ON store_connections (webhook_token_hash) WHERE webhook_token_hash IS NOT NULL;

-- One row per webhook topic Ledgerlink keeps registered in a store. state: registering (a
-- registration is queued or under way), active (the store accepted it), failed (message says
-- why and what to do), manual (the store's API cannot register it; message says how).
-- external_id is the store's id of the subscription, to remove it again.
CREATE TABLE store_webhooks (
    connection_id    bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    account_id       bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    topic            text NOT NULL CHECK (length(topic) BETWEEN 1 AND 100),
    state            text NOT NULL CHECK (state IN ('registering', 'active', 'failed', 'manual')),
    external_id      text NOT NULL DEFAULT '',
    message          text NOT NULL DEFAULT '',
    deliveries       bigint NOT NULL DEFAULT 0,
    refused          bigint NOT NULL DEFAULT 0,
    last_delivery_at timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, topic)
);
CREATE INDEX store_webhooks_account ON store_webhooks (account_id);

-- Every accepted delivery, keyed by what identifies it (Shopify's X-Shopify-Webhook-Id,
-- WooCommerce's X-WC-Webhook-Delivery-ID with the body's hash, ShipStation's resource_url): a
-- second delivery with the same key is a retry or a replay and changes nothing.
CREATE TABLE store_webhook_deliveries (
    id            bigserial PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    dedupe_key    text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 300),
    topic         text NOT NULL,
    resource      text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection_id, dedupe_key)
);
CREATE INDEX store_webhook_deliveries_received ON store_webhook_deliveries (received_at);
