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
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// Refunds: a store refund arrives with its order (a pull, a refunds/create or orders/updated
// webhook's single-order pull). Each is stored once, numbered (R1, R2 …), and becomes a credit
// memo (package posting) once the order's sale is in QuickBooks; until then it waits, saying
// why, and goes when the sale posts (settledOrder). The memo's answer queues what settles it:
// the credit applied to the invoice, or paid back to the card. A store posting to QuickBooks
// Online gets a RefundReceipt or a CreditMemo applied to the invoice instead (onlinerefunds.go).
// Every step is in the order's audit trail, and a failure is in the sync log.

// syncRefunds records the refunds of o (stored as row) that are new, and queues those whose
// sale is in QuickBooks.
func (p *Pipeline) syncRefunds(ctx context.Context, conn *db.StoreConnection, row *db.Order, o orders.Order) error {
	if len(o.Refunds) == 0 {
		return nil
	}
	fresh := false
	err := p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		locked, err := db.LockOrder(ctx, tx, row.AccountID, row.ID)
		if err != nil {
			return err
		}
		for _, r := range o.Refunds {
			norm, err := json.Marshal(r)
			if err != nil {
				return fmt.Errorf("ordersync: refund %s of order %d: %w", r.ID, row.ID, err)
			}
			var restocked int64
			for _, l := range r.Lines {
				if l.Restock {
					restocked += l.Quantity
				}
			}
			rf := &db.OrderRefund{AccountID: row.AccountID, OrderID: row.ID, ExternalID: r.ID, State: db.RefundWaiting,
				TotalCents: int64(r.Total), Restocked: restocked, Normalized: norm, StoreCreatedAt: timePtr(r.CreatedAt)}
			inserted, err := db.InsertOrderRefund(ctx, tx, rf)
			if err != nil {
				return err
			}
			if !inserted {
				continue
			}
			fresh = true
			msg := fmt.Sprintf("Refund %d of %s received from the store (%d units back in stock).", rf.Seq, r.Total, restocked)
			if len(r.Lines) == 0 {
				// WooCommerce's order lists a refund's amount, not its items.
				msg += " The store does not say which items it gave back: the credit memo (or QuickBooks Online refund receipt) carries the amount only and QuickBooks' stock is unchanged; if items went back on the shelf, adjust their quantity in QuickBooks."
			}
			if err := db.InsertOrderEvent(ctx, tx, refundEvent(locked, rf, msg)); err != nil {
				return err
			}
			if r.Unread != "" {
				// The store's refund is not known in full: booking what was read would post it short.
				if err := p.setRefundState(ctx, tx, locked, rf, db.RefundError, r.Unread, "Refund "+refundName(rf)+" cannot be read: "+r.Unread); err != nil {
					return err
				}
				continue
			}
			if err := p.advanceRefund(ctx, tx, conn, locked, rf, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && fresh && conn.QBOConnectionID != nil {
		p.onlineQueued(ctx, row.AccountID, *conn.QBOConnectionID)
	}
	return err
}

// queueWaitingRefunds queues the refunds of row that wait for its sale, now in QuickBooks as
// sale (the engine writes its ledger entry after the hooks that call this).
func (p *Pipeline) queueWaitingRefunds(ctx context.Context, tx bun.Tx, row *db.Order, sale *db.QBDLedgerEntry) error {
	refunds, err := db.OrderRefundsOf(ctx, tx, row.AccountID, row.ID)
	if err != nil {
		return err
	}
	var conn *db.StoreConnection
	for i := range refunds {
		rf := &refunds[i]
		if rf.State != db.RefundWaiting {
			continue
		}
		if conn == nil {
			if conn, err = db.StoreConnectionOf(ctx, tx, row.AccountID, row.ConnectionID); err != nil {
				return fmt.Errorf("ordersync: refunds of order %d: %w", row.ID, err)
			}
		}
		if err := p.advanceRefund(ctx, tx, conn, row, rf, sale); err != nil {
			return err
		}
	}
	return nil
}

// advanceRefund queues rf's credit memo when the sale of its order (row, locked) is in
// QuickBooks — sale, or when nil the ledger's entry — and otherwise records why it waits. The
// memo of a refund of an invoice waits for the invoice's payment still on its way, so the
// credit is applied to what is really open.
func (p *Pipeline) advanceRefund(ctx context.Context, tx bun.Tx, conn *db.StoreConnection, row *db.Order, rf *db.OrderRefund, sale *db.QBDLedgerEntry) error {
	wait := func(reason string) error {
		if rf.State == db.RefundWaiting && rf.StateReason == reason {
			return nil
		}
		return p.setRefundState(ctx, tx, row, rf, db.RefundWaiting, reason, "Refund "+refundName(rf)+" waits: "+reason)
	}
	if conn.QBDConnectionID == nil && conn.QBOConnectionID != nil {
		return p.advanceOnlineRefund(ctx, tx, conn, row, rf, wait)
	}
	if conn.QBDConnectionID == nil {
		return wait("This store is not linked to a QuickBooks company; the refund goes once its sale is in QuickBooks.")
	}
	if sale == nil {
		var err error
		sale, err = db.QBDLedgerEntryOf(ctx, tx, *conn.QBDConnectionID, posting.DocKey(row.ID))
		if errors.Is(err, db.ErrNotFound) {
			return wait(fmt.Sprintf("The order's sale is not in QuickBooks yet (the order is %s); the refund is posted as soon as it is.", strings.ReplaceAll(row.State, "_", " ")))
		}
		if err != nil {
			return err
		}
	}
	o, s, r, ok, err := p.refundBasis(ctx, tx, conn, row, rf)
	if !ok {
		return err
	}
	item, ref, err := posting.RefundCredit(rf.ID, rf.Seq, conn.ID, o, r, s, conn.Name)
	rf.RefNumber = ref
	if err != nil {
		return p.setRefundState(ctx, tx, row, rf, db.RefundError, err.Error(), "Refund "+refundName(rf)+" cannot be built: "+err.Error())
	}
	item.AccountID, item.ConnectionID = row.AccountID, *conn.QBDConnectionID
	if sale.QBType == "Invoice" {
		pay, err := db.UnfinishedQBDWork(ctx, tx, row.AccountID, *conn.QBDConnectionID, posting.PaymentDocKey(row.ID))
		switch {
		case err == nil && pay.Status != db.WorkDone:
			item.DependsOn = []int64{pay.ID}
		case err != nil && !errors.Is(err, db.ErrNotFound):
			return err
		}
	}
	res, err := p.Engine.EnqueueTx(ctx, tx, *item)
	if errors.Is(err, qbd.ErrAlreadyPosted) {
		return p.setRefundState(ctx, tx, row, rf, db.RefundQueued, "The credit memo is in QuickBooks already.", "")
	}
	if err != nil {
		return p.setRefundState(ctx, tx, row, rf, db.RefundError, err.Error(), "Refund "+refundName(rf)+" could not be queued: "+err.Error())
	}
	ev := refundEvent(row, rf, "CreditMemoAdd "+ref+" queued for QuickBooks.")
	ev.Details, _ = json.Marshal(map[string]any{"workItemId": res.Item.ID, "qbxml": res.Item.Request, "refund": rf.ID})
	if err := db.InsertOrderEvent(ctx, tx, ev); err != nil {
		return err
	}
	return p.setRefundState(ctx, tx, row, rf, db.RefundQueued, "Credit memo "+ref+" queued for the next QuickBooks Web Connector run.", "")
}

// refundBasis reads what rf's documents are built from: its order (row) through the rules, as
// its sale was built, the connection's settings, and the refund as the store said it. ok is
// false when they cannot be read: rf's error state then says why, or err is returned.
func (p *Pipeline) refundBasis(ctx context.Context, tx bun.Tx, conn *db.StoreConnection, row *db.Order, rf *db.OrderRefund) (o orders.Order, s orders.Settings, r orders.Refund, ok bool, err error) {
	o, s, err = p.ruledOrder(ctx, conn, row)
	if err != nil {
		return o, s, r, false, p.setRefundState(ctx, tx, row, rf, db.RefundError, err.Error(), "Refund "+refundName(rf)+" cannot be built: "+err.Error())
	}
	if err := json.Unmarshal(rf.Normalized, &r); err != nil {
		return o, s, r, false, fmt.Errorf("ordersync: refund %d: %w", rf.ID, err)
	}
	return o, s, r, true, nil
}

// settlingBasis is refundBasis, with the order's store connection, for what settles rf.
func (p *Pipeline) settlingBasis(ctx context.Context, tx bun.Tx, row *db.Order, rf *db.OrderRefund) (conn *db.StoreConnection, o orders.Order, s orders.Settings, r orders.Refund, ok bool, err error) {
	conn, err = db.StoreConnectionOf(ctx, tx, row.AccountID, row.ConnectionID)
	if err != nil {
		return nil, o, s, r, false, fmt.Errorf("ordersync: refund %d: %w", rf.ID, err)
	}
	o, s, r, ok, err = p.refundBasis(ctx, tx, conn, row, rf)
	return conn, o, s, r, ok, err
}

// ruledOrder is row's order through the rules, and the connection's settings: what its sale
// was built from, so the refund names the same customer, items and accounts.
func (p *Pipeline) ruledOrder(ctx context.Context, conn *db.StoreConnection, row *db.Order) (orders.Order, orders.Settings, error) {
	var o orders.Order
	if err := json.Unmarshal(row.Normalized, &o); err != nil {
		return o, orders.Settings{}, fmt.Errorf("the stored order cannot be read: %w", err)
	}
	s, err := Settings(conn)
	if err != nil {
		return o, s, fmt.Errorf("the connection's settings cannot be read: %w", err)
	}
	ev, err := p.evaluator(row.AccountID)(ctx)
	if err != nil {
		return o, s, fmt.Errorf("the rules cannot run: %w", err)
	}
	if ev != nil {
		ev.Apply(&o)
	}
	return o, s, nil
}

// setRefundState stores rf's state and reason with an audit line (msg; none when empty) and,
// for an error, a sync-log line.
func (p *Pipeline) setRefundState(ctx context.Context, tx bun.Tx, row *db.Order, rf *db.OrderRefund, state, reason, msg string) error {
	rf.State, rf.StateReason, rf.UpdatedAt = state, reason, p.now()
	if err := db.UpdateOrderRefund(ctx, tx, rf, "state", "state_reason", "ref_number", "credit_txn_id", "applied_cents", "refunded_cents", "updated_at"); err != nil {
		return err
	}
	if msg != "" {
		if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, msg)); err != nil {
			return err
		}
	}
	if state != db.RefundError {
		return nil
	}
	hint := "Fix the cause in QuickBooks or Ledgerlink; the refund is not posted until then. Enter it by hand if it cannot be posted."
	return db.InsertSyncLogs(ctx, tx, []db.SyncLog{{AccountID: row.AccountID, ConnectionID: &row.ConnectionID, Level: db.LevelError,
		Source: "orders", Message: "Order " + row.Number + ", refund " + refundName(rf) + ": " + reason, Hint: &hint}})
}

