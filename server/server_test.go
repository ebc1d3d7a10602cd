package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

const viewerQuery = `{ viewer { account { id name } role authMethod user { email } } }`

func TestGraphQLRequiresCredentials(t *testing.T) {
	_, srv := newTestApp(t)
	c := newClient(t, srv.URL)
	r := c.gql(viewerQuery, nil)
	if r.Status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous: got %d %q, want 401 UNAUTHENTICATED", r.Status, r.code())
	}
	c.bearer = "llk_not-a-real-key-at-all-000000000000"
	if r := c.gql(viewerQuery, nil); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("bad key: got %q, want UNAUTHENTICATED", r.code())
	}
}

func TestLoginSessionCSRFAndLogout(t *testing.T) {
	app, srv := newTestApp(t)
	u, pw := fixtureUser(t, app.DB, 0, db.RoleOwner)

	c := newClient(t, srv.URL)
	if status, body := c.postJSON("/auth/login", map[string]string{"email": u.Email, "password": "wrong password"}); status != http.StatusUnauthorized || !strings.Contains(string(body), "Invalid email or password") {
		t.Fatalf("wrong password: %d %s", status, body)
	}
	c.login(strings.ToUpper(u.Email), pw) // emails match case-insensitively

	var v struct {
		Viewer struct {
			Role, AuthMethod string
			User             struct{ Email string }
		}
	}
	c.mustGQL(viewerQuery, nil, &v)
	if v.Viewer.Role != "OWNER" || v.Viewer.AuthMethod != "SESSION" || v.Viewer.User.Email != u.Email {
		t.Fatalf("viewer = %+v", v.Viewer)
	}

	// The same cookie without the CSRF header is refused: a cross-site page cannot read the token.
	token := c.csrf
	c.csrf = ""
	if r := c.gql(viewerQuery, nil); r.Status != http.StatusForbidden || r.code() != "FORBIDDEN" {
		t.Fatalf("no csrf: got %d %q", r.Status, r.code())
	}
	c.csrf = "forged"
	if r := c.gql(viewerQuery, nil); r.Status != http.StatusForbidden {
		t.Fatalf("forged csrf: got %d", r.Status)
	}
	c.csrf = token

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/auth/session", nil)
	if status, body := c.do(req); status != http.StatusOK || !strings.Contains(string(body), `"role":"OWNER"`) {
		t.Fatalf("session: %d %s", status, body)
	}
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/auth/logout", nil)
	if status, _ := c.do(req); status != http.StatusNoContent {
		t.Fatalf("logout: %d", status)
	}
	if r := c.gql(viewerQuery, nil); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("after logout: got %q", r.code())
	}
}

// The SPA probes /auth/session on every load; signed out is an answer (204), not an error a
// browser logs on the login page's console (issue 17).
func TestSessionProbeSignedOut(t *testing.T) {
	_, srv := newTestApp(t)
	for name, cookie := range map[string]string{"no cookie": "", "unknown session": "not-a-session-token"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/auth/session", nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: cookie})
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent || len(body) != 0 {
			t.Errorf("%s: got %d %q, want 204 and no body", name, res.StatusCode, body)
		}
	}
}

