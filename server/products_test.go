package server

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

func TestItemListUploadAndMissingProductMapping(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	_, _, qbdID := qbdConnection(t, c)

	var up struct {
		UploadItemList struct {
			Created, Updated int
			Skipped          []struct {
				Row     int
				Problem string
			}
		}
	}
	csv := ",Active Status,Type,Item,Description,Price\n,Active,Inventory Part,Widget,A widget,25.00\n,Active,Service,,No name,\n,Active,Inventory Part,Apparel:TSHIRT-RED-L,Red shirt,19.99\n"
	c.mustGQL(`mutation($id: ID!, $csv: String!) { uploadItemList(quickBooksConnectionId: $id, csv: $csv) { created updated skipped { row problem } } }`,
		map[string]any{"id": qbdID, "csv": csv}, &up)
	if up.UploadItemList.Created != 2 || len(up.UploadItemList.Skipped) != 1 || up.UploadItemList.Skipped[0].Row != 3 {
		t.Fatalf("upload: %+v", up.UploadItemList)
	}
	var items struct {
		QuickBooksItems struct {
			TotalCount int
			Edges      []struct{ Node struct{ FullName string } }
		}
	}
	c.mustGQL(`query($id: ID!) { quickBooksItems(quickBooksConnectionId: $id, search: "shirt") { totalCount edges { node { fullName } } } }`,
		map[string]any{"id": qbdID}, &items)
	if items.QuickBooksItems.TotalCount != 1 || items.QuickBooksItems.Edges[0].Node.FullName != "Apparel:TSHIRT-RED-L" {
		t.Fatalf("autocomplete: %+v", items)
	}
	if r := c.gql(`mutation($id: ID!) { uploadItemList(quickBooksConnectionId: $id, csv: "a,b\n1,2\n") { created } }`, map[string]any{"id": qbdID}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a file without an item column: %q", r.code())
	}

	// An order parked for a SKU QuickBooks lacks.
	sc := &db.StoreConnection{AccountID: owner.AccountID, Channel: "shopify", Name: "Shop", BaseURL: "https://shop.example", Enabled: true,
		Settings: ordersync.DefaultSettingsJSON()}
	fixtureStore(t, app.DB, sc, `{}`)
	o := storeOrder(t, app.DB, owner.AccountID, "2001", "Diaz", db.OrderNeedsMapping, 1000)
	if _, err := dbtest.SQL(t).NewUpdate().Model(o).Set("missing_skus = ?", pgdialect.Array([]string{"tshirt-red-l"})).Set("connection_id = ?", sc.ID).
		WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var missing struct {
		MissingProducts []struct {
			Sku            string
			Orders         int
			ExampleOrderID string
			Mapping        *struct{ ItemName string }
		}
	}
	q := `{ missingProducts { sku orders exampleOrderId mapping { itemName } } }`
	c.mustGQL(q, nil, &missing)
	if len(missing.MissingProducts) != 1 || missing.MissingProducts[0].Sku != "tshirt-red-l" || missing.MissingProducts[0].Mapping != nil ||
		missing.MissingProducts[0].ExampleOrderID != strconv.FormatInt(o.ID, 10) {
		t.Fatalf("missing products: %+v", missing)
	}
	c.mustGQL(`mutation { mapProduct(kind: PRODUCT, storeValue: "tshirt-red-l", itemName: "Apparel:TSHIRT-RED-L") { id } }`, nil, nil)
	c.mustGQL(q, nil, &missing)
	if missing.MissingProducts[0].Mapping == nil || missing.MissingProducts[0].Mapping.ItemName != "Apparel:TSHIRT-RED-L" {
		t.Fatalf("mapping not shown: %+v", missing)
	}
	var applied struct {
		ApplyProductMappings struct{ RulesCreated, OrdersResynced int }
	}
	c.mustGQL(`mutation { applyProductMappings { rulesCreated ordersResynced } }`, nil, &applied)
	if applied.ApplyProductMappings.RulesCreated != 1 || applied.ApplyProductMappings.OrdersResynced != 1 {
		t.Fatalf("apply: %+v", applied)
	}
	var rules struct {
		Rules struct {
			Edges []struct {
				Node struct {
					Name       string
					Actions    []struct{ Field, Value string }
					Conditions []struct{ Field, Value string }
				}
			}
		}
		ProductMappings []struct{ ID string }
	}
	c.mustGQL(`{ rules { edges { node { name actions { field value } conditions { field value } } } } productMappings { id } }`, nil, &rules)
	raw, _ := json.Marshal(rules)
	if len(rules.Rules.Edges) != 1 || rules.Rules.Edges[0].Node.Name != "Map SKU tshirt-red-l" || len(rules.ProductMappings) != 0 {
		t.Fatalf("after apply: %s", raw)
	}
	// The order was processed again: this connection has no QuickBooks company yet, which it says.
	var after struct {
		Order struct{ State, StateReason string }
	}
	c.mustGQL(`query($id: ID!) { order(id: $id) { state stateReason } }`, map[string]any{"id": strconv.FormatInt(o.ID, 10)}, &after)
	if after.Order.State != "ERROR" || after.Order.StateReason == "" {
		t.Fatalf("resynced order: %+v", after.Order)
	}
}

