DROP INDEX IF EXISTS qbwc_sessions_connection_started_idx;
ALTER TABLE qbwc_sessions DROP COLUMN end_reason, DROP COLUMN hresult, DROP COLUMN message_sets;
ALTER TABLE qbd_connections DROP COLUMN last_auth_at, DROP COLUMN last_finished_at, DROP COLUMN auth_failures,
    DROP COLUMN auth_failure_kind, DROP COLUMN auth_failure_first_at, DROP COLUMN auth_failure_last_at;
