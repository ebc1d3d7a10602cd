package shopifysim

import (
	"errors"
	"fmt"
	"testing"
)

const setQuantities = `mutation Set($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id reason referenceDocumentUri changes { name delta quantityAfterChange item { sku } location { name } } }
    userErrors { field message code }
  }
}`

// lookup resolves a SKU the way Ledgerlink does: productVariants(query:
// "sku:…") → inventoryItem.id.
func lookup(t *testing.T, h *harness, sku string) (itemID string, available int) {
	t.Helper()
	r := h.do(`query($q: String!) { productVariants(first: 5, query: $q) { edges { node { sku inventoryQuantity inventoryItem { id } } } } }`,
		map[string]any{"q": "sku:" + sku}).ok(t)
	edges, _ := get(r.Data, "productVariants", "edges").([]any)
	if len(edges) != 1 {
		t.Fatalf("sku:%s matched %d variants", sku, len(edges))
	}
	return get(edges[0], "node", "inventoryItem", "id").(string), num(get(edges[0], "node", "inventoryQuantity"))
}

func quantity(item, loc string, qty int, compare any) map[string]any {
	q := map[string]any{"inventoryItemId": item, "locationId": loc, "quantity": qty}
	if compare != nil {
		q["compareQuantity"] = compare
	}
	return q
}

