package demo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// The demo's simulated stores are reachable without signing in to Ledgerlink; a webhook
// subscription must not turn them into a way to make this server post to other addresses.
func TestSimulatorsDeliverWebhooksOnlyToTheAppItself(t *testing.T) {
	var self, elsewhere atomic.Int64
	selfSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { self.Add(1) }))
	defer selfSrv.Close()
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer otherSrv.Close()

	sims := Simulators(selfSrv.URL)
	ss := sims["shipstation"].(*shipstationsim.Server)
	for _, target := range []string{selfSrv.URL + "/webhooks/shipstation", otherSrv.URL + "/steal"} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/subscribe",
			strings.NewReader(`{"target_url":"`+target+`","event":"ORDER_NOTIFY"}`))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(simShipStationKey, simShipStationSecret)
		rec := httptest.NewRecorder()
		ss.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("subscribe %s: %d %s", target, rec.Code, rec.Body)
		}
	}
	ss.Generate(1, 99) // new orders fire ORDER_NOTIFY
	ss.FlushWebhooks()

	if self.Load() == 0 {
		t.Fatal("the webhook to the app's own address was not delivered")
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("the simulator posted %d webhooks to another address", n)
	}
	refused := 0
	for _, d := range ss.WebhookDeliveries() {
		if strings.HasPrefix(d.Target, otherSrv.URL) && d.Err != nil {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("the delivery to another address was not recorded as refused")
	}
}
