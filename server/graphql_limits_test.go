package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// postRaw posts body to /graphql as JSON, with the client's credentials.
func (c *client) postRaw(body []byte) (int, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return c.do(req)
}

// importRuleCopies gives the caller's account n copies of the "map-sku" template rule.
func importRuleCopies(t *testing.T, c *client, n int) {
	t.Helper()
	createRule(t, c, template(t, c, "map-sku"))
	var ex struct{ ExportRules string }
	c.mustGQL(`{ exportRules }`, nil, &ex)
	var doc map[string]any
	if err := json.Unmarshal([]byte(ex.ExportRules), &doc); err != nil {
		t.Fatal(err)
	}
	var one map[string]any
	_ = json.Unmarshal([]byte(mustJSON(doc["rules"].([]any)[0])), &one)
	rules := make([]any, n)
	for i := range rules {
		r := map[string]any{}
		for k, v := range one {
			r[k] = v
		}
		r["name"] = fmt.Sprintf("Map SKU copy %d", i)
		rules[i] = r
	}
	doc["rules"] = rules
	var imp struct{ ImportRules struct{ Deleted int } }
	c.mustGQL(`mutation($doc: String!) { importRules(document: $doc, replace: true) { deleted } }`,
		map[string]any{"doc": mustJSON(doc)}, &imp)
}

// Finding 1 (issue 11): aliases multiplied an export of every rule; before, 100 aliased
// exportRules of 200 rules answered 200 with a hundred copies of the document.
func TestCostlyFieldsRunOncePerRequest(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleMember)
	importRuleCopies(t, c, 200)

	status, single := c.postJSON("/graphql", map[string]any{"query": `{ exportRules }`})
	if status != http.StatusOK || decodeGQL(t, status, single).code() != "" {
		t.Fatalf("one export: %d %.300s", status, single)
	}
	var ex struct{ Data struct{ ExportRules string } }
	_ = json.Unmarshal(single, &ex)
	if n := strings.Count(ex.Data.ExportRules, `"Map SKU copy `); n != 200 {
		t.Fatalf("one export holds %d of the 200 rules", n)
	}

	var q strings.Builder
	q.WriteString("{")
	for i := range 100 {
		fmt.Fprintf(&q, " e%d: exportRules", i)
	}
	q.WriteString(" }")
	status, body := c.postJSON("/graphql", map[string]any{"query": q.String()})
	r := decodeGQL(t, status, body)
	t.Logf("one export: %d bytes; 100 aliases: status %d, %d bytes", len(single), status, len(body))
	// The refusal is a short error, not a hundred documents (a hundred would be 100× the single one).
	if status != http.StatusUnprocessableEntity || r.code() != "BAD_USER_INPUT" || len(body) > 1024 || len(r.Data) > 0 && string(r.Data) != "null" {
		t.Fatalf("100 aliased exports: %d %.300s", status, body)
	}
	if !strings.Contains(r.Errors[0].Message, "exportRules may be asked for once per request") {
		t.Fatalf("message: %q", r.Errors[0].Message)
	}

	for name, query := range map[string]string{
		"fragments with two aliases": `{ ...A ...B } fragment A on Query { a: exportRules } fragment B on Query { b: exportRules }`,
		"aliased mutations":          `mutation { a: applyProductMappings { rulesCreated } b: applyProductMappings { rulesCreated } }`,
		"aliased reorders":           `mutation { a: reorderRules(ids: []) { id } b: reorderRules(ids: []) { id } }`,
	} {
		status, body := c.postJSON("/graphql", map[string]any{"query": query})
		if r := decodeGQL(t, status, body); status != http.StatusUnprocessableEntity || r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %d %.300s", name, status, body)
		}
	}
	// Different costly fields may share a request: the Missing products page reads both lists.
	if r := c.gql(`{ missingProducts { sku } productMappings { id } }`, nil); r.Status != http.StatusOK || r.code() != "" {
		t.Fatalf("two different costly lists: %d %+v", r.Status, r.Errors)
	}
	// One response key runs the resolver once, however many fragments name it: allowed.
	status, body = c.postJSON("/graphql", map[string]any{"query": `{ exportRules ...A ...A } fragment A on Query { exportRules }`})
	if r := decodeGQL(t, status, body); status != http.StatusOK || r.code() != "" || len(body) > len(single)+100 {
		t.Fatalf("merged fields: %d %d bytes %.300s", status, len(body), body)
	}
}

// Finding 1: a response past the cap is replaced by an error naming the cap. The handler is
// built with a 4 KB cap so a small export crosses it.
func TestResponseSizeCap(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleMember)
	importRuleCopies(t, c, 30)
	capped := httptest.NewServer(graph.NewHandler(&graph.Resolver{DB: app.DB, Log: app.Log}, app.Auth,
		graph.Options{MaxResponseBytes: 4096}))
	t.Cleanup(capped.Close)
	small := *c
	small.base = capped.URL // the cookie jar sends the session to any port of 127.0.0.1
	status, body := small.postRaw([]byte(mustJSON(map[string]any{"query": `{ exportRules }`})))
	r := decodeGQL(t, status, body)
	if r.code() != "BAD_USER_INPUT" || len(body) > 1024 || !strings.Contains(r.Errors[0].Message, "response would be larger than") {
		t.Fatalf("capped export: %d %.300s", status, body)
	}
	status, body = small.postRaw([]byte(mustJSON(map[string]any{"query": viewerQuery})))
	if r := decodeGQL(t, status, body); status != http.StatusOK || r.code() != "" {
		t.Fatalf("small query under the cap: %d %s", status, body)
	}
}

