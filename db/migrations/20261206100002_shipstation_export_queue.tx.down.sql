DROP INDEX IF EXISTS shipstation_exports_queue;
ALTER TABLE shipstation_exports DROP COLUMN IF EXISTS order_doc;
ALTER TABLE shipstation_exports DROP COLUMN IF EXISTS sale;
UPDATE shipstation_exports SET state = 'failed' WHERE state IN ('reading', 'pending');
ALTER TABLE shipstation_exports DROP CONSTRAINT shipstation_exports_state_check;
ALTER TABLE shipstation_exports ADD CONSTRAINT shipstation_exports_state_check
    CHECK (state IN ('sent', 'failed', 'parked', 'locked'));
