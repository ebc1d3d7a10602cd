-- QuickBooks Desktop sales → ShipStation orders (issue 13, seed 004).

-- One row per QuickBooks sale a ShipStation connection sent (or tried to send, or parked):
-- which sale (QuickBooks connection, txn type, TxnID), the version of it that was sent
-- (EditSequence, TimeModified), the ShipStation order it became (order_key, ss_order_id,
-- store) and ShipStation's status as last seen, which the way back (tracking, cost) updates.
CREATE TABLE shipstation_exports (
    id                  bigserial PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    store_connection_id bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    qbd_connection_id   bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    -- SR, IN or SO: the type letters of the orderKey (shipstation.QuickBooksOrderKey).
    txn_type            text NOT NULL CHECK (txn_type IN ('SR', 'IN', 'SO')),
    txn_id              text NOT NULL CHECK (length(txn_id) BETWEEN 1 AND 36),
    ref_number          text NOT NULL DEFAULT '',
    txn_date            date,
    customer            text NOT NULL DEFAULT '',
    -- The version of the sale last read (read_*) and last stored in ShipStation (sent_*).
    -- A sale read again with the sent EditSequence is not sent again.
    read_edit_sequence  text NOT NULL DEFAULT '',
    read_time_modified  text NOT NULL DEFAULT '',
    sent_edit_sequence  text NOT NULL DEFAULT '',
    sent_time_modified  text NOT NULL DEFAULT '',
    order_key           text NOT NULL,
    -- The ShipStation store the order went to (0: Manual Orders) and its order id.
    ss_store_id         bigint NOT NULL DEFAULT 0,
    ss_order_id         bigint,
    -- ShipStation's orderStatus as last seen (createorders' answer, a pull, a shipment).
    ss_status           text NOT NULL DEFAULT '',
    ss_status_at        timestamptz,
    -- sent: ShipStation holds the current version; failed: ShipStation refused it (retried
    -- when the sale changes or on "send again"); parked: Ledgerlink did not send it (a
    -- fractional quantity, a rule) until the sale changes; locked: ShipStation shipped or
    -- cancelled the order, changes are not sent.
    state               text NOT NULL CHECK (state IN ('sent', 'failed', 'parked', 'locked')),
    -- What happened last, in plain words with what to do.
    last_result         text NOT NULL DEFAULT '',
    test                boolean NOT NULL DEFAULT false,
    attempts            integer NOT NULL DEFAULT 0,
    sent_at             timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (store_connection_id, qbd_connection_id, txn_type, txn_id)
);
CREATE UNIQUE INDEX shipstation_exports_key ON shipstation_exports (store_connection_id, order_key);
CREATE INDEX shipstation_exports_account ON shipstation_exports (account_id, store_connection_id, id DESC);
CREATE INDEX shipstation_exports_order ON shipstation_exports (store_connection_id, ss_order_id) WHERE ss_order_id IS NOT NULL;
-- The seed's duplicate check: order date + order number + store.
CREATE INDEX shipstation_exports_dup ON shipstation_exports (store_connection_id, ss_store_id, txn_date, lower(ref_number));

-- Read state per ShipStation connection: modified_through is the start (Ledgerlink's clock) of
-- the last complete read of the company's sales; the next read asks from it minus an overlap.
CREATE TABLE shipstation_export_watermarks (
    store_connection_id bigint PRIMARY KEY REFERENCES store_connections (id) ON DELETE CASCADE,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    qbd_connection_id   bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    modified_through    timestamptz,
    last_read_at        timestamptz,
    last_error          text NOT NULL DEFAULT '',
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Test sales (seed 004 step 5): QuickBooks order numbers to send on the next Web Connector
-- run, and what came of each.
CREATE TABLE shipstation_export_tests (
    id                  bigserial PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    store_connection_id bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    ref_number          text NOT NULL CHECK (length(ref_number) BETWEEN 1 AND 11),
    state               text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'not_found', 'failed', 'parked')),
    result              text NOT NULL DEFAULT '',
    export_id           bigint REFERENCES shipstation_exports (id) ON DELETE SET NULL,
    requested_at        timestamptz NOT NULL DEFAULT now(),
    done_at             timestamptz
);
CREATE UNIQUE INDEX shipstation_export_tests_pending ON shipstation_export_tests (store_connection_id, lower(ref_number)) WHERE state = 'pending';
CREATE INDEX shipstation_export_tests_conn ON shipstation_export_tests (store_connection_id, id DESC);
