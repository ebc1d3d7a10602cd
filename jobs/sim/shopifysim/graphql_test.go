package shopifysim

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseDocument(t *testing.T) {
	doc, err := parseDocument(`
	  # comment
	  query Orders($first: Int = 10, $q: String!) @skip(if: false) {
	    a: orders(first: $first, query: $q) { edges { node { ...F } } }
	    shop { name }
	  }
	  fragment F on Order { id, name ... on Order { note } }
	  mutation M { inventorySetQuantities(input: {name: "available", reason: "correction", quantities: [{inventoryItemId: "x", locationId: "y", quantity: -3}]}) { userErrors { code } } }
	  { shop { note: name description: myshopifyDomain } }
	  query B { shop { name(x: """
	      block
	        string
	  """) } }`)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.ops) != 4 || doc.frags["F"] == nil {
		t.Fatalf("got %d operations, fragments %v", len(doc.ops), doc.frags)
	}
	op := doc.ops[0]
	if op.name != "Orders" || len(op.vars) != 2 || op.vars[0].def.raw != "10" || op.vars[1].typ.String() != "String!" {
		t.Errorf("operation header parsed wrong: %+v", op)
	}
	f := op.sel[0].(*fieldSel)
	if f.alias != "a" || f.name != "orders" || len(f.args) != 2 || f.args[0].val.kind != valVar {
		t.Errorf("aliased field parsed wrong: %+v", f)
	}
	m := doc.ops[1].sel[0].(*fieldSel)
	q := m.args[0].val.fields[2].val.list[0].fields[2].val
	if q.kind != valInt || q.raw != "-3" {
		t.Errorf("nested literal = %+v", q)
	}
	block := doc.ops[3].sel[0].(*fieldSel).sel[0].(*fieldSel).args[0].val.raw
	if block != "block\n  string" {
		t.Errorf("block string = %q", block)
	}

	for _, bad := range []string{``, `{`, `{ shop { } }`, `query { shop(first: ) { id } }`, `{ shop { name "x" } }`, `fragment on on Order { id }`} {
		if _, err := parseDocument(bad); err == nil {
			t.Errorf("parseDocument(%q) succeeded", bad)
		}
	}
}

func TestStringEscapes(t *testing.T) {
	doc, err := parseDocument(`{ orders(first: 1, query: "name:\"#1001\" \u0141\ud83d\ude00") { edges { cursor } } }`)
	if err != nil {
		t.Fatal(err)
	}
	got := doc.ops[0].sel[0].(*fieldSel).args[1].val.raw
	if got != `name:"#1001" Ł😀` {
		t.Errorf("escapes decoded to %q", got)
	}
}

