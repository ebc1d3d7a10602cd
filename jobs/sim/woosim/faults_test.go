package woosim

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFailNext(t *testing.T) {
	tests := []struct {
		fault       Fault
		status      int
		retryAfter  string
		bodyContain string
	}{
		{Fault{Status: 429}, 429, "1", "<title>429 Too Many Requests</title>"},
		{Fault{Status: 429, RetryAfter: 30 * time.Second}, 429, "30", "429 Too Many Requests"},
		{Fault{Status: 500}, 500, "", "There has been a critical error on this website."},
		{Fault{Status: 502}, 502, "", "<title>502 Bad Gateway</title>"},
		{Fault{Status: 503}, 503, "1", "503 Service Temporarily Unavailable"},
		{Fault{Status: 504}, 504, "", "<title>504 Gateway Time-out</title>"},
		{Fault{Status: 500, Body: `{"code":"internal_server_error"}`, ContentType: "application/json"}, 500, "", `"internal_server_error"`},
	}
	for _, tc := range tests {
		t.Run(tc.bodyContain, func(t *testing.T) {
			st := newStore(t, Options{})
			st.FailNext(2, tc.fault)
			for i := range 2 {
				r := st.do("GET", "/wp-json/wc/v3/orders", nil)
				mustStatus(t, r, tc.status)
				if got := r.header.Get("Retry-After"); got != tc.retryAfter {
					t.Errorf("request %d: Retry-After %q, want %q", i, got, tc.retryAfter)
				}
				if !strings.Contains(string(r.body), tc.bodyContain) {
					t.Errorf("body %s", r.body)
				}
			}
			mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
			reqs := st.Requests()
			if len(reqs) != 3 || !reqs[0].Fault || !reqs[1].Fault || reqs[2].Fault || reqs[0].Status != tc.status || reqs[2].Auth != "basic" {
				t.Errorf("request log %+v", reqs)
			}
		})
	}
}

func TestFaultPathAndFraction(t *testing.T) {
	st := newStore(t, Options{Seed: 99})
	st.FailNext(1, Fault{Status: 503, Path: "/products/batch"})
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
	mustStatus(t, st.do("POST", "/wp-json/wc/v3/products/batch", map[string]any{}), 503)
	mustStatus(t, st.do("POST", "/wp-json/wc/v3/products/batch", map[string]any{}), 200)

	count := func() int {
		s := newStore(t, Options{Seed: 99})
		s.FailFraction(0.3, Fault{Status: 502})
		n := 0
		for range 200 {
			if s.do("GET", "/wp-json/wc/v3/orders", nil).status == 502 {
				n++
			}
		}
		s.ClearFaults()
		mustStatus(t, s.do("GET", "/wp-json/wc/v3/orders", nil), 200)
		return n
	}
	a, b := count(), count()
	if a != b {
		t.Errorf("same seed, %d then %d failures", a, b)
	}
	if a < 40 || a > 80 {
		t.Errorf("%d of 200 failed at 30%%", a)
	}
}

func TestFaultDelay(t *testing.T) {
	st := newStore(t, Options{})
	st.FailNext(1, Fault{Delay: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", st.url+"/wp-json/wc/v3/orders", nil)
	req.SetBasicAuth(DefaultConsumerKey, DefaultConsumerSecret)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want a timeout", err)
	}
	start := time.Now()
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
	if time.Since(start) > 200*time.Millisecond {
		t.Error("delay applied twice")
	}
	// A delay-only fault still answers normally.
	st.FailNext(1, Fault{Delay: 20 * time.Millisecond})
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
}

func TestRateLimit(t *testing.T) {
	st := newStore(t, Options{RateLimit: 2})
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
	r := st.do("GET", "/wp-json/wc/v3/orders", nil)
	mustStatus(t, r, 429)
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	st.clock.Advance(500 * time.Millisecond) // one token back at 2/s
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 200)
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders", nil), 429)

	off := newStore(t, Options{})
	for range 20 {
		mustStatus(t, off.do("GET", "/wp-json/wc/v3/orders", nil), 200)
	}
}
