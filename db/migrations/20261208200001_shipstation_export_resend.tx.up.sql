-- 'resend': the merchant asked to send a failed or parked sale again; the next read of the
-- QuickBooks company reads it by TxnID and builds its ShipStation order anew (issue 13).
ALTER TABLE shipstation_exports DROP CONSTRAINT shipstation_exports_state_check;
ALTER TABLE shipstation_exports ADD CONSTRAINT shipstation_exports_state_check
    CHECK (state IN ('resend', 'reading', 'pending', 'sent', 'failed', 'parked', 'locked'));
DROP INDEX IF EXISTS shipstation_exports_queue;
CREATE INDEX shipstation_exports_queue ON shipstation_exports (store_connection_id, state, id) WHERE state IN ('resend', 'reading', 'pending');
