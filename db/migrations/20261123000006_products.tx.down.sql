DROP TABLE IF EXISTS product_mappings;
DROP TABLE IF EXISTS qb_items;
