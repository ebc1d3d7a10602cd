-- Orders pulled from stores: the payload as received and the normalized form (jobs/orders.Order),
-- moving through visible states. One row per store order, whatever how often it is pulled.
CREATE TABLE orders (
    id               bigserial PRIMARY KEY,
    account_id       bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id    bigint NOT NULL,
    channel          text NOT NULL CHECK (channel IN ('shopify', 'woocommerce', 'shipstation')),
    external_id      text NOT NULL,
    number           text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'ready', 'sent', 'posted', 'error',
                         'needs_mapping', 'skipped_duplicate', 'excluded')),
    state_reason     text NOT NULL DEFAULT '',
    raw              jsonb NOT NULL,
    normalized       jsonb NOT NULL,
    total_cents      bigint NOT NULL DEFAULT 0,
    store_created_at timestamptz,
    store_updated_at timestamptz,
    -- Set when the store changed the order after it was posted: flagged, never re-posted silently.
    changed_after_post boolean NOT NULL DEFAULT false,
    -- SKUs QuickBooks has no item for (state needs_mapping): the Missing Product Mapping page.
    missing_skus     text[] NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection_id, external_id)
);
CREATE INDEX orders_account_state_idx ON orders (account_id, state, id DESC);
CREATE INDEX orders_account_number_idx ON orders (account_id, number);

-- The audit trail of an order: what we received, what matching and rules decided, the qbXML
-- we sent, what QuickBooks answered.
CREATE TABLE order_events (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('received', 'updated', 'matching', 'rule', 'state', 'qbxml', 'quickbooks', 'note')),
    message     text NOT NULL,
    details     jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);
