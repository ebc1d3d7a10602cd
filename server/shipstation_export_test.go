package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// Sync Orders from QuickBooks through GraphQL: the settings saved on the ShipStation
// connection, the store drop-down filled from the simulated ShipStation's /stores, test sales
// queued by saving the list and by the mutation, and the sent-sales list scoped to the account.
func TestShipStationExportGraphQL(t *testing.T) {
	app, srv := newTestApp(t, withSecretKey("0123456789abcdef0123456789abcdef-ssx"))
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	_, _, qbdConn, sc := fixtureShipStation(t, app, owner.AccountID, orders.DefaultSettings())

	var stores struct {
		ShipStationStores []struct {
			ID   int
			Name string
		}
	}
	c.mustGQL(`query($id: ID!) { shipStationStores(connectionId: $id) { id name } }`, map[string]any{"id": sc.ID}, &stores)
	names := map[string]int{}
	for _, s := range stores.ShipStationStores {
		names[s.Name] = s.ID
	}
	if names["Manual Orders"] != shipstationsim.ManualStoreID || names["Amazon US"] != 310003 {
		t.Fatalf("stores: %+v", stores)
	}

	var upd struct {
		UpdateStoreConnection struct {
			Settings struct {
				QuickbooksToShipStation struct {
					Enabled          bool
					TxnTypes         []string
					ClassFilter      string
					StoreID          int
					OrderStatus      string
					TestOrderNumbers []string
				}
			}
		}
	}
	c.mustGQL(`mutation($id: ID!, $s: PostingSettingsInput!) { updateStoreConnection(id: $id, input: {settings: $s}) {
		settings { quickbooksToShipStation { enabled txnTypes classFilter storeId orderStatus testOrderNumbers } } } }`,
		map[string]any{"id": sc.ID, "s": map[string]any{"quickbooksToShipStation": map[string]any{"enabled": true, "txnTypes": []string{"INVOICE", "SALES_RECEIPT"},
			"storeId": 310003, "testOrderNumbers": []string{"1001", " 1002"}}}}, &upd)
	q := upd.UpdateStoreConnection.Settings.QuickbooksToShipStation
	if !q.Enabled || strings.Join(q.TxnTypes, ",") != "INVOICE,SALES_RECEIPT" || q.ClassFilter != "ShipStation" || q.StoreID != 310003 ||
		q.OrderStatus != "awaiting_shipment" || strings.Join(q.TestOrderNumbers, ",") != "1001,1002" {
		t.Fatalf("saved settings: %+v", q)
	}
	// A Shopify connection cannot take the direction.
	if r := c.gql(`mutation($id: ID!) { updateStoreConnection(id: $id, input: {settings: {quickbooksToShipStation: {enabled: true}}}) { id } }`,
		map[string]any{"id": sc.ID + 1_000_000}); len(r.Errors) == 0 {
		t.Fatal("another connection id was accepted")
	}

	var tests struct {
		SendShipStationTestSales []struct{ RefNumber, State string }
	}
	c.mustGQL(`mutation($id: ID!) { sendShipStationTestSales(connectionId: $id, refNumbers: ["1003", "1001"]) { refNumber state } }`,
		map[string]any{"id": sc.ID}, &tests)
	got := map[string]string{}
	for _, tt := range tests.SendShipStationTestSales {
		got[tt.RefNumber] = tt.State
	}
	if len(got) != 3 || got["1001"] != "pending" || got["1002"] != "pending" || got["1003"] != "pending" {
		t.Fatalf("test sales: %+v", tests)
	}
	if r := c.gql(`mutation($id: ID!) { sendShipStationTestSales(connectionId: $id, refNumbers: ["123456789012"]) { refNumber } }`,
		map[string]any{"id": sc.ID}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("a 12-character number: %+v", r.Errors)
	}

	day := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	row := &db.ShipStationExport{AccountID: owner.AccountID, StoreConnectionID: sc.ID, QBDConnectionID: qbdConn.ID, TxnType: "IN", TxnID: "1A-1",
		RefNumber: "1001", TxnDate: &day, OrderKey: "llqb-1-IN-1A-1", State: db.ExportFailed, LastResult: "ShipStation refused the order."}
	if err := db.SaveShipStationExport(ctx, dbtest.SQL(t), row); err != nil {
		t.Fatal(err)
	}
	var list struct {
		ShipStationExports struct {
			TotalCount int
			Edges      []struct {
				Node struct{ ID, RefNumber, TxnType, TxnDate, State, Result string }
			}
		}
	}
	c.mustGQL(`query($id: ID!) { shipStationExports(connectionId: $id, state: "failed") { totalCount edges { node { id refNumber txnType txnDate state result } } } }`,
		map[string]any{"id": sc.ID}, &list)
	if list.ShipStationExports.TotalCount != 1 || list.ShipStationExports.Edges[0].Node.TxnType != "INVOICE" || list.ShipStationExports.Edges[0].Node.TxnDate != "2026-12-04" {
		t.Fatalf("sent-sales list: %+v", list)
	}
	var resend struct{ ResendShipStationExport struct{ State string } }
	c.mustGQL(`mutation($id: ID!) { resendShipStationExport(id: $id) { state } }`, map[string]any{"id": row.ID}, &resend)
	if resend.ResendShipStationExport.State != db.ExportResend {
		t.Fatalf("resend: %+v", resend)
	}

	// Another account sees nothing of it.
	_, oc := signIn(t, app, srv, 0, db.RoleOwner)
	if r := oc.gql(`query($id: ID!) { shipStationExports(connectionId: $id) { totalCount } }`, map[string]any{"id": sc.ID}); len(r.Errors) == 0 {
		t.Fatal("another account listed the sales")
	}
	if r := oc.gql(`mutation($id: ID!) { resendShipStationExport(id: $id) { state } }`, map[string]any{"id": row.ID}); len(r.Errors) == 0 {
		t.Fatal("another account resent a sale")
	}
}

