package ordersync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

// storeFlow is a flow whose store is a simulated shop (served by store) of channel, pulled
// with creds through the real client.
type storeFlow struct {
	*flow
	creds ordersync.Credentials
}

func newStoreFlow(t *testing.T, settings orders.Settings, channel string, store http.Handler, creds ordersync.Credentials) *storeFlow {
	t.Helper()
	f := &storeFlow{flow: newFlow(t, 0, settings), creds: creds}
	srv := httptest.NewServer(store)
	t.Cleanup(srv.Close)
	f.moveTo(channel, srv.URL)
	return f
}

// shopFlow is a flow whose store is a simulated Shopify shop selling the simulated company's
// Widget (19.99) and Gadget (49.00).
type shopFlow struct {
	*storeFlow
	shop *shopifysim.Server
}

func newShopFlow(t *testing.T, settings orders.Settings) *shopFlow {
	t.Helper()
	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", RestoreRate: 100000})
	t.Cleanup(shop.Close)
	for _, v := range []shopifysim.Variant{{SKU: "Widget", Price: 1999}, {SKU: "Gadget", Price: 4900}} {
		if _, err := shop.AddProduct(shopifysim.Product{Title: v.SKU, Variants: []shopifysim.Variant{v}}); err != nil {
			t.Fatal(err)
		}
	}
	return &shopFlow{storeFlow: newStoreFlow(t, settings, "shopify", shop, ordersync.Credentials{AccessToken: "shpat_test"}), shop: shop}
}

