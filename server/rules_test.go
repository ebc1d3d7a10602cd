package server

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// ruleSelection is the part of a Rule the tests read.
const ruleSelection = `id name enabled position version pipelines match
	conditions { field operator value values caseSensitive }
	actions { type field value from table { key value } default caseSensitive reason }`

type gqlRule struct {
	ID, Name, Match   string
	Enabled           bool
	Position, Version int
	Pipelines         []string
	Conditions        []map[string]any
	Actions           []map[string]any
}

// insertOrder stores a normalized order in accountID and returns its id.
func insertOrder(t *testing.T, d *db.DB, accountID int64, o orders.Order) int64 {
	t.Helper()
	return insertNormalized(t, &db.Order{AccountID: accountID, ConnectionID: 1, Channel: o.Channel, ExternalID: o.ExternalID + "-" + strconv.FormatInt(accountID, 10),
		Number: o.Number, State: db.OrderPending, Raw: json.RawMessage(`{}`)}, o).ID
}

func targetOrder() orders.Order {
	return orders.Order{Channel: "shopify", ExternalID: "5001", Number: "1001", Status: "paid", Currency: "USD",
		CreatedAt: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
		BillTo:    orders.Address{Name: "Ann Lee", Company: "Target", State: "MN"},
		Lines:     []orders.Line{{SKU: "ABC-123", Name: "Blue widget", Quantity: 2, UnitPrice: 1250, Total: 2500}, {SKU: "OTHER", Name: "Other", Quantity: 1, Total: 100}},
		Payments:  []orders.Payment{{Method: "paypal", Amount: 2600}}, Total: 2600}
}

// template returns the draft of the rule template key, ready to pass as a RuleInput.
func template(t *testing.T, c *client, key string) map[string]any {
	t.Helper()
	var out struct {
		RuleTemplates []struct {
			Key   string
			Draft map[string]any
		}
	}
	c.mustGQL(`{ ruleTemplates { key name description draft { name enabled pipelines match
		conditions { field operator value values caseSensitive }
		actions { type field value from table { key value } default caseSensitive reason } } } }`, nil, &out)
	for _, tpl := range out.RuleTemplates {
		if tpl.Key == key {
			return tpl.Draft
		}
	}
	t.Fatalf("no template %s in %+v", key, out)
	return nil
}

func createRule(t *testing.T, c *client, input map[string]any) gqlRule {
	t.Helper()
	var out struct{ CreateRule gqlRule }
	c.mustGQL(`mutation($in: RuleInput!) { createRule(input: $in) { `+ruleSelection+` } }`, map[string]any{"in": input}, &out)
	return out.CreateRule
}

type gqlPreview struct {
	Changes []struct {
		RuleID          *string
		RuleName, Field string
		Before, After   string
		RuleVersion     int
		FromDraft       bool
	}
	DraftMatched, Excluded bool
	ExcludeReason          *string
	Before, After          string
}

const previewQuery = `query($order: ID!, $draft: RuleInput, $p: RulePipeline!) {
	previewRules(orderId: $order, draft: $draft, pipeline: $p) {
		changes { ruleId ruleName ruleVersion fromDraft field before after }
		draftMatched excluded excludeReason before after } }`

func preview(t *testing.T, c *client, orderID int64, draft map[string]any, pipeline string) gqlPreview {
	t.Helper()
	vars := map[string]any{"order": strconv.FormatInt(orderID, 10), "p": pipeline}
	if draft != nil {
		vars["draft"] = draft
	}
	var out struct{ PreviewRules gqlPreview }
	c.mustGQL(previewQuery, vars, &out)
	return out.PreviewRules
}

// fields returns the extensions.field of every error.
func (r gqlResponse) fields() []string {
	var out []string
	for _, e := range r.Errors {
		f, _ := e.Extensions["field"].(string)
		out = append(out, f)
	}
	return out
}