// settledRefund is the Settled hook of refunds' documents (see Register): the credit memo's
// answer queues what settles it; the application's or card refund's answer completes it.
func (p *Pipeline) settledRefund(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	id, part, ok := qbd.DocKey(item.DocKey).Refund()
	if !ok {
		return nil
	}
	rf, err := db.LockOrderRefund(ctx, tx, item.AccountID, id)
	if err != nil {
		return fmt.Errorf("ordersync: settle refund %d: %w", id, err)
	}
	row, err := db.LockOrder(ctx, tx, item.AccountID, rf.OrderID)
	if err != nil {
		return fmt.Errorf("ordersync: settle refund %d: %w", id, err)
	}
	what := map[string]string{qbd.RefundCredit: "The credit memo", qbd.RefundApply: "Applying the credit to the invoice", qbd.RefundCard: "Paying the credit back to the card"}[part]
	if out.Status != db.WorkDone {
		reason := strings.TrimSpace(out.Message + " " + out.Hint)
		if part != qbd.RefundCredit {
			reason = "Credit memo " + rf.RefNumber + " is in QuickBooks but " + strings.ToLower(what[:1]) + what[1:] + " failed: " + reason + " Do it by hand in QuickBooks."
		}
		return p.setRefundState(ctx, tx, row, rf, db.RefundError, reason, "QuickBooks refused refund "+refundName(rf)+": "+reason)
	}
	switch part {
	case qbd.RefundCredit:
		rf.CreditTxnID = out.QBID
		if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, "Credit memo "+rf.RefNumber+" posted to QuickBooks ("+out.QBID+").")); err != nil {
			return err
		}
		return p.settleCredit(ctx, tx, row, rf, item.ConnectionID)
	case qbd.RefundApply:
		if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, "Credit "+rf.RefNumber+" applied to the invoice in QuickBooks ("+out.QBID+").")); err != nil {
			return err
		}
	case qbd.RefundCard:
		if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, "Credit "+rf.RefNumber+" paid back to the card in QuickBooks ("+out.QBID+").")); err != nil {
			return err
		}
	}
	return p.refundDoneIfSettled(ctx, tx, row, rf, item.ConnectionID, part)
}

