-- Sales orders get the duplicate check and lost-answer lookup of sales receipts and invoices
-- (SalesOrderQuery by RefNumber, date and marker).
ALTER TABLE qbd_work_items DROP CONSTRAINT qbd_work_items_lookup_type_check;
ALTER TABLE qbd_work_items ADD CONSTRAINT qbd_work_items_lookup_type_check
    CHECK (lookup_type IN ('SalesReceipt', 'Invoice', 'SalesOrder', 'ReceivePayment', 'Customer', 'Item'));