func TestRulesEndToEnd(t *testing.T) {
	app, srv := newTestApp(t)
	member, c := signIn(t, app, srv, 0, db.RoleMember)
	orderID := insertOrder(t, app.DB, member.AccountID, targetOrder())

	// Create from templates.
	target := createRule(t, c, template(t, c, "target-store"))
	if target.Name != "Target → Target store" || target.Version != 1 || target.Position != 1 || !target.Enabled ||
		target.Pipelines[0] != "QUICKBOOKS_TO_SHIPSTATION" || target.Conditions[0]["field"] != "billTo.company" {
		t.Fatalf("created %+v", target)
	}
	mapSKU := createRule(t, c, template(t, c, "map-sku"))
	if mapSKU.Position != 2 || mapSKU.Actions[0]["field"] != "lines[].itemName" {
		t.Fatalf("map sku %+v", mapSKU)
	}

	// Preview the saved rules against the stored order.
	p := preview(t, c, orderID, nil, "QUICKBOOKS_TO_SHIPSTATION")
	if len(p.Changes) != 1 || p.Changes[0].Field != "store" || p.Changes[0].Before != "" || p.Changes[0].After != "Target" ||
		*p.Changes[0].RuleID != target.ID || p.Changes[0].RuleVersion != 1 || p.Changes[0].FromDraft || p.DraftMatched || p.Excluded {
		t.Fatalf("preview = %+v", p)
	}
	var after orders.Order
	if err := json.Unmarshal([]byte(p.After), &after); err != nil || after.Store != "Target" || strings.Contains(p.Before, `"store"`) {
		t.Fatalf("after = %s (%v); before = %s", p.After, err, p.Before)
	}
	p = preview(t, c, orderID, nil, "ORDERS_TO_QUICKBOOKS")
	if len(p.Changes) != 1 || p.Changes[0].Field != "lines[0].itemName" || p.Changes[0].After != "Widgets:Blue Widget" {
		t.Fatalf("preview orders to QuickBooks = %+v", p.Changes)
	}

	// A new draft, inserted first, that excludes the order; and a draft replacing a saved rule.
	exclude := map[string]any{"name": "No Target", "position": 1, "pipelines": []string{"QUICKBOOKS_TO_SHIPSTATION"},
		"conditions": []any{map[string]any{"field": "billTo.company", "operator": "EQUALS", "value": "TARGET"}},
		"actions":    []any{map[string]any{"type": "EXCLUDE", "reason": "Target ships itself"}}}
	p = preview(t, c, orderID, exclude, "QUICKBOOKS_TO_SHIPSTATION")
	if !p.DraftMatched || !p.Excluded || p.ExcludeReason == nil || *p.ExcludeReason != "Target ships itself" || len(p.Changes) != 3 ||
		!p.Changes[0].FromDraft || p.Changes[0].RuleID != nil || p.Changes[0].Field != "excluded" || p.Changes[2].FromDraft {
		t.Fatalf("preview with new draft = %+v", p)
	}
	replace := template(t, c, "target-store")
	replace["id"] = target.ID
	replace["actions"] = []any{map[string]any{"type": "SET", "field": "store", "value": "Target HQ"}}
	p = preview(t, c, orderID, replace, "QUICKBOOKS_TO_SHIPSTATION")
	if len(p.Changes) != 1 || p.Changes[0].After != "Target HQ" || !p.Changes[0].FromDraft || *p.Changes[0].RuleID != target.ID || !p.DraftMatched {
		t.Fatalf("preview with replacing draft = %+v", p)
	}
	// Previews changed nothing.
	var check struct {
		Rule  gqlRule
		Rules struct{ TotalCount int }
	}
	c.mustGQL(`query($id: ID!) { rule(id: $id) { `+ruleSelection+` } rules { totalCount } }`, map[string]any{"id": target.ID}, &check)
	if check.Rule.Version != 1 || check.Rules.TotalCount != 2 {
		t.Fatalf("after previews: %+v", check)
	}
	stored, err := app.DB.GetOrder(context.Background(), member.AccountID, orderID)
	if err != nil || strings.Contains(string(stored.Normalized), "Target HQ") || strings.Contains(string(stored.Normalized), `"store"`) {
		t.Fatalf("stored order changed: %s %v", stored.Normalized, err)
	}

	// Save-time validation: every problem, each naming its field.
	bad := map[string]any{"name": "Bad", "pipelines": []string{"ORDERS_TO_QUICKBOOKS"},
		"conditions": []any{
			map[string]any{"field": "billTo.company", "operator": "EQUALS", "value": "x"},
			map[string]any{"field": "billTo.company", "operator": "GREATER_THAN", "value": "x"},
		},
		"actions": []any{map[string]any{"type": "SET", "field": "total", "value": "1"}}}
	r := c.gql(`mutation($in: RuleInput!) { createRule(input: $in) { id } }`, map[string]any{"in": bad})
	if r.code() != "BAD_USER_INPUT" || strings.Join(r.fields(), " ") != "conditions[1].op actions[0].field" ||
		!strings.Contains(r.Errors[0].Message, "billTo.company") || !strings.Contains(r.Errors[1].Message, "total is read-only") {
		t.Fatalf("invalid rule: %+v", r.Errors)
	}
	r = c.gql(previewQuery, map[string]any{"order": strconv.FormatInt(orderID, 10), "p": "ORDERS_TO_QUICKBOOKS", "draft": bad})
	if r.code() != "BAD_USER_INPUT" || r.fields()[0] != "draft.conditions[1].op" {
		t.Fatalf("invalid draft: %+v", r.Errors)
	}

	// Update (full replacement) with optimistic concurrency, history, restore.
	upd := template(t, c, "target-store")
	upd["name"] = "Target → Target HQ"
	upd["actions"] = []any{map[string]any{"type": "SET", "field": "store", "value": "Target HQ"}}
	var u struct{ UpdateRule gqlRule }
	c.mustGQL(`mutation($id: ID!, $in: RuleInput!) { updateRule(id: $id, input: $in, expectedVersion: 1) { `+ruleSelection+` } }`,
		map[string]any{"id": target.ID, "in": upd}, &u)
	if u.UpdateRule.Version != 2 || u.UpdateRule.Name != "Target → Target HQ" || u.UpdateRule.Position != 1 {
		t.Fatalf("updated %+v", u.UpdateRule)
	}
	r = c.gql(`mutation($id: ID!, $in: RuleInput!) { updateRule(id: $id, input: $in, expectedVersion: 1) { id } }`, map[string]any{"id": target.ID, "in": upd})
	if r.code() != "CONFLICT" {
		t.Fatalf("stale update: %+v", r.Errors)
	}
	var h struct {
		RuleHistory struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Version       int
					Change, Actor string
					Before, After *string
				}
			}
		}
	}
	c.mustGQL(`query($id: ID!) { ruleHistory(id: $id) { totalCount edges { node { version change actor before after } } } }`, map[string]any{"id": target.ID}, &h)
	if h.RuleHistory.TotalCount != 2 || h.RuleHistory.Edges[0].Node.Change != "UPDATE" || h.RuleHistory.Edges[0].Node.Actor != member.Email ||
		h.RuleHistory.Edges[1].Node.Before != nil || !strings.Contains(*h.RuleHistory.Edges[0].Node.Before, `"Target → Target store"`) {
		t.Fatalf("history = %+v", h)
	}
	var rs struct{ RestoreRuleVersion gqlRule }
	c.mustGQL(`mutation($id: ID!) { restoreRuleVersion(id: $id, version: 1) { `+ruleSelection+` } }`, map[string]any{"id": target.ID}, &rs)
	if rs.RestoreRuleVersion.Version != 3 || rs.RestoreRuleVersion.Name != "Target → Target store" || rs.RestoreRuleVersion.Actions[0]["value"] != "Target" {
		t.Fatalf("restored %+v", rs.RestoreRuleVersion)
	}

	// Enable, reorder, filter.
	var en struct{ SetRuleEnabled gqlRule }
	c.mustGQL(`mutation($id: ID!) { setRuleEnabled(id: $id, enabled: false) { `+ruleSelection+` } }`, map[string]any{"id": mapSKU.ID}, &en)
	if en.SetRuleEnabled.Enabled || en.SetRuleEnabled.Version != 2 {
		t.Fatalf("disabled %+v", en.SetRuleEnabled)
	}
	var ro struct{ ReorderRules []gqlRule }
	c.mustGQL(`mutation($ids: [ID!]!) { reorderRules(ids: $ids) { `+ruleSelection+` } }`, map[string]any{"ids": []string{mapSKU.ID, target.ID}}, &ro)
	if len(ro.ReorderRules) != 2 || ro.ReorderRules[0].ID != mapSKU.ID || ro.ReorderRules[0].Position != 1 || ro.ReorderRules[1].Position != 2 {
		t.Fatalf("reordered %+v", ro.ReorderRules)
	}
	if r := c.gql(`mutation($ids: [ID!]!) { reorderRules(ids: $ids) { id } }`, map[string]any{"ids": []string{mapSKU.ID}}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("partial reorder: %+v", r.Errors)
	}
	var list struct {
		All, Disabled, SKU, Search, Ship struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct{ ID string }
			}
			PageInfo struct{ HasNextPage bool }
		}
	}
	c.mustGQL(`{
		all: rules(first: 1) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } }
		disabled: rules(filter: {enabled: false}) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } }
		sku: rules(filter: {field: "lines[].sku"}) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } }
		search: rules(filter: {search: "target"}) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } }
		ship: rules(filter: {pipeline: QUICKBOOKS_TO_SHIPSTATION}) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } }
	}`, nil, &list)
	if list.All.TotalCount != 2 || list.All.Edges[0].Node.ID != mapSKU.ID || !list.All.PageInfo.HasNextPage ||
		list.Disabled.TotalCount != 1 || list.SKU.TotalCount != 1 || list.SKU.Edges[0].Node.ID != mapSKU.ID ||
		list.Search.TotalCount != 1 || list.Ship.TotalCount != 1 || list.Ship.Edges[0].Node.ID != target.ID {
		t.Fatalf("lists = %+v", list)
	}
	var page2 struct {
		Rules struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	c.mustGQL(`query($after: String) { rules(first: 1, after: $after) { edges { node { id } } } }`, map[string]any{"after": list.All.Edges[0].Cursor}, &page2)
	if len(page2.Rules.Edges) != 1 || page2.Rules.Edges[0].Node.ID != target.ID {
		t.Fatalf("page 2 = %+v", page2)
	}

	// The field catalogue.
	var cat struct {
		Orders []struct {
			Path, Type string
			Writable   bool
			List       bool
			Operators  []string
		}
		Ship []struct{ Path string }
	}
	c.mustGQL(`{ orders: ruleFields(pipeline: ORDERS_TO_QUICKBOOKS) { path type writable list operators }
		ship: ruleFields(pipeline: QUICKBOOKS_TO_SHIPSTATION) { path } }`, nil, &cat)
	found := map[string]bool{}
	for _, f := range cat.Orders {
		found[f.Path] = true
		if f.Path == "lines[].sku" && (!f.List || f.Type != "STRING" || !f.Writable) {
			t.Errorf("lines[].sku = %+v", f)
		}
		if f.Path == "total" && (f.Writable || strings.Join(f.Operators, ",") != "EQUALS,NOT_EQUALS,GREATER_THAN,LESS_THAN,IN_LIST") {
			t.Errorf("total = %+v", f)
		}
	}
	if !found["payments[].method"] || !found["custom.<key>"] || found["shipStatus"] {
		t.Errorf("orders catalogue: %v", found)
	}
	if !strings.Contains(mustJSON(cat.Ship), `"shipStatus"`) {
		t.Errorf("ShipStation catalogue lacks shipStatus")
	}

	// Delete keeps the history; restoring the deletion brings the rule back.
	var del struct{ DeleteRule gqlRule }
	c.mustGQL(`mutation($id: ID!) { deleteRule(id: $id) { `+ruleSelection+` } }`, map[string]any{"id": target.ID}, &del)
	if r := c.gql(`query($id: ID!) { rule(id: $id) { id } }`, map[string]any{"id": target.ID}); r.code() != "NOT_FOUND" {
		t.Fatalf("deleted rule: %+v", r.Errors)
	}
	c.mustGQL(`query($id: ID!) { ruleHistory(id: $id, first: 1) { totalCount edges { node { version change actor before after } } } }`, map[string]any{"id": target.ID}, &h)
	if h.RuleHistory.TotalCount != 5 || h.RuleHistory.Edges[0].Node.Change != "DELETE" || h.RuleHistory.Edges[0].Node.After != nil {
		t.Fatalf("history after delete = %+v", h)
	}
	c.mustGQL(`mutation($id: ID!) { restoreRuleVersion(id: $id, version: 5) { `+ruleSelection+` } }`, map[string]any{"id": target.ID}, &rs)
	if rs.RestoreRuleVersion.ID != target.ID || rs.RestoreRuleVersion.Version != 6 || rs.RestoreRuleVersion.Position != 2 {
		t.Fatalf("undeleted %+v", rs.RestoreRuleVersion)
	}

	// Every change wrote a sync-log line.
	var logs struct {
		Logs struct {
			Edges []struct{ Node struct{ Message string } }
		}
	}
	c.mustGQL(`{ logs(first: 100) { edges { node { message } } } }`, nil, &logs)
	var msgs []string
	for _, e := range logs.Logs.Edges {
		msgs = append(msgs, e.Node.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"Rule “Target → Target store” created.", "Rule “Target → Target HQ” updated (version 2).",
		"Rule “Target → Target store” deleted.", "Rules reordered.", "restored to version 1", "Rule “Map SKU ABC-123” disabled."} {
		if !strings.Contains(all, want) {
			t.Errorf("log lacks %q:\n%s", want, all)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRulesAccountIsolation(t *testing.T) {
	app, srv := newTestApp(t)
	alice, a := signIn(t, app, srv, 0, db.RoleOwner)
	bob, b := signIn(t, app, srv, 0, db.RoleOwner)

	aRule := createRule(t, a, template(t, a, "target-store"))
	aOrder := insertOrder(t, app.DB, alice.AccountID, targetOrder())
	bOrder := insertOrder(t, app.DB, bob.AccountID, targetOrder())

	var list struct{ Rules struct{ TotalCount int } }
	b.mustGQL(`{ rules { totalCount } }`, nil, &list)
	if list.Rules.TotalCount != 0 {
		t.Fatalf("bob sees %d rules", list.Rules.TotalCount)
	}
	id := map[string]any{"id": aRule.ID}
	for _, tc := range []struct {
		query string
		vars  map[string]any
		code  string
	}{
		{`query($id: ID!) { rule(id: $id) { id } }`, id, "NOT_FOUND"},
		{`query($id: ID!) { ruleHistory(id: $id) { totalCount } }`, id, "NOT_FOUND"},
		{previewQuery, map[string]any{"order": strconv.FormatInt(aOrder, 10), "p": "QUICKBOOKS_TO_SHIPSTATION"}, "NOT_FOUND"},
		{previewQuery, map[string]any{"order": strconv.FormatInt(bOrder, 10), "p": "QUICKBOOKS_TO_SHIPSTATION",
			"draft": map[string]any{"id": aRule.ID, "name": "steal", "pipelines": []string{"QUICKBOOKS_TO_SHIPSTATION"}, "conditions": []any{},
				"actions": []any{map[string]any{"type": "SET", "field": "store", "value": "x"}}}}, "BAD_USER_INPUT"},
		{`mutation($id: ID!) { updateRule(id: $id, input: {name: "x", pipelines: [INVENTORY], conditions: [], actions: [{type: SET, field: "store", value: "x"}]}) { id } }`, id, "NOT_FOUND"},
		{`mutation($id: ID!) { deleteRule(id: $id) { id } }`, id, "NOT_FOUND"},
		{`mutation($id: ID!) { setRuleEnabled(id: $id, enabled: false) { id } }`, id, "NOT_FOUND"},
		{`mutation($id: ID!) { restoreRuleVersion(id: $id, version: 1) { id } }`, id, "NOT_FOUND"},
		{`mutation($id: ID!) { reorderRules(ids: [$id]) { id } }`, id, "BAD_USER_INPUT"},
	} {
		if r := b.gql(tc.query, tc.vars); r.code() != tc.code {
			t.Errorf("bob: %s: got %q %+v, want %s", tc.query, r.code(), r.Errors, tc.code)
		}
	}
	// Bob's preview of his own order runs only his (no) rules.
	if p := preview(t, b, bOrder, nil, "QUICKBOOKS_TO_SHIPSTATION"); len(p.Changes) != 0 {
		t.Errorf("bob's preview used alice's rules: %+v", p.Changes)
	}
	var ex struct{ ExportRules string }
	b.mustGQL(`{ exportRules }`, nil, &ex)
	if strings.Contains(ex.ExportRules, "Target") {
		t.Errorf("bob's export holds alice's rule: %s", ex.ExportRules)
	}
	// Alice's rule is untouched.
	var still struct{ Rule gqlRule }
	a.mustGQL(`query($id: ID!) { rule(id: $id) { `+ruleSelection+` } }`, id, &still)
	if still.Rule.Version != 1 || !still.Rule.Enabled {
		t.Errorf("alice's rule changed: %+v", still.Rule)
	}
}

func TestRulesExportImport(t *testing.T) {
	app, srv := newTestApp(t)
	_, a := signIn(t, app, srv, 0, db.RoleOwner)
	_, b := signIn(t, app, srv, 0, db.RoleMember)
	for _, key := range []string{"exclude", "order-prefix", "deposit-by-payment", "map-sku"} {
		createRule(t, a, template(t, a, key))
	}
	var ex struct{ ExportRules string }
	a.mustGQL(`{ exportRules }`, nil, &ex)

	createRule(t, b, template(t, b, "target-store"))
	var imp struct {
		ImportRules struct {
			Rules   []gqlRule
			Deleted int
		}
	}
	b.mustGQL(`mutation($doc: String!) { importRules(document: $doc, replace: true) { deleted rules { `+ruleSelection+` } } }`,
		map[string]any{"doc": ex.ExportRules}, &imp)
	if imp.ImportRules.Deleted != 1 || len(imp.ImportRules.Rules) != 4 || imp.ImportRules.Rules[3].Name != "Map SKU ABC-123" || imp.ImportRules.Rules[3].Position != 4 {
		t.Fatalf("import = %+v", imp)
	}
	var ex2 struct{ ExportRules string }
	b.mustGQL(`{ exportRules }`, nil, &ex2)
	var d1, d2 struct{ Rules json.RawMessage }
	_ = json.Unmarshal([]byte(ex.ExportRules), &d1)
	_ = json.Unmarshal([]byte(ex2.ExportRules), &d2)
	if string(d1.Rules) != string(d2.Rules) {
		t.Fatalf("round trip differs:\n%s\n%s", d1.Rules, d2.Rules)
	}

	// One bad document changes nothing and lists every problem by rule index and field.
	var doc map[string]any
	_ = json.Unmarshal([]byte(ex.ExportRules), &doc)
	rules := doc["rules"].([]any)
	rules[1].(map[string]any)["conditions"] = []any{map[string]any{"field": "channel", "op": "greater_than", "value": "x"}}
	rules[3].(map[string]any)["actions"] = []any{map[string]any{"type": "set", "field": "lines[].quantity", "value": "2"}}
	raw, _ := json.Marshal(doc)
	r := b.gql(`mutation($doc: String!) { importRules(document: $doc, replace: true) { deleted } }`, map[string]any{"doc": string(raw)})
	if r.code() != "BAD_USER_INPUT" || strings.Join(r.fields(), " ") != "rules[1].conditions[0].op rules[3].actions[0].field" {
		t.Fatalf("bad import: %+v", r.Errors)
	}
	var count struct{ Rules struct{ TotalCount int } }
	b.mustGQL(`{ rules { totalCount } }`, nil, &count)
	if count.Rules.TotalCount != 4 {
		t.Fatalf("after refused import bob has %d rules", count.Rules.TotalCount)
	}
	if r := b.gql(`mutation { importRules(document: "{\"format\":\"connex\"}") { deleted } }`, nil); r.code() != "BAD_USER_INPUT" || r.fields()[0] != "format" {
		t.Fatalf("foreign document: %+v", r.Errors)
	}
}

func TestRulesSupportIsReadOnly(t *testing.T) {
	app, srv := newTestApp(t)
	merchant, _ := fixtureUser(t, app.DB, 0, db.RoleOwner)
	_, s := signIn(t, app, srv, 0, db.RoleSupport)
	orderID := insertOrder(t, app.DB, merchant.AccountID, targetOrder())
	s.account = strconv.FormatInt(merchant.AccountID, 10)

	if r := s.gql(`mutation { createRule(input: {name: "x", pipelines: [INVENTORY], conditions: [], actions: [{type: SET, field: "store", value: "x"}]}) { id } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("support create: %+v", r.Errors)
	}
	// Reading and previewing are allowed.
	if p := preview(t, s, orderID, nil, "ORDERS_TO_QUICKBOOKS"); len(p.Changes) != 0 {
		t.Fatalf("support preview: %+v", p)
	}
}
