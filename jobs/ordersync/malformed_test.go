package ordersync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/tamper"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

// tooLarge is a total beyond what QuickBooks holds (13 integer digits).
const tooLarge = "99999999999999.99"

// malformedStore is a simulated store of six orders, the third of which the spoiler sends with
// a total QuickBooks cannot hold while it is on; off, the store sends the order as it is, which
// is how a merchant's fix in the store looks to Ledgerlink.
type malformedStore struct {
	url     string
	creds   ordersync.Credentials
	spoiler *tamper.Handler
	number  string // the spoiled order's number as the store shows it (without "#")
	id      string // the spoiled order's id in the store
}

// TestMalformedOrderDoesNotStopThePull: per channel, a page of six orders whose third carries a
// total QuickBooks cannot hold. The pull succeeds; the five good orders are stored and post;
// the bad one is an order in error that keeps the store's payload and says what to do, with a
// log entry; a second pull adds nothing; once the store sends it corrected it replaces the bad
// version and posts exactly once.
func TestMalformedOrderDoesNotStopThePull(t *testing.T) {
	for _, tc := range []struct {
		channel string
		open    func(t *testing.T) malformedStore
	}{
		{"shopify", func(t *testing.T) malformedStore {
			shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", Seed: 11, RestoreRate: 100000})
			gen := shop.Generate(6, 11)
			bad := gen[2]
			gid := fmt.Sprintf("gid://shopify/Order/%d", bad.ID)
			sp := tamper.New(shop, func(m map[string]any) bool { return m["id"] == gid },
				func(m map[string]any) {
					m["totalPriceSet"].(map[string]any)["shopMoney"].(map[string]any)["amount"] = tooLarge
				})
			srv := httptest.NewServer(sp)
			t.Cleanup(srv.Close)
			return malformedStore{url: srv.URL, creds: ordersync.Credentials{AccessToken: "shpat_test"}, spoiler: sp,
				number: strconv.Itoa(bad.Number), id: strconv.FormatInt(bad.ID, 10)}
		}},
		{"woocommerce", func(t *testing.T) malformedStore {
			shop := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 11})
			gen, err := shop.Generate(6, 11)
			if err != nil {
				t.Fatal(err)
			}
			bad := gen[2]
			id := strconv.Itoa(bad.ID)
			sp := tamper.New(shop, func(m map[string]any) bool { _, ok := m["order_key"]; return ok && fmt.Sprint(m["id"]) == id },
				func(m map[string]any) { m["total"] = tooLarge })
			srv := httptest.NewServer(sp)
			t.Cleanup(srv.Close)
			number := bad.Number
			if number == "" {
				number = id
			}
			return malformedStore{url: srv.URL, creds: ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}, spoiler: sp,
				number: number, id: id}
		}},
		{"shipstation", func(t *testing.T) malformedStore {
			shop := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 11})
			gen := shop.Generate(6, 11)
			bad := gen[2]
			id := strconv.FormatInt(bad.OrderID, 10)
			sp := tamper.New(shop, func(m map[string]any) bool { _, ok := m["orderNumber"]; return ok && fmt.Sprint(m["orderId"]) == id },
				func(m map[string]any) { m["orderTotal"] = json.Number(tooLarge) })
			srv := httptest.NewServer(sp)
			t.Cleanup(srv.Close)
			return malformedStore{url: srv.URL, creds: ordersync.Credentials{APIKey: "key", APISecret: "secret"}, spoiler: sp,
				number: bad.OrderNumber, id: id}
		}},
	} {
		t.Run(tc.channel, func(t *testing.T) {
			ctx := context.Background()
			f := newFlow(t, 0, orders.DefaultSettings())
			store := tc.open(t)
			src := f.source(tc.channel, store.url, store.creds)
			q := ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)}
			pull := func() ordersync.Stats {
				t.Helper()
				st, err := f.pipeline.Pull(ctx, f.conn, src, q, nil)
				if err != nil {
					t.Fatalf("pull: %v", err)
				}
				return st
			}
			rows := func() map[string]db.Order {
				t.Helper()
				var rs []db.Order
				if err := dbtest.SQL(t).NewSelect().Model(&rs).Where("connection_id = ?", f.conn.ID).Scan(ctx); err != nil {
					t.Fatal(err)
				}
				out := map[string]db.Order{}
				for _, r := range rs {
					out[r.ExternalID] = r
				}
				return out
			}
			logs := func() int {
				t.Helper()
				n, err := dbtest.SQL(t).NewSelect().Table("sync_logs").Where("connection_id = ? AND message LIKE ?", f.conn.ID, "%"+store.number+"%").Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return int(n)
			}

			if st := pull(); st.New != 6 || st.Errors != 1 {
				t.Fatalf("first pull: %+v, want 6 new of which 1 in error", st)
			}
			if store.spoiler.Hits.Load() == 0 {
				t.Fatal("the spoiler never saw the order")
			}
			f.runWebConnector()
			got := rows()
			if len(got) != 6 {
				t.Fatalf("%d orders stored, want 6", len(got))
			}
			for id, r := range got {
				if id == store.id {
					continue
				}
				if r.State != db.OrderPosted {
					t.Errorf("good order %s: %s %q", r.Number, r.State, r.StateReason)
				}
			}
			bad, ok := got[store.id]
			if !ok {
				t.Fatalf("the malformed order %s was not recorded: %v", store.id, got)
			}
			if bad.State != db.OrderError || bad.Number != store.number {
				t.Fatalf("malformed order: number %q state %s, want %q error", bad.Number, bad.State, store.number)
			}
			for _, want := range []string{"#" + store.number, "cannot post it", "an amount QuickBooks cannot hold", "Fix the order in the store"} {
				if !strings.Contains(bad.StateReason, want) {
					t.Errorf("reason %q lacks %q", bad.StateReason, want)
				}
			}
			if !strings.Contains(string(bad.Raw), tooLarge) {
				t.Errorf("the store's payload is not kept: %s", bad.Raw)
			}
			if n := logs(); n != 1 {
				t.Errorf("%d log entries name the order, want 1", n)
			}
			if n := len(f.company.Txns("", "")); n != 5 {
				t.Fatalf("QuickBooks has %d transactions, want 5", n)
			}

			// A second pull of the same store changes nothing.
			if st := pull(); st.New != 0 || st.Unchanged != 6 {
				t.Fatalf("second pull: %+v, want 6 unchanged", st)
			}
			if n := len(rows()); n != 6 {
				t.Fatalf("%d orders after the second pull, want 6", n)
			}
			if n := logs(); n != 1 {
				t.Errorf("%d log entries name the order after the second pull, want 1", n)
			}
			if _, err := f.pipeline.Resync(ctx, f.conn.AccountID, []int64{bad.ID}); err != nil {
				t.Fatal(err)
			}
			if r := rows()[store.id]; r.State != db.OrderError {
				t.Fatalf("a resync of the malformed order moved it to %s", r.State)
			}

			// The store sends it corrected: it replaces the bad version and posts, once.
			store.spoiler.On.Store(false)
			if st := pull(); st.New != 0 || st.Updated != 1 || st.Unchanged != 5 {
				t.Fatalf("pull after the fix: %+v, want 1 updated, 5 unchanged", st)
			}
			f.runWebConnector()
			pull()
			f.runWebConnector()
			got = rows()
			if len(got) != 6 {
				t.Fatalf("%d orders after the fix, want 6", len(got))
			}
			if r := got[store.id]; r.State != db.OrderPosted {
				t.Fatalf("corrected order: %s %q", r.State, r.StateReason)
			}
			if n := len(f.company.Txns("", "")); n != 6 {
				t.Fatalf("QuickBooks has %d transactions, want 6", n)
			}
		})
	}
}

