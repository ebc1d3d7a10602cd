package qbo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

const redirectURI = "http://ledgerlink.test/qbo/callback"

// rig is an account with a signed-in session, the simulated Intuit, and Tokens pointed at it;
// the simulator and Tokens share one fake clock.
type rig struct {
	d       *db.DB
	acct    *db.Account
	session *db.Session
	sim     *qbosim.Server
	clock   *storenettest.Clock
	tokens  *qbo.Tokens
}

func newRig(t *testing.T) *rig {
	t.Helper()
	d := dbtest.DB(t)
	acct := dbtest.Account(t, d)
	clock := storenettest.NewClock(time.Now().UTC().Truncate(time.Second))
	sim := qbosim.New(qbosim.Options{ClientID: "app-client-id", ClientSecret: "app-client-secret", RedirectURIs: []string{redirectURI}, Clock: clock.Now})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	cfg := qbo.Config{ClientID: "app-client-id", ClientSecret: "app-client-secret", AuthURL: srv.URL + "/connect/oauth2",
		TokenURL: srv.URL + "/oauth2/v1/tokens/bearer", RevokeURL: srv.URL + "/oauth2/v1/tokens/revoke", APIURL: srv.URL, RedirectURL: redirectURI}
	return &rig{d: d, acct: acct, session: dbtest.Session(t, d, acct.ID), sim: sim, clock: clock,
		tokens: &qbo.Tokens{DB: d, Sealer: dbtest.Sealer(t), Config: cfg, Now: clock.Now}}
}

var consentField = regexp.MustCompile(`name="consent" value="([^"]+)"`)

