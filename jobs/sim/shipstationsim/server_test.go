package shipstationsim

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	e := start(t, Options{APIKey: "k3y", APISecret: "s3cret"})
	tests := []struct {
		name        string
		key, secret string
		want        int
	}{
		{"no credentials", "", "", http.StatusUnauthorized},
		{"wrong secret", "k3y", "nope", http.StatusUnauthorized},
		{"wrong key", "nope", "s3cret", http.StatusUnauthorized},
		{"docs example pair is not this account's", DefaultAPIKey, DefaultAPISecret, http.StatusUnauthorized},
		{"key and secret swapped", "s3cret", "k3y", http.StatusUnauthorized},
		{"right pair", "k3y", "s3cret", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.doAs(tc.key, tc.secret, "GET", "/orders", nil)
			if r.status != tc.want {
				t.Fatalf("status = %d, want %d (%s)", r.status, tc.want, r.body)
			}
			if tc.want == http.StatusUnauthorized {
				if r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without a WWW-Authenticate challenge")
				}
				if r.header.Get("X-Rate-Limit-Limit") != "" {
					t.Error("an unauthenticated request must not be counted against a key's rate limit")
				}
			}
		})
	}
	// Rejected requests are still logged, with their status.
	reqs := e.sim.Requests()
	if len(reqs) != len(tests) || reqs[0].Status != http.StatusUnauthorized || reqs[len(reqs)-1].Status != http.StatusOK {
		t.Fatalf("request log = %+v", reqs)
	}
}

func TestRateLimit(t *testing.T) {
	e := start(t, Options{RateLimit: 40}) // the real limit; window 60 s on an injected clock
	header := func(r response, name string) int {
		t.Helper()
		n, err := strconv.Atoi(r.header.Get(name))
		if err != nil {
			t.Fatalf("%s = %q: %v", name, r.header.Get(name), err)
		}
		return n
	}
	for i := 1; i <= 40; i++ {
		r := e.do("GET", "/stores", nil)
		if r.status != http.StatusOK {
			t.Fatalf("request %d: status %d", i, r.status)
		}
		if got := header(r, "X-Rate-Limit-Limit"); got != 40 {
			t.Fatalf("request %d: Limit = %d", i, got)
		}
		if got := header(r, "X-Rate-Limit-Remaining"); got != 40-i {
			t.Fatalf("request %d: Remaining = %d, want %d", i, got, 40-i)
		}
		wantReset := 60
		if i > 20 {
			wantReset = 45
		}
		if got := header(r, "X-Rate-Limit-Reset"); got != wantReset {
			t.Fatalf("request %d: Reset = %d, want %d", i, got, wantReset)
		}
		if i == 20 {
			e.clock.Advance(15 * time.Second) // Reset counts down; Remaining does not refill
		}
	}
	r := e.do("GET", "/stores", nil)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("41st request: status %d, want 429", r.status)
	}
	if header(r, "X-Rate-Limit-Limit") != 40 || header(r, "X-Rate-Limit-Remaining") != 0 || header(r, "X-Rate-Limit-Reset") != 45 {
		t.Fatalf("429 headers = %v", r.header)
	}
	e.clock.Advance(44*time.Second + 500*time.Millisecond)
	if r := e.do("GET", "/stores", nil); r.status != http.StatusTooManyRequests || header(r, "X-Rate-Limit-Reset") != 1 {
		t.Fatalf("half a second before the window closes: status %d, Reset %s", r.status, r.header.Get("X-Rate-Limit-Reset"))
	}
	e.clock.Advance(500 * time.Millisecond)
	r = e.do("GET", "/stores", nil)
	if r.status != http.StatusOK {
		t.Fatalf("first request of the next window: status %d", r.status)
	}
	if header(r, "X-Rate-Limit-Remaining") != 39 || header(r, "X-Rate-Limit-Reset") != 60 {
		t.Fatalf("next window headers = %v", r.header)
	}
}

