package shopifysim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuthAndVersions(t *testing.T) {
	h := newHarness(t, Options{AccessToken: "shpat_good"})
	tests := []struct {
		name, token, path string
		status            int
		body              string
	}{
		{"valid", "shpat_good", "/admin/api/2025-01/graphql.json", 200, `"name":"Ledgerlink Demo Store"`},
		{"wrong token", "shpat_bad", "/admin/api/2025-01/graphql.json", 401,
			`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`},
		{"no token", "", "/admin/api/2025-01/graphql.json", 401,
			`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`},
		{"unsupported version", "shpat_good", "/admin/api/2019-04/graphql.json", 404, `{"errors":"Not Found"}`},
		{"malformed version", "shpat_good", "/admin/api/latest/graphql.json", 404, `{"errors":"Not Found"}`},
		{"unknown path", "shpat_good", "/admin/api/2025-01/orders.json", 404, `{"errors":"Not Found"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.doWith(tc.token, tc.path, `{ shop { name } }`, nil)
			if r.Status != tc.status || !strings.Contains(string(r.Raw), tc.body) {
				t.Errorf("HTTP %d %s, want %d containing %s", r.Status, r.Raw, tc.status, tc.body)
			}
			if tc.status == 200 && r.Header.Get("X-Shopify-API-Version") != "2025-01" {
				t.Errorf("X-Shopify-API-Version = %q", r.Header.Get("X-Shopify-API-Version"))
			}
		})
	}
	req := h.sim.Requests()
	if req["(unauthorized)"] != 2 || req["(not found)"] != 3 || req["shop"] != 1 {
		t.Errorf("Requests() = %v", req)
	}
}

func TestRequestBodies(t *testing.T) {
	h := newHarness(t, Options{})
	post := func(ctype, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, h.http.URL+h.sim.GraphQLPath(), strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Shopify-Access-Token", h.sim.AccessToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := post("application/graphql", `{ shop { currencyCode } }`); code != 200 || !strings.Contains(body, `"currencyCode":"USD"`) {
		t.Errorf("application/graphql: %d %s", code, body)
	}
	if code, body := post("application/json", `{"query": ""}`); code != 400 || body != `{"errors":{"query":"Required parameter missing or invalid"}}` {
		t.Errorf("empty query: %d %s", code, body)
	}
	if code, _ := post("application/json", `not json`); code != 400 {
		t.Errorf("bad JSON: %d", code)
	}
	if code, body := post("application/json", `{"query":"query A { shop { name } } query B { shop { id } }","operationName":"B"}`); code != 200 || !strings.Contains(body, `"id":"gid://shopify/Shop/`) {
		t.Errorf("operationName: %d %s", code, body)
	}
}

func TestFaults(t *testing.T) {
	h := newHarness(t, Options{})
	const q = `{ shop { name } }`
	h.sim.FailNext(1, Fault{Status: 429})
	h.sim.FailNext(1, Fault{Status: 500})
	h.sim.FailNext(1, Fault{Status: 502})
	h.sim.FailNext(1, Fault{Status: 429, RetryAfter: 1500 * time.Millisecond})

	r := h.do(q, nil)
	if r.Status != 429 || r.Header.Get("Retry-After") != "2.0" || !strings.Contains(string(r.Raw), "Exceeded 2 calls per second") {
		t.Errorf("429: %d %v %s", r.Status, r.Header.Get("Retry-After"), r.Raw)
	}
	if r = h.do(q, nil); r.Status != 500 || string(r.Raw) != `{"errors":"Internal Server Error"}` {
		t.Errorf("500: %d %s", r.Status, r.Raw)
	}
	if r = h.do(q, nil); r.Status != 502 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("502: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	if r = h.do(q, nil); r.Status != 429 || r.Header.Get("Retry-After") != "1.5" {
		t.Errorf("429 with RetryAfter: %d %q", r.Status, r.Header.Get("Retry-After"))
	}
	h.do(q, nil).ok(t) // queue drained

	h.sim.FailFraction(1, Fault{Status: 503})
	for range 3 {
		if r = h.do(q, nil); r.Status != 503 {
			t.Fatalf("FailFraction(1): HTTP %d", r.Status)
		}
	}
	h.sim.FailFraction(0.5, Fault{Status: 500})
	failed := 0
	for range 200 {
		if h.do(q, nil).Status == 500 {
			failed++
		}
	}
	if failed < 60 || failed > 140 {
		t.Errorf("FailFraction(0.5) failed %d of 200", failed)
	}
	h.sim.ClearFaults()
	h.do(q, nil).ok(t)

	log := h.sim.Log()
	if log[0].Fault != "429" || log[0].Status != 429 || log[0].RootFields[0] != "shop" {
		t.Errorf("log[0] = %+v", log[0])
	}
	if got := h.sim.Requests()["shop"]; got != len(log) {
		t.Errorf("Requests()[shop] = %d, log has %d", got, len(log))
	}
}

func TestDelayAndTimeout(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.FailNext(1, Fault{Delay: 300 * time.Millisecond})
	client := &http.Client{Timeout: 50 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodPost, h.http.URL+h.sim.GraphQLPath(), strings.NewReader(`{"query":"{ shop { name } }"}`))
	req.Header.Set("X-Shopify-Access-Token", h.sim.AccessToken())
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("want a client timeout, got %v", err)
	}
	if time.Since(start) > 250*time.Millisecond {
		t.Errorf("timeout took %v", time.Since(start))
	}
	h.sim.FailNext(1, Fault{Delay: 20 * time.Millisecond})
	start = time.Now()
	h.do(`{ shop { name } }`, nil).ok(t)
	if time.Since(start) < 20*time.Millisecond {
		t.Error("delay was not applied")
	}
}

// TestConcurrentUse runs reads, mutations and edits at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, Options{BucketSize: 1e9, RestoreRate: 1e9})
	orders := h.sim.Generate(50, 2)
	item, _ := lookup(t, h, "TEE-BLK-M")
	loc := gid("Location", h.sim.Locations()[0].ID)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				switch (i + j) % 3 {
				case 0:
					h.do(`{ orders(first: 20, sortKey: UPDATED_AT) { edges { node { id lineItems(first: 5) { edges { node { sku } } } } } } }`, nil).ok(t)
				case 1:
					h.do(setQuantities, map[string]any{"input": map[string]any{"name": "available", "reason": "correction",
						"ignoreCompareQuantity": true, "quantities": []any{quantity(item, loc, i*100+j, nil)}}}).ok(t)
				case 2:
					if _, err := h.sim.UpdateOrder(orders[j].ID, func(o *Order) { o.Tags = append(o.Tags, "touched") }); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
}
