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
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// appOption adjusts the configuration a test's App opens with; srv is the (not yet started)
// server that will serve it.
type appOption func(cfg *Config, srv *httptest.Server)

// withSecretKey seals the App's store credentials with key.
func withSecretKey(key string) appOption {
	return func(cfg *Config, _ *httptest.Server) { cfg.SecretKey = key }
}

// withConcurrency runs n workers.
func withConcurrency(n int) appOption {
	return func(cfg *Config, _ *httptest.Server) { cfg.Concurrency = n }
}

// withClock makes now the clock of the App's GraphQL resolvers and Web Connector route.
func withClock(now func() time.Time) appOption {
	return func(cfg *Config, _ *httptest.Server) { cfg.Now = now }
}

// atOwnAddress makes the App's public URL its test server's address: where the simulated
// stores deliver webhooks.
func atOwnAddress(cfg *Config, srv *httptest.Server) {
	cfg.PublicURL = "http://" + srv.Listener.Addr().String()
}

// newTestApp builds the real App (real Postgres, real Redis) and serves its handler; its log
// is discarded.
func newTestApp(t testing.TB, opts ...appOption) (*App, *httptest.Server) {
	t.Helper()
	return openTestApp(t, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
}

// openTestApp is newTestApp logging to log.
func openTestApp(t testing.TB, log *slog.Logger, opts ...appOption) (*App, *httptest.Server) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg := &Config{DatabaseURL: dbtest.DatabaseURL(t), RedisURL: dbtest.RedisURL(t), Addr: "127.0.0.1:0",
		PublicURL: "http://127.0.0.1", Concurrency: 2}
	for _, o := range opts {
		o(cfg, srv)
	}
	app, err := Open(context.Background(), cfg, log)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	srv.Config.Handler = app.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return app, srv
}

// signIn creates a user with role (in accountID, or in a new account when 0) and returns
// them with a client signed in as them.
func signIn(t *testing.T, app *App, srv *httptest.Server, accountID int64, role db.Role) (*db.User, *client) {
	t.Helper()
	u, pw := fixtureUser(t, app.DB, accountID, role)
	return u, newClient(t, srv.URL).login(u.Email, pw)
}

// fixtureQBD creates accountID's QuickBooks company "Company", whose Web Connector signs in as
// wcUsername with the password "qbwc-password".
func fixtureQBD(t testing.TB, d *db.DB, accountID int64, wcUsername string) *db.QBDConnection {
	t.Helper()
	hash, err := auth.HashPassword("qbwc-password")
	if err != nil {
		t.Fatal(err)
	}
	qc := &db.QBDConnection{AccountID: accountID, Name: "Company", WCUsername: wcUsername, WCPasswordHash: hash,
		OwnerID: "11111111-1111-4111-8111-111111111111", FileID: "22222222-2222-4222-8222-222222222222"}
	if err := d.CreateQBDConnection(context.Background(), qc); err != nil {
		t.Fatal(err)
	}
	return qc
}

// fixtureStore creates the store connection sc with the credentials creds, sealed by a fixed
// test key (not the App's: the tests that use it never read them back through the App).
func fixtureStore(t testing.TB, d *db.DB, sc *db.StoreConnection, creds string) {
	t.Helper()
	sealer, err := db.NewSealer("0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateStoreConnection(context.Background(), sc, sealer, []byte(creds)); err != nil {
		t.Fatal(err)
	}
}

// fixtureShipStation serves a simulated ShipStation (its store addresses its own) and connects
// it with settings, through the default API key, to a new QuickBooks company of accountID.
func fixtureShipStation(t *testing.T, app *App, accountID int64, settings orders.Settings) (*shipstationsim.Server, *httptest.Server, *db.QBDConnection, *db.StoreConnection) {
	t.Helper()
	t.Setenv(storenet.AllowPrivateEnv, "1")
	ss := shipstationsim.New(shipstationsim.Options{})
	ssSrv := httptest.NewServer(ss)
	t.Cleanup(ssSrv.Close)
	ss.SetBaseURL(ssSrv.URL)
	qbdConn := fixtureQBD(t, app.DB, accountID, "wc-"+t.Name())
	raw, _ := json.Marshal(settings)
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: shipstationsim.DefaultAPIKey, APISecret: shipstationsim.DefaultAPISecret})
	sc := &db.StoreConnection{AccountID: accountID, Channel: "shipstation", Name: "ShipStation", BaseURL: ssSrv.URL,
		QBDConnectionID: &qbdConn.ID, Enabled: true, Settings: raw}
	if err := app.DB.CreateStoreConnection(context.Background(), sc, app.Sealer, creds); err != nil {
		t.Fatal(err)
	}
	return ss, ssSrv, qbdConn, sc
}

// insertNormalized stores row with n as its normalized order, as the pipeline would
// (RETURNING fills its generated columns), and returns it.
func insertNormalized(t testing.TB, row *db.Order, n orders.Order) *db.Order {
	t.Helper()
	norm, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	row.Normalized = norm
	if _, err := dbtest.SQL(t).NewInsert().Model(row).Returning("*").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return row
}

// storeOrder stores a Shopify order of accountID numbered number, of Ana last, in state.
func storeOrder(t *testing.T, d *db.DB, accountID int64, number, last, state string, total orders.Money) *db.Order {
	t.Helper()
	// The external id carries the account: every order here sits on connection 1, which other
	// tests' accounts store orders on too, and (connection, external id) is unique.
	n := orders.Order{Channel: "shopify", ExternalID: "gid://shopify/Order/" + strconv.FormatInt(accountID, 10) + "-" + number, Number: number, Currency: "USD",
		Customer: orders.Customer{FirstName: "Ana", LastName: last}, Total: total, CreatedAt: time.Now()}
	return insertNormalized(t, &db.Order{AccountID: accountID, ConnectionID: 1, Channel: "shopify", ExternalID: n.ExternalID, Number: number, State: state,
		Raw: json.RawMessage(`{"name":"#` + number + `"}`), TotalCents: int64(total)}, n)
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
	return decodeGQL(c.t, status, body)
}

// decodeGQL reads a GraphQL answer of status; a body that is none fails t.
func decodeGQL(t *testing.T, status int, body []byte) gqlResponse {
	t.Helper()
	var r gqlResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("not a GraphQL response: %d %.300s", status, body)
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
