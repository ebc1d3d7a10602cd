-- Store refunds of orders posted to QuickBooks Online (task qborefund): a refund's documents
-- (its RefundReceipt or CreditMemo, and the zero Payment applying a credit memo to its invoice)
-- go through qbo_work like sales, so a lost answer is replayed from the stored batch's requestid.
ALTER TABLE qbo_work DROP CONSTRAINT qbo_work_kind_check;
ALTER TABLE qbo_work ADD CONSTRAINT qbo_work_kind_check CHECK (kind IN ('sale', 'payment', 'refund'));