// The set-up wizard adds its ShipStation connection paused (enabled: false), after the same
// credential check, so nothing is pulled or sent before it finishes; a connection added
// without the field is on, as before.
func TestCreateStoreConnectionPaused(t *testing.T) {
	app, srv := newTestApp(t, withSecretKey("0123456789abcdef0123456789abcdef-ssp"))
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	_, ssSrv, _, _ := fixtureShipStation(t, app, owner.AccountID, orders.DefaultSettings())
	const create = `mutation($in: CreateStoreConnectionInput!) { createStoreConnection(input: $in) { id enabled } }`
	in := func(name string, secret string) map[string]any {
		return map[string]any{"channel": "SHIPSTATION", "name": name, "baseUrl": ssSrv.URL,
			"credentials": map[string]any{"apiKey": shipstationsim.DefaultAPIKey, "apiSecret": secret}}
	}
	paused := in("Wizard", shipstationsim.DefaultAPISecret)
	paused["enabled"] = false
	var out struct{ CreateStoreConnection struct{ Enabled bool } }
	c.mustGQL(create, map[string]any{"in": paused}, &out)
	if out.CreateStoreConnection.Enabled {
		t.Fatal("enabled: false was ignored")
	}
	c.mustGQL(create, map[string]any{"in": in("Plain", shipstationsim.DefaultAPISecret)}, &out)
	if !out.CreateStoreConnection.Enabled {
		t.Fatal("a connection added without enabled is paused")
	}
	// Wrong credentials are refused before anything is stored, paused or not.
	wrong := in("Wrong", "not-the-secret")
	wrong["enabled"] = false
	if r := c.gql(create, map[string]any{"in": wrong}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("wrong secret: %+v", r.Errors)
	}
	due, err := app.DB.DueStoreConnections(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dueNames := map[string]bool{}
	for _, d := range due {
		if d.AccountID == owner.AccountID {
			dueNames[d.Name] = true
		}
	}
	if dueNames["Wizard"] || !dueNames["Plain"] {
		t.Fatalf("due for a pull: %v, want Plain and not the paused Wizard", dueNames)
	}
}
