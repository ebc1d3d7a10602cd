package qbosim

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ScopeAccounting is the scope of the Accounting API.
const ScopeAccounting = "com.intuit.quickbooks.accounting"

// refreshHardLimit is the maximum life of a connection's refresh tokens,
// counted from the user's consent, whatever the rotations (Intuit SDK release
// notes: RefreshTokenHardExpiresIn, five years).
const refreshHardLimit = 5 * 365 * 24 * time.Hour

// knownScopes are the scopes of Intuit's OAuth 2.0 guide ("Available Scopes").
var knownScopes = []string{ScopeAccounting, "com.intuit.quickbooks.payment", "openid", "profile", "email", "phone", "address"}

// authState is the authorization server's memory: pending consents, codes,
// and the tokens of each grant (one per consent or IssueTokens call). Codes
// and tokens are kept by their SHA-256 (tokenKey), never as issued, so the
// company file holds no usable secret.
type authState struct {
	consents map[string]*consent
	codes    map[string]*authCode
	refresh  map[string]*refreshToken
	access   map[string]*accessToken
	grants   int
	counts   AuthCounts
}

// grant is one connection: a user's consent for the app on the company.
type grant struct {
	id        int
	consented time.Time
	revoked   bool
}

type consent struct {
	redirectURI, scope, state string
	expires                   time.Time
}

type authCode struct {
	redirectURI string
	expires     time.Time
	used        bool
	grant       *grant // set when exchanged, so a second exchange can revoke it
}

type refreshToken struct {
	grant   *grant
	expires time.Time
	used    bool // rotated: a refresh with it already returned a new one
}

type accessToken struct {
	grant   *grant
	expires time.Time
}

// AuthCounts counts what the authorization server did, for tests.
type AuthCounts struct {
	Consents       int // "Connect" clicks that produced a code
	CodeExchanges  int // successful authorization_code grants
	Refreshes      int // successful refresh_token grants
	InvalidGrants  int // invalid_grant answers (reused or expired code or refresh token)
	InvalidClients int // invalid_client answers
	Revocations    int // grants revoked by the revoke endpoint
}

func (a *authState) init() {
	a.consents = map[string]*consent{}
	a.codes = map[string]*authCode{}
	a.refresh = map[string]*refreshToken{}
	a.access = map[string]*accessToken{}
}

// tokenResponse is the token endpoint's JSON (field order of Intuit's sample).
type tokenResponse struct {
	TokenType              string `json:"token_type"`
	AccessToken            string `json:"access_token"`
	RefreshToken           string `json:"refresh_token"`
	ExpiresIn              int64  `json:"expires_in"`
	XRefreshTokenExpiresIn int64  `json:"x_refresh_token_expires_in"`
}

// oauthError is the OAuth 2.0 error body of the token endpoint, e.g.
// {"error":"invalid_grant"}.
type oauthError struct {
	Error string `json:"error"`
}

// randomToken returns n random bytes as text with the given prefix.
func randomToken(prefix string, n int, enc func([]byte) string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + enc(b)
}

var b64 = base64.RawURLEncoding.EncodeToString