func TestInventorySetQuantities(t *testing.T) {
	h := newHarness(t, Options{})
	if _, err := h.sim.AddProduct(Product{Title: "Widget", Variants: []Variant{{SKU: "W-1", Price: 500}, {SKU: "W-2", Price: 700}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.SetInventory("W-1", 7); err != nil {
		t.Fatal(err)
	}
	locs := h.sim.Locations()
	main, retail := gid("Location", locs[0].ID), gid("Location", locs[1].ID)
	w1, avail := lookup(t, h, "W-1")
	w2, _ := lookup(t, h, "W-2")
	if avail != 7 {
		t.Fatalf("inventoryQuantity %d, want 7", avail)
	}

	t.Run("compare-and-set succeeds", func(t *testing.T) {
		r := h.do(setQuantities, map[string]any{"input": map[string]any{
			"name": "available", "reason": "correction", "referenceDocumentUri": "ledgerlink://sync/42",
			"quantities": []any{quantity(w1, main, 12, 7), quantity(w1, retail, 3, 0)},
		}}).ok(t)
		p := get(r.Data, "inventorySetQuantities")
		if errs := get(p, "userErrors").([]any); len(errs) != 0 {
			t.Fatalf("userErrors %v", errs)
		}
		changes := get(p, "inventoryAdjustmentGroup", "changes").([]any)
		if len(changes) != 4 || get(changes[0], "name") != "available" || num(get(changes[0], "delta")) != 5 ||
			num(get(changes[0], "quantityAfterChange")) != 12 || get(changes[1], "name") != "on_hand" || get(changes[0], "item", "sku") != "W-1" {
			t.Errorf("changes = %v", changes)
		}
		if get(p, "inventoryAdjustmentGroup", "referenceDocumentUri") != "ledgerlink://sync/42" {
			t.Errorf("group = %v", get(p, "inventoryAdjustmentGroup"))
		}
		if n, ok := h.sim.InventoryOf("W-1"); !ok || n != 15 {
			t.Errorf("InventoryOf(W-1) = %d, %v; want 15", n, ok)
		}
		if n, _ := h.sim.InventoryAt("W-1", locs[1].ID); n != 3 {
			t.Errorf("retail = %d, want 3", n)
		}
	})

	tests := []struct {
		name  string
		input map[string]any
		code  string
		field []string
	}{
		{"unknown inventory item", map[string]any{"name": "available", "reason": "correction",
			"quantities": []any{quantity(w2, main, 1, 0), quantity("gid://shopify/InventoryItem/1", main, 1, 0)}},
			"INVALID_INVENTORY_ITEM", []string{"input", "quantities", "1", "inventoryItemId"}},
		{"unknown location", map[string]any{"name": "available", "reason": "correction",
			"quantities": []any{quantity(w2, "gid://shopify/Location/1", 1, 0)}},
			"INVALID_LOCATION", []string{"input", "quantities", "0", "locationId"}},
		{"stale compareQuantity", map[string]any{"name": "available", "reason": "correction",
			"quantities": []any{quantity(w2, main, 9, 0), quantity(w1, main, 1, 7)}},
			"COMPARE_QUANTITY_STALE", []string{"input", "quantities", "1", "compareQuantity"}},
		{"compareQuantity missing", map[string]any{"name": "available", "reason": "correction",
			"quantities": []any{quantity(w2, main, 1, nil)}},
			"COMPARE_QUANTITY_REQUIRED", []string{"input", "quantities", "0", "compareQuantity"}},
		{"bad name", map[string]any{"name": "committed", "reason": "correction", "quantities": []any{}},
			"INVALID_NAME", []string{"input", "name"}},
		{"bad reason", map[string]any{"name": "available", "reason": "because", "quantities": []any{}},
			"INVALID_REASON", []string{"input", "reason"}},
		{"too high", map[string]any{"name": "available", "reason": "correction", "ignoreCompareQuantity": true,
			"quantities": []any{quantity(w2, main, 1_000_000_001, nil)}},
			"INVALID_QUANTITY_TOO_HIGH", []string{"input", "quantities", "0", "quantity"}},
		{"negative on_hand", map[string]any{"name": "on_hand", "reason": "correction", "ignoreCompareQuantity": true,
			"quantities": []any{quantity(w2, main, -1, nil)}},
			"INVALID_QUANTITY_NEGATIVE", []string{"input", "quantities", "0", "quantity"}},
		{"duplicate pair", map[string]any{"name": "available", "reason": "correction", "ignoreCompareQuantity": true,
			"quantities": []any{quantity(w2, main, 1, nil), quantity(w2, main, 2, nil)}},
			"NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", []string{"input", "quantities", "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := h.sim.InventoryOf("W-2")
			r := h.do(setQuantities, map[string]any{"input": tc.input}).ok(t)
			p := get(r.Data, "inventorySetQuantities")
			if get(p, "inventoryAdjustmentGroup") != nil {
				t.Errorf("adjustment group despite errors: %s", r.Raw)
			}
			errs, _ := get(p, "userErrors").([]any)
			if len(errs) != 1 || get(errs[0], "code") != tc.code || fmt.Sprint(get(errs[0], "field")) != fmt.Sprint(toAny(tc.field)) {
				t.Fatalf("userErrors = %v, want one %s at %v", errs, tc.code, tc.field)
			}
			if msg, _ := get(errs[0], "message").(string); msg != setQuantitiesMessages[tc.code] {
				t.Errorf("message %q", msg)
			}
			// All or nothing: the valid quantity next to the bad one did not apply.
			if after, _ := h.sim.InventoryOf("W-2"); after != before {
				t.Errorf("W-2 changed from %d to %d despite userErrors", before, after)
			}
		})
	}

	t.Run("ignoreCompareQuantity and negative available", func(t *testing.T) {
		r := h.do(setQuantities, map[string]any{"input": map[string]any{"name": "available", "reason": "correction",
			"ignoreCompareQuantity": true, "quantities": []any{quantity(w2, main, -4, nil)}}}).ok(t)
		if errs := get(r.Data, "inventorySetQuantities", "userErrors").([]any); len(errs) != 0 {
			t.Fatalf("userErrors %v", errs)
		}
		if n, _ := h.sim.InventoryOf("W-2"); n != -4 {
			t.Errorf("InventoryOf(W-2) = %d, want -4 (oversold)", n)
		}
	})

	if err := h.sim.SetInventory("NOPE", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetInventory of unknown SKU: %v", err)
	}
	if _, ok := h.sim.InventoryOf("NOPE"); ok {
		t.Error("InventoryOf(NOPE) found something")
	}
	if got := h.sim.Requests()["inventorySetQuantities"]; got != 1+len(tests)+1 {
		t.Errorf("Requests()[inventorySetQuantities] = %d", got)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func TestInventoryReads(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(0, 1)
	if err := h.sim.SetInventory("MUG-FOR", 21); err != nil {
		t.Fatal(err)
	}
	item, _ := lookup(t, h, "MUG-FOR")
	r := h.do(`query($id: ID!) { inventoryItem(id: $id) { sku tracked inventoryLevels(first: 5) { edges { node { location { name } quantities(names: ["available", "on_hand"]) { name quantity } } } } } }`,
		map[string]any{"id": item}).ok(t)
	lvl := get(r.Data, "inventoryItem", "inventoryLevels", "edges", 0, "node")
	if get(lvl, "location", "name") != "Main Warehouse" || num(get(lvl, "quantities", 0, "quantity")) != 21 || get(lvl, "quantities", 1, "name") != "on_hand" {
		t.Errorf("level = %v", lvl)
	}
	// Duplicate SKUs exist in real shops: the query finds both.
	r = h.do(`{ productVariants(first: 10, query: "sku:MUG-RED") { edges { node { product { title } } } } }`, nil).ok(t)
	if n := len(get(r.Data, "productVariants", "edges").([]any)); n != 2 {
		t.Errorf("sku:MUG-RED matched %d variants, want 2", n)
	}
	r = h.do(`{ locations(first: 10) { edges { node { id name isActive fulfillsOnlineOrders } } } }`, nil).ok(t)
	if n := len(get(r.Data, "locations", "edges").([]any)); n != 2 {
		t.Errorf("%d locations", n)
	}
}
