DROP TABLE shipstation_shipback_state;
DROP TABLE shipstation_shipbacks;
