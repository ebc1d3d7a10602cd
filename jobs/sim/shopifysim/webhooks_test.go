package shopifysim

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

type received struct {
	header http.Header
	body   []byte
}

func TestWebhooks(t *testing.T) {
	var mu sync.Mutex
	var got []received
	fail := 1 // the first orders/create attempt fails with 500
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, received{r.Header.Clone(), b})
		if fail > 0 && r.Header.Get("X-Shopify-Topic") == "orders/create" {
			fail--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer recv.Close()

	h := newHarness(t, Options{AppSecret: "hush", WebhookBackoff: 5 * time.Millisecond})
	h.sim.Generate(0, 1) // catalog, so the order's SKUs get prices
	for _, topic := range []string{"orders/create", "orders/updated"} {
		if err := h.sim.Subscribe(topic, recv.URL+"/hooks"); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.sim.Subscribe("products/create", recv.URL); err == nil {
		t.Error("Subscribe accepted a topic that is not simulated")
	}
	o, err := h.sim.AddOrder(goldenOrder(h.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.UpdateOrder(o.ID, func(o *Order) { o.Note = "updated" }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.sim.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}

	ds := h.sim.Deliveries()
	if len(ds) != 2 || ds[0].Topic != "orders/create" || ds[0].Attempts != 2 || !ds[0].Delivered || ds[1].Attempts != 1 {
		for _, d := range ds {
			t.Logf("%s: attempts %d, status %d, delivered %v, err %q", d.Topic, d.Attempts, d.Status, d.Delivered, d.Err)
		}
		t.Fatal("want orders/create delivered on the 2nd attempt and orders/updated on the 1st")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("receiver saw %d requests, want 3 (one retry)", len(got))
	}
	// Deliveries run concurrently, so group by topic rather than arrival.
	byTopic := map[string][]received{}
	for _, r := range got {
		byTopic[r.header.Get("X-Shopify-Topic")] = append(byTopic[r.header.Get("X-Shopify-Topic")], r)
	}
	create, updated := byTopic["orders/create"], byTopic["orders/updated"]
	if len(create) != 2 || len(updated) != 1 {
		t.Fatalf("create %d, updated %d requests", len(create), len(updated))
	}
	if create[0].header.Get("X-Shopify-Webhook-Id") != create[1].header.Get("X-Shopify-Webhook-Id") {
		t.Error("a retry changed X-Shopify-Webhook-Id")
	}
	if create[0].header.Get("X-Shopify-Webhook-Id") == updated[0].header.Get("X-Shopify-Webhook-Id") {
		t.Error("two events share X-Shopify-Webhook-Id")
	}
	for _, r := range got {
		m := hmac.New(sha256.New, []byte("hush"))
		m.Write(r.body)
		if want := base64.StdEncoding.EncodeToString(m.Sum(nil)); r.header.Get("X-Shopify-Hmac-Sha256") != want {
			t.Errorf("HMAC %q, want %q", r.header.Get("X-Shopify-Hmac-Sha256"), want)
		}
		for _, k := range []string{"X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Triggered-At", "X-Shopify-Event-Id"} {
			if r.header.Get(k) == "" {
				t.Errorf("missing header %s", k)
			}
		}
	}
	var body map[string]any
	if err := json.Unmarshal(updated[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if body["note"] != "updated" || body["name"] != "#1001" ||
		body["total_price"] != "67.96" || body["admin_graphql_api_id"] != gid("Order", o.ID) {
		t.Errorf("orders/updated body = %s", updated[0].body)
	}
}

// TestWebhookGivesUp: a receiver that always fails gets WebhookAttempts tries.
func TestWebhookGivesUp(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	defer recv.Close()
	h := newHarness(t, Options{WebhookAttempts: 4, WebhookBackoff: time.Millisecond})
	if err := h.sim.Subscribe("orders/create", recv.URL); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.AddOrder(Order{LineItems: []LineItem{{Title: "x", Quantity: 1, UnitPrice: 100}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.WaitWebhooks(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := h.sim.Deliveries(); len(d) != 1 || d[0].Attempts != 4 || d[0].Delivered || d[0].Status != 503 {
		t.Errorf("want one undelivered delivery after 4 attempts with status 503, got %d deliveries", len(d))
	}
}
