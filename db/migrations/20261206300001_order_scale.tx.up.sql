-- Orders and logs at a million rows per account (issue 15): keyset paging on (account_id, id),
-- search on columns through trigram indexes, and per-state counts that never scan the orders.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- What the Orders page shows and searches, as columns rather than deep JSON. They follow
-- jobs/orders.DisplayName: the customer's name, else the bill-to name, else its company.
ALTER TABLE orders
    ADD COLUMN customer_name text GENERATED ALWAYS AS (coalesce(
        nullif(btrim(coalesce(normalized->'customer'->>'firstName', '') || ' ' || coalesce(normalized->'customer'->>'lastName', '')), ''),
        nullif(btrim(coalesce(normalized->'billTo'->>'firstName', '') || ' ' || coalesce(normalized->'billTo'->>'lastName', '')), ''),
        btrim(coalesce(normalized->'billTo'->>'company', '')))) STORED,
    ADD COLUMN customer_email text GENERATED ALWAYS AS (coalesce(
        nullif(normalized->'customer'->>'email', ''), normalized->'billTo'->>'email', '')) STORED,
    -- One searchable text: number, names, company and e-mail, a newline apart so that a search
    -- (trimmed, one line) never matches across two fields.
    ADD COLUMN search_text text GENERATED ALWAYS AS (
        number || E'\n' ||
        coalesce(normalized->'customer'->>'firstName', '') || ' ' || coalesce(normalized->'customer'->>'lastName', '') || E'\n' ||
        coalesce(normalized->'billTo'->>'firstName', '') || ' ' || coalesce(normalized->'billTo'->>'lastName', '') || E'\n' ||
        coalesce(normalized->'billTo'->>'company', '') || E'\n' ||
        coalesce(normalized->'customer'->>'email', '') || E'\n' || coalesce(normalized->'billTo'->>'email', '')) STORED;

CREATE INDEX orders_account_id_idx ON orders (account_id, id);
CREATE INDEX orders_account_connection_idx ON orders (account_id, connection_id, id);
CREATE INDEX orders_search_trgm_idx ON orders USING gin (search_text gin_trgm_ops);

CREATE INDEX sync_logs_connection_idx ON sync_logs (account_id, connection_id, id) WHERE connection_id IS NOT NULL;
CREATE INDEX sync_logs_message_trgm_idx ON sync_logs USING gin (message gin_trgm_ops);
CREATE INDEX sync_logs_hint_trgm_idx ON sync_logs USING gin (hint gin_trgm_ops);

-- How many orders an account has per connection and state, as signed deltas: every statement
-- that inserts, deletes or changes orders appends one row per (connection, state) it moved, in
-- its own transaction, so a count is exact in every snapshot and concurrent writers never wait
-- on one counter row. Readers sum; db.CompactOrderCounts folds an account's rows into one per
-- (connection, state) now and then.
CREATE TABLE order_count_deltas (
    id            bigserial PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id bigint NOT NULL,
    channel       text NOT NULL,
    state         text NOT NULL,
    n             bigint NOT NULL
);
CREATE INDEX order_count_deltas_account_idx ON order_count_deltas (account_id, connection_id, state);

CREATE FUNCTION order_count_deltas_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO order_count_deltas (account_id, connection_id, channel, state, n)
        SELECT account_id, connection_id, channel, state, count(*) FROM new_rows GROUP BY 1, 2, 3, 4;
    ELSIF TG_OP = 'DELETE' THEN
        -- Deleting an account cascades to its orders after the account row is gone: its
        -- counts went with it, so nothing is written for it (the foreign key would refuse it).
        INSERT INTO order_count_deltas (account_id, connection_id, channel, state, n)
        SELECT account_id, connection_id, channel, state, -count(*) FROM old_rows o
        WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.id = o.account_id) GROUP BY 1, 2, 3, 4;
    ELSE
        INSERT INTO order_count_deltas (account_id, connection_id, channel, state, n)
        SELECT account_id, connection_id, channel, state, sum(n) FROM (
            SELECT account_id, connection_id, channel, state, -1 AS n FROM old_rows
            UNION ALL
            SELECT account_id, connection_id, channel, state, 1 FROM new_rows) d
        GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION order_count_deltas_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM order_count_deltas;
    RETURN NULL;
END $$;

CREATE TRIGGER orders_count_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION order_count_deltas_apply();
CREATE TRIGGER orders_count_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION order_count_deltas_apply();
CREATE TRIGGER orders_count_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION order_count_deltas_apply();
CREATE TRIGGER orders_count_truncate AFTER TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION order_count_deltas_truncate();

-- The orders already stored.
INSERT INTO order_count_deltas (account_id, connection_id, channel, state, n)
SELECT account_id, connection_id, channel, state, count(*) FROM orders GROUP BY 1, 2, 3, 4;
