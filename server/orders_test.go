package server

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

func TestOrdersQueue(t *testing.T) {
	app, srv := newTestApp(t)
	u, c := signIn(t, app, srv, 0, db.RoleMember)
	ctx := context.Background()
	a := storeOrder(t, app.DB, u.AccountID, "1001", "Núñez", db.OrderPosted, 12995)
	storeOrder(t, app.DB, u.AccountID, "1002", "Smith", db.OrderNeedsMapping, 500)
	storeOrder(t, app.DB, u.AccountID, "1003", "Smith", db.OrderError, 700)
	if err := app.DB.AddOrderEvent(ctx, &db.OrderEvent{OrderID: a.ID, AccountID: u.AccountID, Kind: "received", Message: "Pulled from Shopify"}); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Orders struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Number, State, CustomerName, Total string }
			}
		}
		OrderStateCounts struct{ Posted, NeedsMapping, Error, Pending int }
	}
	c.mustGQL(`{ orders(filter: {search: "smith"}) { totalCount edges { node { number state customerName total } } }
		orderStateCounts { posted needsMapping error pending } }`, nil, &list)
	if list.Orders.TotalCount != 2 || list.Orders.Edges[0].Node.Number != "1003" || list.Orders.Edges[0].Node.CustomerName != "Ana Smith" {
		t.Fatalf("search: %+v", list.Orders)
	}
	if list.OrderStateCounts.Posted != 1 || list.OrderStateCounts.NeedsMapping != 1 || list.OrderStateCounts.Error != 1 || list.OrderStateCounts.Pending != 0 {
		t.Fatalf("counts: %+v", list.OrderStateCounts)
	}
	c.mustGQL(`{ orders(filter: {state: NEEDS_MAPPING}) { totalCount edges { node { number state customerName total } } } orderStateCounts { posted } }`, nil, &list)
	if list.Orders.TotalCount != 1 || list.Orders.Edges[0].Node.State != "NEEDS_MAPPING" {
		t.Fatalf("state filter: %+v", list.Orders)
	}
	var one struct {
		Order struct {
			Total, Raw string
			Events     []struct{ Kind, Message string }
		}
	}
	c.mustGQL(`query($id: ID!) { order(id: $id) { total raw events { kind message } } }`, map[string]any{"id": strconv.FormatInt(a.ID, 10)}, &one)
	if one.Order.Total != "129.95" || len(one.Order.Events) != 1 || one.Order.Events[0].Kind != "received" || one.Order.Raw == "" {
		t.Fatalf("order detail: %+v", one.Order)
	}
	// Another account sees none of it.
	_, o := signIn(t, app, srv, 0, db.RoleOwner)
	if r := o.gql(`query($id: ID!) { order(id: $id) { number } }`, map[string]any{"id": strconv.FormatInt(a.ID, 10)}); r.code() != "NOT_FOUND" {
		t.Fatalf("other account reading an order: %q", r.code())
	}
	var none struct{ Orders struct{ TotalCount int } }
	o.mustGQL(`{ orders { totalCount } }`, nil, &none)
	if none.Orders.TotalCount != 0 {
		t.Fatalf("other account lists %d orders", none.Orders.TotalCount)
	}
}

// TestShipStationOrderIsShownUnderTheBuyersName: ShipStation names the buyer only in billTo.name;
// the order list shows that person (issue 9: it showed nothing).
func TestShipStationOrderIsShownUnderTheBuyersName(t *testing.T) {
	app, srv := newTestApp(t)
	u, pw := fixtureUser(t, app.DB, 0, db.RoleMember)
	raw := json.RawMessage(`{"orderId":1010,"orderNumber":"INV-001010","orderDate":"2026-11-30T09:00:00.0000000","orderStatus":"awaiting_shipment",
		"customerEmail":"siobhan@example.co.uk","billTo":{"name":"Siobhán O'Sullivan"},"shipTo":{"name":"Siobhán O'Sullivan"},"items":[],"orderTotal":12.5}`)
	n, err := shipstation.Normalize(raw, "USD")
	if err != nil {
		t.Fatal(err)
	}
	insertNormalized(t, &db.Order{AccountID: u.AccountID, ConnectionID: 1, Channel: "shipstation", ExternalID: "1010", Number: "INV-001010",
		State: db.OrderPosted, Raw: raw, TotalCents: 1250}, n)
	var list struct {
		Orders struct {
			Edges []struct {
				Node struct{ Number, CustomerName string }
			}
		}
	}
	newClient(t, srv.URL).login(u.Email, pw).mustGQL(`{ orders { edges { node { number customerName } } } }`, nil, &list)
	if len(list.Orders.Edges) != 1 || list.Orders.Edges[0].Node.CustomerName != "Siobhán O'Sullivan" {
		t.Fatalf("orders: %+v", list.Orders.Edges)
	}
}

