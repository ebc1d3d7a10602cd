package shopifysim

import (
	"strconv"
	"testing"
)

// TestRefundByIDPagesItsLines: refund(id:) returns an order's refund, its refundLineItems a
// connection paged by after like any other (2 of the 3 lines, then the last), at Shopify's
// requested cost: refund 1 + connection 2 + 2 × (item 1 + lineItem 1) = 7. A gid no refund has
// is null; a non-gid is an error.
func TestRefundByIDPagesItsLines(t *testing.T) {
	h := newHarness(t, Options{})
	o, err := h.sim.AddOrder(Order{Email: "jane@example.com", LineItems: []LineItem{
		{SKU: "A", Title: "A", Quantity: 1, UnitPrice: 100}, {SKU: "B", Title: "B", Quantity: 1, UnitPrice: 200}, {SKU: "C", Title: "C", Quantity: 1, UnitPrice: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []RefundLine
	for _, l := range o.LineItems {
		lines = append(lines, RefundLine{LineItemID: l.ID, Quantity: 1})
	}
	r, err := h.sim.RefundOrder(o.ID, Refund{Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	const q = `query R($id: ID!, $after: String) { refund(id: $id) { legacyResourceId
	  refundLineItems(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { lineItem { sku } } } } }`
	id := "gid://shopify/Refund/" + strconv.FormatInt(r.ID, 10)
	var skus []any
	var after any
	for page := 1; page <= 2; page++ {
		resp := h.do(q, map[string]any{"id": id, "after": after})
		if len(resp.Errors) > 0 {
			t.Fatalf("page %d: %v", page, resp.Errors)
		}
		if got := num(get(resp.Extensions, "cost", "requestedQueryCost")); got != 7 {
			t.Errorf("page %d: requestedQueryCost %d, want 7", page, got)
		}
		if got := get(resp.Data, "refund", "legacyResourceId"); got != strconv.FormatInt(r.ID, 10) {
			t.Errorf("page %d: legacyResourceId %v", page, got)
		}
		for _, n := range get(resp.Data, "refund", "refundLineItems", "nodes").([]any) {
			skus = append(skus, get(n.(map[string]any), "lineItem", "sku"))
		}
		more := get(resp.Data, "refund", "refundLineItems", "pageInfo", "hasNextPage")
		if more != (page == 1) {
			t.Errorf("page %d: hasNextPage %v", page, more)
		}
		after = get(resp.Data, "refund", "refundLineItems", "pageInfo", "endCursor")
	}
	if len(skus) != 3 || skus[0] != "A" || skus[1] != "B" || skus[2] != "C" {
		t.Errorf("lines read: %v, want A B C", skus)
	}
	if resp := h.do(q, map[string]any{"id": "gid://shopify/Refund/1"}); len(resp.Errors) > 0 || resp.Data["refund"] != nil {
		t.Errorf("unknown refund: data %v, errors %v", resp.Data, resp.Errors)
	}
	if resp := h.do(q, map[string]any{"id": "x"}); len(resp.Errors) != 1 || resp.Errors[0]["message"] != "Invalid global id 'x'" {
		t.Errorf("non-gid: errors %v", resp.Errors)
	}
}
