package posting_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// items resolves every line of sale to an Id ("id:<name>"), as the poster does by query.
func items(sale *posting.Sale) map[string]string {
	m := map[string]string{}
	for _, l := range sale.Lines {
		m[posting.OnlineItemName(l)] = "id:" + posting.OnlineItemName(l)
	}
	return m
}

type wantLine struct {
	item, tax string
	qty       float64
	amount    qbo.Amount
}

func checkLines(t *testing.T, doc qbo.Sale, want []wantLine) {
	t.Helper()
	if len(doc.Line) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(doc.Line), len(want), doc.Line)
	}
	for i, w := range want {
		l := doc.Line[i]
		d := l.SalesItemLineDetail
		tax := ""
		if d.TaxCodeRef != nil {
			tax = d.TaxCodeRef.Value
		}
		if d.ItemRef.Value != "id:"+w.item || l.Amount != w.amount || d.Qty != w.qty || tax != w.tax || l.DetailType != qbo.SalesItemLine {
			t.Errorf("line %d: %+v %+v, want %+v", i, l, d, w)
		}
	}
}

// The Shopify order (lines 39.98 + 10.00, shipping 5.00, order discount 5.00, tax 3.67 = 53.65)
// in a US company: the tax is TotalTax on taxable product lines, not a line; outside the US it
// is a line to the tax item, as for Desktop.
func TestOnlineSalesReceipt(t *testing.T) {
	sale, err := posting.Decide(501, 7, shopifyOrder(), orders.DefaultSettings(), "Main Street Shop")
	if err != nil {
		t.Fatal(err)
	}
	refs := posting.OnlineRefs{Customer: "58", Items: items(sale), DepositAccount: "4", US: true}
	entity, doc, err := posting.OnlineSale(sale, refs)
	if err != nil || entity != qbo.EntitySalesReceipt {
		t.Fatal(entity, err)
	}
	checkLines(t, doc, []wantLine{{"TEE-M", "TAX", 2, 3998}, {"MUG", "TAX", 1, 1000}, {"Shipping", "NON", 0, 500}, {"Store Discounts", "NON", 0, -500}})
	if doc.TxnTaxDetail == nil || doc.TxnTaxDetail.TotalTax != 367 {
		t.Errorf("tax %+v", doc.TxnTaxDetail)
	}
	if doc.DocNumber != "1001" || doc.TxnDate != "2026-03-14" || doc.CustomerRef.Value != "58" || doc.DepositToAccountRef.Value != "4" ||
		!strings.Contains(doc.PrivateNote, "LLBQDN4HEYFSDN-S7") || doc.ShipAddr.Line2 != "Doe & Co" {
		t.Errorf("%+v", doc)
	}
	raw, _ := json.Marshal(doc)
	if !strings.Contains(string(raw), `"Amount":39.98`) || !strings.Contains(string(raw), `"UnitPrice":19.99`) || !strings.Contains(string(raw), `"TotalTax":3.67`) {
		t.Errorf("%s", raw)
	}

	refs.US = false
	_, doc, _ = posting.OnlineSale(sale, refs)
	checkLines(t, doc, []wantLine{{"TEE-M", "", 2, 3998}, {"MUG", "", 1, 1000}, {"Shipping", "", 0, 500}, {"Store Discounts", "", 0, -500}, {"Sales Tax Collected", "", 0, 367}})
	if doc.TxnTaxDetail != nil {
		t.Errorf("tax %+v", doc.TxnTaxDetail)
	}
}

