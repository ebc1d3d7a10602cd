DROP INDEX IF EXISTS qbd_batches_ticket_idx;
ALTER TABLE qbd_work_items DROP COLUMN IF EXISTS sent_at;
