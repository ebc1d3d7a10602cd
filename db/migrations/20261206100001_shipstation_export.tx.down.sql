DROP TABLE IF EXISTS shipstation_export_tests;
DROP TABLE IF EXISTS shipstation_export_watermarks;
DROP TABLE IF EXISTS shipstation_exports;