// settleCredit queues, once rf's credit memo is in QuickBooks, what settles its credit: the
// part the invoice still owes is applied to it; what the store sent back to the customer is
// paid back to the card.
func (p *Pipeline) settleCredit(ctx context.Context, tx bun.Tx, row *db.Order, rf *db.OrderRefund, qbdConn int64) error {
	conn, o, s, r, ok, err := p.settlingBasis(ctx, tx, row, rf)
	if !ok {
		return err
	}
	sale, err := db.QBDLedgerEntryOf(ctx, tx, qbdConn, posting.DocKey(row.ID))
	if err != nil {
		return fmt.Errorf("ordersync: refund %d: the sale: %w", rf.ID, err)
	}
	credit := r.Total
	if sale.QBType == "Invoice" {
		paid, err := db.QBDLedgerHas(ctx, tx, qbdConn, posting.PaymentDocKey(row.ID))
		if err != nil {
			return err
		}
		open, err := p.invoiceOpen(ctx, tx, row, o, paid, rf.ID)
		if err != nil {
			return err
		}
		rf.AppliedCents = int64(min(credit, max(open, 0)))
	}
	rf.RefundedCents = int64(min(credit-orders.Money(rf.AppliedCents), r.Refunded))
	date := qbxml.DateOf(r.CreatedAt)
	var items []*qbd.Item
	if rf.AppliedCents > 0 {
		items = append(items, posting.RefundApply(rf.ID, conn.ID, o, s, conn.Name, rf.RefNumber, sale.QBID, rf.CreditTxnID, orders.Money(rf.AppliedCents), date))
	}
	if rf.RefundedCents > 0 {
		items = append(items, posting.RefundCard(rf.ID, conn.ID, o, s, conn.Name, rf.RefNumber, rf.CreditTxnID, orders.Money(rf.RefundedCents), date))
	}
	for _, it := range items {
		it.AccountID, it.ConnectionID = row.AccountID, qbdConn
		if _, err := p.Engine.EnqueueTx(ctx, tx, *it); err != nil && !errors.Is(err, qbd.ErrAlreadyPosted) {
			return p.setRefundState(ctx, tx, row, rf, db.RefundError, "Credit memo "+rf.RefNumber+" is in QuickBooks but what settles it could not be queued: "+err.Error(), "")
		}
		if err := db.InsertOrderEvent(ctx, tx, refundEvent(row, rf, qbxml.Kind(it.Request)+" "+rf.RefNumber+" queued for QuickBooks.")); err != nil {
			return err
		}
	}
	if len(items) == 0 {
		// Nothing was paid, nothing is open: the credit stays with the customer in QuickBooks.
		return p.setRefundState(ctx, tx, row, rf, db.RefundPosted, "Credit memo "+rf.RefNumber+" is in QuickBooks; nothing was paid back and nothing was open, so the credit stays with the customer.", "")
	}
	return p.setRefundState(ctx, tx, row, rf, db.RefundQueued, "Credit memo "+rf.RefNumber+" is in QuickBooks; what settles it is queued.", "")
}

