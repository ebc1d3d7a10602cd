package ordersync_test

import (
	"context"
	"errors"
	"html"
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// raiseShipping changes a store order the way a merchant editing it would: $5 more shipping,
// and the total with it. It returns the order as the store now has it.
func (f *flow) raiseShipping(so shipstationsim.Order) shipstationsim.Order {
	f.t.Helper()
	changed, err := f.store.UpdateOrder(so.OrderID, func(o *shipstationsim.Order) {
		o.ShippingAmount += 5
		o.OrderTotal += 5
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return changed
}

// saleOf returns the one QuickBooks sale (sales receipt) posted for store order so, failing
// when there is none or more than one.
func (f *flow) saleOf(so shipstationsim.Order) qbdsim.Txn {
	f.t.Helper()
	txns := f.company.Txns("SalesReceipt", qbxml.StoredRefNumber(so.OrderNumber))
	if len(txns) != 1 {
		f.t.Fatalf("order %s: %d sales in QuickBooks, want exactly 1", so.OrderNumber, len(txns))
	}
	return txns[0]
}

func (f *flow) row(so shipstationsim.Order) db.Order {
	f.t.Helper()
	var row db.Order
	if err := dbtest.SQL(f.t).NewSelect().Model(&row).Where("connection_id = ? AND number = ?", f.conn.ID, so.OrderNumber).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return row
}

// createItemsOfQueuedSales adds to the QuickBooks company, directly, every item the queued
// sales refer to and it lacks, so those sales post at their first send.
func (f *flow) createItemsOfQueuedSales() {
	f.t.Helper()
	var items []db.QBDWorkItem
	if err := dbtest.SQL(f.t).NewSelect().Model(&items).Where("connection_id = ? AND doc_key LIKE 'order:%'", f.qbdConn.ID).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	set := qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError)
	for _, it := range items {
		for _, m := range itemRef.FindAllStringSubmatch(it.Request, -1) {
			name := html.UnescapeString(m[1])
			if _, err := f.company.Item(name); err != nil {
				set.Add(qbxml.ItemNonInventoryAdd{Name: name, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: name, AccountRef: qbxml.ByName("Sales")}})
			}
		}
	}
	msg, err := set.Bytes()
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.company.ProcessQBXML(string(msg)); err != nil {
		f.t.Fatal(err)
	}
}

var itemRef = regexp.MustCompile(`<ItemRef>\s*<FullName>([^<]*)</FullName>`)

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// TestOrderChangedWhileQueuedPostsItsNewVersion (issue 9 item 7): an order the store changes
// while its sale waits in the queue, not yet handed to the Web Connector, posts as the store
// now has it — once — and is not flagged. Expected total: the store's, after the change.
func TestOrderChangedWhileQueuedPostsItsNewVersion(t *testing.T) {
	f := newFlow(t, 3, orders.DefaultSettings())
	if st := f.pull(); st.New != 3 || st.Queued != 3 {
		t.Fatalf("first pull: %+v", st)
	}
	before := f.store.Orders()[0]
	after := f.raiseShipping(before)
	if st := f.pull(); st.Updated != 1 || st.FlaggedAfterPost != 0 {
		t.Fatalf("pull after the change: %+v", st)
	}
	f.runWebConnector()
	if got, want := cents(f.saleOf(after).TotalAmount), cents(after.OrderTotal); got != want {
		t.Errorf("QuickBooks total %d cents, want the changed order's %d (the queued version had %d)", got, want, cents(before.OrderTotal))
	}
	row := f.row(after)
	if row.State != db.OrderPosted || row.ChangedAfterPost {
		t.Errorf("order: %s, changed after post %v (%s)", row.State, row.ChangedAfterPost, row.StateReason)
	}
	if states := f.states(); states[db.OrderPosted] != 3 {
		t.Errorf("states: %v", states)
	}
}

// TestOrderChangedAfterHandOffIsFlaggedAndPostsOnce (issue 9 items 7 and 8): once the Web
// Connector has the sale — here QuickBooks applied it and the answer was lost — a change in the
// store does not replace it: QuickBooks keeps the version it got, once, and the order is
// flagged as changed after posting.
func TestOrderChangedAfterHandOffIsFlaggedAndPostsOnce(t *testing.T) {
	s := orders.DefaultSettings()
	// A customer and items QuickBooks has: the sale goes in the second message set.
	s.CreateMissingCustomers = false
	s.CustomerMatch, s.SingleCustomer = orders.MatchSingle, "Walk-in Customer"
	f := newFlow(t, 1, s)
	f.pull()
	f.createItemsOfQueuedSales()
	wc := &qbdsim.WebConnector{URL: f.soap.URL + "/qbwc", Username: f.qbdConn.WCUsername, Password: "qbwc-password",
		Company: f.company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond, Faults: qbdsim.Faults{DropAfterApply: 2}} // 1: the duplicate check, 2: the sale
	if _, err := wc.Run(context.Background()); !errors.Is(err, qbdsim.ErrConnectionDropped) {
		t.Fatalf("session: %v", err)
	}
	before := f.store.Orders()[0]
	after := f.raiseShipping(before)
	if st := f.pull(); st.FlaggedAfterPost != 1 || st.Queued != 0 {
		t.Fatalf("pull after the change: %+v", st)
	}
	f.runWebConnector()
	if got, want := cents(f.saleOf(after).TotalAmount), cents(before.OrderTotal); got != want {
		t.Errorf("QuickBooks total %d cents, want the version QuickBooks got: %d", got, want)
	}
	row := f.row(after)
	if row.State != db.OrderPosted || !row.ChangedAfterPost {
		t.Errorf("order: %s, changed after post %v (%s)", row.State, row.ChangedAfterPost, row.StateReason)
	}
}

// TestOrderChangedAfterPostingIsFlagged (issue 9 item 8): an order changed in the store after
// it posted is flagged and not posted again.
func TestOrderChangedAfterPostingIsFlagged(t *testing.T) {
	f := newFlow(t, 2, orders.DefaultSettings())
	f.pull()
	f.runWebConnector()
	before := f.store.Orders()[1]
	after := f.raiseShipping(before)
	if st := f.pull(); st.FlaggedAfterPost != 1 || st.Queued != 0 || st.Updated != 0 {
		t.Fatalf("pull after the change: %+v", st)
	}
	f.runWebConnector()
	if got, want := cents(f.saleOf(after).TotalAmount), cents(before.OrderTotal); got != want {
		t.Errorf("QuickBooks total %d cents, want the posted version's %d", got, want)
	}
	if row := f.row(after); row.State != db.OrderPosted || !row.ChangedAfterPost {
		t.Errorf("order: %s, changed after post %v", row.State, row.ChangedAfterPost)
	}
	if other := f.row(f.store.Orders()[0]); other.ChangedAfterPost {
		t.Error("the unchanged order is flagged too")
	}
}
