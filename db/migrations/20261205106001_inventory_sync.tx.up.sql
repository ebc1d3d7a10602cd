-- Inventory from QuickBooks back to the stores (issue 12).

-- What Ledgerlink last read of each QuickBooks inventory item (parts and assemblies) of a
-- QuickBooks Desktop connection: change detection compares every read with it. Quantities are
-- QuickBooks' (fractional quantities exist); time_modified is QuickBooks' own text, in its PC's
-- clock, kept only to show it.
CREATE TABLE inventory_snapshot (
    account_id              bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    qbd_connection_id       bigint NOT NULL REFERENCES qbd_connections (id) ON DELETE CASCADE,
    list_id                 text NOT NULL CHECK (length(list_id) BETWEEN 1 AND 36),
    full_name               text NOT NULL,
    item_type               text NOT NULL CHECK (item_type IN ('ItemInventory', 'ItemInventoryAssembly')),
    active                  boolean NOT NULL DEFAULT true,
    quantity_on_hand        numeric(20, 5) NOT NULL,
    quantity_on_sales_order numeric(20, 5) NOT NULL DEFAULT 0,
    time_modified           text NOT NULL DEFAULT '',
    -- last_seen_at: the last read that returned the item; changed_at: the last read whose
    -- quantities or name differed from what was stored.
    last_seen_at            timestamptz NOT NULL,
    changed_at              timestamptz NOT NULL,
    PRIMARY KEY (qbd_connection_id, list_id)
);
CREATE INDEX inventory_snapshot_account ON inventory_snapshot (account_id, qbd_connection_id, lower(full_name));

-- Detection state per QuickBooks Desktop connection. changes_through: a complete read of what
-- QuickBooks modified (items and transactions) started at this time (Ledgerlink's clock), so
-- the next read asks from it minus an overlap. full_snapshot_at: when the last complete read of
-- every inventory item's quantity finished.
CREATE TABLE inventory_watermarks (
    qbd_connection_id bigint PRIMARY KEY REFERENCES qbd_connections (id) ON DELETE CASCADE,
    account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    changes_through   timestamptz,
    full_snapshot_at  timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- The update queue: one row per store connection and SKU with the quantity the store should
-- have. A newer target replaces the one waiting (target_version counts targets); a row being
-- pushed keeps its claim (claim_token, pushing_version, pushing_quantity) and, when a newer
-- target arrived meanwhile, goes back to pending when the push is settled.
CREATE SEQUENCE inventory_claim_seq;
CREATE TABLE inventory_updates (
    id                  bigserial PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    store_connection_id bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    sku                 text NOT NULL CHECK (length(sku) BETWEEN 1 AND 255),
    -- Where the quantity comes from (the QuickBooks item); NULL once that connection is gone.
    qbd_connection_id   bigint REFERENCES qbd_connections (id) ON DELETE SET NULL,
    qb_list_id          text NOT NULL DEFAULT '',
    qb_full_name        text NOT NULL DEFAULT '',
    target_quantity     bigint NOT NULL,
    target_version      bigint NOT NULL DEFAULT 1,
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'pushing', 'done', 'failed', 'mismatched')),
    attempts            integer NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    claim_token         bigint,
    claimed_at          timestamptz,
    pushing_version     bigint,
    pushing_quantity    bigint,
    pushed_quantity     bigint,
    pushed_at           timestamptz,
    last_error          text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX inventory_updates_sku ON inventory_updates (store_connection_id, lower(sku));
CREATE INDEX inventory_updates_due ON inventory_updates (store_connection_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX inventory_updates_claimed ON inventory_updates (store_connection_id, claimed_at) WHERE status = 'pushing';
CREATE INDEX inventory_updates_account ON inventory_updates (account_id, status, updated_at DESC);

-- Every push of one SKU to one store, whatever its outcome, for the Inventory page and the
-- dashboard.
CREATE TABLE inventory_push_log (
    id                  bigserial PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    store_connection_id bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    update_id           bigint REFERENCES inventory_updates (id) ON DELETE SET NULL,
    sku                 text NOT NULL,
    quantity            bigint NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('pushed', 'retry', 'failed', 'mismatched')),
    reason              text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_push_log_account ON inventory_push_log (account_id, created_at DESC, id DESC);
CREATE INDEX inventory_push_log_sku ON inventory_push_log (store_connection_id, lower(sku), created_at DESC);
