package ordersync_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

// TestEveryChannelPostsToTheCent pulls generated Shopify and WooCommerce orders (multi-line,
// variants, discounts, shipping, tax, guests, non-Latin names, long numbers) through the real
// clients and checks that each posted order's QuickBooks total equals the store's.
func TestEveryChannelPostsToTheCent(t *testing.T) {
	for _, tc := range []struct {
		channel string
		serve   func() (url string, creds ordersync.Credentials)
	}{
		{"shopify", func() (string, ordersync.Credentials) {
			s := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", Seed: 3, RestoreRate: 100000})
			s.Generate(60, 3)
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			return srv.URL, ordersync.Credentials{AccessToken: "shpat_test"}
		}},
		{"woocommerce", func() (string, ordersync.Credentials) {
			s := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 3})
			if _, err := s.Generate(60, 3); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			return srv.URL, ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}
		}},
	} {
		t.Run(tc.channel, func(t *testing.T) {
			ctx := context.Background()
			f := newFlow(t, 0, orders.DefaultSettings())
			url, creds := tc.serve()
			src := f.source(tc.channel, url, creds)
			if err := src.Check(ctx); err != nil {
				t.Fatal(err)
			}
			var st ordersync.Stats
			err := src.Orders(ctx, ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)},
				func(page []ordersync.Fetched) error {
					s, err := f.pipeline.Ingest(ctx, f.conn, page)
					st.Add(s)
					return err
				})
			if err != nil {
				t.Fatal(err)
			}
			if st.New != 60 {
				t.Fatalf("pulled %+v", st)
			}
			f.runWebConnector()
			var rows []db.Order
			if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", f.conn.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			posted := 0
			for _, row := range rows {
				if row.State != db.OrderPosted {
					t.Errorf("order %s: %s %q", row.Number, row.State, row.StateReason)
					continue
				}
				posted++
				var o orders.Order
				_ = json.Unmarshal(row.Normalized, &o)
				entry, err := f.d.GetQBDLedgerEntry(ctx, f.qbdConn.ID, posting.DocKey(row.ID))
				if err != nil {
					t.Fatalf("order %s: %v", row.Number, err)
				}
				txn, err := f.company.Txn(entry.QBID)
				if err != nil {
					t.Fatal(err)
				}
				if got := int64(math.Round(txn.TotalAmount * 100)); got != int64(o.Total) {
					t.Errorf("order %s: QuickBooks total %d cents, store %d (%s)", row.Number, got, o.Total, txn.RefNumber)
				}
			}
			if posted != 60 {
				t.Fatalf("%d of 60 posted", posted)
			}
		})
	}
}