// order places an order of qty Widgets for Jane Doe; paid adds the card payment.
func (f *shopFlow) order(qty int, paid bool) shopifysim.Order {
	f.t.Helper()
	o := shopifysim.Order{Customer: &shopifysim.Customer{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com"},
		Email: "jane@example.com", LineItems: []shopifysim.LineItem{{SKU: "Widget", Quantity: qty, UnitPrice: 1999, RequiresShipping: true}}}
	if paid {
		o.Transactions = []shopifysim.Transaction{{Kind: "SALE", Status: "SUCCESS", Gateway: "shopify_payments", Amount: shopifysim.Money(1999 * qty)}}
	} else {
		o.FinancialStatus = "PENDING"
	}
	got, err := f.shop.AddOrder(o)
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

// pullShop reads the last day of the shop's orders through the real client and ingests them.
func (f *storeFlow) pullShop() ordersync.Stats {
	f.t.Helper()
	return f.pullShopSince(time.Now().Add(-24 * time.Hour))
}

// pullShopSince reads the shop's orders updated since from through the real client (as the
// pipeline's source picks: a window longer than a week is a Shopify bulk read) and ingests them.
func (f *storeFlow) pullShopSince(from time.Time) ordersync.Stats {
	f.t.Helper()
	ctx := context.Background()
	src, err := channels.Sources(f.conn.Channel, f.conn.BaseURL, f.creds)
	if err != nil {
		f.t.Fatal(err)
	}
	var st ordersync.Stats
	err = src.Orders(ctx, ordersync.Query{UpdatedFrom: from, UpdatedTo: time.Now().Add(time.Hour)},
		func(page []ordersync.Fetched) error {
			s, err := f.pipeline.Ingest(ctx, f.conn, page)
			st.Add(s)
			return err
		})
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}

// pullRefundWithDrops pulls a refund of a posted order (which must not flag the order as changed),
// runs the Web Connector losing answers QuickBooks applied, then pulls and runs it again.
func (f *storeFlow) pullRefundWithDrops() {
	f.t.Helper()
	if st := f.pullShop(); st.FlaggedAfterPost != 0 {
		f.t.Errorf("a refund flagged the posted order as changed: %+v", st)
	}
	f.runWithDrops()
	f.pullShop()
	f.runWebConnector()
}

// refunds returns the stored refunds of the order numbered number.
func (f *storeFlow) refunds(number string) (db.Order, []db.OrderRefund) {
	f.t.Helper()
	ctx := context.Background()
	var row db.Order
	if err := dbtest.SQL(f.t).NewSelect().Model(&row).Where("connection_id = ? AND number = ?", f.conn.ID, number).Scan(ctx); err != nil {
		f.t.Fatal(err)
	}
	rs, err := f.d.ListOrderRefunds(ctx, row.AccountID, row.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return row, rs
}

func (f *storeFlow) widgets() float64 {
	f.t.Helper()
	w, err := f.company.Item("Widget")
	if err != nil {
		f.t.Fatal(err)
	}
	return w.QuantityOnHand
}

// TestPartialRefundWithRestockPostsOnceAndRaisesStock: a sales receipt's partial refund, two
// of three units back in stock, becomes one credit memo 1001-R1 raising QuickBooks' Widget by
// two and one card refund of its amount — once, though every Web Connector session loses an
// answer QuickBooks applied and the shop is pulled again.
func TestPartialRefundWithRestockPostsOnceAndRaisesStock(t *testing.T) {
	f := newShopFlow(t, orders.DefaultSettings())
	o := f.order(3, true)
	f.pullShop()
	f.runWebConnector()
	if got := f.widgets(); got != 97 {
		t.Fatalf("Widget on hand %v after selling 3 of 100", got)
	}
	if _, err := f.shop.RefundOrder(o.ID, shopifysim.Refund{Note: "damaged box",
		Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 2, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	f.pullRefundWithDrops()

	memos := f.company.Txns("CreditMemo", "")
	if len(memos) != 1 || memos[0].RefNumber != "1001-R1" || memos[0].TotalAmount != 39.98 || memos[0].CustomerFullName != "Doe, Jane" {
		t.Fatalf("credit memos in QuickBooks: %+v", memos)
	}
	if got := f.widgets(); got != 99 {
		t.Errorf("Widget on hand %v, want 99: 97 and the 2 restocked", got)
	}
	cards := f.company.Txns("ARRefundCreditCard", "")
	if len(cards) != 1 || cards[0].RefNumber != "1001-R1" || cards[0].TotalAmount != 39.98 {
		t.Fatalf("card refunds in QuickBooks: %+v", cards)
	}
	_, rs := f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].RefundedCents != 3998 || rs[0].AppliedCents != 0 || rs[0].Restocked != 2 {
		t.Fatalf("stored refunds: %+v", rs)
	}
}

// TestFirstBulkPullBooksRefundsMadeBefore: a connection's first pull (30 days: a Shopify bulk
// read) of an order already partly refunded — 2 of 3 Widgets back in stock — posts the sale and
// then its credit memo 1001-R1 of 39.98 with the card refund, once; QuickBooks' Widget ends at
// 99 (100 − 3 + 2). A second such pull changes nothing.
func TestFirstBulkPullBooksRefundsMadeBefore(t *testing.T) {
	f := newShopFlow(t, orders.DefaultSettings())
	o := f.order(3, true)
	if _, err := f.shop.RefundOrder(o.ID, shopifysim.Refund{Note: "damaged box",
		Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 2, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	firstPull := time.Now().AddDate(0, 0, -30)
	if st := f.pullShopSince(firstPull); st.New != 1 || f.shop.BulkOperations() != 1 {
		t.Fatalf("first pull: %+v after %d bulk operations, want 1 new order from 1", st, f.shop.BulkOperations())
	}
	f.runWebConnector()
	check := func(when string) {
		t.Helper()
		if sales := f.company.Txns("SalesReceipt", ""); len(sales) != 1 || sales[0].RefNumber != "1001" || sales[0].TotalAmount != 59.97 {
			t.Fatalf("%s: sales receipts in QuickBooks: %+v", when, sales)
		}
		if memos := f.company.Txns("CreditMemo", ""); len(memos) != 1 || memos[0].RefNumber != "1001-R1" || memos[0].TotalAmount != 39.98 {
			t.Fatalf("%s: credit memos in QuickBooks: %+v", when, memos)
		}
		if cards := f.company.Txns("ARRefundCreditCard", ""); len(cards) != 1 || cards[0].RefNumber != "1001-R1" || cards[0].TotalAmount != 39.98 {
			t.Fatalf("%s: card refunds in QuickBooks: %+v", when, cards)
		}
		if got := f.widgets(); got != 99 {
			t.Errorf("%s: Widget on hand %v, want 99: 100 − 3 sold + 2 restocked", when, got)
		}
		_, rs := f.refunds("1001")
		if len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].RefundedCents != 3998 || rs[0].Restocked != 2 {
			t.Fatalf("%s: stored refunds: %+v", when, rs)
		}
	}
	check("after the first pull")
	if st := f.pullShopSince(firstPull); st.New != 0 || st.Updated != 0 || st.Unchanged != 1 || f.shop.BulkOperations() != 2 {
		t.Errorf("second pull: %+v after %d bulk operations, want the order unchanged from a 2nd", st, f.shop.BulkOperations())
	}
	if sets := f.runWebConnector(); sets != 0 {
		t.Errorf("the second pull gave QuickBooks %d message sets", sets)
	}
	check("after the second pull")
}

// TestFullRefundOfAnOpenInvoiceIsAppliedToIt: an order posted as an invoice and never paid,
// refunded in full without restock, becomes a credit memo applied to the invoice, which then
// owes nothing; no money goes back and no stock comes back.
func TestFullRefundOfAnOpenInvoiceIsAppliedToIt(t *testing.T) {
	s := orders.DefaultSettings()
	s.TransactionType = orders.PostInvoice
	f := newShopFlow(t, s)
	o := f.order(2, false)
	f.pullShop()
	f.runWebConnector()
	if inv := f.company.Txns("Invoice", "1001"); len(inv) != 1 || inv[0].BalanceRemaining != 39.98 {
		t.Fatalf("invoices: %+v", inv)
	}
	if _, err := f.shop.RefundOrder(o.ID, shopifysim.Refund{Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}
	f.pullShop()
	f.runWebConnector()
	if inv := f.company.Txns("Invoice", "1001"); len(inv) != 1 || inv[0].BalanceRemaining != 0 {
		t.Fatalf("invoice after the refund: %+v", inv)
	}
	if memos := f.company.Txns("CreditMemo", "1001-R1"); len(memos) != 1 || memos[0].TotalAmount != 39.98 {
		t.Fatalf("credit memos: %+v", memos)
	}
	if cards := f.company.Txns("ARRefundCreditCard", ""); len(cards) != 0 {
		t.Errorf("money paid back for an unpaid order: %+v", cards)
	}
	if got := f.widgets(); got != 98 {
		t.Errorf("Widget on hand %v: units not restocked came back", got)
	}
	_, rs := f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].AppliedCents != 3998 || rs[0].RefundedCents != 0 {
		t.Fatalf("stored refunds: %+v", rs)
	}
}

// TestRefundBeforeTheSaleWaitsThenPosts: an order refunded before its sale reached QuickBooks
// keeps its refund waiting, saying why; it posts, numbered after the sale, once the sale does.
func TestRefundBeforeTheSaleWaitsThenPosts(t *testing.T) {
	f := newShopFlow(t, orders.DefaultSettings())
	o := f.order(1, true)
	if _, err := f.shop.RefundOrder(o.ID, shopifysim.Refund{Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 1, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	f.pullShop()
	_, rs := f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundWaiting || rs[0].StateReason == "" {
		t.Fatalf("refund before the sale: %+v", rs)
	}
	f.runWebConnector()
	if sales := f.company.Txns("SalesReceipt", "1001"); len(sales) != 1 {
		t.Fatalf("sales receipts: %+v", sales)
	}
	if memos := f.company.Txns("CreditMemo", "1001-R1"); len(memos) != 1 || memos[0].TotalAmount != 19.99 {
		t.Fatalf("credit memos: %+v", memos)
	}
	if got := f.widgets(); got != 100 {
		t.Errorf("Widget on hand %v, want 100: sold one, returned one", got)
	}
	_, rs = f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].RefNumber != "1001-R1" {
		t.Fatalf("stored refunds: %+v", rs)
	}
}

// TestWooCommerceRefundIsACreditWithoutLines: WooCommerce's order lists a refund's amount and
// reason, not its lines. A partial refund of a paid order becomes one credit memo 1001-R1 of that
// amount, paid back to the card, with QuickBooks' stock unchanged — once, though the Web
// Connector loses answers QuickBooks applied and the shop is pulled again.
func TestWooCommerceRefundIsACreditWithoutLines(t *testing.T) {
	shop := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"})
	qty := 100
	p, err := shop.AddProduct(woosim.Product{Name: "Widget", SKU: "Widget", RegularPrice: "19.99", ManageStock: true, StockQuantity: &qty})
	if err != nil {
		t.Fatal(err)
	}
	f := newStoreFlow(t, orders.DefaultSettings(), "woocommerce", shop, ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"})
	o, err := shop.AddOrder(woosim.Order{Number: "1001", Status: "processing", Paid: time.Now().Add(-time.Minute), Total: "59.97",
		PaymentMethod: "stripe", PaymentMethodTitle: "Credit card", Billing: woosim.Address{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com"},
		LineItems: []woosim.LineItem{{Name: p.Name, ProductID: p.ID, SKU: "Widget", Quantity: 3, Subtotal: "59.97", Total: "59.97"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.pullShop()
	f.runWebConnector()
	if sales := f.company.Txns("SalesReceipt", "1001"); len(sales) != 1 || sales[0].TotalAmount != 59.97 {
		t.Fatalf("sales receipts: %+v", sales)
	}
	if _, err := shop.RefundOrder(o.ID, "19.99", "Item arrived damaged"); err != nil {
		t.Fatal(err)
	}
	f.pullRefundWithDrops()

	memos := f.company.Txns("CreditMemo", "")
	if len(memos) != 1 || memos[0].RefNumber != "1001-R1" || memos[0].TotalAmount != 19.99 {
		row, rs := f.refunds("1001")
		t.Fatalf("credit memos in QuickBooks: %+v (order %s %s, refunds %+v)", memos, row.State, row.StateReason, rs)
	}
	// Paid back to the card once; a refund without lines returns no stock (97 of 100 stay).
	cards, widgets := f.company.Txns("ARRefundCreditCard", ""), f.widgets()
	row, rs := f.refunds("1001")
	if len(cards) != 1 || cards[0].TotalAmount != 19.99 || widgets != 97 ||
		len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].RefundedCents != 1999 || rs[0].Restocked != 0 {
		t.Fatalf("card refunds %+v, Widget on hand %v, stored refunds %+v", cards, widgets, rs)
	}
	var said bool
	events, _ := f.d.ListOrderEvents(context.Background(), f.conn.AccountID, row.ID)
	for _, e := range events {
		said = said || strings.Contains(e.Message, "does not say which items it gave back")
	}
	if !said {
		t.Error("the audit trail does not say the refund's stock stays as it was")
	}
}

// TestSeventhRefundAndThirtiethLineAreBooked: an order of 30 lines (Widget 19.99 on the odd
// ones, Gadget 49.00 on the even ones, 2 units each: 2069.70, paid) refunded 7 times before
// its first pull — first one unit of every line back in stock (30 lines: 15 × 19.99 + 15 ×
// 49.00 = 1034.85), then the second unit of lines 1–6, not restocked, one refund each —
// posts its sale and credit memos 1001-R1…R7 once each; QuickBooks' Widget ends at 85 (100 − 30
// sold + 15 back). Pulling again posts nothing.
func TestSeventhRefundAndThirtiethLineAreBooked(t *testing.T) {
	f := newShopFlow(t, orders.DefaultSettings())
	var lines []shopifysim.LineItem
	for i := range 30 {
		l := shopifysim.LineItem{SKU: "Widget", Quantity: 2, UnitPrice: 1999, RequiresShipping: true}
		if i%2 == 1 {
			l.SKU, l.UnitPrice = "Gadget", 4900
		}
		lines = append(lines, l)
	}
	o, err := f.shop.AddOrder(shopifysim.Order{Customer: &shopifysim.Customer{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com"},
		Email: "jane@example.com", LineItems: lines,
		Transactions: []shopifysim.Transaction{{Kind: "SALE", Status: "SUCCESS", Gateway: "shopify_payments", Amount: 206970}}})
	if err != nil {
		t.Fatal(err)
	}
	var all []shopifysim.RefundLine
	for _, l := range o.LineItems {
		all = append(all, shopifysim.RefundLine{LineItemID: l.ID, Quantity: 1, RestockType: "RETURN"})
	}
	if _, err := f.shop.RefundOrder(o.ID, shopifysim.Refund{Lines: all}); err != nil {
		t.Fatal(err)
	}
	for _, l := range o.LineItems[:6] {
		if _, err := f.shop.RefundOrder(o.ID, shopifysim.Refund{Lines: []shopifysim.RefundLine{{LineItemID: l.ID, Quantity: 1}}}); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]float64{"1001-R1": 1034.85, "1001-R2": 19.99, "1001-R3": 49, "1001-R4": 19.99, "1001-R5": 49, "1001-R6": 19.99, "1001-R7": 49}
	check := func(when string) {
		t.Helper()
		if sales := f.company.Txns("SalesReceipt", ""); len(sales) != 1 || sales[0].RefNumber != "1001" || sales[0].TotalAmount != 2069.70 {
			t.Fatalf("%s: sales receipts: %+v", when, sales)
		}
		for _, kind := range []string{"CreditMemo", "ARRefundCreditCard"} {
			got := map[string]float64{}
			for _, m := range f.company.Txns(kind, "") {
				if _, twice := got[m.RefNumber]; twice {
					t.Errorf("%s: %s %s twice", when, kind, m.RefNumber)
				}
				got[m.RefNumber] = m.TotalAmount
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s in QuickBooks %v, want %v", when, kind, got, want)
			}
		}
		if got := f.widgets(); got != 85 {
			t.Errorf("%s: Widget on hand %v, want 85: 100 − 30 sold + 15 back", when, got)
		}
		_, rs := f.refunds("1001")
		if len(rs) != 7 {
			t.Fatalf("%s: %d refunds stored", when, len(rs))
		}
		for _, r := range rs {
			if r.State != db.RefundPosted {
				t.Errorf("%s: refund %s %s: %s", when, r.RefNumber, r.State, r.StateReason)
			}
		}
	}
	f.pullShop()
	f.runWebConnector()
	check("after the first pull")
	if st := f.pullShop(); st.New != 0 || st.Updated != 0 {
		t.Errorf("second pull: %+v", st)
	}
	if sets := f.runWebConnector(); sets != 0 {
		t.Errorf("the second pull gave QuickBooks %d message sets", sets)
	}
	check("after the second pull")
}

// TestUnreadRefundIsInErrorNotPosted: a refund the store's client could not read in full
// (Unread: Shopify's refunds list of an order was full) is stored in error with the client's
// words of what to enter by hand, and never becomes a credit memo; the order's other refund
// posts (9301-R1, 10.00). Ingesting the order again changes neither.
func TestUnreadRefundIsInErrorNotPosted(t *testing.T) {
	f := newFlow(t, 0, orders.DefaultSettings())
	hand := handOrder("9301", "Widget", "Widget")
	unread := "The order has 250 or more refunds and Shopify lists only the first 250: this refund (R-2) and every later one are not read. Enter them by hand in QuickBooks."
	hand.Order.Refunds = []orders.Refund{
		{ID: "R-1", CreatedAt: hand.Order.CreatedAt, Lines: []orders.RefundLine{{LineID: "1", SKU: "Widget", Quantity: 1, Amount: 1000, Restock: true}}, Total: 1000},
		{ID: "R-2", CreatedAt: hand.Order.CreatedAt, Lines: []orders.RefundLine{{LineID: "2", SKU: "Widget", Quantity: 1, Amount: 1000}}, Total: 1000, Unread: unread},
	}
	for pass := 1; pass <= 2; pass++ {
		if _, err := f.pipeline.Ingest(context.Background(), f.conn, []ordersync.Fetched{hand}); err != nil {
			t.Fatal(err)
		}
		f.runWebConnector()
		if memos := f.company.Txns("CreditMemo", ""); len(memos) != 1 || memos[0].RefNumber != "9301-R1" || memos[0].TotalAmount != 10 {
			t.Fatalf("pass %d: credit memos in QuickBooks: %+v", pass, memos)
		}
		_, rs := (&storeFlow{flow: f}).refunds("9301")
		if len(rs) != 2 || rs[0].ExternalID != "R-1" || rs[0].State == db.RefundError ||
			rs[1].ExternalID != "R-2" || rs[1].State != db.RefundError || rs[1].StateReason != unread {
			t.Fatalf("pass %d: stored refunds: %+v", pass, rs)
		}
	}
}
