package storenet

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// script serves the statuses in order (the last one from then on) and counts the requests.
type script struct {
	statuses []int
	header   http.Header
	body     string
	n        atomic.Int64
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	st := s.statuses[min(i, len(s.statuses)-1)]
	for k, v := range s.header {
		w.Header()[k] = v
	}
	w.WriteHeader(st)
	// The body names the credentials the request carried, as a careless server might.
	_, _ = w.Write([]byte(s.body + " " + r.Header.Get("Authorization")))
}

// serve serves s until the test ends and returns its URL.
func serve(t *testing.T, s *script) string {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL
}

// recorder is what a test transport did: every wait its Sleep was asked for, and its logs.
type recorder struct {
	waits []time.Duration
	logs  bytes.Buffer
}

// newTransport is a transport of a store whose credential is "tok-secret-1234" that records
// its waits (without sleeping) and its logs, debug included, in the returned recorder.
func newTransport() (*Transport, *recorder) {
	rec := &recorder{}
	return &Transport{
		Service: "teststore", Peer: "the store", Place: "the store",
		Header:  http.Header{"Authorization": {"Bearer tok-secret-1234"}},
		Secrets: []string{"tok-secret-1234"},
		Logger:  slog.New(slog.NewTextHandler(&rec.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Sleep: func(ctx context.Context, d time.Duration) error {
			rec.waits = append(rec.waits, d)
			return nil
		},
	}, rec
}

func TestTransportRetriesWithBackoffAndTheClientsWaitRule(t *testing.T) {
	s := &script{statuses: []int{500, 503, 429, 200}, header: http.Header{"Retry-After": {"7"}}, body: "ok"}
	url := serve(t, s)
	tr, rec := newTransport()
	tr.RetryWait = RetryAfter
	a, err := tr.Do(context.Background(), Request{Call: "read", Method: http.MethodGet, URL: url})
	if err != nil || a.Status != 200 {
		t.Fatalf("Do = %v, %v", a, err)
	}
	// 500: backoff after try 1 (1 s); 503 and 429 with Retry-After: 7 s each.
	want := []time.Duration{time.Second, 7 * time.Second, 7 * time.Second}
	if len(rec.waits) != len(want) || rec.waits[0] != want[0] || rec.waits[1] != want[1] || rec.waits[2] != want[2] {
		t.Errorf("waits = %v, want %v", rec.waits, want)
	}
	if strings.Contains(rec.logs.String(), "tok-secret-1234") {
		t.Errorf("the logs carry the secret: %s", rec.logs.String())
	}
}

func TestTransportGivesUpAfterMaxAttempts(t *testing.T) {
	s := &script{statuses: []int{502}, body: "<html>upstream page</html>"}
	url := serve(t, s)
	tr, rec := newTransport()
	tr.Describe = func(e *Error, body []byte) { e.Message = string(body) } // a store that quotes its reply
	_, err := tr.Do(context.Background(), Request{Call: "list orders (page 2)", Method: http.MethodGet, URL: url})
	if !errors.Is(err, ErrServer) || s.n.Load() != 5 {
		t.Fatalf("err = %v after %d requests, want ErrServer after 5", err, s.n.Load())
	}
	if len(rec.waits) != 4 || rec.waits[3] != 8*time.Second {
		t.Errorf("waits = %v, want 1s 2s 4s 8s", rec.waits)
	}
	for _, want := range []string{"teststore: list orders (page 2): ", "the store answered HTTP 502 Bad Gateway", "[after 5 attempts]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "tok-secret-1234") {
		t.Errorf("the error carries the secret: %v", err)
	}
}

func TestTransportDoesNotRetryRefusals(t *testing.T) {
	for status, kind := range map[int]error{401: ErrUnauthorized, 403: ErrUnauthorized, 404: ErrNotFound, 400: ErrInvalid, 413: ErrInvalid, 402: ErrServer} {
		s := &script{statuses: []int{status}}
		tr, rec := newTransport()
		_, err := tr.Do(context.Background(), Request{Call: "c", Method: http.MethodPost, URL: serve(t, s), Body: []byte(`{}`)})
		if !errors.Is(err, kind) || s.n.Load() != 1 || len(rec.waits) != 0 {
			t.Errorf("HTTP %d: err = %v after %d requests and %d waits, want %v at once", status, err, s.n.Load(), len(rec.waits), kind)
		}
	}
}

func TestTransportRefusesInternalAddressesAtOnce(t *testing.T) {
	t.Setenv(AllowPrivateEnv, "")
	s := &script{statuses: []int{200}}
	url := serve(t, s)
	tr, rec := newTransport()
	tr.HTTPClient = HTTPClient()
	_, err := tr.Do(context.Background(), Request{Call: "check", Method: http.MethodGet, URL: url})
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, ErrInternalAddress) {
		t.Fatalf("err = %v, want ErrUnreachable wrapping ErrInternalAddress", err)
	}
	if s.n.Load() != 0 || len(rec.waits) != 0 {
		t.Errorf("%d requests reached the server, %d waits; want none", s.n.Load(), len(rec.waits))
	}
}

func TestTransportRateWaitsAreNotTries(t *testing.T) {
	s := &script{statuses: []int{200}}
	url := serve(t, s)
	tr, rec := newTransport()
	tr.MaxAttempts, tr.MaxRateWaits = 1, 3
	refusals := 2
	inspect := func(*Answer) (time.Duration, *Error) {
		if refusals == 0 {
			return 0, nil
		}
		refusals--
		return 1500 * time.Millisecond, &Error{Status: 200, Kind: ErrRateLimited}
	}
	if _, err := tr.Do(context.Background(), Request{Call: "q", Method: http.MethodPost, URL: url, Body: []byte(`{}`), Inspect: inspect}); err != nil {
		t.Fatalf("two rate refusals with MaxAttempts 1: %v", err)
	}
	if len(rec.waits) != 2 || rec.waits[0] != 1500*time.Millisecond {
		t.Errorf("waits = %v, want two of 1.5s", rec.waits)
	}
	refusals = 100
	_, err := tr.Do(context.Background(), Request{Call: "q", Method: http.MethodPost, URL: url, Body: []byte(`{}`), Inspect: inspect})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrRateLimited) || e.Attempts != 4 || e.Call != "q" || e.Service != "teststore" {
		t.Fatalf("persistent rate refusals: %#v", err)
	}
	if refusals != 100-4 {
		t.Errorf("%d answers refused, want 4 (3 waits, then the error)", 100-refusals)
	}
}

