-- A QuickBooks Desktop company reached through the Web Connector.
CREATE TABLE qbd_connections (
    id                 bigserial PRIMARY KEY,
    account_id         bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- What the Web Connector sends as strUserName; unique across all accounts because the SOAP
    -- route finds the connection by it.
    wc_username        text NOT NULL UNIQUE,
    wc_password_hash   text NOT NULL,
    owner_id           uuid NOT NULL,
    file_id            uuid NOT NULL,
    -- Company file path to ask for; '' means whichever file is open in QuickBooks.
    company_file       text NOT NULL DEFAULT '',
    run_every_minutes  integer NOT NULL DEFAULT 15 CHECK (run_every_minutes BETWEEN 1 AND 1440),
    -- Measured QuickBooks time per request, for sizing message sets.
    ms_per_request     integer NOT NULL DEFAULT 250,
    qbxml_version      text NOT NULL DEFAULT '',
    last_contact_at    timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qbd_connections_account_idx ON qbd_connections (account_id, id DESC);

-- One Web Connector session, keyed by the ticket authenticate handed out. Everything the SOAP
-- route needs between calls lives here, so any server process can answer any call.
CREATE TABLE qbwc_sessions (
    ticket          text PRIMARY KEY,
    connection_id   bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state           text NOT NULL CHECK (state IN ('open', 'closed')),
    client_version  text NOT NULL DEFAULT '',
    company_file    text NOT NULL DEFAULT '',
    qbxml_version   text NOT NULL DEFAULT '',
    batch_id        bigint,           -- the message set in flight, if any
    last_error      text NOT NULL DEFAULT '',
    noops           integer NOT NULL DEFAULT 0,
    sent_requests   integer NOT NULL DEFAULT 0,
    done_requests   integer NOT NULL DEFAULT 0,
    started_at      timestamptz NOT NULL DEFAULT now(),
    last_call_at    timestamptz NOT NULL DEFAULT now(),
    closed_at       timestamptz
);
CREATE INDEX qbwc_sessions_open_idx ON qbwc_sessions (connection_id) WHERE state = 'open';

-- Message sets handed to the Web Connector. kind 'reconcile' sets ask QuickBooks whether
-- in-doubt work was applied; 'work' sets carry the work itself.
CREATE TABLE qbd_batches (
    id             bigserial PRIMARY KEY,
    connection_id  bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    ticket         text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('work', 'reconcile', 'precheck')),
    request_count  integer NOT NULL,
    item_ids       bigint[] NOT NULL,     -- the work item answered by requestID n is item_ids[n]
    sent_at        timestamptz NOT NULL DEFAULT now(),
    received_at    timestamptz,
    outcome        text NOT NULL DEFAULT ''
);
CREATE INDEX qbd_batches_connection_idx ON qbd_batches (connection_id, id DESC);

-- Work for QuickBooks Desktop. One row per request we need QuickBooks to run; doc_key names
-- our document (e.g. 'order:shopify:1001', 'customer:Jane Doe') so the same document is never
-- queued or posted twice.
CREATE TABLE qbd_work_items (
    id              bigserial PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id   bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    doc_key         text NOT NULL,
    kind            text NOT NULL,           -- request element without Rq, e.g. SalesReceiptAdd
    request         text NOT NULL,           -- the encoded <…Rq> element, requestID added when sent
    -- How to find the object in QuickBooks if the request was applied but its answer lost:
    -- a transaction by RefNumber (and the marker the request carries in Other), a list
    -- element by full name. NULL for requests that cannot be looked up.
    lookup_type     text CHECK (lookup_type IN ('SalesReceipt', 'Invoice', 'ReceivePayment', 'Customer', 'Item')),
    lookup_value    text NOT NULL DEFAULT '',
    lookup_marker   text NOT NULL DEFAULT '',
    lookup_date     text NOT NULL DEFAULT '',  -- YYYY-MM-DD: a duplicate must also share the date
    depends_on      bigint[] NOT NULL DEFAULT '{}',
    status          text NOT NULL CHECK (status IN ('queued', 'in_flight', 'in_doubt', 'done', 'failed')),
    solo            boolean NOT NULL DEFAULT false, -- send alone (after a whole-message rejection)
    check_first     boolean NOT NULL DEFAULT false, -- look it up in QuickBooks before the first send
    batch_id        bigint REFERENCES qbd_batches (id) ON DELETE SET NULL,
    attempts        integer NOT NULL DEFAULT 0,
    status_code     integer,
    status_message  text NOT NULL DEFAULT '',
    qb_id           text NOT NULL DEFAULT '',  -- TxnID or ListID once QuickBooks has it
    edit_sequence   text NOT NULL DEFAULT '',
    response        text NOT NULL DEFAULT '',  -- QuickBooks' *Rs element, for the audit trail
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qbd_work_items_queue_idx ON qbd_work_items (connection_id, status, id);
CREATE INDEX qbd_work_items_batch_idx ON qbd_work_items (batch_id);
-- At most one unfinished or successful item per document: a failed one may be queued again.
CREATE UNIQUE INDEX qbd_work_items_doc_key ON qbd_work_items (connection_id, doc_key) WHERE status <> 'failed';

-- The durable ledger: which QuickBooks object each of our documents became. Written in the
-- same transaction that marks the work item done; checked before anything is queued.
CREATE TABLE qbd_ledger (
    connection_id  bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    doc_key        text NOT NULL,
    qb_type        text NOT NULL,
    qb_id          text NOT NULL,
    edit_sequence  text NOT NULL DEFAULT '',
    work_item_id   bigint REFERENCES qbd_work_items (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, doc_key)
);
