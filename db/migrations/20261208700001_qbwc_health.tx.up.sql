-- Web Connector health (issue 16): what each authenticate and each run (session) ended with, so
-- the health page and the dashboard can say healthy / late / failing and explain why.
ALTER TABLE qbd_connections
    -- The last authenticate that passed the password check (last_contact_at also moves on
    -- later calls of a run).
    ADD COLUMN last_auth_at          timestamptz,
    -- The last run that finished: closeConnection, or an authenticate with nothing to do.
    ADD COLUMN last_finished_at      timestamptz,
    -- Authenticates that failed in a row since the last good one, and how: 'password' (wrong
    -- password), 'timeout' (we answered after the Web Connector's 2-minute limit, so it showed
    -- "Authentication failed"), 'error' (we could not answer).
    ADD COLUMN auth_failures         integer NOT NULL DEFAULT 0,
    ADD COLUMN auth_failure_kind     text NOT NULL DEFAULT '' CHECK (auth_failure_kind IN ('', 'password', 'timeout', 'error')),
    ADD COLUMN auth_failure_first_at timestamptz,
    ADD COLUMN auth_failure_last_at  timestamptz;

ALTER TABLE qbwc_sessions
    -- How the run ended: '' still open, 'closed' (closeConnection), 'connection_error' (the Web
    -- Connector could not reach QuickBooks: hresult says why), 'taken_over' (a newer
    -- authenticate replaced it: an answer was lost), 'expired' (the Web Connector went silent).
    ADD COLUMN end_reason    text NOT NULL DEFAULT '' CHECK (end_reason IN ('', 'closed', 'connection_error', 'taken_over', 'expired')),
    ADD COLUMN hresult       text NOT NULL DEFAULT '',
    ADD COLUMN message_sets  integer NOT NULL DEFAULT 0;

-- The health page reads a connection's latest runs.
CREATE INDEX qbwc_sessions_connection_started_idx ON qbwc_sessions (connection_id, started_at DESC);
