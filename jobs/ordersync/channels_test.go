package ordersync_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	shopifysim "github.com/ledgerlink/ledgerlink/jobs/sim/shopify"
	woosim "github.com/ledgerlink/ledgerlink/jobs/sim/woocommerce"
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
			f.conn.Channel, f.conn.BaseURL = tc.channel, url
			if _, err := f.d.Bun().NewUpdate().Model(f.conn).Column("channel", "base_url").WherePK().Exec(ctx); err != nil {
				t.Fatal(err)
			}
			src, err := channels.Sources(tc.channel, url, creds)
			if err != nil {
				t.Fatal(err)
			}
			if err := src.Check(ctx); err != nil {
				t.Fatal(err)
			}
			var st ordersync.Stats
			err = src.Orders(ctx, ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)},
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
			if err := f.d.Bun().NewSelect().Model(&rows).Where("connection_id = ?", f.conn.ID).Scan(ctx); err != nil {
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
				entry, err := f.d.GetQBDLedgerEntry(ctx, f.qbdConn.ID, orders.DocKey(row.ID))
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

// TestCreatedInventoryItemsStartWithTheStoreQuantity (seed 002): with Missing Product Action
// "create" and item type inventory, an item Ledgerlink creates starts with the store's stock,
// and QuickBooks then takes the posted sales off it.
func TestCreatedInventoryItemsStartWithTheStoreQuantity(t *testing.T) {
	ctx := context.Background()
	s := orders.DefaultSettings()
	s.NewItemType = orders.ItemInventory
	f := newFlow(t, 0, s)
	shop := shopifysim.New(shopifysim.Options{AccessToken: "shpat_test", Seed: 5, RestoreRate: 100000})
	shop.Generate(30, 5)
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	f.conn.Channel, f.conn.BaseURL = "shopify", srv.URL
	if _, err := f.d.Bun().NewUpdate().Model(f.conn).Column("channel", "base_url").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	src, err := channels.Sources("shopify", srv.URL, ordersync.Credentials{AccessToken: "shpat_test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pipeline.Pull(ctx, f.conn, src, ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -3, 0), UpdatedTo: time.Now().Add(time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	f.runWebConnector()

	// Quantities sold per SKU in the posted orders.
	var rows []db.Order
	if err := f.d.Bun().NewSelect().Model(&rows).Where("connection_id = ? AND state = ?", f.conn.ID, db.OrderPosted).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	sold := map[string]int64{}
	for _, row := range rows {
		var o orders.Order
		_ = json.Unmarshal(row.Normalized, &o)
		for _, l := range o.Lines {
			if l.SKU != "" {
				sold[l.SKU] += l.Quantity
			}
		}
	}
	// What the store reports (summed over variants sharing a SKU; untracked items report none).
	var skus []string
	for sku := range sold {
		skus = append(skus, sku)
	}
	levels, err := src.(ordersync.StockReader).Stock(ctx, skus)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for sku, n := range sold {
		stock, ok := levels[sku]
		if !ok {
			continue
		}
		item, err := f.company.Item(orders.ItemName(orders.Line{SKU: sku}))
		if err != nil || item.Type != "ItemInventory" {
			continue // a SKU shared by two variants, or one QuickBooks already had
		}
		if got, want := int64(math.Round(item.QuantityOnHand)), int64(stock)-n; got != want {
			t.Errorf("SKU %s: QuickBooks has %d on hand; the store had %d and %d were sold", sku, got, stock, n)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no created inventory item to check")
	}
}
