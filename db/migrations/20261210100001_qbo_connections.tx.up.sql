-- QuickBooks Online companies connected with OAuth 2.0 (issue 14). Tokens are sealed (db.Sealer,
-- additional data QBOTokenAAD) and never leave the server; NULL once disconnected.
CREATE TABLE qbo_connections (
    id                 bigserial PRIMARY KEY,
    account_id         bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    realm_id           text NOT NULL CHECK (length(realm_id) BETWEEN 1 AND 64),
    company_name       text NOT NULL DEFAULT '',
    access_token       bytea,
    access_expires_at  timestamptz,
    refresh_token      bytea,
    refresh_expires_at timestamptz,
    last_refresh_at    timestamptz,
    status             text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'reconnect_needed', 'disconnected')),
    last_error         text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, realm_id)
);

-- One row per "Connect to QuickBooks" click: the SHA-256 of the state sent to Intuit, bound to
-- the signed-in session that asked, short-lived and deleted when the callback uses it.
CREATE TABLE qbo_oauth_states (
    state_hash    bytea PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    session_id    bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    name          text NOT NULL DEFAULT '',
    connection_id bigint REFERENCES qbo_connections (id) ON DELETE CASCADE,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX qbo_oauth_states_expires ON qbo_oauth_states (expires_at);

-- A store posts to a QuickBooks Desktop company or a QuickBooks Online one, never both.
ALTER TABLE store_connections
    ADD COLUMN qbo_connection_id bigint REFERENCES qbo_connections (id) ON DELETE SET NULL,
    ADD CONSTRAINT store_connections_one_company CHECK (qbd_connection_id IS NULL OR qbo_connection_id IS NULL);
CREATE INDEX store_connections_qbo ON store_connections (qbo_connection_id) WHERE qbo_connection_id IS NOT NULL;
