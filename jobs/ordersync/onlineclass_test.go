package ordersync_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
)

// newClassFlow is an onlineFlow whose store posts with class "Retail" and whose company has
// the items the hand-written orders sell.
func newClassFlow(t *testing.T) *onlineFlow {
	t.Helper()
	s := orders.DefaultSettings()
	s.Class = "Retail"
	f := newOnlineFlow(t, s)
	if _, err := f.sim.Create(qbosim.KindItem, qbosim.Object{"Name": "Widget", "Sku": "WIDGET-1", "Type": "Service",
		"IncomeAccountRef": qbosim.Object{"value": qbosim.SalesIncomeAccountID}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// createClass creates a class in the simulated company as its user would, and returns its Id.
func (f *onlineFlow) createClass(o qbosim.Object) string {
	f.t.Helper()
	c, err := f.sim.Create(qbosim.KindClass, o)
	if err != nil {
		f.t.Fatal(err)
	}
	return c["Id"].(string)
}

// classOf is the ClassRef Id of the one sales receipt numbered number, "" when it has none.
func (f *onlineFlow) classOf(number string) string {
	f.t.Helper()
	sales := f.sim.Txns("SalesReceipt", number)
	if len(sales) != 1 {
		f.t.Fatalf("order %s: %d sales receipts in QuickBooks Online", number, len(sales))
	}
	ref, _ := sales[0]["ClassRef"].(map[string]any)
	id, _ := ref["value"].(string)
	return id
}

// TestQuickBooksOnlineSalesCarryTheStoresClass: a store posting with class "Retail" puts each
// sales receipt in Retail's Id; a rule setting class "Wholesale:East" (a sub-class) for one
// order wins for that order.
func TestQuickBooksOnlineSalesCarryTheStoresClass(t *testing.T) {
	f := newClassFlow(t)
	ctx := context.Background()
	retail := f.createClass(qbosim.Object{"Name": "Retail"})
	wholesale := f.createClass(qbosim.Object{"Name": "Wholesale"})
	east := f.createClass(qbosim.Object{"Name": "East", "SubClass": true, "ParentRef": qbosim.Object{"value": wholesale}})
	r, err := rules.Validate(rules.Rule{Name: "Wholesale order", Enabled: true, Pipelines: []rules.Pipeline{rules.OrdersToQuickBooks}, Match: rules.MatchAll,
		Conditions: []rules.Condition{{Field: "number", Op: rules.OpEquals, Value: "7002"}},
		Actions:    []rules.Action{{Type: rules.ActSet, Field: "class", Value: "Wholesale:East"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.d.CreateRule(ctx, rules.ToDB(f.conn.AccountID, r), db.RuleActor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("7001", "WIDGET-1"), handOrder("7002", "WIDGET-1"),
		handOrder("7003", "WIDGET-1", "WIDGET-1")}); err != nil {
		t.Fatal(err)
	}
	if errs := f.post(); len(errs) > 0 {
		t.Fatal(errs)
	}
	for number, want := range map[string]string{"7001": retail, "7002": east, "7003": retail} {
		if o := f.order(number); o.State != db.OrderPosted {
			t.Errorf("order %s: %s %q", number, o.State, o.StateReason)
			continue
		}
		if got := f.classOf(number); got != want {
			t.Errorf("order %s: ClassRef %q, want %q", number, got, want)
		}
	}
}

// TestQuickBooksOnlineUnknownClassThenCreatedPostsOnce: a class QuickBooks Online lacks puts
// the order in error saying to create it (Lists → Classes) or change the store's class, with
// nothing posted; once the class is created and the order resynced, it posts once, in it.
func TestQuickBooksOnlineUnknownClassThenCreatedPostsOnce(t *testing.T) {
	f := newClassFlow(t)
	ctx := context.Background()
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("7101", "WIDGET-1")}); err != nil {
		t.Fatal(err)
	}
	f.post()
	o := f.order("7101")
	want := `QuickBooks Online has no class "Retail": create it in QuickBooks Online (Lists → Classes`
	if o.State != db.OrderError || !strings.Contains(o.StateReason, want) || !strings.Contains(o.StateReason, "change or clear the class in the store's settings") {
		t.Fatalf("order %s %q, want an error saying %q", o.State, o.StateReason, want)
	}
	if n := len(f.sim.Txns("SalesReceipt", "")); n != 0 {
		t.Fatalf("%d sales posted without their class", n)
	}
	retail := f.createClass(qbosim.Object{"Name": "Retail"})
	if _, err := f.pipeline.Resync(ctx, f.conn.AccountID, []int64{o.ID}); err != nil {
		t.Fatal(err)
	}
	if errs := f.post(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if o := f.order("7101"); o.State != db.OrderPosted {
		t.Fatalf("after creating the class: %s %q", o.State, o.StateReason)
	}
	if got := f.classOf("7101"); got != retail {
		t.Fatalf("ClassRef %q, want %q", got, retail)
	}
	if n := len(f.sim.Txns("SalesReceipt", "")); n != 1 {
		t.Fatalf("%d sales receipts, want 1", n)
	}
}

// TestQuickBooksOnlineClassTrackingOff: with class tracking off in the company, an order with a
// class goes to error saying to turn it on (Settings → Account and settings → Advanced →
// Categories) or clear the class; nothing is posted.
func TestQuickBooksOnlineClassTrackingOff(t *testing.T) {
	f := newClassFlow(t)
	ctx := context.Background()
	f.createClass(qbosim.Object{"Name": "Retail"})
	f.sim.SetClassTracking(false)
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{handOrder("7201", "WIDGET-1"), handOrder("7202", "WIDGET-1")}); err != nil {
		t.Fatal(err)
	}
	f.post()
	want := "does not track classes: turn on class tracking, one class to each transaction (Settings → Account and settings → Advanced → Categories), or clear the class"
	for _, number := range []string{"7201", "7202"} {
		if o := f.order(number); o.State != db.OrderError || !strings.Contains(o.StateReason, want) {
			t.Errorf("order %s: %s %q, want an error saying %q", number, o.State, o.StateReason, want)
		}
	}
	if n := len(f.sim.Txns("", "")); n != 0 {
		t.Fatalf("%d documents posted with class tracking off", n)
	}
}

// TestQuickBooksOnlineRefundCarriesTheSalesClass: a sale posted in class Retail is refunded in
// part; its RefundReceipt names Retail too, so the class's figures net the refund.
func TestQuickBooksOnlineRefundCarriesTheSalesClass(t *testing.T) {
	s := orders.DefaultSettings()
	s.Class = "Retail"
	f := newOnlineShop(t, s)
	retail := f.createClass(qbosim.Object{"Name": "Retail"})
	o := f.store.order(2, true)
	f.pull()
	f.postClean()
	if got := f.classOf("1001"); got != retail {
		t.Fatalf("sale ClassRef %q, want %q", got, retail)
	}
	if _, err := f.store.shop.RefundOrder(o.ID, shopifysim.Refund{Note: "damaged",
		Lines: []shopifysim.RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 1, RestockType: "RETURN"}}}); err != nil {
		t.Fatal(err)
	}
	f.pull()
	f.postClean()
	receipts := f.sim.Txns("RefundReceipt", "")
	if len(receipts) != 1 {
		t.Fatalf("%d refund receipts", len(receipts))
	}
	ref, _ := receipts[0]["ClassRef"].(map[string]any)
	if ref["value"] != retail || ref["name"] != "Retail" {
		t.Fatalf("refund receipt ClassRef %v, want Retail (%s)", ref, retail)
	}
}
