DELETE FROM qbo_work WHERE kind = 'refund';
ALTER TABLE qbo_work DROP CONSTRAINT qbo_work_kind_check;
ALTER TABLE qbo_work ADD CONSTRAINT qbo_work_kind_check CHECK (kind IN ('sale', 'payment'));
