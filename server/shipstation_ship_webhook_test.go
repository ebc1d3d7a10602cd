package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// A ShipStation connection with the QuickBooks → ShipStation direction on gets its SHIP_NOTIFY
// webhook registered by the first poll; the simulated ShipStation's delivery for a label of a
// QuickBooks order is answered 200 and queued; the queued read brings the shipment in. A
// delivery naming a resource_url on another host is refused and logged, an unknown token is
// 404 and an oversized body 413.
func TestShipNotifyWebhook(t *testing.T) {
	app, srv := newTestApp(t, withSecretKey("0123456789abcdef0123456789abcdef-ship"))
	app.ShipBack.PublicURL = srv.URL // where the simulated ShipStation delivers

	ctx := context.Background()
	owner, gc := signIn(t, app, srv, 0, db.RoleOwner)
	set := orders.DefaultSettings()
	set.QuickBooksToShipStation = orders.QuickBooksToShipStationSettings{Enabled: true, AddTracking: true}
	ss, ssSrv, qbdConn, sc := fixtureShipStation(t, app, owner.AccountID, set)
	if _, err := app.ShipBack.Poll(ctx, owner.AccountID, sc.ID); err != nil {
		t.Fatal(err)
	}
	st, err := app.DB.GetShipBackState(ctx, owner.AccountID, sc.ID)
	if err != nil || st.WebhookID == nil || st.WebhookError != "" {
		t.Fatalf("webhook not registered: %+v %v", st, err)
	}

	street := "1 Main St"
	o, err := ss.AddOrder(shipstationsim.Order{OrderNumber: "S-1", OrderKey: shipstation.QuickBooksOrderKey(qbdConn.ID, shipstation.KeySalesReceipt, "1F-1764900000"),
		OrderDate: "2026-12-05T09:00:00.0000000", OrderStatus: shipstationsim.StatusAwaitingShipment,
		BillTo: &shipstationsim.Address{Name: "Jane"}, ShipTo: &shipstationsim.Address{Name: "Jane", Street1: &street}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Ship(o.OrderID, "ups", "ups_ground", "", 7.5); err != nil {
		t.Fatal(err)
	}
	ss.FlushWebhooks()
	var delivered *shipstationsim.WebhookDelivery
	for _, d := range ss.WebhookDeliveries() {
		if strings.Contains(string(d.Body), shipstation.EventShipNotify) {
			delivered = &d
		}
	}
	if delivered == nil || delivered.Status != http.StatusOK {
		t.Fatalf("SHIP_NOTIFY delivery: %+v", delivered)
	}
	ins := asynq.NewInspector(app.RedisOpt)
	defer ins.Close()
	pending, err := ins.ListPendingTasks(jobs.QueueDefault)
	if err != nil {
		t.Fatal(err)
	}
	var queued *jobs.ShipBackPayload
	for _, tk := range pending {
		var p jobs.ShipBackPayload
		if tk.Type == jobs.TypeShipNotify && json.Unmarshal(tk.Payload, &p) == nil && p.StoreConnectionID == sc.ID {
			queued = &p
		}
	}
	if queued == nil {
		t.Fatal("no ship notify task queued")
	}
	sum, err := app.ShipBack.Notified(ctx, queued.AccountID, queued.StoreConnectionID, queued.ResourceURL)
	if err != nil || sum.New != 1 {
		t.Fatalf("reading the delivery's resource: %+v %v, want 1 new shipment", sum, err)
	}

	// The token is the delivery's body's target: take it from ShipStation's subscription.
	c, _ := shipstation.New(shipstation.Config{BaseURL: ssSrv.URL, APIKey: shipstationsim.DefaultAPIKey, APISecret: shipstationsim.DefaultAPISecret})
	hooks, err := c.Webhooks(ctx)
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks %+v %v", hooks, err)
	}
	target := hooks[0].URL
	post := func(url, body string) int {
		resp, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	forged := `{"resource_url":"http://169.254.169.254/shipments?x=1","resource_type":"SHIP_NOTIFY"}`
	if code := post(target, forged); code != http.StatusUnprocessableEntity {
		t.Errorf("forged resource_url: %d, want 422", code)
	}
	logs, err := app.DB.ListLogs(ctx, owner.AccountID, db.LogFilter{Search: "outside this connection's ShipStation address"}, db.Page{Limit: 5})
	if err != nil || len(logs.Items) != 1 || !strings.Contains(logs.Items[0].Message, "169.254.169.254") {
		t.Errorf("forged resource_url not logged: %+v %v", logs.Items, err)
	}
	if code := post(srv.URL+"/webhooks/shipstation-ship/"+strings.Repeat("A", 43), forged); code != http.StatusNotFound {
		t.Errorf("unknown token: %d, want 404", code)
	}
	if code := post(target, `{"resource_url":"`+strings.Repeat("x", 20<<10)+`"}`); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", code)
	}

	// The merchant sees the shipment and the webhook's state through GraphQL; another account
	// sees neither.
	id := strconv.FormatInt(sc.ID, 10)
	var out struct {
		ShipmentsBack struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Source, OrderNumber, QuickBooksTxnType, QuickBooksTxnID, Carrier, Cost, Status, Message string
				}
			}
		}
		ShipmentsBackState struct {
			On, WebhookRegistered bool
			LastWebhookAt         *string
		}
	}
	q := `query($id: ID!) { shipmentsBack(storeConnectionId: $id, first: 10) { totalCount edges { node { source orderNumber quickBooksTxnType quickBooksTxnId carrier cost status message } } }
		shipmentsBackState(storeConnectionId: $id) { on webhookRegistered lastWebhookAt } }`
	gc.mustGQL(q, map[string]any{"id": id}, &out)
	if out.ShipmentsBack.TotalCount != 1 {
		t.Fatalf("shipmentsBack: %+v", out.ShipmentsBack)
	}
	n := out.ShipmentsBack.Edges[0].Node
	if n.Source != "SHIPMENT" || n.OrderNumber != "S-1" || n.QuickBooksTxnType != "SalesReceipt" || n.QuickBooksTxnID != "1F-1764900000" ||
		n.Carrier != "UPS" || n.Cost != "7.50" || n.Status != "WAITING" {
		t.Errorf("shipment back: %+v", n)
	}
	if st := out.ShipmentsBackState; !st.On || !st.WebhookRegistered || st.LastWebhookAt == nil {
		t.Errorf("state: %+v", st)
	}
	other, opw := fixtureUser(t, app.DB, 0, db.RoleOwner)
	if r := newClient(t, srv.URL).login(other.Email, opw).gql(q, map[string]any{"id": id}); r.code() != "NOT_FOUND" {
		t.Errorf("another account: %+v", r.Errors)
	}
}
