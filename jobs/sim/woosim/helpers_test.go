package woosim

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// testNow is the simulated store's "now" in tests.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

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

// store is a simulated store served on 127.0.0.1 for one test.
type store struct {
	*Server
	t     *testing.T
	url   string // http://127.0.0.1:port
	clock *clock
}

func newStore(t *testing.T, opts Options) *store {
	t.Helper()
	clk := &clock{t: testNow}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &store{Server: s, t: t, url: ts.URL, clock: clk}
}

// resp is an answer read in full.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorCode returns the WordPress error code of the body, or "".
func (r resp) errorCode() string {
	var e struct{ Code string }
	_ = json.Unmarshal(r.body, &e)
	return e.Code
}

type reqOpt func(*http.Request)

// noAuth removes the default Basic credentials.
func noAuth(r *http.Request) { r.Header.Del("Authorization") }

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func basic(user, pass string) reqOpt {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

// do sends a request with Basic auth for the default key; body is JSON
// encoded unless it is a string.
func (st *store) do(method, pathAndQuery string, body any, opts ...reqOpt) resp {
	st.t.Helper()
	return doURL(st.t, method, st.url+pathAndQuery, body, opts...)
}

func doURL(t *testing.T, method, url string, body any, opts ...reqOpt) resp {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.SetBasicAuth(DefaultConsumerKey, DefaultConsumerSecret)
	for _, o := range opts {
		o(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// mustStatus fails the test unless r has the wanted status.
func mustStatus(t *testing.T, r resp, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
}

// generate fills the store with n generated orders.
func (st *store) generate(n int, seed int64) []Order {
	st.t.Helper()
	orders, err := st.Generate(n, seed)
	if err != nil {
		st.t.Fatal(err)
	}
	return orders
}