// tokenKey is how a code or token is stored and looked up.
func tokenKey(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// ---- consent screen -------------------------------------------------------

var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Error}}Error - {{end}}Intuit - Connect to QuickBooks (simulated)</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f8;color:#1f2328;margin:0}
main{max-width:32rem;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0003}
h1{font-size:1.4rem;margin-top:0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}
dt{font-weight:600}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:4px;cursor:pointer}
.connect{background:#0b6e1f;color:#fff;border:1px solid #0b6e1f}
.cancel{background:#fff;color:#1f2328;border:1px solid #6e7781}
.error{color:#a40e26}
</style>
</head>
<body>
<main>
{{if .Error}}
<h1 class="error">We can't connect this app</h1>
<p role="alert">{{.Error}}</p>
<p>Error code: <code>{{.Code}}</code>. The app's developer must fix its settings on the Intuit developer portal.</p>
{{else}}
<h1>Connect {{.AppName}} to QuickBooks</h1>
<p>This simulated Intuit page asks you to let the app use your QuickBooks Online company.</p>
<dl>
<dt>Company</dt><dd id="company">{{.Company}}</dd>
<dt>Company ID</dt><dd>{{.Realm}}</dd>
<dt>Access</dt><dd>{{.Scope}}</dd>
</dl>
<form method="post" aria-label="Authorize the app">
<input type="hidden" name="consent" value="{{.Consent}}">
<div class="actions">
<button class="connect" type="submit" name="action" value="connect">Connect</button>
<button class="cancel" type="submit" name="action" value="cancel">Cancel</button>
</div>
</form>
{{end}}
</main>
</body>
</html>
`))

type consentView struct {
	Error, Code                             string
	AppName, Company, Realm, Scope, Consent string
}

// authorizePage is GET /connect/oauth2 (appcenter.intuit.com/connect/oauth2):
// it checks the app and redirect URI, then shows the consent screen.
// An unknown client_id or unregistered redirect_uri is shown on the page and
// never redirected (the redirect target is not trusted); other request errors
// go back to the app as error=… with the state, as the OAuth 2.0 guide lists.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	if subtle.ConstantTimeCompare([]byte(clientID), []byte(s.opts.ClientID)) != 1 {
		s.renderConsentError(w, "invalid_client", "The app's client ID is not valid.")
		return
	}
	if !s.redirectAllowed(redirectURI) {
		s.renderConsentError(w, "redirect_uri_mismatch",
			"The redirect URI in the request did not match a redirect URI registered for the app.")
		return
	}
	state, scope := q.Get("state"), q.Get("scope")
	if q.Get("response_type") != "code" || state == "" {
		redirectWith(w, r, redirectURI, url.Values{"error": {"invalid_request"}, "state": {state}})
		return
	}
	if !validScope(scope) {
		redirectWith(w, r, redirectURI, url.Values{"error": {"invalid_scope"}, "state": {state}})
		return
	}
	nonce := randomToken("", 18, b64)
	s.mu.Lock()
	s.auth.consents[nonce] = &consent{redirectURI: redirectURI, scope: scope, state: state, expires: s.now().Add(time.Hour)}
	s.mu.Unlock()
	s.renderConsent(w, http.StatusOK, consentView{AppName: s.opts.AppName, Company: s.opts.CompanyName, Realm: s.opts.Realm,
		Scope: scopeLabel(scope), Consent: nonce})
}

// authorizeDecision is the consent form's POST: Connect redirects to the app
// with code, state and realmId; Cancel with error=access_denied and state.
func (s *Server) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderConsentError(w, "invalid_request", "The form could not be read.")
		return
	}
	nonce := r.PostForm.Get("consent")
	s.mu.Lock()
	c := s.auth.consents[nonce]
	delete(s.auth.consents, nonce)
	if c != nil && s.now().After(c.expires) {
		c = nil
	}
	s.mu.Unlock()
	if c == nil {
		s.renderConsentError(w, "invalid_request", "This authorization page has expired or was already used. Start again from the app.")
		return
	}
	if r.PostForm.Get("action") != "connect" {
		redirectWith(w, r, c.redirectURI, url.Values{"error": {"access_denied"}, "state": {c.state}})
		return
	}
	code := randomToken("AB11", 24, b64)
	s.mu.Lock()
	s.auth.codes[tokenKey(code)] = &authCode{redirectURI: c.redirectURI, expires: s.now().Add(s.opts.CodeLifetime)}
	s.auth.counts.Consents++
	s.mu.Unlock()
	redirectWith(w, r, c.redirectURI, url.Values{"code": {code}, "state": {c.state}, "realmId": {s.opts.Realm}})
}

func (s *Server) redirectAllowed(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		return false
	}
	return len(s.opts.RedirectURIs) == 0 || slices.Contains(s.opts.RedirectURIs, uri)
}

func validScope(scope string) bool {
	fields := strings.Fields(scope)
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		if !slices.Contains(knownScopes, f) {
			return false
		}
	}
	return true
}

func scopeLabel(scope string) string {
	var out []string
	for _, f := range strings.Fields(scope) {
		switch f {
		case ScopeAccounting:
			out = append(out, "QuickBooks Online accounting data")
		case "com.intuit.quickbooks.payment":
			out = append(out, "QuickBooks Payments")
		default:
			out = append(out, "your "+f)
		}
	}
	return strings.Join(out, ", ")
}

// redirectWith sends the browser to target with params added to its query.
func redirectWith(w http.ResponseWriter, r *http.Request, target string, params url.Values) {
	u, _ := url.Parse(target) // validated by redirectAllowed
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (s *Server) renderConsentError(w http.ResponseWriter, code, msg string) {
	s.renderConsent(w, http.StatusBadRequest, consentView{Error: msg, Code: code})
}

func (s *Server) renderConsent(w http.ResponseWriter, status int, v consentView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = consentPage.Execute(w, v)
}

// ---- token endpoint -------------------------------------------------------

// tokenEndpoint is POST /oauth2/v1/tokens/bearer
// (oauth.platform.intuit.com): client authentication by HTTP Basic only, then
// grant_type authorization_code (code, redirect_uri) or refresh_token.
func (s *Server) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if !s.clientAuthenticated(r) {
		s.mu.Lock()
		s.auth.counts.InvalidClients++
		s.mu.Unlock()
		w.Header().Set("WWW-Authenticate", `Basic realm="Intuit"`)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	f := r.PostForm
	switch f.Get("grant_type") {
	case "authorization_code":
		if f.Get("code") == "" || f.Get("redirect_uri") == "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request")
			return
		}
		s.exchangeCode(w, f.Get("code"), f.Get("redirect_uri"))
	case "refresh_token":
		if f.Get("refresh_token") == "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request")
			return
		}
		s.refreshGrant(w, f.Get("refresh_token"))
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request")
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type")
	}
}

// exchangeCode answers an authorization_code grant. A code works once; a
// second exchange is refused and revokes the tokens the first one issued
// ("Only send one request to exchange the authorization code. Multiple
// requests may invalidate tokens." — OAuth 2.0 guide, step 12).
func (s *Server) exchangeCode(w http.ResponseWriter, code, redirectURI string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c := s.auth.codes[tokenKey(code)]
	switch {
	case c == nil, now.After(c.expires), c.redirectURI != redirectURI:
		s.auth.counts.InvalidGrants++
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant")
		return
	case c.used:
		if c.grant != nil {
			c.grant.revoked = true
		}
		s.auth.counts.InvalidGrants++
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	c.used = true
	c.grant = s.newGrantLocked(now)
	s.auth.counts.CodeExchanges++
	tok := s.issueLocked(c.grant, now)
	s.saveLocked()
	writeJSON(w, http.StatusOK, tok)
}

// refreshGrant answers a refresh_token grant: a new access token and a NEW
// refresh token; the one presented stops working once it has been used
// (troubleshooting guide: "Token already refreshed — Use the new token";
// invalid_grant otherwise).
func (s *Server) refreshGrant(w http.ResponseWriter, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	rt := s.auth.refresh[tokenKey(token)]
	if rt == nil || rt.used || rt.grant.revoked || !now.Before(rt.expires) {
		s.auth.counts.InvalidGrants++
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	rt.used = true
	s.auth.counts.Refreshes++
	tok := s.issueLocked(rt.grant, now)
	s.saveLocked()
	writeJSON(w, http.StatusOK, tok)
}

func (s *Server) newGrantLocked(now time.Time) *grant {
	s.auth.grants++
	return &grant{id: s.auth.grants, consented: now}
}

// issueLocked mints an access and a refresh token for g.
func (s *Server) issueLocked(g *grant, now time.Time) tokenResponse {
	s.pruneLocked(now)
	at := randomToken("eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..", 48, b64)
	rt := randomToken(fmt.Sprintf("AB11%d", now.Add(RefreshTokenLifetime).Unix()), 16, hex.EncodeToString)
	refreshLife := min(RefreshTokenLifetime, g.consented.Add(refreshHardLimit).Sub(now))
	s.auth.access[tokenKey(at)] = &accessToken{grant: g, expires: now.Add(AccessTokenLifetime)}
	s.auth.refresh[tokenKey(rt)] = &refreshToken{grant: g, expires: now.Add(refreshLife)}
	return tokenResponse{TokenType: "bearer", AccessToken: at, RefreshToken: rt,
		ExpiresIn: int64(AccessTokenLifetime / time.Second), XRefreshTokenExpiresIn: int64(refreshLife / time.Second)}
}

func (s *Server) clientAuthenticated(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return false
	}
	okID := subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) == 1
	okSecret := subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) == 1
	return okID && okSecret
}

// ---- revocation -----------------------------------------------------------

// revokeEndpoint is POST /oauth2/v1/tokens/revoke (and Intuit's discovery
// path /v2/oauth2/tokens/revoke): {"token": …} as JSON, or token=… as a form,
// with HTTP Basic client authentication. Revoking a refresh or an access
// token disconnects the whole grant: its refresh and access tokens stop
// working. An unknown token is answered 200 too (RFC 7009 §2.2).
func (s *Server) revokeEndpoint(w http.ResponseWriter, r *http.Request) {
	if !s.clientAuthenticated(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Intuit"`)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	token, ok := revokeToken(r)
	if !ok {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	s.mu.Lock()
	var g *grant
	if rt := s.auth.refresh[tokenKey(token)]; rt != nil {
		g = rt.grant
	} else if at := s.auth.access[tokenKey(token)]; at != nil {
		g = at.grant
	}
	if g != nil && !g.revoked {
		g.revoked = true
		s.auth.counts.Revocations++
		s.saveLocked()
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func revokeToken(r *http.Request) (string, bool) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var body struct {
			Token string `json:"token"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Token == "" {
			return "", false
		}
		return body.Token, true
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("token") == "" {
		return "", false
	}
	return r.PostForm.Get("token"), true
}

// ---- bearer check for the API -----------------------------------------------

// tokenStatus is what an API request's bearer token amounts to.
type tokenStatus int

const (
	tokenValid tokenStatus = iota
	tokenMissing
	tokenExpired // known but past its hour, or revoked
	tokenUnknown
)

// bearer checks the Authorization header of an API request.
func (s *Server) bearer(r *http.Request) (tokenStatus, string) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return tokenMissing, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.auth.access[tokenKey(tok)]
	switch {
	case at == nil:
		return tokenUnknown, tok
	case at.grant.revoked || !s.now().Before(at.expires):
		return tokenExpired, tok
	}
	return tokenValid, tok
}

// ---- test hooks -------------------------------------------------------------

// IssueTokens connects an app without the browser step, as if a user had
// clicked Connect and the code had been exchanged, and returns the tokens.
func (s *Server) IssueTokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	t := s.issueLocked(s.newGrantLocked(now), now)
	s.saveLocked()
	return t.AccessToken, t.RefreshToken
}

// ExpireAccessTokens makes every access token issued so far expired, as an
// hour passing would, without touching refresh tokens.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	expireAll(s.auth.access, s.now(), func(t *accessToken) *time.Time { return &t.expires })
}

// ExpireRefreshTokens makes every refresh token issued so far expired, as
// 100 days without use would: the app must ask the user to connect again.
func (s *Server) ExpireRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	expireAll(s.auth.refresh, s.now(), func(t *refreshToken) *time.Time { return &t.expires })
}

// expireAll sets the expiry of every token in m to just before now.
func expireAll[T any](m map[string]*T, now time.Time, expires func(*T) *time.Time) {
	for _, t := range m {
		*expires(t) = now.Add(-time.Second)
	}
}

// AuthCounts returns the authorization server's counters.
func (s *Server) AuthCounts() AuthCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth.counts
}

// ---- helpers -----------------------------------------------------------------

func writeOAuthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, oauthError{Error: code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// ---- persistence -------------------------------------------------------------

// authFile is the part of the company file that keeps connections across a
// restart of `ledgerlink sim qbo`: grants and token hashes with their expiry.
type authFile struct {
	Grants  []grantFile          `json:"grants"`
	Refresh map[string]tokenFile `json:"refresh"`
	Access  map[string]tokenFile `json:"access"`
}

type grantFile struct {
	ID        int       `json:"id"`
	Consented time.Time `json:"consented"`
	Revoked   bool      `json:"revoked,omitempty"`
}

type tokenFile struct {
	Grant   int       `json:"grant"`
	Expires time.Time `json:"expires"`
	Used    bool      `json:"used,omitempty"`
}

// snapshot returns the grants and tokens still worth keeping (not expired).
func (a *authState) snapshot(now time.Time) *authFile {
	f := &authFile{Refresh: map[string]tokenFile{}, Access: map[string]tokenFile{}}
	seen := map[int]bool{}
	keep := func(g *grant) {
		if !seen[g.id] {
			seen[g.id] = true
			f.Grants = append(f.Grants, grantFile{ID: g.id, Consented: g.consented, Revoked: g.revoked})
		}
	}
	for k, t := range a.refresh {
		if now.Before(t.expires) && !t.grant.revoked {
			f.Refresh[k] = tokenFile{Grant: t.grant.id, Expires: t.expires, Used: t.used}
			keep(t.grant)
		}
	}
	for k, t := range a.access {
		if now.Before(t.expires) && !t.grant.revoked {
			f.Access[k] = tokenFile{Grant: t.grant.id, Expires: t.expires}
			keep(t.grant)
		}
	}
	return f
}

// restore loads a snapshot into an empty authState.
func (a *authState) restore(f *authFile) {
	grants := map[int]*grant{}
	for _, g := range f.Grants {
		grants[g.ID] = &grant{id: g.ID, consented: g.Consented, revoked: g.Revoked}
		a.grants = max(a.grants, g.ID)
	}
	for k, t := range f.Refresh {
		if g := grants[t.Grant]; g != nil {
			a.refresh[k] = &refreshToken{grant: g, expires: t.Expires, used: t.Used}
		}
	}
	for k, t := range f.Access {
		if g := grants[t.Grant]; g != nil {
			a.access[k] = &accessToken{grant: g, expires: t.Expires}
		}
	}
}

// pruneLocked forgets expired tokens and codes, so a long-running simulator
// does not grow without bound. The caller holds s.mu.
func (s *Server) pruneLocked(now time.Time) {
	for k, t := range s.auth.access {
		if !now.Before(t.expires) {
			delete(s.auth.access, k)
		}
	}
	for k, t := range s.auth.refresh {
		if !now.Before(t.expires) {
			delete(s.auth.refresh, k)
		}
	}
	for k, c := range s.auth.codes {
		if now.After(c.expires) {
			delete(s.auth.codes, k)
		}
	}
	for k, c := range s.auth.consents {
		if now.After(c.expires) {
			delete(s.auth.consents, k)
		}
	}
}
