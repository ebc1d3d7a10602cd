DROP TABLE IF EXISTS store_stock;
