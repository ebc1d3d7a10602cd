package qbosim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// authorizeURL is the request of step 8 of Intuit's OAuth 2.0 guide.
func authorizeURL(clientID, redirect, state string) string {
	return "/connect/oauth2?" + url.Values{"client_id": {clientID}, "response_type": {"code"},
		"scope": {"com.intuit.quickbooks.accounting"}, "redirect_uri": {redirect}, "state": {state}}.Encode()
}

var consentField = regexp.MustCompile(`name="consent" value="([^"]+)"`)

// consentNonce opens the consent screen and returns the form's hidden consent value.
func (e *env) consentNonce(state string) string {
	e.t.Helper()
	page := e.get(authorizeURL(e.sim.ClientID(), testRedirect, state))
	if page.status != http.StatusOK {
		e.t.Fatalf("consent screen: %d %s", page.status, page.body)
	}
	m := consentField.FindSubmatch(page.body)
	if m == nil {
		e.t.Fatalf("no consent form in\n%s", page.body)
	}
	return string(m[1])
}

// connect clicks Connect and returns the callback's query.
func (e *env) connect(state string) url.Values {
	e.t.Helper()
	nonce := e.consentNonce(state)
	resp := e.postForm("/connect/oauth2", url.Values{"consent": {nonce}, "action": {"connect"}}, "", "")
	return e.callback(resp)
}

func (e *env) callback(resp response) url.Values {
	e.t.Helper()
	if resp.status != http.StatusFound {
		e.t.Fatalf("want a 302 to the redirect URI, got %d %s", resp.status, resp.body)
	}
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		e.t.Fatalf("redirected to %s, want %s", got, testRedirect)
	}
	return loc.Query()
}

func TestConsentScreenConnectRedirectsWithCodeStateRealm(t *testing.T) {
	e := start(t, Options{CompanyName: "Redwine Cellars", Realm: "4620816365178285040"})
	page := e.get(authorizeURL(e.sim.ClientID(), testRedirect, "st-1"))
	for _, want := range []string{"Redwine Cellars", `<html lang="en">`, ">Connect</button>", ">Cancel</button>", "<title>"} {
		if !strings.Contains(string(page.body), want) {
			t.Errorf("consent screen lacks %q", want)
		}
	}
	q := e.connect("st-1")
	// Step 11 of the guide: code, state and realmId.
	if q.Get("state") != "st-1" || q.Get("realmId") != "4620816365178285040" || q.Get("code") == "" {
		t.Fatalf("callback query %v", q)
	}
	if len(q.Get("code")) > 512 {
		t.Fatalf("code longer than the documented 512 characters")
	}
}

func TestConsentScreenCancelIsAccessDenied(t *testing.T) {
	e := start(t, Options{})
	nonce := e.consentNonce("st-2")
	q := e.callback(e.postForm("/connect/oauth2", url.Values{"consent": {nonce}, "action": {"cancel"}}, "", ""))
	if q.Get("error") != "access_denied" || q.Get("state") != "st-2" || q.Get("code") != "" {
		t.Fatalf("callback query %v", q)
	}
	// The page cannot be submitted twice.
	again := e.postForm("/connect/oauth2", url.Values{"consent": {nonce}, "action": {"connect"}}, "", "")
	if again.status != http.StatusBadRequest {
		t.Fatalf("second submit: %d", again.status)
	}
}

func TestConsentScreenRefusesUnknownClientAndRedirect(t *testing.T) {
	e := start(t, Options{})
	for name, path := range map[string]string{
		"client":   authorizeURL("not-our-app", testRedirect, "s"),
		"redirect": authorizeURL(e.sim.ClientID(), "https://evil.example/cb", "s"),
	} {
		resp := e.get(path)
		if resp.status != http.StatusBadRequest || resp.header.Get("Location") != "" {
			t.Errorf("%s: want an error page, got %d to %q", name, resp.status, resp.header.Get("Location"))
		}
		if !strings.Contains(string(resp.body), `role="alert"`) {
			t.Errorf("%s: error page has no alert: %s", name, resp.body)
		}
	}
	// A scope the guide does not list goes back to the app as invalid_scope.
	bad := e.get("/connect/oauth2?" + url.Values{"client_id": {e.sim.ClientID()}, "response_type": {"code"},
		"scope": {"com.intuit.quickbooks.everything"}, "redirect_uri": {testRedirect}, "state": {"s3"}}.Encode())
	if q := e.callback(bad); q.Get("error") != "invalid_scope" || q.Get("state") != "s3" {
		t.Fatalf("callback query %v", q)
	}
}

