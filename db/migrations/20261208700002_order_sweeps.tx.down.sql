DROP TABLE IF EXISTS order_sweep_gaps;
DROP TABLE IF EXISTS order_sweeps;
