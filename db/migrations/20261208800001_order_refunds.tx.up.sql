-- Store refunds (issue 16): each refund of an order becomes a credit memo in QuickBooks Desktop,
-- numbered after the sale (1001-R1, -R2 …), applied to the invoice or paid back to the card.

-- One row per refund the store reported. seq numbers an order's refunds in the order they were
-- received (R1, R2 …); ref_number is the credit memo's RefNumber. state: waiting (the sale is
-- not in QuickBooks yet; state_reason says why), queued, posted, error (state_reason says what
-- to do). normalized is the jobs/orders.Refund as the store gave it. applied_cents is the part
-- of the credit set against the invoice, refunded_cents the part paid back to the card.
CREATE TABLE order_refunds (
    id             bigserial PRIMARY KEY,
    account_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    order_id       bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    external_id    text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    seq            integer NOT NULL CHECK (seq > 0),
    ref_number     text NOT NULL DEFAULT '',
    state          text NOT NULL CHECK (state IN ('waiting', 'queued', 'posted', 'error')),
    state_reason   text NOT NULL DEFAULT '',
    total_cents    bigint NOT NULL,
    restocked      integer NOT NULL DEFAULT 0,
    normalized     jsonb NOT NULL,
    credit_txn_id  text NOT NULL DEFAULT '',
    applied_cents  bigint NOT NULL DEFAULT 0,
    refunded_cents bigint NOT NULL DEFAULT 0,
    store_created_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, external_id),
    UNIQUE (order_id, seq)
);
CREATE INDEX order_refunds_account_order ON order_refunds (account_id, order_id);

-- A refund's steps are lines of its order's audit trail.
ALTER TABLE order_events DROP CONSTRAINT order_events_kind_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_kind_check
    CHECK (kind IN ('received', 'updated', 'matching', 'rule', 'state', 'qbxml', 'quickbooks', 'note', 'refund'));

-- A refund's credit memo and card refund are found again by RefNumber after a lost answer.
ALTER TABLE qbd_work_items DROP CONSTRAINT qbd_work_items_lookup_type_check;
ALTER TABLE qbd_work_items ADD CONSTRAINT qbd_work_items_lookup_type_check
    CHECK (lookup_type IN ('SalesReceipt', 'Invoice', 'SalesOrder', 'ReceivePayment', 'CreditMemo', 'ARRefundCreditCard', 'Customer', 'Item'));