func TestTokenExchangeAndRefreshRotation(t *testing.T) {
	e := start(t, Options{})
	code := e.connect("s").Get("code")
	resp := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}})
	if resp.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", resp.status, resp.body)
	}
	tok := resp.json(t)
	// Step 13 of the guide: the token response's fields and lifetimes.
	if tok["token_type"] != "bearer" || tok["expires_in"] != 3600.0 || tok["x_refresh_token_expires_in"] != 8726400.0 {
		t.Fatalf("token response %s", resp.body)
	}
	access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
	if access == "" || refresh == "" {
		t.Fatalf("token response %s", resp.body)
	}
	if st, _ := e.sim.bearer(bearerReq(access)); st != tokenValid {
		t.Fatalf("fresh access token: status %d", st)
	}

	// A code works once; the second exchange also revokes what the first issued.
	again := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}})
	if again.status != http.StatusBadRequest || string(again.body) != `{"error":"invalid_grant"}` {
		t.Fatalf("second exchange: %d %s", again.status, again.body)
	}
	if st, _ := e.sim.bearer(bearerReq(access)); st != tokenExpired {
		t.Fatalf("access token after a replayed code: status %d", st)
	}

	// A fresh connection: refreshing returns a new refresh token; the old one is spent.
	code = e.connect("s2").Get("code")
	tok = e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}}).json(t)
	refresh = tok["refresh_token"].(string)
	r1 := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if r1.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r1.status, r1.body)
	}
	next := r1.json(t)["refresh_token"].(string)
	if next == refresh {
		t.Fatal("refresh returned the same refresh token")
	}
	r2 := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if r2.status != http.StatusBadRequest || string(r2.body) != `{"error":"invalid_grant"}` {
		t.Fatalf("reused refresh token: %d %s", r2.status, r2.body)
	}
	if r3 := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {next}}); r3.status != http.StatusOK {
		t.Fatalf("rotated refresh token: %d %s", r3.status, r3.body)
	}
}

func TestConcurrentRefreshOnlyOneWins(t *testing.T) {
	e := start(t, Options{})
	_, refresh := e.sim.IssueTokens()
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}).status
		})
	}
	wg.Wait()
	ok := 0
	for _, st := range statuses {
		if st == http.StatusOK {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("statuses %v: exactly one refresh must succeed", statuses)
	}
	if c := e.sim.AuthCounts(); c.Refreshes != 1 || c.InvalidGrants != 1 {
		t.Fatalf("counts %+v", c)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	e := start(t, Options{})
	_, refresh := e.sim.IssueTokens()
	cases := []struct {
		name       string
		form       url.Values
		user, pass string
		status     int
		body       string
	}{
		{"wrong secret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, e.sim.ClientID(), "nope", 401, `{"error":"invalid_client"}`},
		{"no client auth", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, "", "", 401, `{"error":"invalid_client"}`},
		{"unknown code", url.Values{"grant_type": {"authorization_code"}, "code": {"AB11nope"}, "redirect_uri": {testRedirect}}, e.sim.ClientID(), e.sim.ClientSecret(), 400, `{"error":"invalid_grant"}`},
		{"missing code", url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {testRedirect}}, e.sim.ClientID(), e.sim.ClientSecret(), 400, `{"error":"invalid_request"}`},
		{"grant type", url.Values{"grant_type": {"password"}}, e.sim.ClientID(), e.sim.ClientSecret(), 400, `{"error":"unsupported_grant_type"}`},
	}
	for _, c := range cases {
		resp := e.postForm("/oauth2/v1/tokens/bearer", c.form, c.user, c.pass)
		if resp.status != c.status || string(resp.body) != c.body {
			t.Errorf("%s: %d %s, want %d %s", c.name, resp.status, resp.body, c.status, c.body)
		}
	}
	// The refresh token was not spent by the refused requests.
	if resp := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); resp.status != 200 {
		t.Fatalf("refresh after refused requests: %d %s", resp.status, resp.body)
	}
}

