package ordersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// Refunds of sales posted to QuickBooks Online: once the order's sale is in QuickBooks Online
// (its qbo_work row done) and, for an invoice, its payment too, the refund is queued in qbo_work
// (kind refund, DocKey qbd.RefundKey) and goes through the poster like a sale — duplicate check
// by DocNumber and marker before the first send, stored batch and requestid, so a lost answer
// is replayed and not posted twice. A sales receipt's refund is a RefundReceipt out of the
// sale's deposit account; an invoice's is a CreditMemo, then, while the invoice is open, a
// Payment of 0 applying it (a second refund document, part qbd.RefundApply).

// advanceOnlineRefund is advanceRefund for a store posting to QuickBooks Online (conn): it queues
// rf's document when the sale of its order (row, locked) is in QuickBooks Online, and otherwise
// records with wait why it waits.
func (p *Pipeline) advanceOnlineRefund(ctx context.Context, tx bun.Tx, conn *db.StoreConnection, row *db.Order, rf *db.OrderRefund, wait func(string) error) error {
	qboConn := *conn.QBOConnectionID
	sale, err := db.UnfinishedQBOWork(ctx, tx, row.AccountID, qboConn, posting.DocKey(row.ID))
	switch {
	case errors.Is(err, db.ErrNotFound) || (err == nil && sale.Status != db.QBOWorkDone):
		return wait(fmt.Sprintf("The order's sale is not in QuickBooks Online yet (the order is %s); the refund is posted as soon as it is.", strings.ReplaceAll(row.State, "_", " ")))
	case err != nil:
		return err
	}
	saleDoc, err := readOnlineDoc(sale)
	if err != nil {
		return err
	}
	entity := onlineEntity(saleDoc.Sale)
	if entity == qbo.EntityInvoice {
		pay, err := db.UnfinishedQBOWork(ctx, tx, row.AccountID, qboConn, posting.PaymentDocKey(row.ID))
		switch {
		case err == nil && pay.Status != db.QBOWorkDone:
			return wait("The invoice's payment is on its way to QuickBooks Online; the refund goes after it, so its credit is applied to what the invoice still owes.")
		case err != nil && !errors.Is(err, db.ErrNotFound):
			return err
		}
	}
	o, s, r, ok, err := p.refundBasis(ctx, tx, conn, row, rf)
	if !ok {
		return err
	}
	refund, err := posting.OnlineRefundSale(rf.ID, rf.Seq, conn.ID, o, r, s, conn.Name, entity)
	rf.RefNumber = posting.RefundRef(posting.SaleRef(o, s.WithDefaults()), rf.Seq)
	if err != nil {
		return p.setRefundState(ctx, tx, row, rf, db.RefundError, err.Error(), "Refund "+refundName(rf)+" cannot be built: "+err.Error())
	}
	// The refund names the customer the sale went to, whatever name QuickBooks gave it, and
	// the sale's class, whatever the settings or rules say now.
	refund.Class = sentClass(sale, refund.Class)
	doc := onlineDoc{Sale: refund, Settings: s, Refund: true, CustomerID: sentCustomer(sale)}
	if refund.Type != orders.PostInvoice {
		// The money goes back out of the account the sale's went into: the one its body named,
		// else QuickBooks Online's default for sales receipts, Undeposited Funds.
		doc.DepositID, refund.DepositAccount = sentDeposit(sale, refund.DepositAccount)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("ordersync: refund %d: %w", rf.ID, err)
	}
	w := &db.QBOWork{AccountID: row.AccountID, QBOConnectionID: qboConn, OrderID: row.ID, DocKey: refund.DocKey, Kind: db.QBOWorkRefund, Decision: raw}
	existing, inserted, err := db.InsertQBOWork(ctx, tx, w)
	if err != nil {
		return err
	}
	what := refundDocName(refund)
	if !inserted {
		return p.setRefundState(ctx, tx, row, rf, db.RefundQueued, what+" "+rf.RefNumber+" is on its way to QuickBooks Online already ("+existing.Status+").", "")
	}
	ev := refundEvent(row, rf, what+" "+rf.RefNumber+" queued for QuickBooks Online.")
	ev.Details, _ = json.Marshal(map[string]any{"workId": w.ID, "refund": rf.ID})
	if err := db.InsertOrderEvent(ctx, tx, ev); err != nil {
		return err
	}
	return p.setRefundState(ctx, tx, row, rf, db.RefundQueued, what+" "+rf.RefNumber+" queued for QuickBooks Online.", "")
}