func TestAPIKeyLifecycle(t *testing.T) {
	app, srv := newTestApp(t)
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)

	var created struct {
		CreateAPIKey struct {
			Secret string
			APIKey struct{ ID, Prefix, Name string }
		} `json:"createApiKey"`
	}
	c.mustGQL(`mutation($n: String!) { createApiKey(input: {name: $n}) { secret apiKey { id prefix name } } }`,
		map[string]any{"n": "Reporting script"}, &created)
	secret := created.CreateAPIKey.Secret
	if !strings.HasPrefix(secret, "llk_") || !strings.HasPrefix(secret, created.CreateAPIKey.APIKey.Prefix) || len(secret) < 40 {
		t.Fatalf("secret %q prefix %q", secret, created.CreateAPIKey.APIKey.Prefix)
	}

	// Stored hashed: the secret appears nowhere in the table.
	var n int
	if err := dbtest.SQL(t).NewRaw(`SELECT count(*) FROM api_keys WHERE position(? in encode(key_hash, 'escape')) > 0 OR prefix = ?`, secret, secret).Scan(context.Background(), &n); err != nil || n != 0 {
		t.Fatalf("secret stored in clear: n=%d err=%v", n, err)
	}

	api := newClient(t, srv.URL)
	api.bearer = secret
	var v struct {
		Viewer struct{ AuthMethod, Role string }
	}
	api.mustGQL(viewerQuery, nil, &v)
	if v.Viewer.AuthMethod != "API_KEY" || v.Viewer.Role != "MEMBER" {
		t.Fatalf("api viewer %+v", v.Viewer)
	}
	// A key acts as a member: it cannot mint more keys.
	if r := api.gql(`mutation { createApiKey(input: {name: "escalate"}) { secret } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("key creating key: %q", r.code())
	}
	// The listing never exposes the secret.
	var list struct {
		APIKeys struct {
			TotalCount int
			Edges      []struct{ Node map[string]any }
		} `json:"apiKeys"`
	}
	c.mustGQL(`{ apiKeys { totalCount edges { node { id name prefix createdAt lastUsedAt revokedAt createdBy { email } } } } }`, nil, &list)
	raw, _ := json.Marshal(list)
	if list.APIKeys.TotalCount != 1 || strings.Contains(string(raw), secret) || !strings.Contains(string(raw), owner.Email) {
		t.Fatalf("list = %s", raw)
	}

	c.mustGQL(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": created.CreateAPIKey.APIKey.ID}, nil)
	if r := api.gql(viewerQuery, nil); r.Status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
		t.Fatalf("revoked key: %d %q", r.Status, r.code())
	}
	// Both changes are in the account's log.
	var logs struct{ Logs struct{ TotalCount int } }
	c.mustGQL(`{ logs(filter: {search: "Reporting script"}) { totalCount } }`, nil, &logs)
	if logs.Logs.TotalCount != 2 {
		t.Fatalf("audit lines = %d, want 2", logs.Logs.TotalCount)
	}
}

func TestAPIKeyValidation(t *testing.T) {
	app, srv := newTestApp(t)
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	r := c.gql(`mutation { createApiKey(input: {name: "   "}) { secret } }`, nil)
	if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "name" {
		t.Fatalf("blank name: %+v", r.Errors)
	}
	_, m := signIn(t, app, srv, owner.AccountID, db.RoleMember)
	if r := m.gql(`mutation { createApiKey(input: {name: "x"}) { secret } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("member creating key: %q", r.code())
	}
	if r := c.gql(`mutation { revokeApiKey(id: "999999999") { id } }`, nil); r.code() != "NOT_FOUND" {
		t.Fatalf("unknown key: %q", r.code())
	}
}

