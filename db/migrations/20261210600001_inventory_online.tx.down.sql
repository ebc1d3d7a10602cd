DELETE FROM inventory_snapshot WHERE qbo_connection_id IS NOT NULL;
DROP INDEX inventory_snapshot_qbo;
DROP INDEX inventory_snapshot_qbd;
ALTER TABLE inventory_snapshot DROP CONSTRAINT inventory_snapshot_one_company;
ALTER TABLE inventory_snapshot DROP COLUMN qbo_connection_id;
ALTER TABLE inventory_snapshot ALTER COLUMN qbd_connection_id SET NOT NULL;
ALTER TABLE inventory_snapshot ADD PRIMARY KEY (qbd_connection_id, list_id);

DELETE FROM inventory_watermarks WHERE qbo_connection_id IS NOT NULL;
DROP INDEX inventory_watermarks_qbo;
DROP INDEX inventory_watermarks_qbd;
ALTER TABLE inventory_watermarks DROP CONSTRAINT inventory_watermarks_one_company;
ALTER TABLE inventory_watermarks DROP COLUMN qbo_connection_id;
ALTER TABLE inventory_watermarks ALTER COLUMN qbd_connection_id SET NOT NULL;
ALTER TABLE inventory_watermarks ADD PRIMARY KEY (qbd_connection_id);
