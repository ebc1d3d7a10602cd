ALTER TABLE qbd_work_items DROP CONSTRAINT qbd_work_items_lookup_type_check;
UPDATE qbd_work_items SET lookup_type = NULL WHERE lookup_type = 'SalesOrder';
ALTER TABLE qbd_work_items ADD CONSTRAINT qbd_work_items_lookup_type_check
    CHECK (lookup_type IN ('SalesReceipt', 'Invoice', 'ReceivePayment', 'Customer', 'Item'));