// Finding 5: a signed-in caller could post 50 MB; now the body is capped at
// graph.MaxRequestBytes (413) and the query at graph.ParserTokenLimit tokens.
func TestGraphQLRequestLimits(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleMember)

	pad := strings.Repeat("x", graph.MaxRequestBytes)
	status, body := c.postRaw([]byte(mustJSON(map[string]any{"query": viewerQuery, "variables": map[string]any{"pad": pad}})))
	if r := decodeGQL(t, status, body); status != http.StatusRequestEntityTooLarge || r.code() != "BAD_USER_INPUT" {
		t.Fatalf("oversized body: %d %.300s", status, body)
	}
	// Just under the cap is still read (the largest uploads are close to it).
	status, body = c.postRaw([]byte(mustJSON(map[string]any{"query": viewerQuery, "variables": map[string]any{"pad": pad[:graph.MaxRequestBytes-200]}})))
	if r := decodeGQL(t, status, body); status != http.StatusOK || r.code() != "" {
		t.Fatalf("body under the cap: %d %.300s", status, body)
	}

	ids := make([]string, graph.ParserTokenLimit)
	for i := range ids {
		ids[i] = `"1"`
	}
	status, body = c.postJSON("/graphql", map[string]any{"query": `mutation { resyncOrders(ids: [` + strings.Join(ids, ",") + `]) { id } }`})
	if r := decodeGQL(t, status, body); status != http.StatusUnprocessableEntity || r.code() != "GRAPHQL_PARSE_FAILED" || !strings.Contains(r.Errors[0].Message, "token limit") {
		t.Fatalf("query past the token limit: %d %.300s", status, body)
	}
}

// Findings 4 and 8 (GraphQL part) and 10 (suggestions): bad input is the caller's mistake, a
// 4xx BAD_USER_INPUT that is logged below ERROR, without the body. Before, each of these was
// INTERNAL (or code-less) and logged at ERROR, the malformed body verbatim.
func TestGraphQLBadInputIsBadUserInput(t *testing.T) {
	logs := &storenettest.Buffer{}
	app, srv := openTestApp(t, logs.Logger())
	_, c := signIn(t, app, srv, 0, db.RoleMember)
	const secret = "shpat_0123456789abcdef0123456789abcdef"

	for _, tc := range []struct {
		name   string
		body   string
		status int
	}{
		{"malformed JSON", `{"query": "mutation($in: CreateStoreConnectionInput!) { createStoreConnection(input: $in) { id } }", "variables": {"in": {"accessToken": "` + secret + `"`, http.StatusBadRequest},
		{"batched array", `[{"query": "{ viewer { role } }"}, {"query": "{ viewer { role } }", "variables": {"t": "` + secret + `"}}]`, http.StatusBadRequest},
		{"not an object", `"` + secret + `"`, http.StatusBadRequest},
		{"invalid ID literal", `{"query": "{ order(id: \"abc\") { id } }"}`, http.StatusOK},
		{"invalid ID variable", `{"query": "query($id: ID!) { order(id: $id) { id } }", "variables": {"id": "` + secret + `"}}`, http.StatusOK},
		{"introspection in production", `{"query": "{ __schema { types { name } } }"}`, http.StatusUnprocessableEntity},
		{"introspection in a fragment", `{"query": "{ ...F } fragment F on Query { __type(name: \"Order\") { name } }"}`, http.StatusUnprocessableEntity},
	} {
		status, body := c.postRaw([]byte(tc.body))
		r := decodeGQL(t, status, body)
		if status != tc.status || r.code() != "BAD_USER_INPUT" || len(r.Errors) != 1 || r.Errors[0].Message == "internal error" {
			t.Errorf("%s: %d %.400s", tc.name, status, body)
		}
		if strings.Contains(string(body), secret[10:]) && tc.name != "invalid ID variable" {
			t.Errorf("%s: the answer quotes the body: %.400s", tc.name, body)
		}
	}
	out := logs.String()
	if strings.Contains(out, "level=ERROR") || strings.Contains(out, secret[10:]) {
		t.Fatalf("bad input logged at ERROR or with its body:\n%s", out)
	}

	// No "Did you mean …": outside dev mode field names are not suggested to whoever probes.
	r := c.gql(`{ viewer { usr { email } rol } }`, nil)
	if r.code() != "GRAPHQL_VALIDATION_FAILED" || strings.Contains(fmt.Sprint(r.Errors), "Did you mean") {
		t.Fatalf("misspelt fields: %+v", r.Errors)
	}
}