// TestValidationErrors checks graphql-ruby's messages and codes for the
// mistakes a client is likely to make; validation errors come without data.
func TestValidationErrors(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name, query string
		vars        map[string]any
		message     string
		code        string
	}{
		{"syntax", `{ shop { name }`, nil, "Unexpected end of document", ""},
		{"unknown field", `{ shop { nmae } }`, nil, "Field 'nmae' doesn't exist on type 'Shop'", "undefinedField"},
		{"field of a later API version", `{ orders(first: 1) { edges { node { number } } } }`, nil, "Field 'number' doesn't exist on type 'Order'", "undefinedField"},
		{"real but not simulated", `{ orders(first: 1) { edges { node { fulfillments { id } } } } }`, nil, "Field 'fulfillments' on type 'Order' exists in the Shopify Admin API 2025-01 but is not simulated", "NOT_SIMULATED"},
		{"unknown argument", `{ orders(first: 1, limit: 5) { edges { cursor } } }`, nil, "Field 'orders' doesn't accept argument 'limit'", "argumentNotAccepted"},
		{"missing required argument", `{ order { id } }`, nil, "Field 'order' is missing required arguments: id", "missingRequiredArguments"},
		{"missing selection", `{ shop }`, nil, "Field must have selections (field 'shop' returns Shop but has no selections. Did you mean 'shop { ... }'?)", "selectionMismatch"},
		{"selection on scalar", `{ shop { name { x } } }`, nil, "Selections can't be made on scalars (field 'name' returns String but has selections [x])", "selectionMismatch"},
		{"wrong literal type", `{ orders(first: "ten") { edges { cursor } } }`, nil, "Argument 'first' on Field 'orders' has an invalid value (\"ten\"). Expected type 'Int'.", "argumentLiteralsIncompatible"},
		{"bad enum", `{ orders(first: 1, sortKey: NEWEST) { edges { cursor } } }`, nil, "Argument 'sortKey' on Field 'orders' has an invalid value (NEWEST). Expected type 'OrderSortKeys'.", "argumentLiteralsIncompatible"},
		{"undeclared variable", `{ orders(first: $n) { edges { cursor } } }`, nil, "Variable $n is used by anonymous query but not declared", "variableNotDefined"},
		{"unused variable", `query Q($n: Int) { shop { name } }`, nil, "Variable $n is declared by Q but not used", "variableNotUsed"},
		{"variable type mismatch", `query Q($id: String!) { order(id: $id) { id } }`, map[string]any{"id": "gid://shopify/Order/1"}, "Type mismatch on variable $id and argument id (String! / ID!)", "variableMismatch"},
		{"nullable variable for non-null argument", `query Q($id: ID) { order(id: $id) { id } }`, nil, "Nullability mismatch on variable $id and argument id (ID / ID!)", "variableMismatch"},
		{"invalid variable value", `query Q($n: Int) { orders(first: $n) { edges { cursor } } }`, map[string]any{"n": "ten"}, "Variable $n of type Int was provided invalid value", "INVALID_VARIABLE"},
		{"missing non-null variable", `query Q($id: ID!) { order(id: $id) { id } }`, nil, "Variable $id of type ID! was provided invalid value", "INVALID_VARIABLE"},
		{"idempotent directive is 2026-01+", `mutation M { inventorySetQuantities(input: {name: "available", reason: "correction", quantities: []}) @idempotent(key: "k") { userErrors { code } } }`, nil, "Directive @idempotent is not defined", "undefinedDirective"},
		{"changeFromQuantity is 2026-01+", `mutation M($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
			map[string]any{"input": map[string]any{"name": "available", "reason": "correction", "quantities": []any{map[string]any{"inventoryItemId": "gid://shopify/InventoryItem/1", "locationId": "gid://shopify/Location/1", "quantity": 1, "changeFromQuantity": 0}}}},
			"Variable $input of type InventorySetQuantitiesInput! was provided invalid value for quantities.0.changeFromQuantity (Field is not defined on InventoryQuantityInput)", "INVALID_VARIABLE"},
		{"unknown fragment", `{ shop { ...Nope } }`, nil, "Fragment Nope was used, but not defined", "useAndDefineFragment"},
		{"fragment on wrong type", `{ shop { ... on Order { id } } }`, nil, "Fragment on Order can't be spread inside Shop", "cannotSpreadFragment"},
		{"no first or last", `{ orders { edges { cursor } } }`, nil, "you must provide one of first or last", ""},
		{"first above 250", `{ orders(first: 251) { edges { cursor } } }`, nil, "first cannot exceed 250. To query larger amounts of data with fewer limits, bulk operations should be used instead.", ""},
		{"nested first above 250", `{ orders(first: 1) { edges { node { lineItems(first: 300) { edges { cursor } } } } } }`, nil, "first cannot exceed 250.", ""},
		{"two operations, no name", `query A { shop { name } } query B { shop { name } }`, nil, "An operation name is required", ""},
		{"subscription", `subscription { shop { name } }`, nil, "Schema is not configured for subscriptions", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.query, tc.vars)
			if r.Status != 200 || len(r.Errors) == 0 {
				t.Fatalf("want HTTP 200 with errors, got %d: %s", r.Status, r.Raw)
			}
			if r.Data != nil {
				t.Errorf("validation error came with data: %s", r.Raw)
			}
			msg := fmt.Sprint(r.Errors[0]["message"])
			if !strings.HasPrefix(msg, tc.message) {
				t.Errorf("message %q, want prefix %q", msg, tc.message)
			}
			if code := get(r.Errors[0], "extensions", "code"); tc.code != "" && code != tc.code {
				t.Errorf("code %v, want %s", code, tc.code)
			}
		})
	}
}

func TestDirectivesFragmentsAliases(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(2, 1)
	r := h.do(`query Q($withName: Boolean!, $skipId: Boolean = true) {
	  shop { ...ShopBits }
	  first: orders(first: 1) { edges { node { id @skip(if: $skipId) name @include(if: $withName) __typename } } }
	  second: orders(first: 1, reverse: true) { nodes { legacyResourceId } }
	}
	fragment ShopBits on Shop { shopName: name ... on Shop { currencyCode } }`, map[string]any{"withName": true}).ok(t)
	if get(r.Data, "shop", "shopName") != "Ledgerlink Demo Store" || get(r.Data, "shop", "currencyCode") != "USD" {
		t.Errorf("fragment fields: %v", r.Data["shop"])
	}
	node := get(r.Data, "first", "edges", 0, "node")
	if keys := mapKeys(node); strings.Join(keys, ",") != "__typename,name" {
		t.Errorf("node keys %v, want __typename,name", keys)
	}
	if get(r.Data, "first", "edges", 0, "node", "name") == get(r.Data, "second", "nodes", 0, "legacyResourceId") {
		t.Error("aliases were not kept apart")
	}
}

// TestQueryCost checks requested and actual cost against hand-computed
// values: objects 1, scalars 0, connections 2 + first × item, mutations 10.
func TestQueryCost(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(3, 1) // three orders
	tests := []struct {
		name              string
		query             string
		requested, actual int
	}{
		{"shop", `{ shop { name } }`, 1, 1},
		{"connection of scalars", `{ orders(first: 10) { edges { node { id name } } pageInfo { hasNextPage } } }`, 2 + 10*1, 2 + 3*1},
		{"nodes shortcut", `{ orders(first: 10) { nodes { id } } }`, 12, 5},
		{"nested object", `{ orders(first: 5) { edges { node { totalPriceSet { shopMoney { amount } } } } } }`, 2 + 5*3, 2 + 3*3},
		{"nested connection", `{ orders(first: 2) { edges { node { lineItems(first: 10) { edges { node { sku } } } } } } }`, 2 + 2*(1+2+10), -1},
		{"mutation", `mutation { inventorySetQuantities(input: {name: "available", reason: "correction", quantities: []}) { userErrors { code } } }`, 10, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.query, nil).ok(t)
			cost := get(r.Extensions, "cost")
			if got := num(get(cost, "requestedQueryCost")); got != tc.requested {
				t.Errorf("requestedQueryCost %d, want %d", got, tc.requested)
			}
			actual := num(get(cost, "actualQueryCost"))
			if tc.actual >= 0 && actual != tc.actual {
				t.Errorf("actualQueryCost %d, want %d", actual, tc.actual)
			}
			if actual > tc.requested {
				t.Errorf("actual %d above requested %d", actual, tc.requested)
			}
			ts := get(cost, "throttleStatus")
			if num(get(ts, "maximumAvailable")) != 1000 || num(get(ts, "restoreRate")) != 50 || get(ts, "currentlyAvailable") == nil {
				t.Errorf("throttleStatus = %v", ts)
			}
		})
	}
}
