package shipstationsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is an injected Options.Clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

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

// t0 is 2026-03-10 09:30:00 PDT (16:30 UTC), just after the DST switch.
var t0 = time.Date(2026, 3, 10, 16, 30, 0, 0, time.UTC)

// env is a simulator behind a real HTTP listener on 127.0.0.1:0.
type env struct {
	t     *testing.T
	sim   *Server
	clock *clock
	url   string
	http  *http.Client
}

// start serves a simulator; opts.Clock defaults to a clock at t0 and
// opts.RateLimit to "off" unless the test sets it.
func start(t *testing.T, opts Options) *env {
	t.Helper()
	c := newClock(t0)
	if opts.Clock == nil {
		opts.Clock = c.Now
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = -1
	}
	sim := New(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	sim.SetBaseURL(ts.URL)
	return &env{t: t, sim: sim, clock: c, url: ts.URL, http: ts.Client()}
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends an authenticated request; body is JSON-encoded unless it is a
// string or []byte.
func (e *env) do(method, path string, body any) response {
	e.t.Helper()
	return e.doAs(DefaultAPIKey, DefaultAPISecret, method, path, body)
}

func (e *env) doAs(key, secret, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" || secret != "" {
		req.SetBasicAuth(key, secret)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// must sends a request and fails the test unless it answers 200.
func (e *env) must(method, path string, body any, out any) {
	e.t.Helper()
	r := e.do(method, path, body)
	if r.status != http.StatusOK {
		e.t.Fatalf("%s %s: status %d: %s", method, path, r.status, r.body)
	}
	if out != nil {
		r.decode(e.t, out)
	}
}

type orderList struct {
	Orders []Order `json:"orders"`
	Total  int     `json:"total"`
	Page   int     `json:"page"`
	Pages  int     `json:"pages"`
}

// newOrder is a minimal valid createorder body.
func newOrder(number, key, status string) Order {
	return Order{
		OrderNumber: number, OrderKey: key, OrderDate: "2026-03-01T10:00:00.0000000", OrderStatus: status,
		CustomerEmail: ptr("buyer@example.com"),
		BillTo:        &Address{Name: "Ada Lovelace"},
		ShipTo: &Address{Name: "Ada Lovelace", Street1: ptr("12 St James's Sq"), City: ptr("London"),
			PostalCode: ptr("SW1Y 4JH"), Country: ptr("GB")},
		Items: []Item{{LineItemKey: ptr(key + "-1"), SKU: ptr("WID-1"), Name: "Widget", Quantity: 2, UnitPrice: 9.5,
			Weight: &Weight{Value: 4, Units: "ounces"}}},
		TaxAmount: 1.52, ShippingAmount: 4.99, AmountPaid: 25.51,
	}
}

// createOne upserts o through POST /orders/createorder.
func (e *env) createOne(o Order) Order {
	e.t.Helper()
	var out Order
	e.must("POST", "/orders/createorder", o, &out)
	return out
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