// TestAccountIsolation proves that account A can neither read nor change anything of account B.
func TestAccountIsolation(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	ua, a := signIn(t, app, srv, 0, db.RoleOwner)
	ub, b := signIn(t, app, srv, 0, db.RoleOwner)

	for _, msg := range []string{"B order 1001 posted", "B order 1002 failed"} {
		if err := app.DB.AddLog(ctx, &db.SyncLog{AccountID: ub.AccountID, Level: db.LevelError, Source: "orders", Message: msg}); err != nil {
			t.Fatal(err)
		}
	}
	var bKey struct {
		CreateAPIKey struct {
			Secret string
			APIKey struct{ ID string }
		} `json:"createApiKey"`
	}
	b.mustGQL(`mutation { createApiKey(input: {name: "B key"}) { secret apiKey { id } } }`, nil, &bKey)

	// Reads: A sees none of B's logs or keys, and its dashboard counts only its own lines.
	var seen struct {
		Logs      struct{ TotalCount int }
		APIKeys   struct{ TotalCount int } `json:"apiKeys"`
		Dashboard struct{ ErrorsLast24h, ActiveAPIKeys int }
		Viewer    struct{ Account struct{ ID string } }
	}
	a.mustGQL(`{ logs { totalCount } apiKeys { totalCount } dashboard { errorsLast24h activeApiKeys } viewer { account { id } } }`, nil, &seen)
	if seen.Logs.TotalCount != 0 || seen.APIKeys.TotalCount != 0 || seen.Dashboard.ErrorsLast24h != 0 || seen.Dashboard.ActiveAPIKeys != 0 {
		t.Fatalf("A sees B's data: %+v", seen)
	}
	if seen.Viewer.Account.ID != strconv.FormatInt(ua.AccountID, 10) {
		t.Fatalf("A's viewer account = %s", seen.Viewer.Account.ID)
	}
	// Writes: A cannot revoke B's key (it does not exist for A), and B's key still works.
	if r := a.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, map[string]any{"id": bKey.CreateAPIKey.APIKey.ID}); r.code() != "NOT_FOUND" {
		t.Fatalf("A revoking B's key: %q", r.code())
	}
	bAPI := newClient(t, srv.URL)
	bAPI.bearer = bKey.CreateAPIKey.Secret
	bAPI.mustGQL(viewerQuery, nil, nil)
	// A cannot switch to B's account with the support header, nor list accounts.
	a.account = strconv.FormatInt(ub.AccountID, 10)
	if r := a.gql(`{ logs { totalCount } }`, nil); r.Status != http.StatusForbidden || r.code() != "FORBIDDEN" {
		t.Fatalf("A with B's account header: %d %q", r.Status, r.code())
	}
	a.account = ""
	if r := a.gql(`{ accounts { totalCount } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("A listing accounts: %q", r.code())
	}
	// B's key cannot read A either.
	bAPI.account = strconv.FormatInt(ua.AccountID, 10)
	if r := bAPI.gql(`{ logs { totalCount } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("B's key with A's header: %q", r.code())
	}
}

func TestSupportReadsAnyAccountReadOnly(t *testing.T) {
	app, srv := newTestApp(t)
	merchant, _ := fixtureUser(t, app.DB, 0, db.RoleOwner)
	if err := app.DB.AddLog(context.Background(), &db.SyncLog{AccountID: merchant.AccountID, Level: db.LevelError, Source: "orders", Message: "QuickBooks is not running"}); err != nil {
		t.Fatal(err)
	}
	_, s := signIn(t, app, srv, 0, db.RoleSupport)

	var accts struct{ Accounts struct{ TotalCount int } }
	s.mustGQL(`{ accounts(first: 100) { totalCount edges { node { id name } } } }`, nil, &accts)
	if accts.Accounts.TotalCount < 2 {
		t.Fatalf("support sees %d accounts", accts.Accounts.TotalCount)
	}
	s.account = strconv.FormatInt(merchant.AccountID, 10)
	var logs struct {
		Logs struct {
			Edges []struct{ Node struct{ Message string } }
		}
	}
	s.mustGQL(`{ logs { edges { node { message } } } }`, nil, &logs)
	if len(logs.Logs.Edges) != 1 || logs.Logs.Edges[0].Node.Message != "QuickBooks is not running" {
		t.Fatalf("support reading merchant logs: %+v", logs)
	}
	if r := s.gql(`mutation { ping }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("support mutation: %q", r.code())
	}
	s.account = "999999999"
	if r := s.gql(`{ logs { totalCount } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("support with unknown account: %q", r.code())
	}
}

func TestMonitoringIsForSupportOnly(t *testing.T) {
	app, srv := newTestApp(t)
	member, mpw := fixtureUser(t, app.DB, 0, db.RoleMember)
	owner, opw := fixtureUser(t, app.DB, member.AccountID, db.RoleOwner)
	_, s := signIn(t, app, srv, 0, db.RoleSupport)

	get := func(c *client, path string) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		status, _ := c.do(req)
		return status
	}
	if got := get(newClient(t, srv.URL), "/monitoring/"); got != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", got)
	}
	if got := get(newClient(t, srv.URL).login(member.Email, mpw), "/monitoring/"); got != http.StatusForbidden {
		t.Fatalf("member: %d", got)
	}
	if got := get(newClient(t, srv.URL).login(owner.Email, opw), "/monitoring/api/queues"); got != http.StatusForbidden {
		t.Fatalf("owner on monitor API: %d", got)
	}
	if got := get(s, "/monitoring/"); got != http.StatusOK {
		t.Fatalf("support: %d", got)
	}
	if got := get(s, "/monitoring/api/queues"); got != http.StatusOK {
		t.Fatalf("support on monitor API: %d", got)
	}
}

