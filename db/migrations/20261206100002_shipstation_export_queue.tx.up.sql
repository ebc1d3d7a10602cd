-- The sent-sales table also queues: a sale read from QuickBooks waits in 'reading' for its
-- customer's contact data, then in 'pending' with the ShipStation order built from it until
-- the push stores it (issue 13).
ALTER TABLE shipstation_exports DROP CONSTRAINT shipstation_exports_state_check;
ALTER TABLE shipstation_exports ADD CONSTRAINT shipstation_exports_state_check
    CHECK (state IN ('reading', 'pending', 'sent', 'failed', 'parked', 'locked'));
-- sale: the QuickBooks sale as read (jobs/ssexport.Sale); order_doc: the ShipStation order
-- built from it (V1 JSON), what was last sent or is waiting to be.
ALTER TABLE shipstation_exports ADD COLUMN sale jsonb;
ALTER TABLE shipstation_exports ADD COLUMN order_doc jsonb;
CREATE INDEX shipstation_exports_queue ON shipstation_exports (store_connection_id, state, id) WHERE state IN ('reading', 'pending');
