package qbo_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// The answers these tests get are QuickBooks' own, recorded from the sandbox (the qbo_api VCR
// cassettes and quickbooks-ruby's 429 body in shared/specs/qbo): the client must read what
// Intuit really sends. The simulator's behaviour (requestid replay, limits) is tested end to
// end elsewhere.
func spec(t *testing.T, file string) string {
	return filepath.Join(specs.Dir(t), "qbo", file)
}

// recorded is the response of a cassette's first interaction.
func recorded(t *testing.T, file string) (status int, body string) {
	t.Helper()
	raw, err := os.ReadFile(spec(t, "vcr-cassettes-qbo_api/"+file))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Interactions []struct {
			Response struct {
				Status struct {
					Code int `yaml:"code"`
				} `yaml:"status"`
				Body struct {
					String string `yaml:"string"`
				} `yaml:"body"`
			} `yaml:"response"`
		} `yaml:"http_interactions"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	r := c.Interactions[0].Response
	return r.Status.Code, r.Body.String
}

// seen is what the server received.
type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

func (s *seen) add(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	s.body = append(s.body, string(b))
}

// answering serves the answers in turn (the last one again once they run out).
func answering(t *testing.T, answers ...func(w http.ResponseWriter)) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	n := 0
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		mu.Lock()
		a := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		a(w)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

func reply(status int, contentType, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func cassette(t *testing.T, file string) func(w http.ResponseWriter) {
	status, body := recorded(t, file)
	return reply(status, "application/json", body)
}

// tokens hands out "tok-1", and after each Refresh of the current token the next one.
type tokens struct {
	mu        sync.Mutex
	n         int
	refreshes int
}

func (k *tokens) AccessToken(context.Context) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return "tok-" + string(rune('1'+k.n)), nil
}

func (k *tokens) Refresh(_ context.Context, rejected string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if rejected == "tok-"+string(rune('1'+k.n)) {
		k.n++
		k.refreshes++
	}
	return "tok-" + string(rune('1'+k.n)), nil
}

func client(t *testing.T, url string, src qbo.TokenSource, clock *storenettest.Clock) *qbo.Client {
	t.Helper()
	c, err := qbo.NewClient(qbo.Options{APIURL: url, Realm: "4620816365", Tokens: src, Sleep: clock.Sleep, HTTPClient: http.DefaultClient})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWriteSendsRequestIDAndMinorVersion(t *testing.T) {
	srv, got := answering(t, cassette(t, "create/invoice.yml"))
	c := client(t, srv.URL, &tokens{}, storenettest.NewClock(time.Now()))
	rid := qbo.RequestID(7, "order:12", 0)
	var inv qbo.Sale
	amt := qbo.Amount(10000)
	if err := c.Write(context.Background(), qbo.EntityInvoice, qbo.Sale{TotalAmt: &amt}, rid, &inv); err != nil {
		t.Fatal(err)
	}
	r := got.reqs[0]
	if r.URL.Path != "/v3/company/4620816365/invoice" || r.URL.Query().Get("requestid") != rid || r.URL.Query().Get("minorversion") != "75" {
		t.Errorf("request %s", r.URL)
	}
	if r.Header.Get("Authorization") != "Bearer tok-1" || r.Header.Get("Accept") != "application/json" {
		t.Errorf("headers %v", r.Header)
	}
	// The cassette's invoice: Id 266, DocNumber 1043, TotalAmt 100.00.
	if inv.ID != "266" || inv.DocNumber != "1043" || inv.TotalAmt == nil || *inv.TotalAmt != 10000 || inv.Line[0].Amount != 10000 {
		t.Errorf("invoice %+v", inv)
	}
	if !strings.Contains(got.body[0], `"TotalAmt":100.00`) {
		t.Errorf("body %s", got.body[0])
	}
}

func TestRequestIDIsTheDocument(t *testing.T) {
	a, b := qbo.RequestID(7, "order:12", 0), qbo.RequestID(7, "order:12", 0)
	if a != b || len(a) > qbo.MaxRequestID {
		t.Fatalf("%q %q", a, b)
	}
	for _, other := range []string{qbo.RequestID(8, "order:12", 0), qbo.RequestID(7, "order:13", 0), qbo.RequestID(7, "order:12", 1)} {
		if other == a {
			t.Errorf("%q repeats for another document", other)
		}
	}
}

func TestFaultsAreTyped(t *testing.T) {
	for _, tc := range []struct {
		file string
		kind error
		code string
	}{
		{"error/validation.yml", qbo.ErrDuplicateName, "6240"},
		{"error/400_json.yml", qbo.ErrInvalid, "2010"},
	} {
		srv, _ := answering(t, cassette(t, tc.file))
		c := client(t, srv.URL, &tokens{}, storenettest.NewClock(time.Now()))
		err := c.Write(context.Background(), qbo.EntityCustomer, qbo.Customer{DisplayName: "x"}, "r1", nil)
		if !errors.Is(err, tc.kind) || qbo.FaultOf(err).Code() != tc.code {
			t.Errorf("%s: %v (fault %v)", tc.file, err, qbo.FaultOf(err))
		}
	}
}

// A 429 (XML body, though JSON was asked for) is waited out and the same request, requestid
// and all, goes again; after MaxAttempts the call fails as ErrThrottled, nothing dropped
// silently.
func TestThrottleWaitsAndRetriesTheSameRequest(t *testing.T) {
	xml, err := os.ReadFile(spec(t, "errors-quickbooks-ruby/too_many_requests_error.xml"))
	if err != nil {
		t.Fatal(err)
	}
	throttled := reply(http.StatusTooManyRequests, "application/xml", string(xml))
	srv, got := answering(t, throttled, throttled, cassette(t, "create/invoice.yml"))
	clock := storenettest.NewClock(time.Now())
	c := client(t, srv.URL, &tokens{}, clock)
	if err := c.Write(context.Background(), qbo.EntityInvoice, qbo.Sale{}, "rid-1", nil); err != nil {
		t.Fatal(err)
	}
	if len(got.reqs) != 3 || got.reqs[2].URL.RawQuery != got.reqs[0].URL.RawQuery || got.body[2] != got.body[0] {
		t.Errorf("%d requests", len(got.reqs))
	}
	if w := clock.Waits(); len(w) != 2 || w[0] != time.Minute {
		t.Errorf("waits %v", w)
	}

	srv, _ = answering(t, throttled)
	c = client(t, srv.URL, &tokens{}, storenettest.NewClock(time.Now()))
	err = c.Write(context.Background(), qbo.EntityInvoice, qbo.Sale{}, "rid-1", nil)
	if !errors.Is(err, qbo.ErrThrottled) || qbo.FaultOf(err).Code() != "3001" {
		t.Errorf("%v", err)
	}
}

// An expired access token (the recorded 401 body) makes the token source refresh once and the
// call go again with the new token; a second 401 is the end: ErrUnauthorized.
func TestUnauthorizedRefreshesOnce(t *testing.T) {
	status, body := recorded(t, "error/401.yml")
	unauthorized := reply(status, "application/json", body)
	srv, got := answering(t, unauthorized, cassette(t, "create/invoice.yml"))
	src := &tokens{}
	c := client(t, srv.URL, src, storenettest.NewClock(time.Now()))
	if err := c.Write(context.Background(), qbo.EntityInvoice, qbo.Sale{}, "rid-1", nil); err != nil {
		t.Fatal(err)
	}
	if src.refreshes != 1 || got.reqs[1].Header.Get("Authorization") != "Bearer tok-2" {
		t.Errorf("refreshes %d, second call %q", src.refreshes, got.reqs[1].Header.Get("Authorization"))
	}

	srv, got = answering(t, unauthorized)
	c = client(t, srv.URL, &tokens{}, storenettest.NewClock(time.Now()))
	err := c.Write(context.Background(), qbo.EntityInvoice, qbo.Sale{}, "rid-1", nil)
	if !errors.Is(err, qbo.ErrUnauthorized) || qbo.FaultOf(err).Code() != "3200" || len(got.reqs) != 2 {
		t.Errorf("%v after %d requests", err, len(got.reqs))
	}
}

// The recorded batch answer: one entity, a 610 and a 5010 Fault inside a 200, and a query.
func TestBatchResultsByBID(t *testing.T) {
	srv, got := answering(t, cassette(t, "batch/basic.yml"))
	c := client(t, srv.URL, &tokens{}, storenettest.NewClock(time.Now()))
	items := []qbo.BatchItem{
		{BID: "bid1", Operation: qbo.OpCreate, Entity: "Vendor", Body: map[string]string{"DisplayName": "Boraski Family Store"}},
		{BID: "bid2", Operation: qbo.OpDelete, Entity: qbo.EntityInvoice, Body: qbo.Sale{ID: "129", SyncToken: "0"}},
		{BID: "bid3", Operation: qbo.OpUpdate, Entity: qbo.EntitySalesReceipt, Body: qbo.Sale{ID: "11", SyncToken: "0", Sparse: true, PrivateNote: "A private note."}},
		{BID: "bid4", Query: "select * from SalesReceipt where TotalAmt > '300.00'"},
	}
	res, err := c.Batch(context.Background(), qbo.RequestID(1, "batch:1", 0), items)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.reqs[0]; r.URL.Path != "/v3/company/4620816365/batch" || r.URL.Query().Get("requestid") == "" {
		t.Errorf("%s", r.URL)
	}
	var sent struct {
		Items []map[string]json.RawMessage `json:"BatchItemRequest"`
	}
	if err := json.Unmarshal([]byte(got.body[0]), &sent); err != nil || len(sent.Items) != 4 || string(sent.Items[3]["Query"]) == "" {
		t.Errorf("sent %s", got.body[0])
	}
	if res["bid1"].Entity != "Vendor" || res["bid1"].Err() != nil {
		t.Errorf("bid1 %+v", res["bid1"])
	}
	if !errors.Is(res["bid2"].Err(), qbo.ErrNotFound) || !errors.Is(res["bid3"].Err(), qbo.ErrStale) {
		t.Errorf("bid2 %v bid3 %v", res["bid2"].Err(), res["bid3"].Err())
	}
	var q struct{ SalesReceipt []qbo.Sale }
	if err := res["bid4"].Decode(&q); err != nil || len(q.SalesReceipt) != 2 || *q.SalesReceipt[0].TotalAmt != 33750 {
		t.Errorf("bid4 %+v %v", q, err)
	}
	if _, err := c.Batch(context.Background(), "r", make([]qbo.BatchItem, qbo.MaxBatch+1)); err == nil {
		t.Error("31 items accepted")
	}
}

func TestQuote(t *testing.T) {
	if got := qbo.Quote(`Amy's \ Bird`); got != `'Amy\'s \\ Bird'` {
		t.Errorf("%s", got)
	}
	if got := qbo.QuoteList([]string{"A", "B'"}); got != `('A','B\'')` {
		t.Errorf("%s", got)
	}
}

// Two limiters on one Redis (two processes) share one company's allowance: with room for 3
// requests a minute, the fourth waits until the first leaves the window; a batch also counts
// against the batch allowance; a full set of concurrent places waits for one to come back.
func TestLimiterIsSharedAcrossProcesses(t *testing.T) {
	rdb := dbtest.Redis(t)
	clock := storenettest.NewClock(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	mk := func() *qbo.Limiter {
		return &qbo.Limiter{Redis: rdb, Limits: qbo.Limits{PerMinute: 3, Concurrent: 2, BatchPerMinute: 1}, Now: clock.Now, Sleep: clock.Sleep}
	}
	a, b := mk(), mk()
	ctx := context.Background()
	realm := "limit-" + t.Name()
	r1, _ := a.Acquire(ctx, realm, false)
	clock.Advance(10 * time.Second)
	r2, _ := b.Acquire(ctx, realm, true)
	r1()
	r2()
	clock.Advance(10 * time.Second)
	// A second batch in the minute waits for the first to leave the window (at 70 s).
	r3, err := a.Acquire(ctx, realm, true)
	if err != nil {
		t.Fatal(err)
	}
	r3()
	if w := clock.Waits(); len(w) != 1 || w[0] != 50*time.Second {
		t.Errorf("batch waits %v", w)
	}
	// At 70 s the window (60 s, ends excluded) holds r3 only: two more fill it, and the
	// next waits the 60 s until r3 leaves it.
	for range 2 {
		r, _ := b.Acquire(ctx, realm, false)
		r()
	}
	r6, _ := a.Acquire(ctx, realm, false)
	r6()
	if w := clock.Waits(); len(w) != 2 || w[1] != time.Minute {
		t.Errorf("request waits %v", w)
	}
	// Concurrency: two places taken, the third waits (polling) until one is released.
	clock.Advance(2 * time.Minute)
	h1, _ := a.Acquire(ctx, realm, false)
	h2, _ := b.Acquire(ctx, realm, false)
	before := len(clock.Waits())
	done := make(chan struct{})
	go func() {
		h3, err := a.Acquire(ctx, realm, false)
		if err == nil {
			h3()
		}
		close(done)
	}()
	for len(clock.Waits()) == before {
		time.Sleep(time.Millisecond)
	}
	h1()
	<-done
	h2()
}
