package qbosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// t0 is 2026-03-10 09:30:00 PDT.
var t0 = time.Date(2026, 3, 10, 16, 30, 0, 0, time.UTC)

const testRedirect = "https://app.example/oauth/callback"

// env is a simulator behind a real HTTP listener.
type env struct {
	t     testing.TB
	sim   *Server
	clock *storenettest.Clock
	url   string
	// http does not follow redirects, so tests see the consent screen's 302s.
	http *http.Client
}

func start(t testing.TB, opts Options) *env {
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

func (r response) json(t testing.TB) map[string]any {
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

// api calls the Accounting API of the simulated company with a bearer token
// and a JSON body (nil: none); path is relative to /v3/company/{realmId}.
func (e *env) api(method, path, bearer string, body any) response {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.([]byte)
		if !ok {
			var err error
			if b, err = json.Marshal(body); err != nil {
				e.t.Fatal(err)
			}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.url+"/v3/company/"+e.sim.Realm()+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return e.do(req)
}

// connected is an env with an access token.
type connected struct {
	*env
	token string
}

func startConnected(t testing.TB, opts Options) *connected {
	t.Helper()
	e := start(t, opts)
	t.Cleanup(e.sim.Close)
	access, _ := e.sim.IssueTokens()
	return &connected{env: e, token: access}
}

// call is api with the connection's token; it fails the test on a transport error.
func (c *connected) call(method, path string, body any) response {
	c.t.Helper()
	return c.api(method, path, c.token, body)
}

// ok calls and wants a 200; it returns the entity under key (or the whole body when key is "").
func (c *connected) ok(method, path string, body any, key string) map[string]any {
	c.t.Helper()
	resp := c.call(method, path, body)
	if resp.status != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.status, resp.body)
	}
	m := resp.json(c.t)
	if key == "" {
		return m
	}
	o, _ := m[key].(map[string]any)
	if o == nil {
		c.t.Fatalf("%s %s: no %s in %s", method, path, key, resp.body)
	}
	return o
}

// specFile reads a QuickBooks Online sample of shared/specs/qbo (see its
// SOURCES.md): "errors/x.xml" is errors-quickbooks-ruby/x.xml, anything else a
// VCR cassette of vcr-cassettes-qbo_api.
func specFile(t testing.TB, rel string) []byte {
	t.Helper()
	file := filepath.Join(specs.Dir(t), "qbo", "vcr-cassettes-qbo_api", rel)
	if name, ok := strings.CutPrefix(rel, "errors/"); ok {
		file = filepath.Join(specs.Dir(t), "qbo", "errors-quickbooks-ruby", name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// interaction is one recorded HTTP exchange of a VCR cassette.
type interaction struct {
	Request struct {
		Method string `yaml:"method"`
		URI    string `yaml:"uri"`
		Body   struct {
			String string `yaml:"string"`
		} `yaml:"body"`
	} `yaml:"request"`
	Response struct {
		Status struct {
			Code int `yaml:"code"`
		} `yaml:"status"`
		Headers map[string][]string `yaml:"headers"`
		Body    struct {
			String string `yaml:"string"`
		} `yaml:"body"`
	} `yaml:"response"`
}

// cassette reads the interactions of a cassette (see specFile).
func cassette(t *testing.T, rel string) []interaction {
	t.Helper()
	var c struct {
		Interactions []interaction `yaml:"http_interactions"`
	}
	if err := yaml.Unmarshal(specFile(t, rel), &c); err != nil {
		t.Fatal(err)
	}
	return c.Interactions
}

// jsonOf decodes a JSON text into a generic value.
func jsonOf(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	return m
}

// path walks a decoded JSON value: keys for objects, indexes for arrays.
func path(v any, steps ...any) any {
	for _, step := range steps {
		key := fmt.Sprint(step)
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