func TestCodeExpiresAndRedirectMustMatch(t *testing.T) {
	e := start(t, Options{})
	code := e.connect("s").Get("code")
	if resp := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"https://app.example/other"}}); resp.status != 400 {
		t.Fatalf("other redirect_uri: %d", resp.status)
	}
	code = e.connect("s").Get("code")
	e.clock.Advance(DefaultCodeLifetime + time.Second)
	if resp := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}}); resp.status != 400 {
		t.Fatalf("expired code: %d", resp.status)
	}
}

func TestRevokeDisconnectsGrant(t *testing.T) {
	e := start(t, Options{})
	access, refresh := e.sim.IssueTokens()
	otherAccess, _ := e.sim.IssueTokens()
	resp := e.postForm("/oauth2/v1/tokens/revoke", url.Values{"token": {refresh}}, e.sim.ClientID(), e.sim.ClientSecret())
	if resp.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", resp.status, resp.body)
	}
	if st, _ := e.sim.bearer(bearerReq(access)); st != tokenExpired {
		t.Fatalf("access token of the revoked grant: %d", st)
	}
	if st, _ := e.sim.bearer(bearerReq(otherAccess)); st != tokenValid {
		t.Fatalf("another connection's token: %d", st)
	}
	if r := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); r.status != 400 {
		t.Fatalf("refresh after revoke: %d", r.status)
	}
	if c := e.sim.AuthCounts(); c.Revocations != 1 {
		t.Fatalf("counts %+v", c)
	}
}

func TestExpiryHooksAndClock(t *testing.T) {
	e := start(t, Options{})
	access, refresh := e.sim.IssueTokens()
	e.clock.Advance(AccessTokenLifetime)
	if st, _ := e.sim.bearer(bearerReq(access)); st != tokenExpired {
		t.Fatalf("access token after an hour: %d", st)
	}
	resp := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	access2 := resp.json(t)["access_token"].(string)
	e.sim.ExpireAccessTokens()
	if st, _ := e.sim.bearer(bearerReq(access2)); st != tokenExpired {
		t.Fatalf("after ExpireAccessTokens: %d", st)
	}
	e.sim.ExpireRefreshTokens()
	if r := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {resp.json(t)["refresh_token"].(string)}}); r.status != 400 {
		t.Fatalf("after ExpireRefreshTokens: %d", r.status)
	}
}

func bearerReq(token string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

// TestConsentWorksUnderAPrefix: the demo mounts the simulator under a path
// (http.StripPrefix); the consent form posts back to the page's own URL.
func TestConsentWorksUnderAPrefix(t *testing.T) {
	sim := New(Options{RedirectURIs: []string{testRedirect}})
	mux := http.NewServeMux()
	mux.Handle("/sim/qbo/", http.StripPrefix("/sim/qbo", sim))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	e := &env{t: t, sim: sim, url: ts.URL + "/sim/qbo", http: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	page := e.get(authorizeURL(sim.ClientID(), testRedirect, "p"))
	if strings.Contains(string(page.body), `action="/`) {
		t.Fatalf("the form posts to an absolute path:\n%s", page.body)
	}
	// A browser posts the form to the page's URL, query included.
	nonce := consentField.FindSubmatch(page.body)[1]
	resp := e.postForm(authorizeURL(sim.ClientID(), testRedirect, "p"), url.Values{"consent": {string(nonce)}, "action": {"connect"}}, "", "")
	if q := e.callback(resp); q.Get("code") == "" || q.Get("state") != "p" {
		t.Fatalf("callback %v", q)
	}
}

// TestConnectionsSurviveARestart: a file-backed simulator keeps its grants (as token
// hashes, never the tokens) so `ledgerlink sim qbo` can restart under a connected app.
func TestConnectionsSurviveARestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "qbo.json")
	clock := func() time.Time { return t0 }
	sim, err := Open(Options{File: file, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	access, refresh := sim.IssueTokens()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), access) || strings.Contains(string(raw), refresh) {
		t.Fatal("the company file holds a token as issued")
	}
	again, err := Open(Options{File: file, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := again.bearer(bearerReq(access)); st != tokenValid {
		t.Fatalf("access token after a restart: %d", st)
	}
	ts := httptest.NewServer(again)
	t.Cleanup(ts.Close)
	e := &env{t: t, sim: again, url: ts.URL, http: http.DefaultClient}
	if r := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); r.status != http.StatusOK {
		t.Fatalf("refresh after a restart: %d %s", r.status, r.body)
	}
}
