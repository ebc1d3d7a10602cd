-- The missed-order sweeper (issue 16): once a day per store connection, the store's orders of
-- a closed day (UTC) are compared with ours and with what QuickBooks took.
CREATE TABLE order_sweeps (
    id                bigserial PRIMARY KEY,
    account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id     bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    day               date NOT NULL,          -- the UTC day swept
    store_count       integer NOT NULL DEFAULT 0, -- orders the store has for the day (that the connection syncs)
    our_count         integer NOT NULL DEFAULT 0, -- of those, the ones Ledgerlink has
    posted_count      integer NOT NULL DEFAULT 0, -- of those, the ones in QuickBooks (or settled: duplicate, excluded)
    gap_count         integer NOT NULL DEFAULT 0,
    error             text NOT NULL DEFAULT '',   -- why the sweep could not read the store
    swept_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection_id, day)
);
CREATE INDEX order_sweeps_account_idx ON order_sweeps (account_id, swept_at DESC);

-- One store order the sweeper found missing: not received at all ('not_received') or received
-- but not in QuickBooks a day later ('not_in_quickbooks'). A gap is open while the order is
-- still missing; resolved_at is set by the sweep that no longer finds it.
CREATE TABLE order_sweep_gaps (
    id                bigserial PRIMARY KEY,
    account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id     bigint NOT NULL REFERENCES store_connections (id) ON DELETE CASCADE,
    day               date NOT NULL,
    external_id       text NOT NULL,
    number            text NOT NULL DEFAULT '',
    cause             text NOT NULL CHECK (cause IN ('not_received', 'not_in_quickbooks')),
    store_created_at  timestamptz,
    found_at          timestamptz NOT NULL DEFAULT now(),
    resync_at         timestamptz,  -- when a resync of the order was last asked for
    resolved_at       timestamptz,
    UNIQUE (connection_id, external_id)
);
CREATE INDEX order_sweep_gaps_open_idx ON order_sweep_gaps (account_id, found_at DESC, id DESC) WHERE resolved_at IS NULL;
