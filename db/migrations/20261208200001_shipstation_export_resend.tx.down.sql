UPDATE shipstation_exports SET state = 'parked' WHERE state = 'resend';
ALTER TABLE shipstation_exports DROP CONSTRAINT shipstation_exports_state_check;
ALTER TABLE shipstation_exports ADD CONSTRAINT shipstation_exports_state_check
    CHECK (state IN ('reading', 'pending', 'sent', 'failed', 'parked', 'locked'));
DROP INDEX IF EXISTS shipstation_exports_queue;
CREATE INDEX shipstation_exports_queue ON shipstation_exports (store_connection_id, state, id) WHERE state IN ('reading', 'pending');