// The autocomplete ranks active items first, names starting with the search next; an inactive
// item comes last and says so (issue 17).
func TestItemSuggestionsRankInactiveLast(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleOwner)
	_, _, qbdID := qbdConnection(t, c)
	csv := "Active Status,Type,Item\nInactive,Inventory Part,Widget Classic\nActive,Inventory Part,Big Widget\nActive,Service,Widget\nActive,Service,Gadget\n"
	c.mustGQL(`mutation($id: ID!, $csv: String!) { uploadItemList(quickBooksConnectionId: $id, csv: $csv) { created } }`,
		map[string]any{"id": qbdID, "csv": csv}, nil)
	var got struct {
		QuickBooksItemSuggestions struct {
			TotalCount int
			Items      []struct {
				FullName string
				Active   bool
			}
		}
	}
	q := `query($id: ID!, $s: String!, $n: Int) { quickBooksItemSuggestions(quickBooksConnectionId: $id, search: $s, first: $n) { totalCount items { fullName active } } }`
	c.mustGQL(q, map[string]any{"id": qbdID, "s": "widget"}, &got)
	want := []struct {
		FullName string
		Active   bool
	}{{"Widget", true}, {"Big Widget", true}, {"Widget Classic", false}}
	if got.QuickBooksItemSuggestions.TotalCount != 3 || !slices.Equal(got.QuickBooksItemSuggestions.Items, want) {
		t.Fatalf("suggestions = %+v, want %+v of 3", got.QuickBooksItemSuggestions, want)
	}
	c.mustGQL(q, map[string]any{"id": qbdID, "s": "widget", "n": 1}, &got)
	if got.QuickBooksItemSuggestions.TotalCount != 3 || len(got.QuickBooksItemSuggestions.Items) != 1 {
		t.Fatalf("first 1: %+v", got.QuickBooksItemSuggestions)
	}
}

