-- The QuickBooks Online work queue (issue 14): one row per document of an order (its sale, the
-- payment of an invoice) to post to a QuickBooks Online company. A row is 'ready' until the
-- poster puts it in a batch: the batch's body part, bId and requestid are stored with status
-- 'sending' BEFORE the request leaves, so a batch whose answer was lost is sent again exactly
-- as it was and QuickBooks answers it from its requestid instead of posting twice.
CREATE TABLE qbo_work (
    id                bigserial PRIMARY KEY,
    account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    qbo_connection_id bigint NOT NULL REFERENCES qbo_connections (id) ON DELETE CASCADE,
    order_id          bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    doc_key           text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('sale', 'payment')),
    status            text NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'sending', 'done', 'failed')),
    -- what to post, decided when the order was queued (posting.Sale and the settings): rules
    -- ran then, as for Desktop; QuickBooks Ids are resolved when it is sent.
    decision          jsonb NOT NULL,
    entity            text NOT NULL DEFAULT '',
    body              jsonb,
    batch_request_id  text,
    bid               text,
    qb_id             text NOT NULL DEFAULT '',
    message           text NOT NULL DEFAULT '',
    attempts          int NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- One unfinished row per document and company: queueing twice stores once.
CREATE UNIQUE INDEX qbo_work_doc ON qbo_work (qbo_connection_id, doc_key) WHERE status <> 'failed';
CREATE INDEX qbo_work_pending ON qbo_work (qbo_connection_id, id) WHERE status IN ('ready', 'sending');