func TestTransportTriesOnceUnderWithMaxAttempts(t *testing.T) {
	s := &script{statuses: []int{503}}
	url := serve(t, s)
	tr, rec := newTransport()
	_, err := tr.Do(WithMaxAttempts(context.Background(), 1), Request{Call: "check connection", Method: http.MethodGet, URL: url})
	if !errors.Is(err, ErrServer) || s.n.Load() != 1 || len(rec.waits) != 0 {
		t.Fatalf("err = %v after %d requests and %d waits, want ErrServer after 1 and no wait", err, s.n.Load(), len(rec.waits))
	}
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("%q counts attempts for a single try", err)
	}
}

func TestTransportSaysWhyNoAnswerCame(t *testing.T) {
	t.Setenv(AllowPrivateEnv, "1")
	closed := httptest.NewServer(http.NotFoundHandler())
	refusing := closed.URL
	closed.Close() // nothing listens there any more
	for _, c := range []struct {
		url  string
		want error
	}{
		{"http://no-such-shop.invalid/", ErrNoSuchHost}, // .invalid never resolves (RFC 2606)
		{refusing, ErrRefused},
	} {
		tr, rec := newTransport()
		tr.HTTPClient = HTTPClient()
		_, err := tr.Do(WithMaxAttempts(context.Background(), 1), Request{Call: "check connection", Method: http.MethodGet, URL: c.url})
		if !errors.Is(err, ErrUnreachable) || !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want ErrUnreachable and %v", c.url, err, c.want)
		}
		if len(rec.waits) != 0 {
			t.Errorf("%s: %d waits, want none", c.url, len(rec.waits))
		}
	}
}
