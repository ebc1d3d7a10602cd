package qbosim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// t0 is 2026-03-10 09:30:00 PDT.
var t0 = time.Date(2026, 3, 10, 16, 30, 0, 0, time.UTC)

const testRedirect = "https://app.example/oauth/callback"

// env is a simulator behind a real HTTP listener.
type env struct {
	t     *testing.T
	sim   *Server
	clock *storenettest.Clock
	url   string
	// http does not follow redirects, so tests see the consent screen's 302s.
	http *http.Client
}

func start(t *testing.T, opts Options) *env {
	t.Helper()
	c := storenettest.NewClock(t0)
	if opts.Clock == nil {
		opts.Clock = c.Now
	}
	if opts.RedirectURIs == nil {
		opts.RedirectURIs = []string{testRedirect}
	}
	sim := New(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return &env{t: t, sim: sim, clock: c, url: ts.URL, http: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (e *env) do(req *http.Request) response {
	e.t.Helper()
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) get(path string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.url+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(req)
}

func (e *env) postForm(path string, form url.Values, basicUser, basicPass string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basicUser != "" || basicPass != "" {
		req.SetBasicAuth(basicUser, basicPass)
	}
	return e.do(req)
}

// token calls the token endpoint with the simulator's client credentials.
func (e *env) token(form url.Values) response {
	e.t.Helper()
	return e.postForm("/oauth2/v1/tokens/bearer", form, e.sim.ClientID(), e.sim.ClientSecret())
}
