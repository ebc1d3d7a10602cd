package ordersync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
)

// fetchAll reads every order of the flow's store through the real client, in one list.
func (f *flow) fetchAll() []ordersync.Fetched {
	f.t.Helper()
	src, err := channels.Sources(f.conn.Channel, f.conn.BaseURL, ordersync.Credentials{APIKey: "key", APISecret: "secret"})
	if err != nil {
		f.t.Fatal(err)
	}
	var all []ordersync.Fetched
	if err := src.Orders(context.Background(), ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -2, 0), UpdatedTo: time.Now().Add(time.Hour)},
		func(p []ordersync.Fetched) error { all = append(all, p...); return nil }); err != nil {
		f.t.Fatal(err)
	}
	return all
}

// ingestCounting ingests page and returns what it did and how many SQL statements it took.
func (f *flow) ingestCounting(page []ordersync.Fetched) (ordersync.Stats, int) {
	f.t.Helper()
	f.counting()
	countStatements.n.Store(0)
	countStatements.on.Store(true)
	st, err := f.pipeline.Ingest(context.Background(), f.conn, page)
	countStatements.on.Store(false)
	if err != nil {
		f.t.Fatal(err)
	}
	return st, int(countStatements.n.Load())
}

func changedNote(f ordersync.Fetched, note string) ordersync.Fetched {
	f.Order.Note = note
	return f
}

// TestBatchedPageKeepsEachOrdersOutcome (issue 15 goal 3): a page is stored in a few
// statements (at most 1.5 per order, the target, BEGIN and COMMIT included), and each
// order of a mixed page ends as ingesting it alone would end it: new orders queued once with
// their whole audit trail, unchanged ones left alone, one changed in the store requeued with its
// old request withdrawn, an order the page holds twice stored then updated, a malformed one kept
// in error with its payload. QuickBooks then gets every store order exactly once. Expected counts are written from the page's make-up.
func TestBatchedPageKeepsEachOrdersOutcome(t *testing.T) {
	f := newFlow(t, 30, orders.DefaultSettings())
	ctx := context.Background()
	all := f.fetchAll()
	if len(all) != 30 {
		t.Fatalf("fetched %d orders, want 30", len(all))
	}

	st, statements := f.ingestCounting(all[:10])
	if st.New != 10 || st.Queued != 10 || st.Errors != 0 {
		t.Fatalf("first page: %+v", st)
	}
	if statements > 15 {
		t.Errorf("first page of 10 new orders took %d statements, want at most 15", statements)
	}
	first := f.order(all[0].Order.Number)
	events, err := f.d.ListOrderEvents(ctx, f.conn.AccountID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if len(kinds) < 4 || kinds[0] != "received" || kinds[1] != "matching" || kinds[len(kinds)-2] != "qbxml" || kinds[len(kinds)-1] != "state" ||
		events[len(events)-1].Message != "ready: Queued for the next QuickBooks Web Connector run." {
		t.Errorf("audit trail of a new order: %v (last %q)", kinds, events[len(events)-1].Message)
	}

	// The mixed page: 9 unchanged, 1 changed, 20 new of which one comes twice (the second
	// time changed), and a malformed order.
	page := slices.Clone(all[:10])
	page[3] = changedNote(page[3], "gift wrap")
	page = append(page, all[10:30]...)
	page = append(page, changedNote(all[12], "leave at the door"))
	bad := ordersync.Fetched{Raw: []byte(`{"orderId":990001,"orderNumber":"BAD-1","orderTotal":"1e999"}`),
		Order: orders.Order{ExternalID: "990001", Number: "BAD-1"}, Err: fmt.Errorf("orderTotal: %w", orders.ErrAmount)}
	page = append(page, bad)
	st, statements = f.ingestCounting(page)
	want := ordersync.Stats{New: 21, Updated: 2, Unchanged: 9, Queued: 22, Errors: 1}
	if st != want {
		t.Errorf("mixed page: %+v, want %+v", st, want)
	}
	// The new orders cost a few statements in all; each change, the duplicate and the
	// malformed order go one by one (about ten each).
	if statements > 60 {
		t.Errorf("mixed page took %d statements", statements)
	}
	if row := f.order("BAD-1"); row.State != db.OrderError || !jsonEqual(row.Raw, bad.Raw) {
		t.Errorf("malformed order: %s %q raw %s", row.State, row.StateReason, row.Raw)
	}
	for _, n := range []string{all[3].Order.Number, all[12].Order.Number} {
		row := f.order(n)
		var live []db.QBDWorkItem
		if err := dbtest.SQL(t).NewSelect().Model(&live).Where("doc_key = ? AND status <> ?", posting.DocKey(row.ID), db.WorkFailed).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		events, _ := f.d.ListOrderEvents(ctx, f.conn.AccountID, row.ID)
		withdrawn := slices.ContainsFunc(events, func(e db.OrderEvent) bool {
			return e.Message == "The request queued for the previous version was withdrawn before QuickBooks got it."
		})
		if row.State != db.OrderReady || len(live) != 1 || !withdrawn {
			t.Errorf("changed order %s: %s, %d live requests, withdrawn %v", n, row.State, len(live), withdrawn)
		}
	}

	f.runWebConnector()
	states := f.states()
	if states[db.OrderPosted] != 30 || states[db.OrderError] != 1 {
		t.Errorf("after QuickBooks: %v, want 30 posted and 1 error", states)
	}
	// One sale per store order (numbers cut to QuickBooks' RefNumber length may be shared, so
	// the sales are counted, not looked up by number).
	if sales := f.company.Txns("SalesReceipt", ""); len(sales) != 30 {
		t.Errorf("QuickBooks has %d sales, want 30", len(sales))
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
