DROP TABLE IF EXISTS qbd_ledger;
DROP TABLE IF EXISTS qbd_work_items;
DROP TABLE IF EXISTS qbd_batches;
DROP TABLE IF EXISTS qbwc_sessions;
DROP TABLE IF EXISTS qbd_connections;
