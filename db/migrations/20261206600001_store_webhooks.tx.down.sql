DROP TABLE store_webhook_deliveries;
DROP TABLE store_webhooks;
DROP INDEX store_connections_webhook_token;
ALTER TABLE store_connections DROP COLUMN webhook_token_hash;
