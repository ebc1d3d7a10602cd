DROP TABLE alert_deliveries;
DROP TABLE alert_events;
DROP TABLE alert_digests;
DROP TABLE alert_settings;
