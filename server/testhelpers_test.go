package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// newTestApp builds the real App (real Postgres, real Redis) and serves its handler.
func newTestApp(t testing.TB) (*App, *httptest.Server) {
	t.Helper()
	cfg := &Config{DatabaseURL: dbtest.DatabaseURL(t), RedisURL: dbtest.RedisURL(t), Addr: "127.0.0.1:0",
		PublicURL: "http://127.0.0.1", Concurrency: 2}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := Open(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	return app, srv
}

var userSeq atomic.Int64

// fixtureUser creates an account (or uses accountID when non-zero) and a user with role in it.
func fixtureUser(t testing.TB, d *db.DB, accountID int64, role db.Role) (*db.User, string) {
	t.Helper()
	ctx := context.Background()
	if accountID == 0 {
		a := &db.Account{Name: "Shop " + t.Name()}
		if err := d.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		accountID = a.ID
	}
	password := "correct horse battery"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	n := userSeq.Add(1)
	u := &db.User{AccountID: accountID, Email: fmt.Sprintf("%s-%d@example.test", strings.ToLower(strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())), n),
		Name: "Test " + string(role), Role: role, PasswordHash: hash}
	if err := d.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u, password
}

// client is a browser-like HTTP client with a cookie jar and the CSRF token of its session.
type client struct {
	t       *testing.T
	base    string
	http    *http.Client
	csrf    string
	bearer  string
	account string // X-Ledgerlink-Account, for support
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar}}
}

// login signs in and remembers the CSRF token.
func (c *client) login(email, password string) *client {
	c.t.Helper()
	status, body := c.postJSON("/auth/login", map[string]string{"email": email, "password": password})
	if status != http.StatusOK {
		c.t.Fatalf("login %s: %d %s", email, status, body)
	}
	var s struct{ CSRFToken string }
	if err := json.Unmarshal(body, &s); err != nil || s.CSRFToken == "" {
		c.t.Fatalf("login: no csrf token in %s", body)
	}
	c.csrf = s.CSRFToken
	return c
}

func (c *client) postJSON(path string, v any) (int, []byte) {
	c.t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return c.do(req)
}

func (c *client) do(req *http.Request) (int, []byte) {
	c.t.Helper()
	if c.csrf != "" {
		req.Header.Set(auth.CSRFHeader, c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.account != "" {
		req.Header.Set(auth.AccountHeader, c.account)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

type gqlResponse struct {
	Status int
	Data   json.RawMessage
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
}

// code returns the extensions.code of the first error, or "".
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	s, _ := r.Errors[0].Extensions["code"].(string)
	return s
}

func (c *client) gql(query string, vars map[string]any) gqlResponse {
	c.t.Helper()
	status, body := c.postJSON("/graphql", map[string]any{"query": query, "variables": vars})
	var r gqlResponse
	if err := json.Unmarshal(body, &r); err != nil {
		c.t.Fatalf("graphql: %d %s", status, body)
	}
	r.Status = status
	return r
}

// mustGQL runs query, fails on any error, and decodes data into out.
func (c *client) mustGQL(query string, vars map[string]any, out any) {
	c.t.Helper()
	r := c.gql(query, vars)
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		c.t.Fatalf("graphql %q: status %d errors %+v", query, r.Status, r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			c.t.Fatal(err)
		}
	}
}
