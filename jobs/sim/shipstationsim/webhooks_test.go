package shipstationsim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// hookSink is a real HTTP endpoint that records webhook bodies.
type hookSink struct {
	mu     sync.Mutex
	bodies []map[string]string
	url    string
}

func newSink(t *testing.T) *hookSink {
	s := &hookSink{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil || r.Method != "POST" {
			http.Error(w, "bad webhook", 400)
			return
		}
		s.mu.Lock()
		s.bodies = append(s.bodies, m)
		s.mu.Unlock()
	}))
	t.Cleanup(ts.Close)
	s.url = ts.URL
	return s
}

func (s *hookSink) got() []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]string(nil), s.bodies...)
}

func TestWebhooks(t *testing.T) {
	e := start(t, Options{})
	sink := newSink(t)
	amazon := e.sim.Stores()[2]
	var ship, order, amazonOnly struct {
		ID int64 `json:"id"`
	}
	e.must("POST", "/webhooks/subscribe", map[string]any{"target_url": sink.url + "/ship?token=s3cr3t", "event": "SHIP_NOTIFY", "store_id": nil, "friendly_name": "Ledgerlink ship"}, &ship)
	e.must("POST", "/webhooks/subscribe", map[string]any{"target_url": sink.url + "/orders", "event": "ORDER_NOTIFY"}, &order)
	e.must("POST", "/webhooks/subscribe", map[string]any{"target_url": sink.url + "/amazon", "event": "ORDER_NOTIFY", "store_id": amazon.StoreID}, &amazonOnly)
	if ship.ID == 0 || ship.ID == order.ID {
		t.Fatalf("ids %d %d", ship.ID, order.ID)
	}
	var list struct {
		Webhooks []struct {
			WebHookID int64
			HookType  string
			URL       string `json:"Url"`
			Name      string
			StoreID   *int64
		} `json:"webhooks"`
	}
	e.must("GET", "/webhooks", nil, &list)
	if len(list.Webhooks) != 3 || list.Webhooks[0].HookType != "SHIP_NOTIFY" || list.Webhooks[0].Name != "Ledgerlink ship" || deref(list.Webhooks[2].StoreID) != amazon.StoreID {
		t.Fatalf("webhooks = %+v", list.Webhooks)
	}

	// SHIP_NOTIFY: the resource_url points back here and lists the new label.
	o := e.createOne(newOrder("W-1", "w-1", StatusAwaitingShipment))
	sh, err := e.sim.Ship(o.OrderID, "ups", "ups_ground", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	e.sim.FlushWebhooks()
	got := sink.got()
	if len(got) != 1 || got[0]["resource_type"] != "SHIP_NOTIFY" || !strings.HasPrefix(got[0]["resource_url"], e.url+"/shipments?") {
		t.Fatalf("deliveries = %v", got)
	}
	var sl shipmentList
	e.must("GET", strings.TrimPrefix(got[0]["resource_url"], e.url), nil, &sl)
	if sl.Total != 1 || sl.Shipments[0].ShipmentID != sh.ShipmentID || sl.Shipments[0].TrackingNumber != sh.TrackingNumber {
		t.Fatalf("resource_url %s lists %+v", got[0]["resource_url"], sl)
	}

	// ORDER_NOTIFY: one per imported store batch; the store filter holds.
	woo := e.sim.Stores()[1]
	imported, err := e.sim.AddOrder(func() Order {
		x := newOrder("9001", "woo-9001", StatusAwaitingShipment)
		x.AdvancedOptions = &AdvancedOptions{StoreID: ptr(woo.StoreID)}
		return x
	}())
	if err != nil {
		t.Fatal(err)
	}
	e.sim.FlushWebhooks()
	got = sink.got()[1:]
	if len(got) != 1 || got[0]["resource_type"] != "ORDER_NOTIFY" || !strings.Contains(got[0]["resource_url"], fmt.Sprintf("storeID=%d&importBatch=", woo.StoreID)) {
		t.Fatalf("order deliveries = %v", got)
	}
	var ol orderList
	e.must("GET", strings.TrimPrefix(got[0]["resource_url"], e.url), nil, &ol)
	if ol.Total != 1 || ol.Orders[0].OrderID != imported.OrderID {
		t.Fatalf("ORDER_NOTIFY resource lists %+v", ol)
	}
	// Orders pushed through the API do not notify.
	e.createOne(newOrder("W-2", "w-2", StatusAwaitingShipment))
	e.sim.FlushWebhooks()
	if n := len(sink.got()); n != 2 {
		t.Fatalf("%d deliveries after an API createorder, want 2", n)
	}
	if d := e.sim.WebhookDeliveries(); len(d) != 2 || d[0].Status != 200 || d[0].Err != nil {
		t.Fatalf("delivery log = %+v", d)
	}

	// Generate notifies every store once, the Amazon-only hook only for Amazon.
	gen := e.sim.Generate(40, 5)
	e.sim.FlushWebhooks()
	storesUsed := map[int64]bool{}
	for _, o := range gen {
		storesUsed[o.StoreID()] = true
	}
	if !storesUsed[amazon.StoreID] {
		t.Fatal("seed 5 put no order in the Amazon store; pick another seed")
	}
	byPath := map[string]int{}
	for _, d := range e.sim.WebhookDeliveries()[2:] {
		byPath[d.Target[len(sink.url):]]++
	}
	if byPath["/orders"] != len(storesUsed) || byPath["/amazon"] != 1 {
		t.Fatalf("Generate deliveries per target = %v", byPath)
	}

	// Unsubscribe.
	if r := e.do("DELETE", fmt.Sprintf("/webhooks/%d", ship.ID), nil); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("unsubscribe: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", fmt.Sprintf("/webhooks/%d", ship.ID), nil); r.status != 404 {
		t.Fatalf("second unsubscribe: %d", r.status)
	}
	before := len(e.sim.WebhookDeliveries())
	if _, err := e.sim.Ship(imported.OrderID, "ups", "ups_ground", "", 10); err != nil {
		t.Fatal(err)
	}
	e.sim.FlushWebhooks()
	if len(e.sim.WebhookDeliveries()) != before {
		t.Fatal("delivered to an unsubscribed hook")
	}

	for name, body := range map[string]string{
		"bad event":    `{"target_url":"http://x.example/","event":"SOMETHING"}`,
		"relative url": `{"target_url":"/hook","event":"SHIP_NOTIFY"}`,
		"bad store":    `{"target_url":"http://x.example/","event":"SHIP_NOTIFY","store_id":1}`,
	} {
		if r := e.do("POST", "/webhooks/subscribe", body); r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
}

func TestStoresCarriersProducts(t *testing.T) {
	e := start(t, Options{Stores: []StoreSpec{
		{Name: "Shop One", MarketplaceID: 36, MarketplaceName: "WooCommerce"},
		{Name: "Old Shop", MarketplaceID: 36, MarketplaceName: "WooCommerce", Inactive: true},
	}})
	var stores []Store
	e.must("GET", "/stores", nil, &stores)
	if len(stores) != 2 || stores[0].StoreName != "Manual Orders" || stores[0].MarketplaceName != "ShipStation" || stores[0].StoreID != ManualStoreID || stores[1].StoreName != "Shop One" {
		t.Fatalf("stores = %+v", stores)
	}
	e.must("GET", "/stores?showInactive=true&marketplaceId=36", nil, &stores)
	if len(stores) != 2 || stores[1].Active {
		t.Fatalf("inactive WooCommerce stores = %+v", stores)
	}
	var one StoreDetail
	e.must("GET", fmt.Sprintf("/stores/%d", stores[0].StoreID), nil, &one)
	if one.StoreName != "Shop One" || len(one.StatusMappings) == 0 {
		t.Fatalf("store = %+v", one)
	}
	if r := e.do("GET", "/stores/1", nil); r.status != 404 {
		t.Fatalf("unknown store: %d", r.status)
	}

	var carriers []Carrier
	e.must("GET", "/carriers", nil, &carriers)
	if len(carriers) < 3 {
		t.Fatalf("carriers = %+v", carriers)
	}
	var svcs []Service
	e.must("GET", "/carriers/listservices?carrierCode=fedex", nil, &svcs)
	if len(svcs) == 0 || svcs[0].CarrierCode != "fedex" {
		t.Fatalf("services = %+v", svcs)
	}
	for _, c := range carriers {
		e.must("GET", "/carriers/listservices?carrierCode="+c.Code, nil, &svcs)
		if len(svcs) == 0 {
			t.Errorf("carrier %s has no services", c.Code)
		}
	}
	if r := e.do("GET", "/carriers/listservices?carrierCode=pigeon", nil); r.status != 400 {
		t.Fatalf("unknown carrier: %d", r.status)
	}

	// Products appear for every new SKU on an order.
	e.createOne(newOrder("P-1", "p-1", StatusAwaitingShipment))
	var pl struct {
		Products []Product `json:"products"`
		Total    int       `json:"total"`
	}
	e.must("GET", "/products?sku=wid-1", nil, &pl)
	if pl.Total != 1 || pl.Products[0].SKU != "WID-1" || pl.Products[0].Name != "Widget" {
		t.Fatalf("products = %+v", pl)
	}
	o, _ := e.sim.OrderByKey("p-1")
	if deref(o.Items[0].ProductID) != pl.Products[0].ProductID {
		t.Fatal("item productId does not point at the product")
	}
}

// A SHIP_NOTIFY POST that is refused (connection closed) or answered 500 is retried after
// each of WebhookRetryDelays until a 2xx; one that never succeeds stops after the last retry.
func TestWebhookRetries(t *testing.T) {
	e := start(t, Options{WebhookRetryDelays: []time.Duration{5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond}})
	t.Cleanup(e.sim.Close)
	var mu sync.Mutex
	calls := 0
	var bodies []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		switch n {
		case 1: // the receiver is down: the connection closes without an answer
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case 2:
			http.Error(w, "try again later", http.StatusInternalServerError)
		default:
			mu.Lock()
			bodies = append(bodies, string(b))
			mu.Unlock()
		}
	}))
	t.Cleanup(ts.Close)
	var sub struct {
		ID int64 `json:"id"`
	}
	e.must("POST", "/webhooks/subscribe", map[string]any{"target_url": ts.URL + "/ship", "event": "SHIP_NOTIFY"}, &sub)
	o := e.createOne(newOrder("R-1", "r-1", StatusAwaitingShipment))
	if _, err := e.sim.Ship(o.OrderID, "ups", "ups_ground", "", 10); err != nil {
		t.Fatal(err)
	}
	e.sim.FlushWebhooks()
	if d := e.sim.WebhookDeliveries(); len(d) == 0 || d[0].Err == nil || d[0].Attempt != 1 {
		t.Fatalf("after the first POST: %+v, want a refused attempt", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.sim.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	d := e.sim.WebhookDeliveries()
	if len(d) != 3 || d[1].Status != 500 || d[1].Attempt != 2 || !d[2].Delivered() || d[2].Attempt != 3 {
		t.Fatalf("deliveries %+v, want refused, 500, then 200", d)
	}
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"resource_type":"SHIP_NOTIFY"`) || string(d[0].Body) != bodies[0] {
		t.Fatalf("delivered bodies %q, want the first POST's body once", bodies)
	}

	// A receiver that never answers 2xx gets 1 + 3 attempts, then nothing more.
	if r := e.do("DELETE", fmt.Sprintf("/webhooks/%d", sub.ID), nil); r.status != 200 {
		t.Fatalf("unsubscribe: %d", r.status)
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusBadGateway) }))
	t.Cleanup(down.Close)
	e.must("POST", "/webhooks/subscribe", map[string]any{"target_url": down.URL, "event": "SHIP_NOTIFY"}, nil)
	o2 := e.createOne(newOrder("R-2", "r-2", StatusAwaitingShipment))
	if _, err := e.sim.Ship(o2.OrderID, "ups", "ups_ground", "", 10); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	if d := e.sim.WebhookDeliveries()[3:]; len(d) != 4 || d[3].Status != http.StatusBadGateway || d[3].Attempt != 4 {
		t.Fatalf("deliveries to a receiver that is always down: %+v, want 4 attempts", d)
	}
}
