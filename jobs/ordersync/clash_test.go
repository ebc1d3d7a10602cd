package ordersync_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

// TestNumberClashNamesTheStoresAndSuggestsAPrefix (issue 9 item 2): two stores of the same kind
// posting to one QuickBooks company with no RefNumber prefix can share order numbers, and say
// so with a prefix to set; a prefix on one of them ends it; a store of another kind clashes
// only once both have pulled the same order number.
func TestNumberClashNamesTheStoresAndSuggestsAPrefix(t *testing.T) {
	f := newFlow(t, 3, orders.DefaultSettings())
	ctx := context.Background()
	f.pull()
	eu := f.addStore("ShipStation EU", 0)
	clash := func(c *db.StoreConnection) *ordersync.NumberClash {
		t.Helper()
		fresh, err := f.d.GetStoreConnection(ctx, c.AccountID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		cl, err := ordersync.FindNumberClash(ctx, f.d, fresh)
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	cl := clash(eu)
	if cl == nil || !slices.Equal(cl.OtherStores, []string{"ShipStation"}) || cl.SuggestedPrefix != "SE-" ||
		!strings.Contains(cl.Message, "“ShipStation”") || !strings.Contains(cl.Message, "“SE-”") {
		t.Fatalf("ShipStation EU: %+v", cl)
	}
	if cl := clash(f.conn); cl == nil || !slices.Equal(cl.OtherStores, []string{"ShipStation EU"}) || cl.SuggestedPrefix != "SS-" {
		t.Fatalf("ShipStation: %+v", cl)
	}

	// A Shopify shop on the same company: no clash until it pulls a number the first store has.
	shop := &db.StoreConnection{AccountID: f.conn.AccountID, Channel: "shopify", Name: "Corner Shop", BaseURL: "https://corner.example",
		QBDConnectionID: &f.qbdConn.ID, Enabled: true, Settings: f.conn.Settings}
	sealer, _ := db.NewSealer("0123456789abcdef0123456789abcdef")
	if err := f.d.CreateStoreConnection(ctx, shop, sealer, []byte(`{"accessToken":"shpat_x"}`)); err != nil {
		t.Fatal(err)
	}
	if cl := clash(shop); cl != nil {
		t.Fatalf("Corner Shop before any order: %+v", cl)
	}
	var one db.Order
	if err := dbtest.SQL(t).NewSelect().Model(&one).Where("connection_id = ?", f.conn.ID).Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	same := &db.Order{AccountID: shop.AccountID, ConnectionID: shop.ID, Channel: "shopify", ExternalID: "gid://shopify/Order/1",
		Number: one.Number, State: db.OrderPending, Raw: json.RawMessage(`{}`), Normalized: json.RawMessage(`{}`)}
	if _, err := dbtest.SQL(t).NewInsert().Model(same).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if cl := clash(shop); cl == nil || !slices.Equal(cl.OtherStores, []string{"ShipStation"}) || cl.SuggestedPrefix != "CS-" {
		t.Fatalf("Corner Shop sharing order number %s: %+v", one.Number, cl)
	}

	// A prefix on the EU store sets it apart from both.
	eu.Settings = json.RawMessage(`{"refPrefix":"EU-"}`)
	if _, err := dbtest.SQL(t).NewUpdate().Model(eu).Column("settings").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if cl := clash(eu); cl != nil {
		t.Fatalf("ShipStation EU with prefix EU-: %+v", cl)
	}
	if cl := clash(f.conn); cl == nil || !slices.Equal(cl.OtherStores, []string{"Corner Shop"}) {
		t.Fatalf("ShipStation once EU has a prefix: %+v", cl)
	}
}