// invoiceOpen is what invoice of order o (row) still owes, as Ledgerlink posted it: its total,
// less its payment when that is in QuickBooks (paid), less the credits of the order's other
// refunds.
func (p *Pipeline) invoiceOpen(ctx context.Context, tx bun.Tx, row *db.Order, o orders.Order, paid bool, refundID int64) (orders.Money, error) {
	open := o.Total
	if paid {
		var sum orders.Money
		for _, pm := range o.Payments {
			sum += pm.Amount
		}
		open -= min(sum, o.Total)
	}
	others, err := db.OrderRefundsOf(ctx, tx, row.AccountID, row.ID)
	if err != nil {
		return 0, err
	}
	for _, x := range others {
		if x.ID != refundID {
			open -= orders.Money(x.AppliedCents)
		}
	}
	return open, nil
}

// refundDoneIfSettled marks rf posted, its part settled now, when none of its other documents
// is still on its way.
func (p *Pipeline) refundDoneIfSettled(ctx context.Context, tx bun.Tx, row *db.Order, rf *db.OrderRefund, qbdConn int64, settled string) error {
	if rf.State == db.RefundError {
		return nil
	}
	for _, part := range []string{qbd.RefundApply, qbd.RefundCard} {
		if part == settled {
			continue
		}
		w, err := db.UnfinishedQBDWork(ctx, tx, row.AccountID, qbdConn, qbd.RefundKey(rf.ID, part).String())
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return err
		case w.Status != db.WorkDone:
			return nil
		}
	}
	var parts []string
	if rf.AppliedCents > 0 {
		parts = append(parts, orders.Money(rf.AppliedCents).String()+" applied to the invoice")
	}
	if rf.RefundedCents > 0 {
		parts = append(parts, orders.Money(rf.RefundedCents).String()+" paid back to the card")
	}
	reason := "Credit memo " + rf.RefNumber + " is in QuickBooks: " + strings.Join(parts, ", ") + "."
	return p.setRefundState(ctx, tx, row, rf, db.RefundPosted, reason, "Refund "+refundName(rf)+" posted: "+strings.Join(parts, ", ")+".")
}

func refundName(rf *db.OrderRefund) string {
	if rf.RefNumber != "" {
		return rf.RefNumber
	}
	return fmt.Sprintf("R%d", rf.Seq)
}

func refundEvent(row *db.Order, rf *db.OrderRefund, msg string) *db.OrderEvent {
	details, _ := json.Marshal(map[string]any{"refund": rf.ID, "seq": rf.Seq})
	return &db.OrderEvent{OrderID: row.ID, AccountID: row.AccountID, Kind: "refund", Message: msg, Details: details}
}
