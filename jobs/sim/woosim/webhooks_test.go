package woosim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"
)

// receiver records webhook requests and answers with status.
type receiver struct {
	mu     sync.Mutex
	status int
	got    []received
}

type received struct {
	header http.Header
	body   []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, received{r.Header.Clone(), b})
	status := rc.status
	rc.mu.Unlock()
	w.WriteHeader(status)
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

func TestWebhookSignatureKnownAnswer(t *testing.T) {
	// Computed independently: base64(HMAC-SHA256('{"id":1}', "s3cr&t")).
	if got := WebhookSignature([]byte(`{"id":1}`), "s3cr&amp;t"); got != "9HsCMVoLkGanHcTx5rky9jxHKcOAo/FbSBG2W6AEhQQ=" {
		t.Errorf("signature %s", got)
	}
}

func TestWebhookDeliveries(t *testing.T) {
	rc := &receiver{status: 200}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	st := newStore(t, Options{HomeURL: "https://shop.example.com"})
	const secret = "wh_s3cret&amp;more"
	if _, err := st.AddWebhook(Webhook{Topic: "order.updated", DeliveryURL: hook.URL, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddWebhook(Webhook{Topic: "order.created", DeliveryURL: hook.URL, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	pings := rc.requests()
	if len(pings) != 2 || string(pings[0].body) != "webhook_id=1" || pings[0].header.Get("X-WC-Webhook-Signature") != "" {
		t.Fatalf("pings %+v", pings)
	}

	o, err := st.AddOrder(Order{Status: "pending", Total: "10.00"})
	if err != nil {
		t.Fatal(err)
	}
	st.WaitWebhooks()
	mustStatus(t, st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/orders/%d", o.ID), map[string]string{"status": "processing"}), 200)
	st.WaitWebhooks()

	got := rc.requests()[2:]
	if len(got) != 2 {
		t.Fatalf("%d deliveries", len(got))
	}
	for i, want := range []struct{ topic, event, id, status string }{
		{"order.created", "created", "2", "pending"},
		{"order.updated", "updated", "1", "processing"},
	} {
		d := got[i]
		mac := hmac.New(sha256.New, []byte("wh_s3cret&more"))
		mac.Write(d.body)
		h := d.header
		checks := map[string]string{
			"Content-Type":           "application/json",
			"User-Agent":             "WooCommerce/10.1.2 Hookshot (WordPress/6.8.3)",
			"X-WC-Webhook-Source":    "https://shop.example.com/",
			"X-WC-Webhook-Topic":     want.topic,
			"X-WC-Webhook-Resource":  "order",
			"X-WC-Webhook-Event":     want.event,
			"X-WC-Webhook-ID":        want.id,
			"X-WC-Webhook-Signature": base64.StdEncoding.EncodeToString(mac.Sum(nil)),
		}
		for k, v := range checks {
			if h.Get(k) != v {
				t.Errorf("delivery %d: %s = %q, want %q", i, k, h.Get(k), v)
			}
		}
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(h.Get("X-WC-Webhook-Delivery-ID")) {
			t.Errorf("delivery id %q", h.Get("X-WC-Webhook-Delivery-ID"))
		}
		var body struct {
			ID     int    `json:"id"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(d.body, &body); err != nil || body.ID != o.ID || body.Status != want.status {
			t.Errorf("delivery %d body %s", i, d.body)
		}
	}

	// Two deliveries of one webhook in the same second share a delivery
	// ID, because WooCommerce hashes the webhook ID with time().
	if _, err := st.UpdateOrder(o.ID, func(o *Order) { o.CustomerNote = "a" }); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateOrder(o.ID, func(o *Order) { o.CustomerNote = "b" }); err != nil {
		t.Fatal(err)
	}
	st.WaitWebhooks()
	ds := st.WebhookDeliveries()
	if got := ds[0].Header.Get("X-WC-Webhook-Signature"); got != WebhookSignature(ds[0].Body, secret) {
		t.Errorf("recorded signature %q", got)
	}
	last := ds[len(ds)-2:]
	if last[0].DeliveryID != last[1].DeliveryID {
		t.Errorf("delivery ids %s %s", last[0].DeliveryID, last[1].DeliveryID)
	}
	st.clock.Advance(time.Second)
	if _, err := st.UpdateOrder(o.ID, func(o *Order) { o.CustomerNote = "c" }); err != nil {
		t.Fatal(err)
	}
	st.WaitWebhooks()
	ds = st.WebhookDeliveries()
	if ds[len(ds)-1].DeliveryID == last[0].DeliveryID {
		t.Error("delivery id did not change with the second")
	}
}

func TestWebhookDisabledAfterFailures(t *testing.T) {
	rc := &receiver{status: 500}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	st := newStore(t, Options{})
	if _, err := st.AddWebhook(Webhook{Topic: "order.updated", DeliveryURL: hook.URL, Secret: "x"}); err == nil {
		t.Error("ping to a failing receiver did not report an error")
	}
	o, _ := st.AddOrder(Order{})
	for range 7 {
		if _, err := st.UpdateOrder(o.ID, func(*Order) {}); err != nil {
			t.Fatal(err)
		}
		st.WaitWebhooks()
	}
	if n := len(st.WebhookDeliveries()); n != 6 {
		t.Errorf("%d deliveries, want 6 (disabled after more than 5 failures)", n)
	}
	if st.Webhooks()[0].Status != "disabled" {
		t.Errorf("status %s", st.Webhooks()[0].Status)
	}
}
