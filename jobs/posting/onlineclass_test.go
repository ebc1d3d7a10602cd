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
