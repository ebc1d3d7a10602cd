package shopifysim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

const bulkOrdersQuery = `{ orders(query: "updated_at:>='2000-01-01T00:00:00Z'") { edges { node {
  id name
  lineItems { edges { node { __typename id sku quantity } } }
  shippingLines { nodes { __typename title } }
} } } }`

func (h *harness) runBulk(q string) map[string]any {
	h.t.Helper()
	r := h.do(`mutation Run($q: String!) { bulkOperationRunQuery(query: $q) {
	  bulkOperation { id status objectCount url } userErrors { field message code } } }`, map[string]any{"q": q})
	if len(r.Errors) > 0 {
		h.t.Fatalf("bulkOperationRunQuery: %v", r.Errors)
	}
	return r.Data["bulkOperationRunQuery"].(map[string]any)
}

const pollQuery = `query Poll($id: ID!) { node(id: $id) { ... on BulkOperation {
  id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt type } } }`

// TestBulkQueryRunsPollsAndServesJSONL: a bulk query is CREATED, answers RUNNING for the
// configured reads, then COMPLETED with its counts and a URL; the file there holds every
// order as a line and each of its line items and shipping lines as lines of their own with
// __parentId, right after it; only one bulk query runs at a time; the file needs no token
// and refuses a wrong one. Expected counts come from the shop's own orders.
func TestBulkQueryRunsPollsAndServesJSONL(t *testing.T) {
	h := newHarness(t, Options{BulkRunningReads: 2})
	h.sim.Generate(40, 3)
	wantLines := 0
	for _, o := range h.sim.Orders() {
		wantLines += 1 + len(o.LineItems) + len(o.ShippingLines)
	}

	p := h.runBulk(bulkOrdersQuery)
	op, _ := p["bulkOperation"].(map[string]any)
	if op == nil || op["status"] != "CREATED" || len(p["userErrors"].([]any)) != 0 {
		t.Fatalf("run: %v", p)
	}
	if again := h.runBulk(bulkOrdersQuery); again["bulkOperation"] != nil ||
		again["userErrors"].([]any)[0].(map[string]any)["code"] != "OPERATION_IN_PROGRESS" {
		t.Fatalf("second bulk query while one runs: %v", again)
	}
	var got map[string]any
	for i, want := range []string{"RUNNING", "RUNNING", "COMPLETED"} {
		r := h.do(pollQuery, map[string]any{"id": op["id"]})
		got = r.Data["node"].(map[string]any)
		if got["status"] != want {
			t.Fatalf("read %d: %v, want %s", i+1, got, want)
		}
	}
	if got["objectCount"] != jsonNumberString(wantLines) || got["rootObjectCount"] != "40" || got["url"] == nil || got["completedAt"] == nil || got["type"] != "QUERY" {
		t.Fatalf("completed: %v, want %d objects", got, wantLines)
	}
	cur := h.do(`{ currentBulkOperation { id status } }`, nil).Data["currentBulkOperation"].(map[string]any)
	if cur["id"] != op["id"] || cur["status"] != "COMPLETED" {
		t.Errorf("currentBulkOperation: %v", cur)
	}

	resp, err := http.Get(got["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || got["fileSize"] != jsonNumberString(len(body)) {
		t.Fatalf("file: HTTP %d, %d bytes, fileSize %v", resp.StatusCode, len(body), got["fileSize"])
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	lines, parent := 0, ""
	children := map[string]int{}
	for sc.Scan() {
		lines++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if _, nested := m["lineItems"]; nested {
			t.Fatalf("line %d keeps its nested connection: %s", lines, sc.Text())
		}
		pid, isChild := m["__parentId"].(string)
		switch {
		case !isChild:
			parent = m["id"].(string)
		case pid != parent:
			t.Fatalf("line %d: parent %s, want the order just before, %s", lines, pid, parent)
		default:
			children[m["__typename"].(string)]++
		}
	}
	if lines != wantLines || children["LineItem"] == 0 || children["ShippingLine"] == 0 {
		t.Errorf("%d lines (children %v), want %d", lines, children, wantLines)
	}
	bad := strings.Replace(got["url"].(string), "/bulk-results/", "/bulk-results/1", 1)
	if resp, err := http.Get(bad); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("wrong URL: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

func jsonNumberString(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestBulkQueryLimitsAndFailures: queries Shopify refuses come back as userErrors INVALID
// (no connection, top-level node, more than five connections, nesting deeper than two, a
// nested connection whose parent lacks its id), and an injected failure ends FAILED with its
// error code and no URL.
func TestBulkQueryLimitsAndFailures(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(3, 1)
	for name, q := range map[string]string{
		"no connection":     `{ shop { name } }`,
		"top-level node":    `{ node(id: "gid://shopify/Order/1") { id } }`,
		"parent without id": `{ orders { edges { node { name lineItems { edges { node { sku } } } } } } }`,
		"six connections": `{ orders { edges { node { id
		  a: lineItems { edges { node { id } } } b: lineItems { edges { node { id } } } c: lineItems { edges { node { id } } }
		  d: lineItems { edges { node { id } } } e: lineItems { edges { node { id } } } } } } }`,
		"parse error": `{ orders { edges { node { id } }`,
	} {
		p := h.runBulk(q)
		errs := p["userErrors"].([]any)
		if p["bulkOperation"] != nil || len(errs) != 1 || errs[0].(map[string]any)["code"] != "INVALID" {
			t.Errorf("%s: %v", name, p)
		}
	}
	h.sim.FailNextBulk("INTERNAL_SERVER_ERROR")
	op := h.runBulk(bulkOrdersQuery)["bulkOperation"].(map[string]any)
	got := h.do(pollQuery, map[string]any{"id": op["id"]}).Data["node"].(map[string]any)
	if got["status"] != "FAILED" || got["errorCode"] != "INTERNAL_SERVER_ERROR" || got["url"] != nil {
		t.Errorf("failed operation: %v", got)
	}
}

// TestBulkQueryKeepsListFieldsInline: Order.refunds is a list field ([Refund!]!, with first),
// not a connection, so a bulk query may select it and its value stays on the order's line, as
// the order's other lists do; only the nodes of connections become lines of their own. The
// expected refund is the one RefundOrder made.
func TestBulkQueryKeepsListFieldsInline(t *testing.T) {
	h := newHarness(t, Options{})
	if _, err := h.sim.AddProduct(Product{Title: "Widget", Variants: []Variant{{SKU: "Widget", Price: 1999}}}); err != nil {
		t.Fatal(err)
	}
	o, err := h.sim.AddOrder(Order{Email: "jane@example.com", LineItems: []LineItem{{SKU: "Widget", Quantity: 3, UnitPrice: 1999}},
		Transactions: []Transaction{{Kind: "SALE", Status: "SUCCESS", Gateway: "shopify_payments", Amount: 3 * 1999}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := h.sim.RefundOrder(o.ID, Refund{Lines: []RefundLine{{LineItemID: o.LineItems[0].ID, Quantity: 2, RestockType: "RETURN"}}})
	if err != nil {
		t.Fatal(err)
	}
	op := h.runBulk(`{ orders { edges { node { id refunds(first: 1) { legacyResourceId } taxLines { title }
	  lineItems { edges { node { __typename id } } } } } } }`)["bulkOperation"].(map[string]any)
	var url any
	for range 5 {
		got := h.do(pollQuery, map[string]any{"id": op["id"]}).Data["node"].(map[string]any)
		if got["status"] == "COMPLETED" {
			url = got["url"]
			break
		}
	}
	u, _ := url.(string)
	if u == "" {
		t.Fatalf("the bulk query did not complete with a file: %v", op)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want the order and its line item:\n%s", len(lines), body)
	}
	var order, line map[string]any
	if json.Unmarshal([]byte(lines[0]), &order) != nil || json.Unmarshal([]byte(lines[1]), &line) != nil {
		t.Fatalf("not JSON lines:\n%s", body)
	}
	refunds, _ := order["refunds"].([]any)
	if len(refunds) != 1 || refunds[0].(map[string]any)["legacyResourceId"] != jsonNumberString(int(r.ID)) {
		t.Errorf("order line's refunds: %v, want [{legacyResourceId: %d}]", order["refunds"], r.ID)
	}
	if _, ok := order["taxLines"].([]any); !ok {
		t.Errorf("order line's taxLines: %v, want a list", order["taxLines"])
	}
	if line["__typename"] != "LineItem" || line["__parentId"] != order["id"] {
		t.Errorf("second line: %v, want the order's line item", line)
	}
}
