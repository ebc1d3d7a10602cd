package storenet

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// A store that redirects to another host must not receive the credentials: Go's client drops
// Authorization and Cookie on such a redirect, but not custom headers such as Shopify's
// X-Shopify-Access-Token or ShipStation's/WooCommerce's keys in headers of their own.
func TestRedirectToAnotherHostDropsCredentialHeaders(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]http.Header{}
	record := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name] = r.Header.Clone()
			mu.Unlock()
			_, _ = w.Write([]byte("{}"))
		})
	}
	other := httptest.NewServer(record("other"))
	defer other.Close()
	mux := http.NewServeMux()
	mux.Handle("/away", http.RedirectHandler(other.URL+"/landing", http.StatusFound))
	mux.Handle("/here", http.RedirectHandler("/landing", http.StatusFound))
	mux.Handle("/landing", record("same"))
	store := httptest.NewServer(mux)
	defer store.Close()

	c := newClient(nil)
	for _, path := range []string{"/away", "/here"} {
		req, _ := http.NewRequest(http.MethodGet, store.URL+path, nil)
		req.Header.Set("X-Shopify-Access-Token", "shpat_secret")
		req.Header.Set("Authorization", "Basic c2VjcmV0")
		req.Header.Set("Accept", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
	}
	if got := seen["other"].Get("X-Shopify-Access-Token"); got != "" {
		t.Errorf("another host received X-Shopify-Access-Token %q", got)
	}
	if got := seen["other"].Get("Authorization"); got != "" {
		t.Errorf("another host received Authorization %q", got)
	}
	if got := seen["other"].Get("Accept"); got != "application/json" {
		t.Errorf("another host: Accept = %q, want application/json kept", got)
	}
	if got := seen["same"].Get("X-Shopify-Access-Token"); got != "shpat_secret" {
		t.Errorf("same host: X-Shopify-Access-Token = %q, want it kept", got)
	}
}