// TestStoreSettingsWarnOfClashingOrderNumbers (issue 9 item 2): two ShipStation stores posting
// to one QuickBooks company without a RefNumber prefix each name the other on their settings
// (GraphQL StoreConnection.numberClash) with a prefix to set; a prefix on one ends it.
func TestStoreSettingsWarnOfClashingOrderNumbers(t *testing.T) {
	app, srv := newTestApp(t)
	u, c := signIn(t, app, srv, 0, db.RoleOwner)
	qc := fixtureQBD(t, app.DB, u.AccountID, "wc-"+strconv.FormatInt(u.AccountID, 10)+"-clash")
	for _, name := range []string{"ShipStation", "ShipStation EU"} {
		fixtureStore(t, app.DB, &db.StoreConnection{AccountID: u.AccountID, Channel: "shipstation", Name: name, BaseURL: "https://ssapi.shipstation.com",
			QBDConnectionID: &qc.ID, Enabled: true, Settings: json.RawMessage(`{}`)}, `{"apiKey":"k","apiSecret":"s"}`)
	}
	type clash struct {
		OtherStores     []string
		SuggestedPrefix string
		Message         string
	}
	var list struct {
		StoreConnections struct {
			Edges []struct {
				Node struct {
					ID, Name    string
					NumberClash *clash
				}
			}
		}
	}
	const q = `{ storeConnections { edges { node { id name numberClash { otherStores suggestedPrefix message } } } } }`
	c.mustGQL(q, nil, &list)
	want := map[string]clash{"ShipStation": {[]string{"ShipStation EU"}, "SS-", ""}, "ShipStation EU": {[]string{"ShipStation"}, "SE-", ""}}
	euID := ""
	for _, e := range list.StoreConnections.Edges {
		n, w := e.Node, want[e.Node.Name]
		if n.NumberClash == nil || !slices.Equal(n.NumberClash.OtherStores, w.OtherStores) || n.NumberClash.SuggestedPrefix != w.SuggestedPrefix ||
			!strings.Contains(n.NumberClash.Message, "“"+w.SuggestedPrefix+"”") {
			t.Errorf("%s: numberClash %+v, want %+v", n.Name, n.NumberClash, w)
		}
		if n.Name == "ShipStation EU" {
			euID = n.ID
		}
	}
	c.mustGQL(`mutation($id: ID!) { updateStoreConnection(id: $id, input: {settings: {refPrefix: "SE-"}}) { id } }`, map[string]any{"id": euID}, nil)
	c.mustGQL(q, nil, &list)
	for _, e := range list.StoreConnections.Edges {
		if e.Node.NumberClash != nil {
			t.Errorf("%s still clashes once ShipStation EU has a prefix: %+v", e.Node.Name, e.Node.NumberClash)
		}
	}
}

// The SPA's settings form sends every field: the sync log names only those that changed, and
// a save that changes nothing writes no line (issue 17).
func TestStoreSettingsChangeLogsOnlyWhatChanged(t *testing.T) {
	app, srv := newTestApp(t)
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	sc := &db.StoreConnection{AccountID: owner.AccountID, Channel: "shopify", Name: "Shop", BaseURL: "https://shop.example", Enabled: true,
		SyncEveryMinutes: 15, Settings: ordersync.DefaultSettingsJSON()}
	fixtureStore(t, app.DB, sc, `{}`)
	id := strconv.FormatInt(sc.ID, 10)
	const m = `mutation($id: ID!, $in: UpdateStoreConnectionInput!) { updateStoreConnection(id: $id, input: $in) { id } }`
	// Everything the form shows, as it is, but the Missing Product Action and the prefix.
	c.mustGQL(m, map[string]any{"id": id, "in": map[string]any{"name": "Shop", "syncEveryMinutes": 15, "enabled": true,
		"settings": map[string]any{"missingProductAction": "FLAG", "refPrefix": "SH-", "transactionType": "SALES_RECEIPT"}}}, nil)
	c.mustGQL(m, map[string]any{"id": id, "in": map[string]any{"name": "Shop", "settings": map[string]any{"refPrefix": "SH-"}}}, nil)
	var logs struct {
		Logs struct {
			Edges []struct{ Node struct{ Message string } }
		}
	}
	c.mustGQL(`{ logs(filter: {search: "Store connection"}) { edges { node { message } } } }`, nil, &logs)
	var got []string
	for _, e := range logs.Logs.Edges {
		got = append(got, e.Node.Message)
	}
	want := []string{"Store connection “Shop” changed: setting missingProduct, setting refPrefix."}
	if !slices.Equal(got, want) {
		t.Fatalf("logs = %q, want %q", got, want)
	}
}
