package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// withQBOSimulator serves a simulated Intuit and points the App's QuickBooks Online
// configuration at it, with the App's own callback as the app's one registered redirect URI.
func withQBOSimulator(t *testing.T, sim **qbosim.Server) appOption {
	return func(cfg *Config, srv *httptest.Server) {
		atOwnAddress(cfg, srv)
		*sim = qbosim.New(qbosim.Options{ClientID: "ll-client", ClientSecret: "ll-secret", RedirectURIs: []string{cfg.PublicURL + QBOCallbackPath}})
		intuit := httptest.NewServer(*sim)
		t.Cleanup(intuit.Close)
		cfg.QBOClientID, cfg.QBOClientSecret = "ll-client", "ll-secret"
		cfg.QBOAuthURL, cfg.QBOTokenURL = intuit.URL+"/connect/oauth2", intuit.URL+"/oauth2/v1/tokens/bearer"
		cfg.QBORevokeURL, cfg.QBOAPIURL = intuit.URL+"/oauth2/v1/tokens/revoke", intuit.URL
	}
}

var simConsent = regexp.MustCompile(`name="consent" value="([^"]+)"`)

// browse plays c's browser from authorizeURL through the simulated consent screen (clicking
// action) and Ledgerlink's callback, and returns where the callback sends it.
func browse(t *testing.T, c *client, authorizeURL, action string) *url.URL {
	t.Helper()
	b := &http.Client{Jar: c.http.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := b.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := simConsent.FindStringSubmatch(string(page))
	if m == nil {
		t.Fatalf("no consent form: %s", page)
	}
	// The consent form posts back to the page's own URL.
	resp, err = b.PostForm(authorizeURL, url.Values{"consent": {m[1]}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	resp, err = b.Get(callback)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/connections" {
		t.Fatalf("callback %s answered %d to %q", callback, resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc
}

const qboListQuery = `{ quickBooksOnlineConnections { totalCount edges { node { id name realmId status accessTokenExpiresAt refreshTokenExpiresAt lastRefreshAt lastError warning } } } }`

// TestQuickBooksOnlineConnectGraphQL: the SPA's path — startQuickBooksOnlineConnect, Intuit's
// (simulated) consent screen, /qbo/callback, the Connections page with the result — then the
// company in quickBooksOnlineConnections (no tokens), a store set to post to it, and Disconnect
// revoking the grant at Intuit.
func TestQuickBooksOnlineConnectGraphQL(t *testing.T) {
	var sim *qbosim.Server
	app, srv := newTestApp(t, withSecretKey(dbtest.SealerKey), withQBOSimulator(t, &sim))
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	ctx := context.Background()

	var start struct{ StartQuickBooksOnlineConnect struct{ AuthorizeURL string } }
	c.mustGQL(`mutation { startQuickBooksOnlineConnect(name: "Online books") { authorizeUrl } }`, nil, &start)
	loc := browse(t, c, start.StartQuickBooksOnlineConnect.AuthorizeURL, "connect")
	if loc.Query().Get("qbo") != "connected" {
		t.Fatalf("connected to %s", loc)
	}
	id, _ := strconv.ParseInt(loc.Query().Get("qboId"), 10, 64)
	stored, err := app.DB.GetQBOConnection(ctx, owner.AccountID, id)
	if err != nil || stored.RealmID != sim.Realm() {
		t.Fatalf("stored %+v %v", stored, err)
	}
	toks, _ := stored.OpenTokens(app.Sealer)

	status, body := c.postJSON("/graphql", map[string]any{"query": qboListQuery})
	if status != http.StatusOK || strings.Contains(string(body), toks.Access) || strings.Contains(string(body), toks.Refresh) {
		t.Fatalf("list %d leaks tokens or failed: %s", status, body)
	}
	var list struct {
		QuickBooksOnlineConnections struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Name, RealmID, Status, LastError, Warning string
					AccessTokenExpiresAt, RefreshTokenExpiresAt   *string
				}
			}
		}
	}
	c.mustGQL(qboListQuery, nil, &list)
	n := list.QuickBooksOnlineConnections.Edges[0].Node
	if list.QuickBooksOnlineConnections.TotalCount != 1 || n.Name != "Online books" || n.RealmID != sim.Realm() || n.Status != "CONNECTED" ||
		n.AccessTokenExpiresAt == nil || n.RefreshTokenExpiresAt == nil || n.Warning != "" {
		t.Fatalf("listed %+v", list)
	}

	// Cancel at Intuit, and a callback with a forged state, come back as plain errors.
	c.mustGQL(`mutation { startQuickBooksOnlineConnect { authorizeUrl } }`, nil, &start)
	if got := browse(t, c, start.StartQuickBooksOnlineConnect.AuthorizeURL, "cancel").Query().Get("qbo_error"); got != "denied" {
		t.Fatalf("cancel gave %q", got)
	}
	b := &http.Client{Jar: c.http.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := b.Get(srv.URL + QBOCallbackPath + "?state=forged&code=AB11x&realmId=" + sim.Realm())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, _ := url.Parse(resp.Header.Get("Location")); loc == nil || loc.Query().Get("qbo_error") != "state" {
		t.Fatalf("forged state went to %q", resp.Header.Get("Location"))
	}

	// A store posts to the Online company instead of its Desktop one.
	qbd := fixtureQBD(t, app.DB, owner.AccountID, "wc-"+t.Name())
	sc := &db.StoreConnection{AccountID: owner.AccountID, Channel: "shopify", Name: "Shop", BaseURL: "https://x.myshopify.com", QBDConnectionID: &qbd.ID}
	fixtureStore(t, app.DB, sc, `{}`)
	var upd struct {
		UpdateStoreConnection struct{ QuickBooksConnectionID, QuickBooksOnlineConnectionID *string }
	}
	c.mustGQL(`mutation($id: ID!, $qbo: ID!) { updateStoreConnection(id: $id, input: {quickBooksOnlineConnectionId: $qbo}) { quickBooksConnectionId quickBooksOnlineConnectionId } }`,
		map[string]any{"id": sc.ID, "qbo": id}, &upd)
	if u := upd.UpdateStoreConnection; u.QuickBooksConnectionID != nil || u.QuickBooksOnlineConnectionID == nil || *u.QuickBooksOnlineConnectionID != strconv.FormatInt(id, 10) {
		t.Fatalf("store now posts to %+v", u)
	}
	if r := c.gql(`mutation($id: ID!, $qbo: ID!, $qbd: ID!) { updateStoreConnection(id: $id, input: {quickBooksOnlineConnectionId: $qbo, quickBooksConnectionId: $qbd}) { id } }`,
		map[string]any{"id": sc.ID, "qbo": id, "qbd": qbd.ID}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("both companies: %+v", r.Errors)
	}

	// The Add store wizard's path: a new store posts to the Online company from the start.
	t.Setenv(storenet.AllowPrivateEnv, "1") // the simulated shop listens on 127.0.0.1
	shop := httptest.NewServer(shopifysim.New(shopifysim.Options{AccessToken: "shpat_online", Seed: 9}))
	t.Cleanup(shop.Close)
	in := map[string]any{"channel": "SHOPIFY", "name": "Online shop", "baseUrl": shop.URL, "quickBooksOnlineConnectionId": id,
		"credentials": map[string]any{"accessToken": "shpat_online"}}
	var created struct {
		CreateStoreConnection struct{ QuickBooksConnectionID, QuickBooksOnlineConnectionID *string }
	}
	const create = `mutation($in: CreateStoreConnectionInput!) { createStoreConnection(input: $in) { quickBooksConnectionId quickBooksOnlineConnectionId } }`
	c.mustGQL(create, map[string]any{"in": in}, &created)
	if u := created.CreateStoreConnection; u.QuickBooksConnectionID != nil || u.QuickBooksOnlineConnectionID == nil || *u.QuickBooksOnlineConnectionID != strconv.FormatInt(id, 10) {
		t.Fatalf("new store posts to %+v", u)
	}
	in["quickBooksConnectionId"] = qbd.ID
	if r := c.gql(create, map[string]any{"in": in}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("new store with both companies: %+v", r.Errors)
	}

	// Another account's owner sees none of it and cannot disconnect it.
	_, stranger := signIn(t, app, srv, 0, db.RoleOwner)
	if r := stranger.gql(`mutation($id: ID!) { disconnectQuickBooksOnline(id: $id) { id } }`, map[string]any{"id": id}); r.code() != "NOT_FOUND" {
		t.Fatalf("stranger disconnect: %+v", r.Errors)
	}

	var disc struct{ DisconnectQuickBooksOnline struct{ Status string } }
	c.mustGQL(`mutation($id: ID!) { disconnectQuickBooksOnline(id: $id) { status } }`, map[string]any{"id": id}, &disc)
	if disc.DisconnectQuickBooksOnline.Status != "DISCONNECTED" || sim.AuthCounts().Revocations != 1 {
		t.Fatalf("disconnect: %+v, %d revocations", disc, sim.AuthCounts().Revocations)
	}
}
