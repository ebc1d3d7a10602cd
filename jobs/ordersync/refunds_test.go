package ordersync_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

// shopFlow is a flow whose store is a simulated Shopify shop selling the simulated company's
// Widget (19.99) and Gadget (49.00).
type shopFlow struct {
	*flow
	shop *shopifysim.Server
}

func newShopFlow(t *testing.T, settings orders.Settings) *shopFlow {
	t.Helper()
	f := &shopFlow{flow: newFlow(t, 0, settings)}
	f.shop = shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", RestoreRate: 100000})
	t.Cleanup(f.shop.Close)
	for _, v := range []shopifysim.Variant{{SKU: "Widget", Price: 1999}, {SKU: "Gadget", Price: 4900}} {
		if _, err := f.shop.AddProduct(shopifysim.Product{Title: v.SKU, Variants: []shopifysim.Variant{v}}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(f.shop)
	t.Cleanup(srv.Close)
	f.conn.Channel, f.conn.BaseURL = "shopify", srv.URL
	if _, err := dbtest.SQL(t).NewUpdate().Model(f.conn).Column("channel", "base_url").WherePK().Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
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

// pullShop reads the shop's orders through the real Shopify client and ingests them.
func (f *shopFlow) pullShop() ordersync.Stats {
	f.t.Helper()
	ctx := context.Background()
	src, err := channels.Sources("shopify", f.conn.BaseURL, ordersync.Credentials{AccessToken: "shpat_test"})
	if err != nil {
		f.t.Fatal(err)
	}
	var st ordersync.Stats
	err = src.Orders(ctx, ordersync.Query{UpdatedFrom: time.Now().Add(-24 * time.Hour), UpdatedTo: time.Now().Add(time.Hour)},
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

// refunds returns the stored refunds of the order numbered number.
func (f *shopFlow) refunds(number string) (db.Order, []db.OrderRefund) {
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

func (f *shopFlow) widgets() float64 {
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
	if st := f.pullShop(); st.FlaggedAfterPost != 0 {
		t.Errorf("a refund flagged the posted order as changed: %+v", st)
	}
	f.runWithDrops()
	f.pullShop()
	f.runWebConnector()

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