// The WooCommerce order as an invoice: its lines add up to 24.99, the store's total is 25.00,
// so a rounding line of 0.01; the payment of 25.00 links to the invoice.
func TestOnlineInvoiceAndPayment(t *testing.T) {
	s := orders.Settings{TransactionType: orders.PostInvoice, RefPrefix: "W-"}
	sale, err := posting.Decide(502, 7, wooOrder(), s, "Main Street Shop")
	if err != nil {
		t.Fatal(err)
	}
	entity, doc, err := posting.OnlineSale(sale, posting.OnlineRefs{Customer: "9", Items: items(sale), DepositAccount: "4"})
	if err != nil || entity != qbo.EntityInvoice {
		t.Fatal(entity, err)
	}
	checkLines(t, doc, []wantLine{{"Custom engraving", "", 1, 1500}, {"BOOK-1", "", 3, 999}, {"Rounding Adjustment", "", 0, 1}})
	if doc.DepositToAccountRef != nil || doc.DocNumber != "W-2002" {
		t.Errorf("%+v", doc)
	}
	if sku := sale.Lines[1].SKU; sku != "BOOK:1" {
		t.Errorf("SKU %q", sku)
	}
	p := posting.OnlinePayment(sale, "9", "130", "4")
	if p == nil || p.TotalAmt != 2500 || p.Line[0].LinkedTxn[0] != (qbo.LinkedTxn{TxnID: "130", TxnType: "Invoice"}) ||
		!strings.Contains(p.PrivateNote, posting.PaymentMarker(sale)) {
		t.Errorf("%+v", p)
	}
}

func TestOnlineLimitsAndDuplicateCheck(t *testing.T) {
	if got := posting.OnlineDocNumber("SHOP-2026-0000000012345"); got != "OP-2026-0000000012345" {
		t.Errorf("%q", got)
	}
	o := shipStationOrder()
	sale, err := posting.Decide(503, 12, o, orders.Settings{TransactionType: orders.PostSalesOrder}, "Main Street Shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := posting.OnlineSale(sale, posting.OnlineRefs{}); !errors.Is(err, posting.ErrNoOnlineSalesOrders) {
		t.Errorf("%v", err)
	}
	other := qbo.Sale{DocNumber: "SS-2026-000123", TxnDate: "2026-03-16", PrivateNote: "ShipStation order #SS-2026-000123 [LLVPYLVTLVWOLC-S13]"}
	mine := qbo.Sale{ID: "77", DocNumber: "SS-2026-000123", TxnDate: "2026-03-16", PrivateNote: "ShipStation order #SS-2026-000123 [LLVPYLVTLVWOLC-S12]"}
	if got := posting.FindOnlineSale(sale, []qbo.Sale{other}); got != nil {
		t.Errorf("another store's sale taken: %+v", got)
	}
	if got := posting.FindOnlineSale(sale, []qbo.Sale{other, mine}); got == nil || got.ID != "77" {
		t.Errorf("%+v", got)
	}
	// The mapped item "Apparel:Shirt" keeps its name (no SKU lookup) with ':' replaced.
	if l := sale.Lines[0]; posting.OnlineItemName(l) != "Apparel-Shirt" || l.SKU != "" {
		t.Errorf("%+v", l)
	}
	s := orders.DefaultSettings()
	s.MissingProduct = orders.MissingFlag
	if posting.OnlineItem(sale.Lines[0], s, "1") != nil || posting.OnlineItem(sale.Lines[1], s, "1") == nil {
		t.Error("flag parks products and still creates charge items")
	}
}

// sameJSON says whether got marshals to the JSON want, ignoring key order and spacing.
func sameJSON(t *testing.T, got any, want string) bool {
	t.Helper()
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want is no JSON: %v", err)
	}
	a, _ := json.Marshal(g)
	b, _ := json.Marshal(w)
	if string(a) != string(b) {
		t.Errorf("got  %s\nwant %s", a, b)
		return false
	}
	return true
}

