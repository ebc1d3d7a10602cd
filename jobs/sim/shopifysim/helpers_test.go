package shopifysim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// clock is a settable clock for Options.Clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is a simulator behind a real HTTP server on 127.0.0.1.
type harness struct {
	t     *testing.T
	sim   *Server
	http  *httptest.Server
	clock *clock
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	c := newClock()
	if opts.Clock == nil {
		opts.Clock = c.Now
	}
	sim := New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	return &harness{t: t, sim: sim, http: srv, clock: c}
}

// response is a decoded GraphQL response.
type response struct {
	Status     int
	Header     http.Header
	Raw        []byte
	Data       map[string]any
	Errors     []map[string]any
	Extensions map[string]any
}

// do posts a GraphQL request with the configured token.
func (h *harness) do(query string, vars map[string]any) response {
	h.t.Helper()
	return h.doWith(h.sim.AccessToken(), h.sim.GraphQLPath(), query, vars)
}

func (h *harness) doWith(token, path, query string, vars map[string]any) response {
	h.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.http.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-Shopify-Access-Token", token)
	}
	resp, err := h.http.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	r := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if json.Valid(raw) {
		var body map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			h.t.Fatalf("decode %s: %v", raw, err)
		}
		r.Data, _ = body["data"].(map[string]any)
		r.Extensions, _ = body["extensions"].(map[string]any)
		// GraphQL errors are a list; REST-style errors (401, 429) a string.
		if list, ok := body["errors"].([]any); ok {
			for _, e := range list {
				m, _ := e.(map[string]any)
				r.Errors = append(r.Errors, m)
			}
		}
	}
	return r
}

// doPaced behaves like a well-behaved client: when THROTTLED it waits
// (advances the fake clock) until the bucket holds the requested cost, then
// retries.
func (h *harness) doPaced(query string, vars map[string]any) response {
	h.t.Helper()
	for range 5 {
		r := h.do(query, vars)
		if len(r.Errors) == 0 || get(r.Errors[0], "extensions", "code") != "THROTTLED" {
			return r
		}
		cost := get(r.Extensions, "cost")
		need := num(get(cost, "requestedQueryCost")) - num(get(cost, "throttleStatus", "currentlyAvailable"))
		h.clock.Advance(time.Duration(float64(need+1) / 50 * float64(time.Second)))
	}
	h.t.Fatal("still throttled after 5 waits")
	return response{}
}

// ok fails the test unless the response has data and no errors.
func (r response) ok(t *testing.T) response {
	t.Helper()
	if r.Status != http.StatusOK || len(r.Errors) > 0 || r.Data == nil {
		t.Fatalf("want data without errors, got HTTP %d: %s", r.Status, r.Raw)
	}
	return r
}

// get walks a decoded JSON value by keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func num(v any) int {
	switch n := v.(type) {
	case json.Number:
		f, _ := n.Float64()
		return int(f)
	case float64:
		return int(n)
	}
	return -1
}
