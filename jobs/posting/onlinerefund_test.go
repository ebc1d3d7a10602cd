package posting_test

import (
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// A refund of shopifyOrder, outside the US: one T-shirt back in stock (19.99), the mug not
// (10.00), shipping 5.00 and tax 1.00 refunded (35.99). A sales receipt's refund is a
// RefundReceipt 1001-R2 out of the deposit account: the T-shirt with its quantity, the mug as an
// amount on the rounding item (no quantity, so QuickBooks Online's stock does not move), then
// shipping and tax as Desktop's credit memo has them; an invoice's is a CreditMemo of the same
// lines, without a deposit account.
func TestOnlineRefund(t *testing.T) {
	r := orders.Refund{ID: "r1", CreatedAt: day(16), Note: "wrong size", Shipping: 500, Tax: 100, Total: 3599, Refunded: 3599,
		Lines: []orders.RefundLine{{SKU: "TEE-M", Name: "T-shirt", Quantity: 1, Amount: 1999, Restock: true}, {SKU: "MUG", Name: "Mug", Quantity: 1, Amount: 1000}}}
	refund, err := posting.OnlineRefundSale(77, 2, 7, shopifyOrder(), r, orders.DefaultSettings(), "Main Street Shop", qbo.EntitySalesReceipt)
	if err != nil {
		t.Fatal(err)
	}
	refs := posting.OnlineRefs{Customer: "58", Items: items(refund), DepositAccount: "4"}
	entity, doc, err := posting.OnlineRefund(refund, refs)
	if err != nil || entity != qbo.EntityRefundReceipt {
		t.Fatal(entity, err)
	}
	checkLines(t, doc, []wantLine{{"TEE-M", "", 1, 1999}, {"Rounding Adjustment", "", 0, 1000}, {"Shipping", "", 0, 500}, {"Sales Tax Collected", "", 0, 100}})
	if doc.DocNumber != "1001-R2" || doc.TxnDate != "2026-03-16" || doc.DepositToAccountRef == nil || doc.DepositToAccountRef.Value != "4" ||
		!strings.HasSuffix(doc.PrivateNote, " ["+qbd.ScopedMarker("refund:77", "S7")+"]") || !strings.Contains(doc.PrivateNote, "wrong size") || doc.CustomerRef.Value != "58" {
		t.Errorf("refund receipt %+v", doc)
	}
	if _, _, err := posting.OnlineRefund(refund, posting.OnlineRefs{Customer: "58", Items: items(refund)}); err == nil {
		t.Error("a refund receipt without an account to pay it back from was built")
	}

	credit, err := posting.OnlineRefundSale(77, 2, 7, shopifyOrder(), r, orders.DefaultSettings(), "Main Street Shop", qbo.EntityInvoice)
	if err != nil {
		t.Fatal(err)
	}
	entity, doc, err = posting.OnlineRefund(credit, posting.OnlineRefs{Customer: "58", Items: items(credit), DepositAccount: "4"})
	if err != nil || entity != qbo.EntityCreditMemo || doc.DepositToAccountRef != nil || len(doc.Line) != 4 {
		t.Fatalf("%s %+v %v", entity, doc, err)
	}
	pay := posting.OnlineCreditApply(credit, "58", "130", "145", 3599)
	if pay.TotalAmt != 0 || len(pay.Line) != 2 || pay.Line[0].Amount != 3599 || pay.Line[0].LinkedTxn[0] != (qbo.LinkedTxn{TxnID: "130", TxnType: qbo.EntityInvoice}) ||
		pay.Line[1].Amount != 3599 || pay.Line[1].LinkedTxn[0] != (qbo.LinkedTxn{TxnID: "145", TxnType: qbo.EntityCreditMemo}) {
		t.Errorf("payment applying the credit %+v", pay)
	}
}
