package ordersync_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// TestStatusFilterExcludesInThePipeline (issue 9 item 8): the connection's order statuses to
// export are applied by the pipeline itself, whatever the client asked the store for. Every
// order is pulled here (no status in the query); only the store's shipped orders post, the
// others are excluded with the reason and never queued. Expected counts come from the store.
func TestStatusFilterExcludesInThePipeline(t *testing.T) {
	s := orders.DefaultSettings()
	s.Statuses = []string{"shipped"}
	f := newFlow(t, 40, s)
	want := map[string]int{}
	for _, so := range f.store.Orders() {
		want[so.OrderStatus]++
	}
	if want["shipped"] == 0 || want["shipped"] == 40 {
		t.Fatalf("the store's statuses %v: the test needs shipped and other orders", want)
	}
	st := f.pull()
	if st.New != 40 || st.Excluded != 40-want["shipped"] {
		t.Fatalf("pull: %+v, want 40 new and %d excluded", st, 40-want["shipped"])
	}
	f.runWebConnector()
	ctx := context.Background()
	for _, so := range f.store.Orders() {
		row := f.row(so)
		queued, err := dbtest.SQL(t).NewSelect().Model((*db.QBDWorkItem)(nil)).Where("doc_key = ?", posting.DocKey(row.ID)).Exists(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if so.OrderStatus == "shipped" {
			if row.State != db.OrderPosted || len(f.company.Txns("SalesReceipt", qbxml.StoredRefNumber(so.OrderNumber))) == 0 {
				t.Errorf("shipped order %s: %s %q", so.OrderNumber, row.State, row.StateReason)
			}
			continue
		}
		if row.State != db.OrderExcluded || !strings.Contains(row.StateReason, `"`+so.OrderStatus+`"`) || queued {
			t.Errorf("%s order %s: %s %q, queued %v", so.OrderStatus, so.OrderNumber, row.State, row.StateReason, queued)
		}
	}
}

// TestPaymentAlreadyInQuickBooksIsNotAddedAgain (issue 9 item 8): with invoices, a paid
// order's payment that someone already entered in QuickBooks (same reference number and date)
// is found by the duplicate check and not added a second time; the other paid orders get their
// payment once each. The hand-entered payment is built from the store's order.
func TestPaymentAlreadyInQuickBooksIsNotAddedAgain(t *testing.T) {
	s := orders.DefaultSettings()
	s.TransactionType = orders.PostInvoice
	s.CustomerMatch, s.SingleCustomer, s.CreateMissingCustomers = orders.MatchSingle, "Walk-in Customer", false
	f := newFlow(t, 20, s)
	var paid []shipstationsim.Order
	var target *shipstationsim.Order
	for _, so := range f.store.Orders() {
		if so.AmountPaid <= 0 {
			continue
		}
		paid = append(paid, so)
		// A mid-day order: its date is the same in the store's zone and in UTC.
		hour, _ := strconv.Atoi(so.OrderDate[11:13])
		if target == nil && len(so.OrderNumber) <= 20 && hour >= 9 && hour <= 14 {
			target = &paid[len(paid)-1]
		}
	}
	if target == nil || len(paid) < 2 {
		t.Fatalf("the store has %d paid orders and none to enter by hand", len(paid))
	}
	y, _ := strconv.Atoi(target.OrderDate[0:4])
	m, _ := strconv.Atoi(target.OrderDate[5:7])
	d, _ := strconv.Atoi(target.OrderDate[8:10])
	set := qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	set.Add(qbxml.ReceivePaymentAdd{CustomerRef: qbxml.ByName("Walk-in Customer"), TxnDate: qbxml.Date{Year: y, Month: time.Month(m), Day: d},
		RefNumber: target.OrderNumber, TotalAmount: qbxml.Ptr(qbxml.Cents(cents(target.AmountPaid))), Memo: "Entered by hand",
		DepositToAccountRef: qbxml.ByName("Undeposited Funds")})
	msg, err := set.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.company.ProcessQBXML(string(msg)); err != nil {
		t.Fatal(err)
	}
	byHand := f.company.Txns("ReceivePayment", target.OrderNumber)
	if len(byHand) != 1 {
		t.Fatalf("hand-entered payment: %d in QuickBooks", len(byHand))
	}

	f.pull()
	f.runWebConnector()
	f.runWebConnector() // payments are queued as their invoices are answered
	for _, so := range paid {
		got := f.company.Txns("ReceivePayment", qbxml.StoredPaymentRefNumber(so.OrderNumber))
		if len(got) != 1 {
			t.Errorf("order %s: %d payments in QuickBooks, want 1", so.OrderNumber, len(got))
		}
	}
	if got := f.company.Txns("ReceivePayment", target.OrderNumber); len(got) != 1 || got[0].TxnID != byHand[0].TxnID {
		t.Errorf("order %s: payments %+v, want only the one entered by hand (%s)", target.OrderNumber, got, byHand[0].TxnID)
	}
	if row := f.row(*target); row.State != db.OrderPosted {
		t.Errorf("order %s: %s %q", target.OrderNumber, row.State, row.StateReason)
	}
}

// TestEditedMapSKURuleChangesTheNextOrder (issue 9 item 8): a Map SKU rule edited the way the
// rules grid saves it (validated, then db.UpdateRule with the version it was read at) decides
// where the next order's line posts; the order posted before the edit stays as it was.
func TestEditedMapSKURuleChangesTheNextOrder(t *testing.T) {
	f := newFlow(t, 10, orders.DefaultSettings())
	ctx := context.Background()
	var first shipstationsim.Order
	sku := ""
	for _, so := range f.store.Orders() {
		if len(so.Items) > 0 && so.Items[0].SKU != nil && *so.Items[0].SKU != "" {
			first, sku = so, *so.Items[0].SKU
			break
		}
	}
	if sku == "" {
		t.Fatal("no store order with a SKU")
	}
	v, err := rules.Validate(rules.MapSKU(sku, "Widget"))
	if err != nil {
		t.Fatal(err)
	}
	stored := rules.ToDB(f.conn.AccountID, v)
	if err := f.d.CreateRule(ctx, stored, db.RuleActor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	f.pull()
	f.runWebConnector()
	if items := lineItems(f.saleOf(first)); !items["Widget"] {
		t.Fatalf("before the edit: order %s posted to %v, want Widget", first.OrderNumber, items)
	}

	// The grid edits the rule's action to another QuickBooks item.
	edited := rules.MapSKU(sku, "Gadget")
	edited.ID = stored.ID
	ev, err := rules.Validate(edited)
	if err != nil {
		t.Fatal(err)
	}
	update := rules.ToDB(f.conn.AccountID, ev)
	if err := f.d.UpdateRule(ctx, update, stored.Version, db.RuleActor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	next := first
	next.OrderID, next.OrderNumber, next.OrderKey = 0, "NEXT-1", "next-1"
	if _, err := f.store.AddOrder(next); err != nil {
		t.Fatal(err)
	}
	if st := f.pull(); st.New != 1 {
		t.Fatalf("pull of the next order: %+v", st)
	}
	f.runWebConnector()
	after := lineItems(f.saleOf(next))
	if !after["Gadget"] || after["Widget"] {
		t.Errorf("after the edit: the next order posted to %v, want Gadget and not Widget", after)
	}
	if items := lineItems(f.saleOf(first)); !items["Widget"] || items["Gadget"] {
		t.Errorf("the order posted before the edit changed: %v", items)
	}
}

// lineItems is the set of items a QuickBooks sale's lines post to.
func lineItems(tx qbdsim.Txn) map[string]bool {
	items := map[string]bool{}
	for _, l := range tx.Lines {
		items[l.ItemFullName] = true
	}
	return items
}
