DROP TABLE IF EXISTS store_connections;
