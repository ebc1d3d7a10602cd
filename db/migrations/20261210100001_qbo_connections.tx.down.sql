ALTER TABLE store_connections DROP CONSTRAINT store_connections_one_company;
ALTER TABLE store_connections DROP COLUMN qbo_connection_id;
DROP TABLE qbo_oauth_states;
DROP TABLE qbo_connections;