func TestLogsFilterAndPaging(t *testing.T) {
	app, srv := newTestApp(t)
	u, c := signIn(t, app, srv, 0, db.RoleMember)
	ctx := context.Background()
	for i := range 30 {
		lvl := db.LevelInfo
		if i%3 == 0 {
			lvl = db.LevelError
		}
		if err := app.DB.AddLog(ctx, &db.SyncLog{AccountID: u.AccountID, Level: lvl, Source: "orders",
			Message: fmt.Sprintf("Order #%d synced", 1000+i)}); err != nil {
			t.Fatal(err)
		}
	}
	type page struct {
		Logs struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Node struct{ Message, Level string }
			}
		}
	}
	q := `query($f: LogFilter, $first: Int, $after: String) { logs(filter: $f, first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { message level } } } }`
	var seen []string
	after := ""
	for {
		var p page
		vars := map[string]any{"first": 7, "f": map[string]any{"level": "INFO"}}
		if after != "" {
			vars["after"] = after
		}
		c.mustGQL(q, vars, &p)
		if p.Logs.TotalCount != 20 {
			t.Fatalf("totalCount = %d, want 20", p.Logs.TotalCount)
		}
		for _, e := range p.Logs.Edges {
			if e.Node.Level != "INFO" {
				t.Fatalf("level filter leaked %+v", e.Node)
			}
			seen = append(seen, e.Node.Message)
		}
		if !p.Logs.PageInfo.HasNextPage {
			break
		}
		after = p.Logs.PageInfo.EndCursor
	}
	if len(seen) != 20 || seen[0] != "Order #1029 synced" {
		t.Fatalf("paged %d lines, first %q", len(seen), seen[0])
	}
	var p page
	c.mustGQL(q, map[string]any{"f": map[string]any{"search": "#1003", "level": "ERROR"}}, &p)
	if p.Logs.TotalCount != 1 || p.Logs.Edges[0].Node.Message != "Order #1003 synced" {
		t.Fatalf("search: %+v", p.Logs)
	}
	// The page size is capped and bad cursors are user errors.
	if r := c.gql(q, map[string]any{"first": 500}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("first 500: %q", r.code())
	}
	if r := c.gql(q, map[string]any{"after": "bm9wZQ"}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("bad cursor: %q", r.code())
	}
	if r := c.gql(q, map[string]any{"f": map[string]any{"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("inverted range: %q", r.code())
	}
}

func TestComplexityLimit(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleMember)
	// Many aliased 100-row lists add up past the limit.
	var b strings.Builder
	b.WriteString("{")
	for i := range 5 {
		fmt.Fprintf(&b, " l%d: logs(first: 100) { edges { node { id message hint source level createdAt } } }", i)
	}
	b.WriteString(" }")
	r := c.gql(b.String(), nil)
	if len(r.Errors) == 0 || r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("complex query: %+v", r.Errors)
	}
}

func TestHealthz(t *testing.T) {
	app, srv := newTestApp(t)
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	// With Redis gone the check says so and answers 503.
	app.Redis.Close()
	resp, err = http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	// Anyone may ask, so the failing part is named and the driver's error text is not given.
	if resp.StatusCode != http.StatusServiceUnavailable || body["postgres"] != "ok" || body["redis"] != "unreachable" {
		t.Fatalf("healthz without redis = %d %v", resp.StatusCode, body)
	}
}
