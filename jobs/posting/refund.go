package posting

import (
	"fmt"
	"strconv"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// A store refund becomes, in QuickBooks Desktop (which has no refund receipt):
//
//   - a credit memo numbered after the sale (RefundRef: 1001-R1, -R2 …) for the refunded lines —
//     restocked units with their quantity, so QuickBooks' stock goes up; units not restocked as
//     an amount alone, so it does not — their tax, shipping and what no line explains;
//   - for an invoice still open, the credit applied to it (RefundApply: a ReceivePaymentAdd of
//     0 with SetCredit, QuickBooks' documented way to apply a credit memo);
//   - for money sent back to the customer, the credit paid back to the card (RefundCard:
//     ARRefundCreditCardAdd out of the account the sale was deposited to).

// RefundRef is the RefNumber of an order's seq-th refund: the sale's RefNumber as QuickBooks
// stores it, "-R" and seq, within RefNumber's 11 characters (the sale's number keeps its last
// characters, as RefNumbers do).
func RefundRef(saleRef string, seq int) string {
	suffix := "-R" + strconv.Itoa(seq)
	base := qbxml.StoredRefNumber(saleRef)
	if keep := qbxml.MaxRefNumber - len(suffix); len(base) > keep {
		base = base[len(base)-keep:]
	}
	return base + suffix
}

// SaleRef is the RefNumber order o's sale was posted under (before QuickBooks shortens it).
func SaleRef(o orders.Order, s orders.Settings) string {
	return firstNonEmpty(o.RefPrefix, s.WithDefaults().RefPrefix) + o.Number
}

// RefundCredit builds the credit memo of refund r (stored as refundID, the order's seq-th) of
// order o (through its rules, as its sale was built) of store connection connectionID named
// storeName.
func RefundCredit(refundID int64, seq int, connectionID int64, o orders.Order, r orders.Refund, s orders.Settings, storeName string) (*qbd.Item, string, error) {
	s = s.WithDefaults()
	ref := RefundRef(SaleRef(o, s), seq)
	lineOf := refundedLines(o)
	non := qbxml.ByName("Non")
	var lines []qbxml.Line
	for _, rl := range r.Lines {
		ol, desc := lineOf(rl)
		line := qbxml.Line{ItemRef: qbxml.ByName(ItemName(ol)), Amount: qbxml.Ptr(qbxml.Cents(int64(rl.Amount))), SalesTaxCodeRef: non}
		if rl.Restock && rl.Quantity != 0 {
			// A quantity on an inventory item's credit memo line puts the units back on hand.
			line.Quantity = qbxml.Ptr(qbxml.Units(rl.Quantity))
			desc = fmt.Sprintf("%s (returned to stock)", desc)
		} else {
			desc = fmt.Sprintf("%s × %d (not returned to stock)", desc, rl.Quantity)
		}
		line.Desc = desc
		lines = append(lines, line)
	}
	if r.Shipping != 0 {
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(firstNonEmpty(o.ShippingItem, s.ShippingItem)), Desc: "Shipping refunded",
			Amount: qbxml.Ptr(qbxml.Cents(int64(r.Shipping))), SalesTaxCodeRef: non})
	}
	if r.Tax != 0 && o.Custom["taxes_included"] != "true" {
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(s.TaxItem), Desc: "Sales tax refunded",
			Amount: qbxml.Ptr(qbxml.Cents(int64(r.Tax))), SalesTaxCodeRef: non})
	}
	if r.Adjustment != 0 {
		// Money the store refunded that no line explains (shipping, an amount refunded on its
		// own): on the rounding item, so the credit equals what the store refunded.
		lines = append(lines, qbxml.Line{ItemRef: qbxml.ByName(s.RoundingItem), Desc: "Refunded without lines (shipping or an amount refunded on its own)",
			Amount: qbxml.Ptr(qbxml.Cents(int64(r.Adjustment))), SalesTaxCodeRef: non})
	}
	if len(lines) == 0 {
		return nil, ref, fmt.Errorf("refund %s of order %s refunds nothing to credit", r.ID, o.Number)
	}
	docKey := qbd.RefundKey(refundID, qbd.RefundCredit).String()
	marker := qbd.ScopedMarker(docKey, StoreScope(connectionID))
	date := qbxml.DateOf(r.CreatedAt)
	memo := refundMemo(seq, o, r)
	rq := qbxml.CreditMemoAdd{CustomerRef: qbxml.ByName(CustomerName(o, s, storeName)), ClassRef: refOrZero(firstNonEmpty(o.Class, s.Class)),
		TxnDate: date, RefNumber: ref, BillAddress: address(o.BillTo), ShipAddress: address(o.ShipTo), Memo: memo, Other: marker, Lines: lines}
	if _, _, err := qbxml.Encode(rq); err != nil {
		return nil, ref, fmt.Errorf("refund %s of order %s cannot be written for QuickBooks: %w", r.ID, o.Number, err)
	}
	return &qbd.Item{DocKey: docKey, Request: rq,
		Lookup: &qbd.Lookup{Type: qbd.LookupCreditMemo, Value: ref, Marker: marker, Date: date.String()}}, ref, nil
}