// readOnlineDoc reads w's decision, which holds a sale.
func readOnlineDoc(w *db.QBOWork) (onlineDoc, error) {
	var doc onlineDoc
	if err := json.Unmarshal(w.Decision, &doc); err != nil {
		return doc, fmt.Errorf("ordersync: QuickBooks Online work %d decision cannot be read: %w", w.ID, err)
	}
	if doc.Sale == nil {
		return doc, fmt.Errorf("ordersync: QuickBooks Online work %d decision holds no sale", w.ID)
	}
	return doc, nil
}

// sentDeposit is the deposit account the body of sales receipt w named (Id and name), Undeposited
// Funds (by name) when it named none; name when w has no body (a sale found by the duplicate
// check), looked up by name then.
func sentDeposit(w *db.QBOWork, name string) (id, account string) {
	var sent qbo.Sale
	switch {
	case len(w.Body) == 0 || json.Unmarshal(w.Body, &sent) != nil:
		return "", name
	case sent.DepositToAccountRef == nil:
		return "", qbo.UndepositedFunds
	}
	return sent.DepositToAccountRef.Value, firstNonEmpty(sent.DepositToAccountRef.Name, name)
}

// sentClass is the class (FullyQualifiedName) the body of w named, "" when it named none;
// class when w has no body (a sale found by the duplicate check was never sent by us).
func sentClass(w *db.QBOWork, class string) string {
	var sent qbo.Sale
	switch {
	case len(w.Body) == 0 || json.Unmarshal(w.Body, &sent) != nil:
		return class
	case sent.ClassRef == nil:
		return ""
	}
	return sent.ClassRef.Name
}

// sentCustomer is the QuickBooks Online customer Id the body of w names, "" when it has none
// (a sale found by the duplicate check was never sent by us).
func sentCustomer(w *db.QBOWork) string {
	var sent qbo.Sale
	if len(w.Body) == 0 || json.Unmarshal(w.Body, &sent) != nil || sent.CustomerRef == nil {
		return ""
	}
	return sent.CustomerRef.Value
}

// refundDocName is what refund (an OnlineRefundSale) becomes in QuickBooks Online, in words.
func refundDocName(refund *posting.Sale) string {
	if refund.Type == orders.PostInvoice {
		return "Credit memo"
	}
	return "Refund receipt"
}

// settleOnlineRefund applies QuickBooks Online's answer for w, a refund's document, found in
// QuickBooks as qbID (fault nil) or refused (fault): the refund's state, and what settles a
// credit memo queued.
func (p *Pipeline) settleOnlineRefund(ctx context.Context, tx bun.Tx, w *db.QBOWork, qbID string, fault error) error {
	id, part, ok := qbd.DocKey(w.DocKey).Refund()
	if !ok {
		return fmt.Errorf("ordersync: QuickBooks Online work %d is no refund's (%s)", w.ID, w.DocKey)
	}
	row, err := db.LockOrder(ctx, tx, w.AccountID, w.OrderID)
	if err != nil {
		return fmt.Errorf("ordersync: settle refund %d: %w", id, err)
	}
	rf, err := db.LockOrderRefund(ctx, tx, w.AccountID, id)
	if err != nil {
		return fmt.Errorf("ordersync: settle refund %d: %w", id, err)
	}
	doc, err := readOnlineDoc(w)
	if err != nil {
		return err
	}
	what := refundDocName(doc.Sale)
	if fault != nil {
		w.Status, w.Message = db.QBOWorkFailed, fault.Error()
		if err := db.UpdateQBOWork(ctx, tx, w, "status", "message"); err != nil {
			return err
		}
		reason := "QuickBooks Online refused it: " + fault.Error()
		if part == qbd.RefundApply {
			reason = "Credit memo " + rf.RefNumber + " is in QuickBooks Online but applying it to the invoice failed: " + fault.Error() + " Apply it by hand in QuickBooks Online."
		}
		return p.setRefundState(ctx, tx, row, rf, db.RefundError, reason, "QuickBooks Online refused refund "+refundName(rf)+": "+reason)
	}
	w.Status, w.QBID = db.QBOWorkDone, qbID
	if err := db.UpdateQBOWork(ctx, tx, w, "status", "qb_id"); err != nil {
		return err
	}
	if part == qbd.RefundApply {
		msg := orders.Money(rf.AppliedCents).String() + " applied to the invoice."
		return p.setRefundState(ctx, tx, row, rf, db.RefundPosted, "Credit memo "+rf.RefNumber+" is in QuickBooks Online: "+msg, "Credit "+rf.RefNumber+" applied to the invoice in QuickBooks Online ("+qbID+"): "+msg)
	}
	if doc.Sale.Type == orders.PostInvoice {
		return p.applyOnlineCredit(ctx, tx, w, row, rf, doc, qbID)
	}
	// A refund receipt settles itself: the money went back out of the deposit account.
	rf.CreditTxnID, rf.RefundedCents = qbID, int64(doc.Sale.Total)
	msg := doc.Sale.Total.String() + " paid back out of " + doc.Sale.DepositAccount + "."
	return p.setRefundState(ctx, tx, row, rf, db.RefundPosted, "Refund receipt "+rf.RefNumber+" is in QuickBooks Online: "+msg, what+" "+rf.RefNumber+" posted to QuickBooks Online ("+qbID+"): "+msg)
}

