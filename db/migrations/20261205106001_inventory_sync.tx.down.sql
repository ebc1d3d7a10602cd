DROP TABLE IF EXISTS inventory_push_log;
DROP TABLE IF EXISTS inventory_updates;
DROP SEQUENCE IF EXISTS inventory_claim_seq;
DROP TABLE IF EXISTS inventory_watermarks;
DROP TABLE IF EXISTS inventory_snapshot;
