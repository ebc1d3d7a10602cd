package shopify_test

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

// TestOrderReadsEveryRefund: an order of 30 lines (W01…W30, 2 units each at 10.01…10.30, no
// tax) refunded 7 times — first one unit of every line (30 refund lines, the odd lines back in
// stock), then the second unit of W01…W06 one refund each, restocked — comes back with all 7
// refunds and all 30 lines of the first. Requests, by hand: 1 orders page; the order's lines
// 11–30 (1 order); its first 4 refunds whole, with the first 25 lines of each, and the ids of
// all 7 (1 order); refunds 5, 6 and 7 (3 refund); lines 26–30 of the first refund (1 refund).
func TestOrderReadsEveryRefund(t *testing.T) {
	e := newEnv(t, shopifysim.Options{})
	var items []shopifysim.LineItem
	for i := 1; i <= 30; i++ {
		sku := fmt.Sprintf("W%02d", i)
		items = append(items, shopifysim.LineItem{SKU: sku, Title: sku, Quantity: 2, UnitPrice: shopifysim.Money(1000 + i)})
	}
	o, err := e.Sim.AddOrder(shopifysim.Order{Email: "jane@example.com", LineItems: items,
		Transactions: []shopifysim.Transaction{{Kind: "SALE", Status: "SUCCESS", Gateway: "shopify_payments", Amount: 60930}}})
	if err != nil {
		t.Fatal(err)
	}
	var first []shopifysim.RefundLine
	for i, l := range o.LineItems {
		restock := "NO_RESTOCK"
		if i%2 == 0 {
			restock = "RETURN"
		}
		first = append(first, shopifysim.RefundLine{LineItemID: l.ID, Quantity: 1, RestockType: restock})
	}
	var ids []string
	for k := 0; k <= 6; k++ {
		lines := first
		if k > 0 {
			lines = []shopifysim.RefundLine{{LineItemID: o.LineItems[k-1].ID, Quantity: 1, RestockType: "RETURN"}}
		}
		r, err := e.Sim.RefundOrder(o.ID, shopifysim.Refund{Note: fmt.Sprintf("refund %d", k+1), Lines: lines})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strconv.FormatInt(r.ID, 10))
	}
	before := e.Sim.Requests()
	got, _ := e.all(t, shopify.Query{})
	after := e.Sim.Requests()
	if len(got) != 1 || got[0].Err != nil {
		t.Fatalf("orders: %+v", got)
	}
	for _, root := range []string{"orders", "order", "refund"} {
		want := map[string]int{"orders": 1, "order": 2, "refund": 4}[root]
		if n := after[root] - before[root]; n != want {
			t.Errorf("%s requests: %d, want %d", root, n, want)
		}
	}

	lineRefund := func(i int, restock bool) orders.RefundLine {
		sku := fmt.Sprintf("W%02d", i)
		return orders.RefundLine{LineID: strconv.FormatInt(o.LineItems[i-1].ID, 10), SKU: sku, Name: sku, Quantity: 1,
			Amount: orders.Money(1000 + i), Restock: restock}
	}
	var want []orders.Refund
	big := orders.Refund{ID: ids[0], CreatedAt: t0, Note: "refund 1", Total: 30465, Refunded: 30465}
	for i := 1; i <= 30; i++ {
		big.Lines = append(big.Lines, lineRefund(i, i%2 == 1))
	}
	want = append(want, big)
	for k := 1; k <= 6; k++ {
		want = append(want, orders.Refund{ID: ids[k], CreatedAt: t0, Note: fmt.Sprintf("refund %d", k+1),
			Lines: []orders.RefundLine{lineRefund(k, true)}, Total: orders.Money(1000 + k), Refunded: orders.Money(1000 + k)})
	}
	if g := got[0].Order.Refunds; !reflect.DeepEqual(g, want) {
		t.Fatalf("refunds:\n got %+v\nwant %+v", g, want)
	}
}

// TestOrderWithTooManyRefundsSaysSo: Shopify lists at most 250 refunds of an order and the
// list cannot be paged, so an order that fills it may have refunds no query reaches. Its last
// refund read is marked Unread, naming it, instead of the order looking complete.
func TestOrderWithTooManyRefundsSaysSo(t *testing.T) {
	raw := `{"id":"gid://shopify/Order/5712000000001","legacyResourceId":"5712000000001","name":"#1001",` +
		`"createdAt":"2025-03-14T15:09:26Z","updatedAt":"2025-03-14T15:09:26Z","currencyCode":"USD",` +
		`"displayFinancialStatus":"REFUNDED","totalPriceSet":{"shopMoney":{"amount":"0.0"}},"refunds":[`
	for i := 1; i <= 250; i++ {
		if i > 1 {
			raw += ","
		}
		raw += fmt.Sprintf(`{"legacyResourceId":"%d","createdAt":"2025-03-14T15:09:26Z","totalRefundedSet":{"shopMoney":{"amount":"0.0"}},"refundLineItems":{"nodes":[]}}`, 9000+i)
	}
	raw += `]}`
	o, err := shopify.Normalize([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Refunds) != 250 {
		t.Fatalf("%d refunds", len(o.Refunds))
	}
	if o.Refunds[248].Unread != "" {
		t.Errorf("refund 249 marked: %s", o.Refunds[248].Unread)
	}
	want := "The order has 250 or more refunds and Shopify lists only the first 250: this refund (9250) and every later one are not read. Enter them by hand in QuickBooks."
	if o.Refunds[249].Unread != want {
		t.Errorf("refund 250: %q, want %q", o.Refunds[249].Unread, want)
	}
}