// refundedLines finds the order line of a refund line of order o, by its id (else as the
// refund line names it), and its description.
func refundedLines(o orders.Order) func(rl orders.RefundLine) (orders.Line, string) {
	byID := map[string]orders.Line{}
	for _, l := range o.Lines {
		if l.ID != "" {
			byID[l.ID] = l
		}
	}
	return func(rl orders.RefundLine) (orders.Line, string) {
		ol, ok := byID[rl.LineID]
		if !ok {
			ol = orders.Line{SKU: rl.SKU, Name: rl.Name}
		}
		return ol, firstNonEmpty(rl.Name, ol.Name)
	}
}

// refundMemo is the memo of refund r, the seq-th of order o.
func refundMemo(seq int, o orders.Order, r orders.Refund) string {
	memo := fmt.Sprintf("Refund %d of %s order #%s", seq, channelName(o.Channel), o.Number)
	if r.Note != "" {
		memo += " — " + r.Note
	}
	return memo
}

// RefundApply applies amount of credit memo creditTxnID (refund refundID, numbered ref) to
// invoice invoiceTxnID: a ReceivePaymentAdd of 0 whose AppliedToTxnAdd carries SetCredit.
func RefundApply(refundID, connectionID int64, o orders.Order, s orders.Settings, storeName, ref, invoiceTxnID, creditTxnID string, amount orders.Money, date qbxml.Date) *qbd.Item {
	docKey := qbd.RefundKey(refundID, qbd.RefundApply).String()
	marker := qbd.ScopedMarker(docKey, StoreScope(connectionID))
	zero := qbxml.Cents(0)
	rq := qbxml.ReceivePaymentAdd{CustomerRef: qbxml.ByName(CustomerName(o, s.WithDefaults(), storeName)), TxnDate: date, RefNumber: ref,
		TotalAmount: &zero, Memo: fmt.Sprintf("Credit %s applied to %s order #%s %s", ref, channelName(o.Channel), o.Number, marker),
		AppliedToTxns: []qbxml.AppliedToTxn{{TxnID: invoiceTxnID, PaymentAmount: &zero,
			SetCredits: []qbxml.SetCredit{{CreditTxnID: creditTxnID, AppliedAmount: qbxml.Cents(int64(amount))}}}}}
	return &qbd.Item{DocKey: docKey, Request: rq, Lookup: &qbd.Lookup{Type: qbd.LookupPayment, Value: ref, Marker: marker, Date: date.String()}}
}

// RefundCard pays amount of credit memo creditTxnID (refund refundID, numbered ref) back to the
// customer's card, out of the account the sale's money was deposited to.
func RefundCard(refundID, connectionID int64, o orders.Order, s orders.Settings, storeName, ref, creditTxnID string, amount orders.Money, date qbxml.Date) *qbd.Item {
	s = s.WithDefaults()
	docKey := qbd.RefundKey(refundID, qbd.RefundCard).String()
	marker := qbd.ScopedMarker(docKey, StoreScope(connectionID))
	rq := qbxml.ARRefundCreditCardAdd{CustomerRef: qbxml.ByName(CustomerName(o, s, storeName)),
		RefundFromAccountRef: qbxml.ByName(firstNonEmpty(o.DepositAccount, s.DepositAccount)), TxnDate: date, RefNumber: ref,
		Memo:          fmt.Sprintf("Refund %s of %s order #%s %s", ref, channelName(o.Channel), o.Number, marker),
		RefundApplied: []qbxml.RefundAppliedToTxn{{TxnID: creditTxnID, RefundAmount: qbxml.Cents(int64(amount))}}}
	return &qbd.Item{DocKey: docKey, Request: rq, Lookup: &qbd.Lookup{Type: qbd.LookupCardRefund, Value: ref, Marker: marker, Date: date.String()}}
}
