CREATE TABLE accounts (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email         text NOT NULL,
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('owner', 'member', 'support')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_account_id_idx ON users (account_id);

-- Browser sessions. Only a SHA-256 of the cookie value is stored, so a database leak does not
-- hand out live sessions.
CREATE TABLE sessions (
    id           bigserial PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    user_agent   text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- API keys for third parties. The key is shown once; we keep its SHA-256 and a display prefix.
CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix       text NOT NULL,
    key_hash     bytea NOT NULL UNIQUE,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_account_id_idx ON api_keys (account_id, id DESC);

-- The sync log: what Ledgerlink did for an account, in words a merchant understands.
CREATE TABLE sync_logs (
    id            bigserial PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id bigint,
    level         text NOT NULL CHECK (level IN ('error', 'warning', 'info')),
    source        text NOT NULL,
    message       text NOT NULL,
    hint          text,
    details       jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_logs_account_idx ON sync_logs (account_id, id DESC);
CREATE INDEX sync_logs_account_level_idx ON sync_logs (account_id, level, id DESC);
CREATE INDEX sync_logs_account_created_idx ON sync_logs (account_id, created_at);

-- One row per heartbeat slot (minute) written by whichever worker ran the periodic task.
CREATE TABLE worker_heartbeats (
    slot        timestamptz PRIMARY KEY,
    worker      text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
