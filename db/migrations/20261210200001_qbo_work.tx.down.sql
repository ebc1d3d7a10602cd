DROP TABLE qbo_work;