func TestFaults(t *testing.T) {
	t.Run("next N with 500 then normal", func(t *testing.T) {
		e := start(t, Options{})
		e.sim.FailNext(2, Fault{Status: 500})
		for i := range 2 {
			r := e.do("GET", "/orders", nil)
			if r.status != 500 || !strings.Contains(string(r.body), `"Message":"An error has occurred."`) || !strings.Contains(string(r.body), `"ExceptionType"`) {
				t.Fatalf("request %d: %d %s", i, r.status, r.body)
			}
			if r.header.Get("X-Rate-Limit-Remaining") == "" {
				t.Fatal("faulted responses still carry the rate-limit headers")
			}
		}
		if r := e.do("GET", "/orders", nil); r.status != 200 {
			t.Fatalf("third request: %d", r.status)
		}
		if got := e.sim.Requests()[0].Fault; got == "" {
			t.Error("request log does not mark the fault")
		}
	})
	t.Run("status shapes", func(t *testing.T) {
		e := start(t, Options{})
		tests := []struct {
			status      int
			contentType string
			body        string
		}{
			{429, "application/json", `"Message":"Too Many Requests"`},
			{502, "text/html", "<title>502 Bad Gateway</title>"},
			{503, "text/html", "503 Service Unavailable"},
			{404, "application/json", `"Message":"Not Found"`},
		}
		for _, tc := range tests {
			e.sim.FailNext(1, Fault{Status: tc.status})
			r := e.do("GET", "/stores", nil)
			if r.status != tc.status || !strings.HasPrefix(r.header.Get("Content-Type"), tc.contentType) || !strings.Contains(string(r.body), tc.body) {
				t.Errorf("%d: got %d %q %s", tc.status, r.status, r.header.Get("Content-Type"), r.body)
			}
			if tc.status == 429 && (r.header.Get("X-Rate-Limit-Remaining") != "0" || r.header.Get("X-Rate-Limit-Reset") == "") {
				t.Errorf("injected 429 headers = %v", r.header)
			}
		}
	})
	t.Run("path and method filter", func(t *testing.T) {
		e := start(t, Options{})
		e.sim.FailNext(1, Fault{Status: 503, Method: "POST", Path: "/orders/createorder"})
		if r := e.do("GET", "/orders", nil); r.status != 200 {
			t.Fatalf("GET /orders hit a POST-only fault: %d", r.status)
		}
		if r := e.do("POST", "/Orders/CreateOrder", newOrder("F-1", "f-1", StatusAwaitingShipment)); r.status != 503 {
			t.Fatalf("createorder: %d, want 503", r.status)
		}
		if _, ok := e.sim.OrderByKey("f-1"); ok {
			t.Fatal("a fault before handling must not create the order")
		}
	})
	t.Run("fraction", func(t *testing.T) {
		e := start(t, Options{Seed: 42})
		e.sim.FailRandomly(0.25, Fault{Status: 502})
		failed := 0
		for range 200 {
			if e.do("GET", "/stores", nil).status == 502 {
				failed++
			}
		}
		if failed < 30 || failed > 70 {
			t.Fatalf("%d of 200 failed at fraction 0.25", failed)
		}
		e.sim.ClearFaults()
		if r := e.do("GET", "/stores", nil); r.status != 200 {
			t.Fatalf("after ClearFaults: %d", r.status)
		}
	})
	t.Run("delay beyond the client timeout", func(t *testing.T) {
		e := start(t, Options{})
		e.sim.FailNext(1, Fault{Delay: 2 * time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", e.url+"/stores", nil)
		req.SetBasicAuth(DefaultAPIKey, DefaultAPISecret)
		began := time.Now()
		resp, err := e.http.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a deadline error", err)
		}
		if time.Since(began) > time.Second {
			t.Fatal("client waited for the whole delay")
		}
	})
	t.Run("short delay then success", func(t *testing.T) {
		e := start(t, Options{})
		e.sim.FailNext(1, Fault{Delay: 50 * time.Millisecond})
		began := time.Now()
		if r := e.do("GET", "/stores", nil); r.status != 200 {
			t.Fatalf("status %d", r.status)
		}
		if time.Since(began) < 50*time.Millisecond {
			t.Fatal("no delay")
		}
	})
	t.Run("after handling: committed but the client sees 500", func(t *testing.T) {
		e := start(t, Options{})
		e.sim.FailNext(1, Fault{Status: 500, AfterHandling: true})
		o := newOrder("AH-1", "ah-1", StatusAwaitingShipment)
		if r := e.do("POST", "/orders/createorder", o); r.status != 500 {
			t.Fatalf("status %d, want 500", r.status)
		}
		first, ok := e.sim.OrderByKey("ah-1")
		if !ok {
			t.Fatal("the request did not take effect")
		}
		// The client's retry with the same orderKey updates, never duplicates.
		again := e.createOne(o)
		if again.OrderID != first.OrderID || len(e.sim.Orders()) != 1 {
			t.Fatalf("retry created a duplicate: %d vs %d, %d orders", again.OrderID, first.OrderID, len(e.sim.Orders()))
		}
	})
}

func TestRouting(t *testing.T) {
	e := start(t, Options{})
	tests := []struct {
		name, method, path string
		want               int
		body               string
	}{
		{"unknown resource", "GET", "/nope", 404, `"Message":"No HTTP resource was found that matches the request URI '` + e.url + `/nope'."`},
		{"wrong method", "PUT", "/orders/createorder", 405, `does not support http method 'PUT'`},
		{"unknown order", "GET", "/orders/123", 404, `"Message":`},
		{"non-numeric order id", "GET", "/orders/abc", 400, `"ModelState":{"orderId"`},
		{"case-insensitive path and query", "GET", "/Orders?OrderStatus=awaiting_shipment&PAGESIZE=5", 200, `"orders":[]`},
		{"trailing slash", "GET", "/stores/", 200, `"storeName":"Manual Orders"`},
		{"bad page", "GET", "/orders?page=x", 400, `"ModelState":{"page":["The value 'x' is not valid for Int32."]}`},
		{"bad status filter", "GET", "/orders?orderStatus=lost", 400, `"orderStatus"`},
		{"bad date filter", "GET", "/orders?modifyDateStart=yesterday", 400, `"modifyDateStart"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.method, tc.path, nil)
			if r.status != tc.want || !strings.Contains(string(r.body), tc.body) {
				t.Fatalf("got %d %s; want %d containing %s", r.status, r.body, tc.want, tc.body)
			}
		})
	}
}