// TestMalformedVersionOfAStoredOrder: an order already stored comes again in a form the client
// refuses. One already in QuickBooks keeps its sale and is flagged as changed after posting;
// one queued but not yet handed to the Web Connector has its request withdrawn and goes to
// error, so QuickBooks never gets a version the store no longer has. The same page again
// changes nothing; the store's corrected version of the queued one then posts, once.
func TestMalformedVersionOfAStoredOrder(t *testing.T) {
	ctx := context.Background()
	f := newFlow(t, 1, orders.DefaultSettings())
	if st := f.pull(); st.New != 1 {
		t.Fatalf("first pull: %+v", st)
	}
	f.runWebConnector()
	f.store.Generate(1, 8)
	if st := f.pull(); st.New != 1 || st.Queued != 1 {
		t.Fatalf("second pull: %+v, want 1 new queued", st)
	}
	all := f.store.Orders()
	if len(all) != 2 {
		t.Fatalf("%d store orders, want 2", len(all))
	}
	posted, queued := all[0], all[1]
	if r := f.row(posted); r.State != db.OrderPosted {
		t.Fatalf("order %s: %s", posted.OrderNumber, r.State)
	}
	if r := f.row(queued); r.State != db.OrderReady {
		t.Fatalf("order %s: %s", queued.OrderNumber, r.State)
	}
	bad := func(so shipstationsim.Order) ordersync.Fetched {
		raw := fmt.Sprintf(`{"orderId": %d, "orderNumber": %q, "orderTotal": %s}`, so.OrderID, so.OrderNumber, tooLarge)
		return ordersync.Fetched{Raw: json.RawMessage(raw), Order: orders.Order{ExternalID: strconv.FormatInt(so.OrderID, 10), Number: so.OrderNumber},
			Err: fmt.Errorf("shipstation: order is not the V1 shape: %q is beyond the largest amount QuickBooks holds: %w", tooLarge, orders.ErrAmount)}
	}
	page := []ordersync.Fetched{bad(posted), bad(queued)}
	st, err := f.pipeline.Ingest(ctx, f.conn, page)
	if err != nil {
		t.Fatal(err)
	}
	if st.FlaggedAfterPost != 1 || st.Updated != 1 || st.Errors != 1 || st.New != 0 {
		t.Fatalf("malformed versions: %+v, want 1 flagged, 1 updated in error", st)
	}
	if r := f.row(posted); r.State != db.OrderPosted || !r.ChangedAfterPost || !strings.Contains(string(r.Raw), tooLarge) {
		t.Fatalf("posted order: %s changedAfterPost %v raw %s", r.State, r.ChangedAfterPost, r.Raw)
	}
	r := f.row(queued)
	if r.State != db.OrderError || !strings.Contains(r.StateReason, "The store sent order #"+queued.OrderNumber+" with an amount QuickBooks cannot hold.") {
		t.Fatalf("queued order: %s %q", r.State, r.StateReason)
	}
	if st, err := f.pipeline.Ingest(ctx, f.conn, page); err != nil || st.Unchanged != 2 || st.FlaggedAfterPost != 0 || st.Errors != 0 {
		t.Fatalf("the same page again: %+v %v, want 2 unchanged", st, err)
	}
	f.runWebConnector()
	if n := len(f.company.Txns("", "")); n != 1 {
		t.Fatalf("QuickBooks has %d transactions, want 1 (the withdrawn sale must not post)", n)
	}

	if st := f.pull(); st.Updated != 1 || st.Queued != 1 {
		t.Fatalf("pull of the store's version: %+v, want 1 updated and queued", st)
	}
	f.runWebConnector()
	if r := f.row(queued); r.State != db.OrderPosted {
		t.Fatalf("queued order after the store's version: %s %q", r.State, r.StateReason)
	}
	f.saleOf(queued)
	if n := len(f.company.Txns("", "")); n != 2 {
		t.Fatalf("QuickBooks has %d transactions, want 2", n)
	}
}
