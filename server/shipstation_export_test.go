package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Sync Orders from QuickBooks through GraphQL: the settings saved on the ShipStation
// connection, the store drop-down filled from the simulated ShipStation's /stores, test sales
// queued by saving the list and by the mutation, and the sent-sales list scoped to the account.
func TestShipStationExportGraphQL(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1")
	cfg := &Config{DatabaseURL: dbtest.DatabaseURL(t), RedisURL: dbtest.RedisURL(t), Addr: "127.0.0.1:0",
		PublicURL: "http://127.0.0.1", Concurrency: 2, SecretKey: "0123456789abcdef0123456789abcdef-ssx"}
	app, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	ss := shipstationsim.New(shipstationsim.Options{})
	ssSrv := httptest.NewServer(ss)
	t.Cleanup(ssSrv.Close)

	ctx := context.Background()
	owner, password := fixtureUser(t, app.DB, 0, db.RoleOwner)
	qbdConn := &db.QBDConnection{AccountID: owner.AccountID, Name: "Company", WCUsername: "wc-ssx-" + t.Name(),
		WCPasswordHash: "x", OwnerID: "11111111-1111-4111-8111-111111111111", FileID: "22222222-2222-4222-8222-222222222222"}
	if err := app.DB.CreateQBDConnection(ctx, qbdConn); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(orders.DefaultSettings())
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: shipstationsim.DefaultAPIKey, APISecret: shipstationsim.DefaultAPISecret})
	sc := &db.StoreConnection{AccountID: owner.AccountID, Channel: "shipstation", Name: "ShipStation", BaseURL: ssSrv.URL,
		QBDConnectionID: &qbdConn.ID, Enabled: true, Settings: raw}
	if err := app.DB.CreateStoreConnection(ctx, sc, app.Sealer, creds); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL).login(owner.Email, password)

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
	if resend.ResendShipStationExport.State != db.ExportReading {
		t.Fatalf("resend: %+v", resend)
	}

	// Another account sees nothing of it.
	other, otherPassword := fixtureUser(t, app.DB, 0, db.RoleOwner)
	oc := newClient(t, srv.URL).login(other.Email, otherPassword)
	if r := oc.gql(`query($id: ID!) { shipStationExports(connectionId: $id) { totalCount } }`, map[string]any{"id": sc.ID}); len(r.Errors) == 0 {
		t.Fatal("another account listed the sales")
	}
	if r := oc.gql(`mutation($id: ID!) { resendShipStationExport(id: $id) { state } }`, map[string]any{"id": row.ID}); len(r.Errors) == 0 {
		t.Fatal("another account resent a sale")
	}
}
