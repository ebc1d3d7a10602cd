package demo

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

// TestDemoStoresSyncInventory: the demo's Shopify and WooCommerce connections have inventory
// sync on (ShipStation, which holds no stock, off), also in a demo database from before
// inventory sync existed, without overriding a choice made since; and the simulated stores sell
// the simulated QuickBooks company's items by SKU, but for the one the Shopify shop lacks.
func TestDemoStoresSyncInventory(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	sealer, _ := db.NewSealer("0123456789abcdef0123456789abcdef")
	o := Options{Email: "demo-inv@ledgerlink.local", Password: "ledgerlink-demo", APIKey: "llk_demo-key-inventory-0123456789ab",
		QBWCUsername: "demo-qbwc-inv", QBWCPassword: "ledgerlink-demo-qbwc", Stores: &StoreOptions{PublicURL: "http://127.0.0.1:1", Sealer: sealer}}
	acct, err := Seed(ctx, d, o)
	if err != nil {
		t.Fatal(err)
	}
	inventoryOn := func() map[string]bool {
		t.Helper()
		list, err := d.ListStoreConnections(ctx, acct.ID, db.Page{Limit: db.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, c := range list.Items {
			var s orders.Settings
			if err := json.Unmarshal(c.Settings, &s); err != nil {
				t.Fatal(err)
			}
			if err := s.WithDefaults().Validate(); err != nil {
				t.Errorf("%s: settings do not validate: %v", c.Name, err)
			}
			out[c.Channel] = s.Inventory.Enabled
		}
		return out
	}
	want := map[string]bool{"shopify": true, "woocommerce": true, "shipstation": false}
	if got := inventoryOn(); len(got) != 3 || got["shopify"] != true || got["woocommerce"] != true || got["shipstation"] != false {
		t.Fatalf("inventory sync on a fresh demo: %v, want %v", got, want)
	}

	// A demo database seeded before inventory sync: settings without "inventory" get it on;
	// a store where someone turned it off stays off.
	list, _ := d.ListStoreConnections(ctx, acct.ID, db.Page{Limit: db.MaxPageSize})
	for i := range list.Items {
		c := &list.Items[i]
		switch c.Channel {
		case "shopify":
			var raw map[string]json.RawMessage
			_ = json.Unmarshal(c.Settings, &raw)
			delete(raw, "inventory")
			c.Settings, _ = json.Marshal(raw)
		case "woocommerce":
			c.Settings = json.RawMessage(`{"inventory":{"enabled":false}}`)
		default:
			continue
		}
		if err := d.UpdateStoreConnection(ctx, c, "settings"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Seed(ctx, d, o); err != nil {
		t.Fatal(err)
	}
	if got := inventoryOn(); got["shopify"] != true || got["woocommerce"] != false {
		t.Fatalf("after seeding an older demo database: %v, want shopify on and woocommerce left off", got)
	}

	sims := Simulators("http://127.0.0.1:1")
	sh, wc := sims["shopify"].(*shopifysim.Server), sims["woocommerce"].(*woosim.Server)
	for _, sku := range []string{"Widget", "Gadget", "Gizmo Deluxe"} {
		if _, ok := wc.StockOf(sku); !ok {
			t.Errorf("the WooCommerce simulator has no stock-tracked product %q", sku)
		}
		_, ok := sh.InventoryOf(sku)
		if want := sku != "Gizmo Deluxe"; ok != want {
			t.Errorf("Shopify simulator has %q: %v, want %v", sku, ok, want)
		}
	}
}
