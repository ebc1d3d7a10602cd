-- The dashboard's orders posted per day and store (issue 15), maintained instead of joining every
-- posting event of 30 days to its order on each read.
--
-- A posting event is an order event of kind 'quickbooks' with a txnId: QuickBooks took the order.
-- order_posting_counts holds, per (account, store connection, quarter hour in UTC), how many
-- posting events happened in it. Quarter hours, because the chart's days are midnights in the
-- merchant's time zone, which are all on a quarter hour: a reader sums the quarter hours of a day
-- in any zone. Triggers on order_events keep it in the writer's own transaction.
--
-- The chart counts an order once per day even when QuickBooks took it twice that day (a resync,
-- a repeated answer). order_posting_repeats keeps every posting event of an order that has more
-- than one (rare): per day and store, its events minus its distinct orders is what the counts
-- say too much.
CREATE TABLE order_posting_counts (
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id bigint NOT NULL,
    quarter       timestamptz NOT NULL,
    n             bigint NOT NULL,
    PRIMARY KEY (account_id, quarter, connection_id)
);

CREATE TABLE order_posting_repeats (
    event_id      bigint PRIMARY KEY REFERENCES order_events (id) ON DELETE CASCADE,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    connection_id bigint NOT NULL,
    order_id      bigint NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX order_posting_repeats_account_idx ON order_posting_repeats (account_id, created_at);

CREATE FUNCTION order_posting_quarter(at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
$$ SELECT date_bin('15 minutes', at, timestamptz '2000-01-01 00:00:00+00') $$;

-- Inserted and deleted events, signed (an update is both). Events whose order is gone were
-- deleted with it: orders_posting_delete took them off before.
CREATE FUNCTION order_posting_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM order_posting_counts;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO order_posting_counts AS c (account_id, connection_id, quarter, n)
        SELECT e.account_id, o.connection_id, order_posting_quarter(e.created_at), -count(*)
        FROM old_rows e JOIN orders o ON o.id = e.order_id
        WHERE e.kind = 'quickbooks' AND e.details->>'txnId' IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
        ON CONFLICT (account_id, quarter, connection_id) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO order_posting_counts AS c (account_id, connection_id, quarter, n)
        SELECT e.account_id, o.connection_id, order_posting_quarter(e.created_at), count(*)
        FROM new_rows e JOIN orders o ON o.id = e.order_id
        WHERE e.kind = 'quickbooks' AND e.details->>'txnId' IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
        ON CONFLICT (account_id, quarter, connection_id) DO UPDATE SET n = c.n + excluded.n;
        -- Orders this statement posted that now have more than one posting event: all of them.
        INSERT INTO order_posting_repeats (event_id, account_id, connection_id, order_id, created_at)
        SELECT e.id, e.account_id, o.connection_id, e.order_id, e.created_at
        FROM order_events e JOIN orders o ON o.id = e.order_id
        WHERE e.order_id IN (
                SELECT r.order_id FROM order_events r
                WHERE r.order_id IN (SELECT order_id FROM new_rows WHERE kind = 'quickbooks' AND details->>'txnId' IS NOT NULL)
                  AND r.kind = 'quickbooks' AND r.details->>'txnId' IS NOT NULL
                GROUP BY r.order_id HAVING count(*) > 1)
          AND e.kind = 'quickbooks' AND e.details->>'txnId' IS NOT NULL
        ON CONFLICT (event_id) DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

-- An order deleted takes its posting events off the counts before the delete cascades to them.
-- Deleting an account cascades to its orders after the account row is gone: its counts went
-- with it, so nothing is written for it (the foreign key would refuse it).
CREATE FUNCTION order_posting_counts_order_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_posting_counts AS c (account_id, connection_id, quarter, n)
    SELECT e.account_id, OLD.connection_id, order_posting_quarter(e.created_at), -count(*)
    FROM order_events e
    WHERE e.order_id = OLD.id AND e.kind = 'quickbooks' AND e.details->>'txnId' IS NOT NULL
      AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id)
    GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
    ON CONFLICT (account_id, quarter, connection_id) DO UPDATE SET n = c.n + excluded.n;
    RETURN OLD;
END $$;

CREATE TRIGGER orders_posting_delete BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION order_posting_counts_order_delete();
CREATE TRIGGER order_events_posting_insert AFTER INSERT ON order_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_posting_counts_apply();
CREATE TRIGGER order_events_posting_update AFTER UPDATE ON order_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_posting_counts_apply();
CREATE TRIGGER order_events_posting_delete AFTER DELETE ON order_events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_posting_counts_apply();
CREATE TRIGGER order_events_posting_truncate AFTER TRUNCATE ON order_events FOR EACH STATEMENT EXECUTE FUNCTION order_posting_counts_apply();

-- The events already stored.
INSERT INTO order_posting_counts (account_id, connection_id, quarter, n)
SELECT e.account_id, o.connection_id, order_posting_quarter(e.created_at), count(*)
FROM order_events e JOIN orders o ON o.id = e.order_id
WHERE e.kind = 'quickbooks' AND e.details->>'txnId' IS NOT NULL
GROUP BY 1, 2, 3;
INSERT INTO order_posting_repeats (event_id, account_id, connection_id, order_id, created_at)
SELECT e.id, e.account_id, o.connection_id, e.order_id, e.created_at
FROM order_events e JOIN orders o ON o.id = e.order_id
WHERE e.kind = 'quickbooks' AND e.details->>'txnId' IS NOT NULL AND e.order_id IN (
    SELECT order_id FROM order_events WHERE kind = 'quickbooks' AND details->>'txnId' IS NOT NULL
    GROUP BY order_id HAVING count(*) > 1);
