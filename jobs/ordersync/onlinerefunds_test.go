package ordersync_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

// onlineShop is an onlineFlow whose store is a simulated Shopify shop selling Widget (19.99)
// (store, newShopFlow's shop on the same flow), an inventory item of the simulated QuickBooks
// Online company with 100 on hand.
type onlineShop struct {
	*onlineFlow
	store *shopFlow
}

func newOnlineShop(t *testing.T, settings orders.Settings) *onlineShop {
	t.Helper()
	f := &onlineShop{onlineFlow: newOnlineFlow(t, settings)}
	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", RestoreRate: 100000})
	t.Cleanup(shop.Close)
	if _, err := shop.AddProduct(shopifysim.Product{Title: "Widget", Variants: []shopifysim.Variant{{SKU: "Widget", Price: 1999}}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	f.conn.Channel, f.conn.BaseURL = "shopify", srv.URL
	if _, err := dbtest.SQL(t).NewUpdate().Model(f.conn).Column("channel", "base_url").WherePK().Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.store = &shopFlow{storeFlow: &storeFlow{flow: f.flow, creds: ordersync.Credentials{AccessToken: "shpat_test"}}, shop: shop}
	if _, err := f.sim.Create("Item", qbosim.Object{"Name": "Widget", "Sku": "Widget", "Type": "Inventory", "QtyOnHand": 100.0,
		"InvStartDate": "2026-01-01", "IncomeAccountRef": qbosim.Object{"value": qbosim.SalesIncomeAccountID},
		"ExpenseAccountRef": qbosim.Object{"value": qbosim.COGSAccountID}, "AssetAccountRef": qbosim.Object{"value": qbosim.InventoryAssetAccountID}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// pull reads the last day of the shop's orders (a paged read).
func (f *onlineShop) pull() ordersync.Stats {
	f.t.Helper()
	return f.store.pullShop()
}

// widgets is Widget's QtyOnHand in the simulated company.
func (f *onlineShop) widgets() float64 {
	f.t.Helper()
	it, err := f.sim.ItemBySku("Widget")
	if err != nil {
		f.t.Fatal(err)
	}
	q, _ := it["QtyOnHand"].(float64)
	return q
}

// refunds returns the stored refunds of the order numbered number.
func (f *onlineFlow) refunds(number string) (db.Order, []db.OrderRefund) {
	f.t.Helper()
	return (&storeFlow{flow: f.flow}).refunds(number)
}

// postClean runs the poster until it has nothing left, failing the test if a run failed.
func (f *onlineFlow) postClean() {
	f.t.Helper()
	if errs := f.post(); len(errs) > 0 {
		f.t.Fatal(errs)
	}
}

// refundsOf is refunds without the order.
func (f *onlineFlow) refundsOf(number string) []db.OrderRefund {
	f.t.Helper()
	_, rs := f.refunds(number)
	return rs
}

// TestOnlinePartialRefundWithRestockIsOneRefundReceipt: a sales receipt's partial refund, two
// of three Widgets back in stock, becomes one RefundReceipt 1001-R1 of 39.98 (2 × 19.99) out
// of the sale's deposit account, raising QuickBooks Online's Widget by two — once, though the
// batch's answer is lost and the shop is pulled again. The settings' deposit account is not in
// the company: the sale went to QuickBooks' default, Undeposited Funds, and so does the refund.
func TestOnlinePartialRefundWithRestockIsOneRefundReceipt(t *testing.T) {
	s := orders.DefaultSettings()
	s.DepositAccount = "Shopify Clearing"
	f := newOnlineShop(t, s)
	o := f.store.order(3, true)
	f.pull()
	f.postClean()
	if got := f.widgets(); got != 97 {
		t.Fatalf("Widget on hand %v after selling 3 of 100", got)
	}
	if _, err := f.store.shop.RefundOrder(o.ID, shopifysim.Refund{Note: "damaged box",
		Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 2, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	if st := f.pull(); st.FlaggedAfterPost != 0 {
		t.Errorf("a refund flagged the posted order as changed: %+v", st)
	}
	_, rs := f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundQueued {
		t.Fatalf("refund after the pull: %+v", rs)
	}
	lost := f.sim.Counts().Lost
	f.sim.FailNext(1, qbosim.Injected{Drop: true, Method: "POST", PathContains: "/batch"})
	f.post()
	if c := f.sim.Counts(); c.Lost != lost+1 || c.Replays == 0 {
		t.Errorf("simulator counts %+v: want the refund's answer lost once and replayed", c)
	}
	f.pull()
	f.post()

	receipts := f.sim.Txns("RefundReceipt", "")
	if len(receipts) != 1 {
		t.Fatalf("refund receipts in QuickBooks Online: %+v", receipts)
	}
	rr := receipts[0]
	dep, _ := rr["DepositToAccountRef"].(map[string]any)
	if rr["DocNumber"] != "1001-R1" || cents(rr["TotalAmt"].(float64)) != 3998 || dep["value"] != "4" {
		t.Errorf("refund receipt %v %v out of %v: want 1001-R1, 39.98, Undeposited Funds (4) as the sale", rr["DocNumber"], rr["TotalAmt"], dep)
	}
	if got := f.widgets(); got != 99 {
		t.Errorf("Widget on hand %v, want 99: 97 and the 2 restocked", got)
	}
	_, rs = f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].RefNumber != "1001-R1" || rs[0].RefundedCents != 3998 ||
		rs[0].CreditTxnID != rr["Id"] || rs[0].Restocked != 2 {
		t.Fatalf("stored refunds: %+v", rs)
	}
}

// TestOnlineWooCommerceRefundOfAnInvoiceIsAppliedToIt: an unpaid WooCommerce order posted as an
// invoice of 59.97, refunded 19.99 (WooCommerce says the amount, not the items), becomes a
// CreditMemo 1001-R1 of 19.99 applied to the invoice by a Payment of 0, leaving 39.98 owed and
// no credit left.
func TestOnlineWooCommerceRefundOfAnInvoiceIsAppliedToIt(t *testing.T) {
	s := orders.DefaultSettings()
	s.TransactionType = orders.PostInvoice
	f := newOnlineFlow(t, s)
	shop := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"})
	p, err := shop.AddProduct(woosim.Product{Name: "Widget", SKU: "Widget", RegularPrice: "19.99"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := shop.AddOrder(woosim.Order{Number: "1001", Status: "processing", Total: "59.97", PaymentMethod: "bacs", PaymentMethodTitle: "Bank transfer",
		Billing:   woosim.Address{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com"},
		LineItems: []woosim.LineItem{{Name: p.Name, ProductID: p.ID, SKU: "Widget", Quantity: 3, Subtotal: "59.97", Total: "59.97"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	creds := ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}
	f.pullChannel("woocommerce", srv.URL, creds)
	f.postClean()
	invs := f.sim.Txns("Invoice", "1001")
	if len(invs) != 1 || cents(invs[0]["Balance"].(float64)) != 5997 {
		t.Fatalf("invoices: %+v", invs)
	}
	if _, err := shop.RefundOrder(o.ID, "19.99", "Item arrived damaged"); err != nil {
		t.Fatal(err)
	}
	f.pullChannel("woocommerce", srv.URL, creds)
	f.postClean()
	f.pullChannel("woocommerce", srv.URL, creds)
	f.post()

	memos := f.sim.Txns("CreditMemo", "")
	if len(memos) != 1 || memos[0]["DocNumber"] != "1001-R1" || cents(memos[0]["TotalAmt"].(float64)) != 1999 {
		t.Fatalf("credit memos: %+v", memos)
	}
	if c := cents(memos[0]["Balance"].(float64)); c != 0 {
		t.Errorf("credit memo has %d cents of credit left, want all applied", c)
	}
	invs = f.sim.Txns("Invoice", "1001")
	if len(invs) != 1 || cents(invs[0]["Balance"].(float64)) != 5997-1999 {
		t.Errorf("invoice after the refund: balance %v, want 39.98", invs[0]["Balance"])
	}
	var applying int
	for _, pay := range f.sim.Txns("Payment", "") {
		if cents(pay["TotalAmt"].(float64)) == 0 {
			applying++
		}
	}
	if applying != 1 {
		t.Errorf("%d payments of 0 apply the credit, want 1", applying)
	}
	row, rs := f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].AppliedCents != 1999 || rs[0].RefundedCents != 0 {
		t.Fatalf("stored refunds: %+v", rs)
	}
	events, _ := f.d.ListOrderEvents(t.Context(), f.conn.AccountID, row.ID)
	var applied bool
	for _, e := range events {
		applied = applied || strings.Contains(e.Message, "applied to the invoice in QuickBooks Online")
	}
	if !applied {
		t.Error("the audit trail does not say the credit was applied")
	}
}

// TestOnlineRefundBeforeTheSaleWaitsThenPosts: an order refunded before its sale reached
// QuickBooks Online keeps its refund waiting, saying so; it posts once the sale does, numbered
// after it, out of the account the sale was deposited to (Checking), and the stock sold comes
// back.
func TestOnlineRefundBeforeTheSaleWaitsThenPosts(t *testing.T) {
	s := orders.DefaultSettings()
	s.DepositAccount = "Checking"
	f := newOnlineShop(t, s)
	o := f.store.order(1, true)
	if _, err := f.store.shop.RefundOrder(o.ID, shopifysim.Refund{Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 1, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	f.pull()
	_, rs := f.refunds("1001")
	if len(rs) != 1 || rs[0].State != db.RefundWaiting || !strings.Contains(rs[0].StateReason, "not in QuickBooks Online yet") {
		t.Fatalf("refund before the sale: %+v", rs)
	}
	f.clock.Advance(time.Second)
	f.postClean()
	sales, receipts := f.sim.Txns("SalesReceipt", "1001"), f.sim.Txns("RefundReceipt", "1001-R1")
	if len(sales) != 1 || len(receipts) != 1 || cents(receipts[0]["TotalAmt"].(float64)) != 1999 ||
		receipts[0]["DepositToAccountRef"].(map[string]any)["value"] != qbosim.CheckingAccountID {
		t.Fatalf("sales receipts %+v, refund receipts %+v: want one of each, the refund of 19.99 out of Checking", sales, receipts)
	}
	// Sold one of 100, returned it to stock.
	if got, rs := f.widgets(), f.refundsOf("1001"); got != 100 || len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].RefNumber != "1001-R1" {
		t.Fatalf("Widget on hand %v (want 100), stored refunds %+v", got, rs)
	}
}

// TestOnlineRefundFoundByTheDuplicateCheckIsNotPostedAgain: a refund receipt already in
// QuickBooks Online with the refund's number, date and marker (a send whose answer and stored
// batch were both lost) is found before the first send: the refund is posted as that document,
// none is added, and a same-numbered receipt without the marker (typed by hand) is not taken
// for it.
func TestOnlineRefundFoundByTheDuplicateCheckIsNotPostedAgain(t *testing.T) {
	f := newOnlineShop(t, orders.DefaultSettings())
	o := f.store.order(1, true)
	f.pull()
	f.postClean()
	if _, err := f.store.shop.RefundOrder(o.ID, shopifysim.Refund{Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 1, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	f.pull()
	rs := f.refundsOf("1001")
	if len(rs) != 1 || rs[0].StoreCreatedAt == nil {
		t.Fatalf("stored refunds: %+v", rs)
	}
	marker := qbd.ScopedMarker(qbd.RefundKey(rs[0].ID, qbd.RefundCredit).String(), posting.StoreScope(f.conn.ID))
	item, err := f.sim.ItemBySku("Widget")
	if err != nil {
		t.Fatal(err)
	}
	receipt := func(note string) qbosim.Object {
		got, err := f.sim.Create("RefundReceipt", qbosim.Object{"DocNumber": "1001-R1", "TxnDate": rs[0].StoreCreatedAt.Format("2006-01-02"), "PrivateNote": note,
			"DepositToAccountRef": qbosim.Object{"value": "4"}, "Line": []any{qbosim.Object{"Amount": 19.99, "DetailType": "SalesItemLineDetail",
				"SalesItemLineDetail": qbosim.Object{"ItemRef": qbosim.Object{"value": item["Id"]}, "Qty": 1.0}}}})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	receipt("typed by hand")
	ours := receipt("Refund 1 of Shopify order #1001 [" + marker + "]")
	f.postClean()
	if got := f.sim.Txns("RefundReceipt", "1001-R1"); len(got) != 2 {
		t.Errorf("%d refund receipts 1001-R1, want the 2 already there", len(got))
	}
	if rs := f.refundsOf("1001"); len(rs) != 1 || rs[0].State != db.RefundPosted || rs[0].CreditTxnID != ours["Id"] {
		t.Fatalf("stored refunds %+v, want posted as %v", rs, ours["Id"])
	}
}