// consent plays the merchant's browser on Intuit's consent screen: it opens authorizeURL and
// clicks action ("connect" or "cancel"), and returns the query Intuit redirects back with.
func (r *rig) consent(t *testing.T, authorizeURL, action string) url.Values {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := consentField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("consent screen %d: %s", resp.StatusCode, page)
	}
	resp, err = noFollow.PostForm(authorizeURL, url.Values{"consent": {string(m[1])}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), redirectURI+"?") {
		t.Fatalf("consent answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query()
}

func connectError(err error) string {
	var ce *qbo.ConnectError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return ""
}

// TestConnectThroughSimulator: Connect to QuickBooks end to end through the simulated Intuit —
// the authorize URL carries our client, redirect URI, scope and a state; the state must come
// back to the session that started it, once; the code is exchanged and the company stored.
func TestConnectThroughSimulator(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	authURL, err := r.tokens.StartConnect(ctx, r.acct.ID, r.session.ID, "Online books", nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(authURL)
	q := u.Query()
	if q.Get("client_id") != "app-client-id" || q.Get("redirect_uri") != redirectURI || q.Get("scope") != "com.intuit.quickbooks.accounting" ||
		q.Get("response_type") != "code" || len(q.Get("state")) < 40 {
		t.Fatalf("authorize URL %s", authURL)
	}
	back := r.consent(t, authURL, "connect")
	if back.Get("state") != q.Get("state") {
		t.Fatalf("state came back as %q", back.Get("state"))
	}

	// A forged state, and the right one from another session, are refused.
	forged := url.Values{"code": {back.Get("code")}, "realmId": {back.Get("realmId")}, "state": {"forged-" + q.Get("state")}}
	if _, err := r.tokens.FinishConnect(ctx, r.session.ID, forged); connectError(err) != qbo.ConnectState {
		t.Fatalf("forged state: %v", err)
	}
	other := dbtest.Session(t, r.d, r.acct.ID)
	if _, err := r.tokens.FinishConnect(ctx, other.ID, back); connectError(err) != qbo.ConnectState {
		t.Fatalf("another session's callback: %v", err)
	}
	// That attempt used the state up (single use), so the real callback comes too late: start again.
	authURL, err = r.tokens.StartConnect(ctx, r.acct.ID, r.session.ID, "Online books", nil)
	if err != nil {
		t.Fatal(err)
	}
	back = r.consent(t, authURL, "connect")
	c, err := r.tokens.FinishConnect(ctx, r.session.ID, back)
	if err != nil {
		t.Fatal(err)
	}
	if c.RealmID != r.sim.Realm() || c.Name != "Online books" || c.Status != db.QBOStatusConnected || c.AccountID != r.acct.ID {
		t.Fatalf("stored %+v", c)
	}
	// Intuit's documented lifetimes: 3600 s access, x_refresh_token_expires_in 8726400 s.
	now := r.clock.Now()
	if !c.AccessExpiresAt.Equal(now.Add(3600*time.Second)) || !c.RefreshExpiresAt.Equal(now.Add(8726400*time.Second)) {
		t.Fatalf("expiries %v %v (now %v)", c.AccessExpiresAt, c.RefreshExpiresAt, now)
	}
	// Replaying the callback (same state) is refused; the company is not stored twice.
	if _, err := r.tokens.FinishConnect(ctx, r.session.ID, back); connectError(err) != qbo.ConnectState {
		t.Fatalf("replayed callback: %v", err)
	}
	if list, _ := r.d.ListQBOConnections(ctx, r.acct.ID, db.Page{Limit: 10}); list.TotalCount != 1 {
		t.Fatalf("%d connections", list.TotalCount)
	}
	// The stored access token is the one Intuit issued and is handed out as it is (an hour left).
	tok, err := r.tokens.For(r.acct.ID, c.ID).AccessToken(ctx)
	if err != nil || tok == "" || r.sim.AuthCounts().Refreshes != 0 {
		t.Fatalf("access token %q %v, %d refreshes", tok, err, r.sim.AuthCounts().Refreshes)
	}

	// Cancel on the consent screen comes back as "denied".
	authURL, _ = r.tokens.StartConnect(ctx, r.acct.ID, r.session.ID, "", nil)
	if _, err := r.tokens.FinishConnect(ctx, r.session.ID, r.consent(t, authURL, "cancel")); connectError(err) != qbo.ConnectDenied {
		t.Fatalf("cancelled: %v", err)
	}
	// A code Intuit does not know fails the exchange.
	authURL, _ = r.tokens.StartConnect(ctx, r.acct.ID, r.session.ID, "", nil)
	back = r.consent(t, authURL, "connect")
	back.Set("code", "AB11-not-issued")
	if _, err := r.tokens.FinishConnect(ctx, r.session.ID, back); connectError(err) != qbo.ConnectExchange {
		t.Fatalf("unknown code: %v", err)
	}
}

// connected stores a company whose tokens the simulator issued, its access token about to
// expire (so the next AccessToken refreshes).
func (r *rig) connected(t *testing.T) *db.QBOConnection {
	t.Helper()
	access, refresh := r.sim.IssueTokens()
	now := r.clock.Now()
	c := &db.QBOConnection{AccountID: r.acct.ID, Name: "Books", RealmID: r.sim.Realm()}
	toks := db.QBOTokens{Access: access, Refresh: refresh, AccessExpiresAt: now.Add(time.Minute), RefreshExpiresAt: now.Add(100 * 24 * time.Hour)}
	if err := r.d.SaveQBOConnection(context.Background(), r.tokens.Sealer, c, toks, now); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRefreshTwoWorkersRotateOnce: two workers (each with its own Tokens, as two processes
// would have) ask for a token at once while it is about to expire. The refresh happens once,
// both get the new token, and the rotated refresh token is the one stored — the simulator
// refuses a used refresh token, so a lost rotation would fail the next refresh.
func TestRefreshTwoWorkersRotateOnce(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	c := r.connected(t)
	old, _ := c.OpenTokens(r.tokens.Sealer)

	var wg sync.WaitGroup
	got := make([]string, 2)
	errs := make([]error, 2)
	start := make(chan struct{})
	for i := range 2 {
		worker := *r.tokens // a second process: same database, its own Tokens
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], errs[i] = worker.For(r.acct.ID, c.ID).AccessToken(ctx)
		}()
	}
	close(start)
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("worker %d: %v", i, errs[i])
		}
	}
	counts := r.sim.AuthCounts()
	if got[0] != got[1] || got[0] == old.Access || counts.Refreshes != 1 || counts.InvalidGrants != 0 {
		t.Fatalf("tokens %q %q (old %q), %+v", got[0], got[1], old.Access, counts)
	}
	stored, _ := r.d.GetQBOConnection(ctx, r.acct.ID, c.ID)
	now, _ := stored.OpenTokens(r.tokens.Sealer)
	if now.Refresh == old.Refresh || now.Access != got[0] || stored.LastRefreshAt == nil {
		t.Fatalf("stored tokens not rotated: %+v", stored)
	}

	// The API refusing the token (401) forces a refresh with the stored, rotated refresh token.
	fresh, err := r.tokens.For(r.acct.ID, c.ID).Refresh(ctx, got[0])
	if err != nil || fresh == got[0] {
		t.Fatalf("refresh after 401: %q %v", fresh, err)
	}
	if counts := r.sim.AuthCounts(); counts.Refreshes != 2 || counts.InvalidGrants != 0 {
		t.Fatalf("after second refresh %+v", counts)
	}
	// A worker that saw the same 401 a moment later gets that new token without refreshing again.
	again, err := r.tokens.For(r.acct.ID, c.ID).Refresh(ctx, got[0])
	if err != nil || again != fresh || r.sim.AuthCounts().Refreshes != 2 {
		t.Fatalf("second 401 refresh: %q %v %+v", again, err, r.sim.AuthCounts())
	}
}

