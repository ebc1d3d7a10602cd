package posting

import (
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// A store refund of a sale posted to QuickBooks Online becomes, as Desktop's credit memo
// (RefundCredit) has its lines, numbered alike (RefundRef: 1001-R1):
//
//   - for a sales receipt, a RefundReceipt paying the money back out of the account the sale
//     was deposited to;
//   - for an invoice, a CreditMemo for the customer, applied to the invoice while it is open by
//     a Payment of 0 linking both (OnlineCreditApply: QuickBooks Online's way to apply a credit).
//
// Restocked units carry their quantity on their item, so QuickBooks' stock goes up. Units not
// restocked go as an amount on the rounding item: a line of an inventory item without a
// quantity would move its stock in QuickBooks Online.

// OnlineRefundSale is refund r (stored as refundID, the order's seq-th) of order o (through its
// rules, as its sale was built) of store connection connectionID named storeName, as a Sale the
// QuickBooks Online poster resolves and renders like a sale (OnlineRefund). saleEntity is what
// the order's sale became (qbo.EntitySalesReceipt or qbo.EntityInvoice). Its DocKey and Marker
// are the refund's (qbd.RefundKey), its Ref its RefundRef.
func OnlineRefundSale(refundID int64, seq int, connectionID int64, o orders.Order, r orders.Refund, s orders.Settings, storeName, saleEntity string) (*Sale, error) {
	s = s.WithDefaults()
	typ := orders.PostSalesReceipt
	if saleEntity == qbo.EntityInvoice {
		typ = orders.PostInvoice
	}
	sale := &Sale{ConnectionID: connectionID, Number: o.Number, Channel: o.Channel, Type: typ,
		Customer: CustomerName(o, s, storeName), Ref: RefundRef(SaleRef(o, s), seq), Date: r.CreatedAt, Class: firstNonEmpty(o.Class, s.Class),
		DepositAccount: firstNonEmpty(o.DepositAccount, s.DepositAccount), BillTo: o.BillTo, ShipTo: o.ShipTo, Total: r.Total,
		DocKey: qbd.RefundKey(refundID, qbd.RefundCredit).String()}
	sale.Marker = qbd.ScopedMarker(sale.DocKey, StoreScope(connectionID))
	sale.Memo = refundMemo(seq, o, r)
	lineOf := refundedLines(o)
	for _, rl := range r.Lines {
		ol, desc := lineOf(rl)
		if !rl.Restock || rl.Quantity == 0 {
			sale.Lines = append(sale.Lines, SaleLine{Kind: LineRounding, Item: s.RoundingItem,
				Desc: fmt.Sprintf("%s × %d (not returned to stock)", desc, rl.Quantity), Amount: rl.Amount})
			continue
		}
		sku := ""
		if strings.TrimSpace(ol.ItemName) == "" {
			sku = strings.TrimSpace(ol.SKU)
		}
		given := strings.TrimSpace(strings.ReplaceAll(firstNonEmpty(ol.ItemName, ol.SKU, ol.Name), ":", "-"))
		sale.Lines = append(sale.Lines, SaleLine{Kind: LineProduct, Item: ItemName(ol), Given: given, SKU: sku,
			Desc: desc + " (returned to stock)", Quantity: rl.Quantity, Amount: rl.Amount})
	}
	if r.Shipping != 0 {
		sale.Lines = append(sale.Lines, SaleLine{Kind: LineShipping, Item: firstNonEmpty(o.ShippingItem, s.ShippingItem), Desc: "Shipping refunded", Amount: r.Shipping})
	}
	if r.Tax != 0 && o.Custom["taxes_included"] != "true" {
		sale.Tax = r.Tax
		sale.Lines = append(sale.Lines, SaleLine{Kind: LineTax, Item: s.TaxItem, Desc: "Sales tax refunded", Amount: r.Tax})
	}
	if r.Adjustment != 0 {
		// Money the store refunded that no line explains: on the rounding item, so the
		// document's total is what the store refunded.
		sale.Lines = append(sale.Lines, SaleLine{Kind: LineRounding, Item: s.RoundingItem,
			Desc: "Refunded without lines (shipping or an amount refunded on its own)", Amount: r.Adjustment})
	}
	if len(sale.Lines) == 0 {
		return nil, fmt.Errorf("refund %s of order %s refunds nothing to credit", r.ID, o.Number)
	}
	return sale, nil
}

// OnlineRefund renders refund (an OnlineRefundSale) as a QuickBooks Online RefundReceipt, out of
// refs.DepositAccount, or a CreditMemo (the entity name says which).
func OnlineRefund(refund *Sale, refs OnlineRefs) (entity string, doc qbo.Sale, err error) {
	if refund.Type != orders.PostInvoice && refs.DepositAccount == "" {
		return "", qbo.Sale{}, fmt.Errorf("QuickBooks Online has no account %q to pay refund %s back from", refund.DepositAccount, refund.Ref)
	}
	sale := *refund
	if sale.Type != orders.PostInvoice {
		sale.Type = orders.PostSalesReceipt
	}
	if _, doc, err = OnlineSale(&sale, refs); err != nil {
		return "", qbo.Sale{}, err
	}
	if refund.Type == orders.PostInvoice {
		return qbo.EntityCreditMemo, doc, nil
	}
	return qbo.EntityRefundReceipt, doc, nil
}

// OnlineCreditApply applies amount of credit memo creditID (of refund, an OnlineRefundSale) to
// invoice invoiceID of customer customerID: a Payment of 0 whose lines link the invoice and the
// credit memo for the same amount. refund's Marker is the application's (its qbd.RefundKey
// with part qbd.RefundApply).
func OnlineCreditApply(refund *Sale, customerID, invoiceID, creditID string, amount orders.Money) *qbo.Payment {
	return &qbo.Payment{TxnDate: refund.Date.Format("2006-01-02"), CustomerRef: &qbo.Ref{Value: customerID, Name: refund.Customer},
		TotalAmt: 0, PaymentRefNum: OnlineDocNumber(refund.Ref),
		PrivateNote: fmt.Sprintf("Credit %s applied to %s order #%s [%s]", refund.Ref, channelName(refund.Channel), refund.Number, refund.Marker),
		Line: []qbo.PaymentLine{{Amount: qbo.Amount(amount), LinkedTxn: []qbo.LinkedTxn{{TxnID: invoiceID, TxnType: qbo.EntityInvoice}}},
			{Amount: qbo.Amount(amount), LinkedTxn: []qbo.LinkedTxn{{TxnID: creditID, TxnType: qbo.EntityCreditMemo}}}}}
}
