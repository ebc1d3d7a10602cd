-- ShipStation → QuickBooks Desktop: tracking and shipping cost back into the sales sent from
-- QuickBooks (issue 13, part B).

-- One row per ShipStation label (source 'shipment', its shipmentId) or order marked shipped
-- elsewhere (source 'fulfillment', its fulfillmentId) of an order that came from a QuickBooks
-- sale, however often it was announced: the unique key is what makes each shipment applied once.
-- status: waiting (queued for the Web Connector, or held: message says why), applied (the
-- QuickBooks sale carries it), failed (message + hint say what to do), voided (the label was
-- voided before it was applied; nothing is written). voided_at on an applied row records a
-- void that came after (logged; QuickBooks is not changed back).
CREATE TABLE shipstation_shipbacks (
    id                  bigserial PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    store_connection_id bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    qbd_connection_id   bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    source              text NOT NULL CHECK (source IN ('shipment', 'fulfillment')),
    source_id           bigint NOT NULL,
    ss_order_id         bigint NOT NULL,
    order_number        text NOT NULL DEFAULT '',
    txn_type            text NOT NULL CHECK (txn_type IN ('SR', 'IN', 'SO')),
    txn_id              text NOT NULL,
    tracking_number     text NOT NULL DEFAULT '',
    carrier             text NOT NULL DEFAULT '',
    service             text NOT NULL DEFAULT '',
    ship_date           date,
    cost_cents          bigint NOT NULL DEFAULT 0,
    status              text NOT NULL CHECK (status IN ('waiting', 'applied', 'failed', 'voided')),
    message             text NOT NULL DEFAULT '',
    hint                text NOT NULL DEFAULT '',
    reads               integer NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    applied_at          timestamptz,
    voided_at           timestamptz,
    UNIQUE (store_connection_id, source, source_id)
);
CREATE INDEX shipstation_shipbacks_list ON shipstation_shipbacks (account_id, store_connection_id, id DESC);

-- Per ShipStation connection: the polling watermark (shipments and fulfillments created since
-- it, minus an overlap, are read) and the SHIP_NOTIFY webhook. The webhook URL's token is
-- stored hashed (SHA-256, to find the connection of a delivery) and sealed (to register the
-- URL again should ShipStation lose the subscription); it is never returned.
CREATE TABLE shipstation_shipback_state (
    store_connection_id bigint PRIMARY KEY REFERENCES store_connections (id) ON DELETE CASCADE,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    watermark           timestamptz,
    last_poll_at        timestamptz,
    last_poll_error     text NOT NULL DEFAULT '',
    token_hash          bytea UNIQUE,
    token_sealed        bytea,
    webhook_id          bigint,
    webhook_error       text NOT NULL DEFAULT '',
    last_webhook_at     timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