// TestRefreshRefusedNeedsReconnect: Intuit refusing the refresh token (invalid_grant) marks the
// connection "reconnect needed" with what to do, and later callers are told so without asking
// Intuit again.
func TestRefreshRefusedNeedsReconnect(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	c := r.connected(t)
	r.sim.ExpireRefreshTokens()
	_, err := r.tokens.For(r.acct.ID, c.ID).AccessToken(ctx)
	if !errors.Is(err, qbo.ErrReconnectNeeded) {
		t.Fatalf("refresh with an expired refresh token: %v", err)
	}
	stored, _ := r.d.GetQBOConnection(ctx, r.acct.ID, c.ID)
	if stored.Status != db.QBOStatusReconnect || !strings.Contains(stored.LastError, "Reconnect") {
		t.Fatalf("after invalid_grant: %q %q", stored.Status, stored.LastError)
	}
	if _, err := r.tokens.For(r.acct.ID, c.ID).AccessToken(ctx); !errors.Is(err, qbo.ErrReconnectNeeded) {
		t.Fatalf("second call: %v", err)
	}
	if n := r.sim.AuthCounts().InvalidGrants; n != 1 {
		t.Fatalf("Intuit asked %d times", n)
	}
	logs, err := r.d.ListLogs(ctx, r.acct.ID, db.LogFilter{Level: db.LevelError}, db.Page{Limit: 10})
	if err != nil || logs.TotalCount != 1 || !strings.Contains(logs.Items[0].Message, "“Books” needs to be connected again") ||
		logs.Items[0].Hint == nil || !strings.Contains(*logs.Items[0].Hint, "Reconnect") {
		t.Fatalf("account log: %+v %v", logs.Items, err)
	}
	// Reconnecting the same company makes it usable again.
	authURL, err := r.tokens.StartConnect(ctx, r.acct.ID, r.session.ID, "", &c.ID)
	if err != nil {
		t.Fatal(err)
	}
	back := r.consent(t, authURL, "connect")
	again, err := r.tokens.FinishConnect(ctx, r.session.ID, back)
	if err != nil || again.ID != c.ID || again.Status != db.QBOStatusConnected || again.Name != "Books" {
		t.Fatalf("reconnect: %+v %v", again, err)
	}
	if _, err := r.tokens.For(r.acct.ID, c.ID).AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestDisconnectRevokes: disconnecting revokes the grant at Intuit and deletes the tokens.
func TestDisconnectRevokes(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	c := r.connected(t)
	got, err := r.tokens.Disconnect(ctx, r.acct.ID, c.ID)
	if err != nil || got.Status != db.QBOStatusDisconnected || got.LastError != "" {
		t.Fatalf("disconnect: %+v %v", got, err)
	}
	if n := r.sim.AuthCounts().Revocations; n != 1 {
		t.Fatalf("%d revocations at Intuit", n)
	}
	stored, _ := r.d.GetQBOConnection(ctx, r.acct.ID, c.ID)
	if stored.AccessToken != nil || stored.RefreshToken != nil {
		t.Fatal("tokens kept after disconnect")
	}
	if _, err := r.tokens.For(r.acct.ID, c.ID).AccessToken(ctx); !errors.Is(err, qbo.ErrReconnectNeeded) {
		t.Fatalf("token after disconnect: %v", err)
	}
	// Another account cannot disconnect it.
	if _, err := r.tokens.Disconnect(ctx, dbtest.Account(t, r.d).ID, c.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account: %v", err)
	}
}
