DELETE FROM qbd_work_items WHERE lookup_type IN ('CreditMemo', 'ARRefundCreditCard');
ALTER TABLE qbd_work_items DROP CONSTRAINT qbd_work_items_lookup_type_check;
ALTER TABLE qbd_work_items ADD CONSTRAINT qbd_work_items_lookup_type_check
    CHECK (lookup_type IN ('SalesReceipt', 'Invoice', 'SalesOrder', 'ReceivePayment', 'Customer', 'Item'));
DELETE FROM order_events WHERE kind = 'refund';
ALTER TABLE order_events DROP CONSTRAINT order_events_kind_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_kind_check
    CHECK (kind IN ('received', 'updated', 'matching', 'rule', 'state', 'qbxml', 'quickbooks', 'note'));
DROP TABLE order_refunds;