// A sale's class (Sale.Class, a FullyQualifiedName) goes to QuickBooks Online as the ClassRef
// of the document, by the Id the poster resolved; a class the company cannot take is refused
// with what to do, never left out.
func TestOnlineSaleClassRef(t *testing.T) {
	sale := func(typ, class string) *posting.Sale {
		return &posting.Sale{Number: "1001", Type: typ, Customer: "Jane Doe", Ref: "1001", Date: day(14), Memo: "Shopify order #1001",
			Marker: "M1", Class: class, Lines: []posting.SaleLine{{Kind: posting.LineProduct, Given: "TEE-M", Desc: "T-shirt", Quantity: 2, Amount: 3998}}}
	}
	items := map[string]string{"TEE-M": "11"}
	line := `"Line":[{"Description":"T-shirt","Amount":39.98,"DetailType":"SalesItemLineDetail",
		"SalesItemLineDetail":{"ItemRef":{"value":"11","name":"TEE-M"},"Qty":2,"UnitPrice":19.99}}]`
	for _, tc := range []struct {
		name   string
		sale   *posting.Sale
		refs   posting.OnlineRefs
		entity string
		want   string // the document's JSON, or the error's words
	}{
		{"receipt of class Retail", sale(orders.PostSalesReceipt, "Retail"),
			posting.OnlineRefs{Customer: "58", Items: items, Class: "3", ClassTracking: true}, qbo.EntitySalesReceipt,
			`{"DocNumber":"1001","TxnDate":"2026-03-14","PrivateNote":"Shopify order #1001 [M1]","CustomerRef":{"value":"58","name":"Jane Doe"},
			"ClassRef":{"value":"3","name":"Retail"},` + line + `}`},
		{"invoice of sub-class Wholesale:East", sale(orders.PostInvoice, "Wholesale:East"),
			posting.OnlineRefs{Customer: "58", Items: items, Class: "7", ClassTracking: true}, qbo.EntityInvoice,
			`{"DocNumber":"1001","TxnDate":"2026-03-14","PrivateNote":"Shopify order #1001 [M1]","CustomerRef":{"value":"58","name":"Jane Doe"},
			"ClassRef":{"value":"7","name":"Wholesale:East"},` + line + `}`},
		{"no class, tracking off", sale(orders.PostSalesReceipt, ""),
			posting.OnlineRefs{Customer: "58", Items: items}, qbo.EntitySalesReceipt,
			`{"DocNumber":"1001","TxnDate":"2026-03-14","PrivateNote":"Shopify order #1001 [M1]","CustomerRef":{"value":"58","name":"Jane Doe"},` + line + `}`},
		{"class the company lacks", sale(orders.PostSalesReceipt, "Retail"),
			posting.OnlineRefs{Customer: "58", Items: items, ClassTracking: true}, "",
			`QuickBooks Online has no class "Retail": create it in QuickBooks Online (Lists → Classes`},
		{"class with tracking off", sale(orders.PostSalesReceipt, "Retail"),
			posting.OnlineRefs{Customer: "58", Items: items, Class: "3"}, "",
			`does not track classes: turn on class tracking, one class to each transaction (Settings → Account and settings → Advanced → Categories), or clear the class`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entity, doc, err := posting.OnlineSale(tc.sale, tc.refs)
			if tc.entity == "" {
				if !errors.Is(err, posting.ErrOnlineClass) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want one saying %q", err, tc.want)
				}
				return
			}
			if err != nil || entity != tc.entity {
				t.Fatalf("%s %v", entity, err)
			}
			sameJSON(t, doc, tc.want)
		})
	}
}

// A refund names its sale's class: the credit memo of an invoice of class Retail carries it.
func TestOnlineRefundClassRef(t *testing.T) {
	o := shopifyOrder()
	o.Class = "Retail"
	r := orders.Refund{ID: "r1", CreatedAt: day(16), Total: 1999, Refunded: 1999,
		Lines: []orders.RefundLine{{SKU: "TEE-M", Name: "T-shirt", Quantity: 1, Amount: 1999, Restock: true}}}
	credit, err := posting.OnlineRefundSale(77, 1, 7, o, r, orders.DefaultSettings(), "Main Street Shop", qbo.EntityInvoice)
	if err != nil {
		t.Fatal(err)
	}
	entity, doc, err := posting.OnlineRefund(credit, posting.OnlineRefs{Customer: "58", Items: items(credit), Class: "3", ClassTracking: true})
	if err != nil || entity != qbo.EntityCreditMemo {
		t.Fatal(entity, err)
	}
	if doc.ClassRef == nil || *doc.ClassRef != (qbo.Ref{Value: "3", Name: "Retail"}) {
		t.Errorf("credit memo ClassRef %+v", doc.ClassRef)
	}
}