// applyOnlineCredit records that rf's credit memo (w) is in QuickBooks Online as creditID and
// queues the Payment of 0 applying its credit to the part of the invoice still open; with
// nothing open the credit stays with the customer, and the audit trail says so.
func (p *Pipeline) applyOnlineCredit(ctx context.Context, tx bun.Tx, w *db.QBOWork, row *db.Order, rf *db.OrderRefund, doc onlineDoc, creditID string) error {
	rf.CreditTxnID = creditID
	if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, "Credit memo "+rf.RefNumber+" posted to QuickBooks Online ("+creditID+").")); err != nil {
		return err
	}
	conn, o, _, _, ok, err := p.settlingBasis(ctx, tx, row, rf)
	if !ok {
		return err
	}
	sale, err := db.UnfinishedQBOWork(ctx, tx, w.AccountID, w.QBOConnectionID, posting.DocKey(row.ID))
	if err != nil {
		return fmt.Errorf("ordersync: refund %d: the sale: %w", rf.ID, err)
	}
	pay, err := db.UnfinishedQBOWork(ctx, tx, w.AccountID, w.QBOConnectionID, posting.PaymentDocKey(row.ID))
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	open, err := p.invoiceOpen(ctx, tx, row, o, err == nil && pay.Status == db.QBOWorkDone, rf.ID)
	if err != nil {
		return err
	}
	rf.AppliedCents = int64(min(doc.Sale.Total, max(open, 0)))
	if rf.AppliedCents == 0 {
		msg := "Credit memo " + rf.RefNumber + " is in QuickBooks Online; the invoice owes nothing more, so the credit stays with the customer."
		return p.setRefundState(ctx, tx, row, rf, db.RefundPosted, msg, msg)
	}
	apply := *doc.Sale
	apply.DocKey = qbd.RefundKey(rf.ID, qbd.RefundApply).String()
	apply.Marker = qbd.ScopedMarker(apply.DocKey, posting.StoreScope(conn.ID))
	customer := firstNonEmpty(sentCustomer(w), doc.CustomerID, sentCustomer(sale))
	raw, err := json.Marshal(onlineDoc{Sale: &apply, Settings: doc.Settings, Refund: true, InvoiceID: sale.QBID, CustomerID: customer,
		CreditID: rf.CreditTxnID, Applied: orders.Money(rf.AppliedCents)})
	if err != nil {
		return fmt.Errorf("ordersync: refund %d: %w", rf.ID, err)
	}
	if _, _, err := db.InsertQBOWork(ctx, tx, &db.QBOWork{AccountID: row.AccountID, QBOConnectionID: w.QBOConnectionID, OrderID: row.ID,
		DocKey: apply.DocKey, Kind: db.QBOWorkRefund, Decision: raw}); err != nil {
		return err
	}
	if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, "Payment applying "+orders.Money(rf.AppliedCents).String()+" of credit "+rf.RefNumber+" to invoice "+sale.QBID+" queued for QuickBooks Online.")); err != nil {
		return err
	}
	return p.setRefundState(ctx, tx, row, rf, db.RefundQueued, "Credit memo "+rf.RefNumber+" is in QuickBooks Online; applying it to the invoice is queued.", "")
}
