-- Alerts (issue 16): per account, what to tell whom, the events raised, and the digests that
-- carried them by e-mail and signed webhook.

-- One row per account that set alerts up. kinds: the event kinds to raise (see db/alert.go);
-- recipients: e-mail addresses; webhook_secret: sealed (db.Sealer, aad "alert_settings:<id>").
CREATE TABLE alert_settings (
    account_id      bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    kinds           text[] NOT NULL DEFAULT '{}',
    recipients      text[] NOT NULL DEFAULT '{}',
    webhook_url     text NOT NULL DEFAULT '' CHECK (length(webhook_url) <= 2000),
    webhook_secret  bytea,
    digest_minutes  integer NOT NULL DEFAULT 60 CHECK (digest_minutes BETWEEN 5 AND 1440),
    waiting_hours   integer NOT NULL DEFAULT 24 CHECK (waiting_hours BETWEEN 1 AND 720),
    last_digest_at  timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What was sent together: one digest per account and interval, delivered once per channel.
CREATE TABLE alert_digests (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    test        boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_digests_account ON alert_digests (account_id, id DESC);

-- One event per condition while it persists: kind + subject (an order id, a connection id …).
-- A condition that clears is resolved; if it comes back it is a new event. digest_id: the
-- digest that carried it (NULL: not sent yet).
CREATE TABLE alert_events (
    id           bigserial PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('order_failed', 'order_waiting', 'qbd_silent', 'store_auth', 'inventory_failed', 'sweep_gap')),
    subject      text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    message      text NOT NULL,
    link         text NOT NULL DEFAULT '',
    raised_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    digest_id    bigint REFERENCES alert_digests (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX alert_events_active ON alert_events (account_id, kind, subject) WHERE resolved_at IS NULL;
CREATE INDEX alert_events_unsent ON alert_events (account_id, id) WHERE digest_id IS NULL;
CREATE INDEX alert_events_recent ON alert_events (account_id, raised_at DESC, id DESC);
CREATE INDEX alert_events_digest ON alert_events (digest_id) WHERE digest_id IS NOT NULL;

-- Each channel's delivery of a digest: pending until sent, failed when the retries ran out.
CREATE TABLE alert_deliveries (
    id           bigserial PRIMARY KEY,
    digest_id    bigint NOT NULL REFERENCES alert_digests (id) ON DELETE CASCADE,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel      text NOT NULL CHECK (channel IN ('email', 'webhook')),
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT '',
    sent_at      timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (digest_id, channel)
);
CREATE INDEX alert_deliveries_account ON alert_deliveries (account_id, id DESC);