// One mapping can be resynced on its own: it becomes a rule, only the orders its SKU holds up go
// again, the other mapping waits; the result names those orders, which Orders lists by id.
func TestResyncOneMappingListsItsOrders(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	sc := &db.StoreConnection{AccountID: owner.AccountID, Channel: "shopify", Name: "Shop", BaseURL: "https://shop.example", Enabled: true,
		Settings: ordersync.DefaultSettingsJSON()}
	fixtureStore(t, app.DB, sc, `{}`)
	park := func(number, sku string) *db.Order {
		o := storeOrder(t, app.DB, owner.AccountID, number, "Diaz", db.OrderNeedsMapping, 1000)
		if _, err := dbtest.SQL(t).NewUpdate().Model(o).Set("missing_skus = ?", pgdialect.Array([]string{sku})).Set("connection_id = ?", sc.ID).
			WherePK().Exec(ctx); err != nil {
			t.Fatal(err)
		}
		return o
	}
	a1, b1, a2 := park("3001", "SKU-A"), park("3002", "SKU-B"), park("3003", "sku-a")
	c.mustGQL(`mutation { a: mapProduct(kind: PRODUCT, storeValue: "SKU-A", itemName: "Widget") { id } b: mapProduct(kind: PRODUCT, storeValue: "SKU-B", itemName: "Gadget") { id } }`, nil, nil)

	if r := c.gql(`mutation { applyProductMappings(kind: PRODUCT) { rulesCreated } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("kind without store value: %q", r.code())
	}
	if r := c.gql(`mutation { applyProductMappings(kind: PRODUCT, storeValue: "SKU-C") { rulesCreated } }`, nil); r.code() != "NOT_FOUND" {
		t.Fatalf("no such mapping: %q", r.code())
	}
	var applied struct {
		ApplyProductMappings struct {
			RulesCreated, OrdersResynced int
			OrderIds                     []string
		}
	}
	c.mustGQL(`mutation { applyProductMappings(kind: PRODUCT, storeValue: "sku-a") { rulesCreated ordersResynced orderIds } }`, nil, &applied)
	wantIDs := []string{strconv.FormatInt(a1.ID, 10), strconv.FormatInt(a2.ID, 10)}
	if applied.ApplyProductMappings.RulesCreated != 1 || applied.ApplyProductMappings.OrdersResynced != 2 ||
		!slices.Equal(applied.ApplyProductMappings.OrderIds, wantIDs) {
		t.Fatalf("apply one: %+v, want order ids %v", applied.ApplyProductMappings, wantIDs)
	}
	var left struct {
		ProductMappings []struct{ StoreValue string }
		Orders          struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Number, State string }
			}
		}
	}
	c.mustGQL(`query($ids: [ID!]) { productMappings { storeValue } orders(filter: {ids: $ids}) { totalCount edges { node { number state } } } }`,
		map[string]any{"ids": wantIDs}, &left)
	if len(left.ProductMappings) != 1 || left.ProductMappings[0].StoreValue != "SKU-B" {
		t.Fatalf("mappings left: %+v", left.ProductMappings)
	}
	if left.Orders.TotalCount != 2 || len(left.Orders.Edges) != 2 {
		t.Fatalf("orders by id: %+v", left.Orders)
	}
	for _, e := range left.Orders.Edges {
		if e.Node.Number != "3001" && e.Node.Number != "3003" || e.Node.State == "NEEDS_MAPPING" {
			t.Fatalf("orders by id: %+v", left.Orders)
		}
	}
	var b struct {
		Order struct{ State string }
	}
	c.mustGQL(`query($id: ID!) { order(id: $id) { state } }`, map[string]any{"id": strconv.FormatInt(b1.ID, 10)}, &b)
	if b.Order.State != "NEEDS_MAPPING" {
		t.Fatalf("the SKU-B order was resynced too: %s", b.Order.State)
	}
}

// "Read from QuickBooks" is followed on the page: the read shows as asked for until the Web
// Connector runs, then as done with its counts (issue 17).
func TestItemListReadIsFollowedToItsResult(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	_, c := signIn(t, app, srv, 0, db.RoleOwner)
	user, password, qbdID := qbdConnection(t, c)
	const q = `query($id: ID!) { itemListRead(quickBooksConnectionId: $id) { state page message } }`
	type read struct {
		ItemListRead *struct {
			State   string
			Page    int
			Message *string
		}
	}
	var got read
	c.mustGQL(q, map[string]any{"id": qbdID}, &got)
	if got.ItemListRead != nil {
		t.Fatalf("never read: %+v", got.ItemListRead)
	}
	c.mustGQL(`mutation($id: ID!) { refreshItemList(quickBooksConnectionId: $id) }`, map[string]any{"id": qbdID}, nil)
	c.mustGQL(q, map[string]any{"id": qbdID}, &got)
	if got.ItemListRead == nil || got.ItemListRead.State != "QUEUED" || got.ItemListRead.Message != nil {
		t.Fatalf("asked for: %+v", got.ItemListRead)
	}

	company := qbdsim.New(qbdsim.Config{ValidateSchema: true})
	if err := company.Seed(); err != nil {
		t.Fatal(err)
	}
	wc := &qbdsim.WebConnector{URL: srv.URL + "/qbwc", Username: user, Password: password, Company: company, NoOpWait: time.Millisecond}
	if _, err := wc.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var items struct {
		QuickBooksItems struct {
			TotalCount int
			Edges      []struct {
				Node struct{ FullName, Type string }
			}
		}
	}
	c.mustGQL(`query($id: ID!) { quickBooksItems(quickBooksConnectionId: $id, first: 100) { totalCount edges { node { fullName type } } } }`,
		map[string]any{"id": qbdID}, &items)
	// One vocabulary: items read through the Web Connector carry QuickBooks' screen words, as
	// uploaded lists do ("Non-inventory Part", never "ItemNonInventory").
	for _, e := range items.QuickBooksItems.Edges {
		if strings.HasPrefix(e.Node.Type, "Item") || e.Node.Type == "" {
			t.Errorf("item %q has type %q", e.Node.FullName, e.Node.Type)
		}
	}
	c.mustGQL(q, map[string]any{"id": qbdID}, &got)
	want := "Read the item list from QuickBooks: " + strconv.Itoa(items.QuickBooksItems.TotalCount) + " items in 1 page."
	if got.ItemListRead == nil || got.ItemListRead.State != "DONE" || got.ItemListRead.Message == nil || *got.ItemListRead.Message != want ||
		items.QuickBooksItems.TotalCount == 0 {
		t.Fatalf("after the run: %+v, want DONE %q", got.ItemListRead, want)
	}
}
