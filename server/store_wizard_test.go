package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/graph"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

const checkCredentials = `mutation($in: CheckStoreCredentialsInput!) { checkStoreCredentials(input: $in) { ok field message } }`

type credentialCheck struct {
	CheckStoreCredentials struct {
		OK      bool `json:"ok"`
		Field   *string
		Message string
	}
}

// TestCheckStoreCredentialsNamesTheFieldInPlainWords (issue 17): the Add store wizard's
// connection test says which input is wrong — a refused secret under the secret, a mistyped or
// foreign address under the address — in words a merchant reads, with no transport text
// ("dial tcp", "lookup", "[after 5 attempts]"), after one try.
func TestCheckStoreCredentialsNamesTheFieldInPlainWords(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1")
	app, srv := newTestApp(t, withSecretKey("0123456789abcdef0123456789abcdef-wizard"))
	_, c := signIn(t, app, srv, 0, db.RoleOwner)

	ss := httptest.NewServer(shipstationsim.New(shipstationsim.Options{}))
	t.Cleanup(ss.Close)
	woo := httptest.NewServer(woosim.New(woosim.Options{}))
	t.Cleanup(woo.Close)
	var failing atomic.Int64 // a ShipStation that is down: 503 every time
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failing.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	website := httptest.NewServer(http.NotFoundHandler()) // some web site, not a store
	t.Cleanup(website.Close)
	websiteHost := strings.TrimPrefix(website.URL, "http://")

	ssCreds := func(key, secret string) map[string]any { return map[string]any{"apiKey": key, "apiSecret": secret} }
	cases := []struct {
		name, channel, baseURL string
		creds                  map[string]any
		field, message         string // field "" and message "": ok
	}{
		{"right", "SHIPSTATION", ss.URL, ssCreds(shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret), "", ""},
		{"wrong secret", "SHIPSTATION", ss.URL, ssCreds(shipstationsim.DefaultAPIKey, "not-the-secret"), "apiSecret",
			"ShipStation did not accept this API key and secret. Copy both again from ShipStation’s Settings › Account › API Settings."},
		{"no secret", "SHIPSTATION", ss.URL, ssCreds(shipstationsim.DefaultAPIKey, " "), "apiSecret", "Enter the API secret."},
		{"mistyped host", "SHIPSTATION", "https://ssapi.shipstation.invalid", ssCreds(shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret), "baseUrl",
			"There is no server named ssapi.shipstation.invalid. Check the address for a typing mistake. Leave it as https://ssapi.shipstation.com unless ShipStation support told you otherwise."},
		{"not a store", "WOOCOMMERCE", website.URL, map[string]any{"consumerKey": woosim.DefaultConsumerKey, "consumerSecret": woosim.DefaultConsumerSecret}, "baseUrl",
			websiteHost + " answered, but not as a WooCommerce store. Enter the address of the WordPress site WooCommerce runs on, e.g. https://store.example.com."},
		{"wrong consumer key", "WOOCOMMERCE", woo.URL, map[string]any{"consumerKey": "ck_wrong", "consumerSecret": woosim.DefaultConsumerSecret}, "consumerKey",
			"The store did not accept this consumer key and secret. Copy both again from WooCommerce › Settings › Advanced › REST API (the secret is shown only once: add a new key if you no longer have it)."},
		{"wrong consumer secret", "WOOCOMMERCE", woo.URL, map[string]any{"consumerKey": woosim.DefaultConsumerKey, "consumerSecret": "cs_wrong"}, "consumerSecret",
			"The store did not accept this consumer key and secret. Copy both again from WooCommerce › Settings › Advanced › REST API (the secret is shown only once: add a new key if you no longer have it)."},
		{"store down", "SHIPSTATION", down.URL, ssCreds(shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret), "",
			"ShipStation failed to answer (HTTP Service Unavailable). Try again in a few minutes."},
	}
	for _, tc := range cases {
		var out credentialCheck
		c.mustGQL(checkCredentials, map[string]any{"in": map[string]any{"channel": tc.channel, "baseUrl": tc.baseURL, "credentials": tc.creds}}, &out)
		got := out.CheckStoreCredentials
		field := ""
		if got.Field != nil {
			field = *got.Field
		}
		if got.OK != (tc.message == "") || field != tc.field || got.Message != tc.message {
			t.Errorf("%s: ok %v, field %q, message %q; want field %q, message %q", tc.name, got.OK, field, got.Message, tc.field, tc.message)
		}
		for _, noise := range []string{"dial tcp", "lookup", "attempts", "not-the-secret"} {
			if strings.Contains(got.Message, noise) {
				t.Errorf("%s: message %q says %q", tc.name, got.Message, noise)
			}
		}
	}
	// A connection test is one try: the failing ShipStation was asked once, not five times.
	if n := failing.Load(); n != 1 {
		t.Errorf("the failing store got %d requests, want 1", n)
	}

	// Creating the store with the wrong secret is refused in the same words, under credentials.
	r := c.gql(`mutation($in: CreateStoreConnectionInput!) { createStoreConnection(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"channel": "SHIPSTATION", "name": "ShipStation", "baseUrl": ss.URL, "credentials": ssCreds(shipstationsim.DefaultAPIKey, "not-the-secret")}})
	if r.code() != "BAD_USER_INPUT" || len(r.Errors) != 1 || r.Errors[0].Extensions["field"] != "credentials" ||
		r.Errors[0].Message != "ShipStation did not accept this API key and secret. Copy both again from ShipStation’s Settings › Account › API Settings." {
		t.Errorf("createStoreConnection with a wrong secret: %+v", r.Errors)
	}

	// Members may not test credentials (only owners add stores).
	_, member := signIn(t, app, srv, 0, db.RoleMember)
	if r := member.gql(checkCredentials, map[string]any{"in": map[string]any{"channel": "SHIPSTATION", "baseUrl": ss.URL,
		"credentials": ssCreds(shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret)}}); r.code() != "FORBIDDEN" {
		t.Errorf("member: code %q, want FORBIDDEN", r.code())
	}
}

// TestDemoStorePresets (issue 17): the wizard's demo presets are whatever the App was given
// (demo mode: the simulators'), and none otherwise.
func TestDemoStorePresets(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleOwner)
	const q = `{ demoStorePresets { channel name baseUrl apiKey apiSecret accessToken } }`
	var none struct{ DemoStorePresets []map[string]string }
	c.mustGQL(q, nil, &none)
	if len(none.DemoStorePresets) != 0 {
		t.Fatalf("outside demo mode: %v, want none", none.DemoStorePresets)
	}

	app.DemoStores = []graph.DemoStore{{Channel: "shipstation", Name: "Demo ShipStation (simulated)", BaseURL: "http://127.0.0.1:8080/sim/shipstation",
		Credentials: ordersync.Credentials{APIKey: "ShipStation", APISecret: "Rocks"}}}
	demoSrv := httptest.NewServer(app.Handler())
	t.Cleanup(demoSrv.Close)
	_, dc := signIn(t, app, demoSrv, 0, db.RoleOwner)
	var got struct{ DemoStorePresets []map[string]string }
	dc.mustGQL(q, nil, &got)
	want := map[string]string{"channel": "SHIPSTATION", "name": "Demo ShipStation (simulated)", "baseUrl": "http://127.0.0.1:8080/sim/shipstation",
		"apiKey": "ShipStation", "apiSecret": "Rocks", "accessToken": ""}
	if len(got.DemoStorePresets) != 1 {
		t.Fatalf("demo presets: %v", got.DemoStorePresets)
	}
	for k, v := range want {
		if got.DemoStorePresets[0][k] != v {
			t.Errorf("%s = %q, want %q", k, got.DemoStorePresets[0][k], v)
		}
	}
}

// TestManualSyncUpToNowWithItsOwnStatuses (issue 17): Manual Sync as the SPA sends it — a
// start, no end (the moment the pull runs), and the statuses chosen on the form — finds an
// order modified 15 s before, and only orders of those statuses.
func TestManualSyncUpToNowWithItsOwnStatuses(t *testing.T) {
	app, srv := hookedApp(t)
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	// The simulated ShipStation's clock runs 15 s behind: what it stores now was modified 15 s ago.
	ss := shipstationsim.New(shipstationsim.Options{Clock: func() time.Time { return time.Now().Add(-15 * time.Second) }})
	ssSrv := httptest.NewServer(ss)
	t.Cleanup(ssSrv.Close)
	ss.SetBaseURL(ssSrv.URL)
	qc := fixtureQBD(t, app.DB, owner.AccountID, "wc-manual-"+strconv.FormatInt(owner.AccountID, 10))
	raw, _ := json.Marshal(orders.DefaultSettings())
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: shipstationsim.DefaultAPIKey, APISecret: shipstationsim.DefaultAPISecret})
	sc := &db.StoreConnection{AccountID: owner.AccountID, Channel: "shipstation", Name: "ShipStation", BaseURL: ssSrv.URL,
		QBDConnectionID: &qc.ID, Enabled: true, Settings: raw}
	if err := app.DB.CreateStoreConnection(ctx, sc, app.Sealer, creds); err != nil {
		t.Fatal(err)
	}
	street := "1 Main St"
	for number, status := range map[string]string{"M-AWAIT": shipstationsim.StatusAwaitingShipment, "M-HOLD": shipstationsim.StatusOnHold} {
		if _, err := ss.AddOrder(shipstationsim.Order{OrderNumber: number, OrderDate: time.Now().Add(-time.Hour).Format("2006-01-02T15:04:05.0000000"),
			OrderStatus: status, BillTo: &shipstationsim.Address{Name: "Jane"}, ShipTo: &shipstationsim.Address{Name: "Jane", Street1: &street}}); err != nil {
			t.Fatal(err)
		}
	}
	c.mustGQL(`mutation($id: ID!, $from: Time, $statuses: [String!]) { syncStoreConnection(id: $id, from: $from, statuses: $statuses) { state } }`,
		map[string]any{"id": strconv.FormatInt(sc.ID, 10), "from": time.Now().Add(-time.Hour).Format(time.RFC3339), "statuses": []string{"awaiting_shipment"}}, nil)
	eventually(t, "the Manual Sync finished", func() bool {
		got, err := app.DB.GetStoreConnection(ctx, owner.AccountID, sc.ID)
		return err == nil && got.LastSyncAt != nil
	})
	var numbers []string
	if err := dbtest.SQL(t).NewSelect().Model((*db.Order)(nil)).Column("number").Where("connection_id = ?", sc.ID).Order("number").Scan(ctx, &numbers); err != nil {
		t.Fatal(err)
	}
	if strings.Join(numbers, " ") != "M-AWAIT" {
		t.Errorf("orders pulled: %v, want only M-AWAIT (awaiting shipment, modified 15 s before the pull)", numbers)
	}
}

// A connection test calls out to the store: one per request, like adding a store.
func TestCheckStoreCredentialsOncePerRequest(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleOwner)
	in := map[string]any{"channel": "SHIPSTATION", "baseUrl": "https://ssapi.shipstation.invalid", "credentials": map[string]any{"apiKey": "k", "apiSecret": "s"}}
	r := c.gql(`mutation($in: CheckStoreCredentialsInput!) { a: checkStoreCredentials(input: $in) { ok } b: checkStoreCredentials(input: $in) { ok } }`, map[string]any{"in": in})
	if r.code() != "BAD_USER_INPUT" {
		t.Errorf("two connection tests in one request: code %q, want BAD_USER_INPUT", r.code())
	}
}