// TestCreatedInventoryItemsEndAtTheStoreQuantity (seed 002, issue 9 item 6): with Missing
// Product Action "create" and item type inventory, once every pulled order is posted each
// inventory item Ledgerlink created holds, in QuickBooks, exactly what the store has — the
// store's quantity is already net of the orders it sold, so QuickBooks must not take them off
// twice. Orders the store takes after the first pull (including one of a SKU whose item already
// exists) keep it so. What the store does not count (gift cards, virtual products) becomes a
// non-inventory or service item, never an inventory item going negative. The expected
// quantities are the simulated stores' own stock after the sales.
func TestCreatedInventoryItemsEndAtTheStoreQuantity(t *testing.T) {
	type store struct {
		url      string
		creds    ordersync.Credentials
		statuses []string                       // every status whose orders took stock
		quantity func(sku string) (int, bool)   // the store's stock of a tracked SKU
		tracked  func(sku string) (bool, bool)  // whether the store counts the SKU; ok false: not a catalog SKU
		sell     func(t *testing.T, sku string) // a checkout of two of sku
		skus     []string                       // catalog SKUs the later checkout may sell
	}
	for _, tc := range []struct {
		channel string
		open    func(t *testing.T) store
	}{
		{"shopify", func(t *testing.T) store {
			shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", Seed: 5, RestoreRate: 100000})
			shop.Generate(40, 5)
			srv := httptest.NewServer(shop)
			t.Cleanup(srv.Close)
			variants := map[string][]shopifysim.Variant{}
			for _, p := range shop.Products() {
				for _, v := range p.Variants {
					variants[v.SKU] = append(variants[v.SKU], v)
				}
			}
			return store{url: srv.URL, creds: ordersync.Credentials{AccessToken: "shpat_test"},
				// Cancelled orders (voided, refunded) were restocked by the store.
				statuses: []string{"paid", "pending", "authorized", "partially_paid", "partially_refunded"},
				quantity: func(sku string) (int, bool) {
					if len(variants[sku]) != 1 { // shared SKU: the sim reports one variant's stock
						return 0, false
					}
					return shop.InventoryOf(sku)
				},
				tracked: func(sku string) (bool, bool) {
					vs := variants[sku]
					return len(vs) > 0 && !vs[0].Untracked, len(vs) > 0
				},
				sell: func(t *testing.T, sku string) {
					if _, err := shop.AddOrder(shopifysim.Order{Email: "late@example.com", LineItems: []shopifysim.LineItem{{SKU: sku, Quantity: 2, UnitPrice: 1000}}}); err != nil {
						t.Fatal(err)
					}
				},
				skus: []string{"COLDBREW-1L"},
			}
		}},
		{"woocommerce", func(t *testing.T) store {
			shop := woosim.New(woosim.Options{ConsumerKey: "ck_test", ConsumerSecret: "cs_test", Seed: 5})
			if _, err := shop.Generate(40, 5); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(shop)
			t.Cleanup(srv.Close)
			bySKU := map[string]woosim.Product{}
			for _, p := range shop.Products() {
				bySKU[p.SKU] = p
			}
			return store{url: srv.URL, creds: ordersync.Credentials{ConsumerKey: "ck_test", ConsumerSecret: "cs_test"},
				// Pending orders have not reduced stock yet; cancelled and refunded ones gave it back.
				statuses: []string{"processing", "completed", "on-hold"},
				quantity: shop.StockOf,
				tracked: func(sku string) (bool, bool) {
					_, managed := shop.StockOf(sku)
					_, known := bySKU[sku]
					return managed, known
				},
				sell: func(t *testing.T, sku string) {
					p := bySKU[sku]
					if _, err := shop.AddOrder(woosim.Order{Status: "processing", Total: "20.00",
						LineItems: []woosim.LineItem{{Name: p.Name, ProductID: p.ID, Quantity: 2, Subtotal: "20.00", Total: "20.00"}}}); err != nil {
						t.Fatal(err)
					}
				},
				skus: []string{"TSHIRT-ORG-WHT"},
			}
		}},
	} {
		t.Run(tc.channel, func(t *testing.T) {
			ctx := context.Background()
			st := tc.open(t)
			s := orders.DefaultSettings()
			s.NewItemType, s.Statuses = orders.ItemInventory, st.statuses
			f := newFlow(t, 0, s)
			existing := map[string]bool{}
			for _, it := range f.company.Items() {
				existing[strings.ToLower(it.FullName)] = true
			}
			src := f.source(tc.channel, st.url, st.creds)
			pull := func() {
				t.Helper()
				q := ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)}
				if _, err := f.pipeline.Pull(ctx, f.conn, src, q, nil); err != nil {
					t.Fatal(err)
				}
				f.runWebConnector()
			}
			pull()
			// Sold after the first pull: once of a SKU whose item QuickBooks now has, once of a
			// SKU still unknown to it if the first orders did not sell it.
			for _, sku := range st.skus {
				st.sell(t, sku)
			}
			pull()

			var rows []db.Order
			if err := dbtest.SQL(t).NewSelect().Model(&rows).Where("connection_id = ?", f.conn.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			skus, custom := map[string]bool{}, map[string]bool{}
			for _, row := range rows {
				if row.State != db.OrderPosted && row.State != db.OrderExcluded {
					t.Errorf("order %s: %s %q", row.Number, row.State, row.StateReason)
				}
				var o orders.Order
				_ = json.Unmarshal(row.Normalized, &o)
				for _, l := range o.Lines {
					if l.SKU != "" {
						skus[l.SKU] = true
					} else if row.State == db.OrderPosted {
						custom[posting.ItemName(l)] = true
					}
				}
			}
			// A custom line (no product, no SKU) is nothing the store counts either.
			for name := range custom {
				if item, err := f.company.Item(name); err == nil && !existing[strings.ToLower(name)] && item.Type == "ItemInventory" {
					t.Errorf("custom line %q: created as an inventory item (%v on hand)", name, item.QuantityOnHand)
				}
			}
			inventory, untracked := 0, 0
			for sku := range skus {
				name := posting.ItemName(orders.Line{SKU: sku})
				if existing[strings.ToLower(name)] {
					continue // QuickBooks had it: not created by Ledgerlink
				}
				item, err := f.company.Item(name)
				if err != nil {
					continue // only on excluded orders
				}
				tracked, known := st.tracked(sku)
				switch {
				case !known || !tracked:
					if item.Type == "ItemInventory" {
						t.Errorf("SKU %s: the store does not count its stock, yet QuickBooks has an inventory item (%v on hand)", sku, item.QuantityOnHand)
					}
					untracked++
				default:
					want, ok := st.quantity(sku)
					if !ok {
						continue
					}
					if item.Type != "ItemInventory" {
						t.Errorf("SKU %s: created as %s, want ItemInventory", sku, item.Type)
						continue
					}
					if got := int(math.Round(item.QuantityOnHand)); got != want {
						t.Errorf("SKU %s: QuickBooks has %d on hand, the store %d", sku, got, want)
					}
					inventory++
				}
			}
			t.Logf("%d inventory items checked, %d untracked, %d custom lines", inventory, untracked, len(custom))
			if inventory == 0 || untracked == 0 {
				t.Fatalf("checked %d inventory and %d untracked items: the fixture must exercise both", inventory, untracked)
			}
		})
	}
}
