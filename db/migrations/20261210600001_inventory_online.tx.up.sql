-- Inventory from QuickBooks Online (issue 14): the snapshot and the detection state of a
-- company are keyed by its kind — a QuickBooks Desktop connection or a QuickBooks Online
-- company — so a Desktop ListID and an Online Id never collide. Exactly one of the two ids is set.
ALTER TABLE inventory_snapshot DROP CONSTRAINT inventory_snapshot_pkey;
ALTER TABLE inventory_snapshot ALTER COLUMN qbd_connection_id DROP NOT NULL;
ALTER TABLE inventory_snapshot ADD COLUMN qbo_connection_id bigint REFERENCES qbo_connections (id) ON DELETE CASCADE;
ALTER TABLE inventory_snapshot ADD CONSTRAINT inventory_snapshot_one_company CHECK (num_nonnulls(qbd_connection_id, qbo_connection_id) = 1);
CREATE UNIQUE INDEX inventory_snapshot_qbd ON inventory_snapshot (qbd_connection_id, list_id);
CREATE UNIQUE INDEX inventory_snapshot_qbo ON inventory_snapshot (qbo_connection_id, list_id);

ALTER TABLE inventory_watermarks DROP CONSTRAINT inventory_watermarks_pkey;
ALTER TABLE inventory_watermarks ALTER COLUMN qbd_connection_id DROP NOT NULL;
ALTER TABLE inventory_watermarks ADD COLUMN qbo_connection_id bigint REFERENCES qbo_connections (id) ON DELETE CASCADE;
ALTER TABLE inventory_watermarks ADD CONSTRAINT inventory_watermarks_one_company CHECK (num_nonnulls(qbd_connection_id, qbo_connection_id) = 1);
CREATE UNIQUE INDEX inventory_watermarks_qbd ON inventory_watermarks (qbd_connection_id);
CREATE UNIQUE INDEX inventory_watermarks_qbo ON inventory_watermarks (qbo_connection_id);
