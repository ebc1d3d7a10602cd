package shopifysim

import (
	"sort"
	"strings"
	"testing"
	"time"
)

func TestMoneyDecimal(t *testing.T) {
	tests := []struct {
		m    Money
		want string
		rest string
	}{
		{0, "0.0", "0.00"},
		{2500, "25.0", "25.00"},
		{2499, "24.99", "24.99"},
		{10150, "101.5", "101.50"},
		{5, "0.05", "0.05"},
		{-325, "-3.25", "-3.25"},
		{-300, "-3.0", "-3.00"},
	}
	for _, tc := range tests {
		if got := tc.m.Decimal(); got != tc.want {
			t.Errorf("Money(%d).Decimal() = %q, want %q", tc.m, got, tc.want)
		}
		if got := tc.m.restDecimal(); got != tc.rest {
			t.Errorf("Money(%d).restDecimal() = %q, want %q", tc.m, got, tc.rest)
		}
	}
}

type fakeDoc map[string]fieldValue

func (d fakeDoc) field(n string) (fieldValue, bool) { v, ok := d[n]; return v, ok }
func (d fakeDoc) text() []string                    { return []string{"Hello World"} }

func TestSearchSyntax(t *testing.T) {
	at := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	doc := fakeDoc{
		"updated_at": {times: []time.Time{at}},
		"sku":        {strs: []string{"MUG-RED"}},
		"id":         {nums: []int64{42}},
	}
	tests := []struct {
		q    string
		want bool
	}{
		{"", true},
		{"updated_at:>2025-01-15T11:59:59Z", true},
		{"updated_at:>'2025-01-15T12:00:00Z'", false},
		{`updated_at:>="2025-01-15T12:00:00Z"`, true},
		{"updated_at:<=2025-01-15T13:00:00+01:00", true},
		{"updated_at:2025-01-15", true},
		{"updated_at:<2025-01-15", false},
		{"updated_at:>'2025-01-15 12:00:00'", false},
		{"sku:mug-red", true},
		{"sku:MUG*", true},
		{"sku:MUG", false},
		{"-sku:MUG-RED", false},
		{"NOT sku:MUG-RED", false},
		{"sku:X OR sku:MUG-RED", true},
		{"sku:X OR (id:>40 AND id:<=42)", true},
		{"sku:MUG-RED id:43", false},
		{"sku:MUG-RED AND id:42", true},
		{"id:gid://shopify/ProductVariant/42", true},
		{"world", true},
		{"planet", false},
		{"colour:red", true}, // unknown fields match (and warn)
	}
	for _, tc := range tests {
		n, _, err := parseSearch(tc.q)
		if err != nil {
			t.Errorf("parseSearch(%q): %v", tc.q, err)
			continue
		}
		if got := matchSearch(n, doc, time.UTC); got != tc.want {
			t.Errorf("%q matched %v, want %v", tc.q, got, tc.want)
		}
	}
	if _, _, err := parseSearch("(sku:a"); err == nil {
		t.Error("unbalanced parenthesis parsed")
	}
}

func TestOrderWindow(t *testing.T) {
	h := newHarness(t, Options{OrderWindow: 60 * 24 * time.Hour})
	old, err := h.sim.AddOrder(Order{CreatedAt: h.clock.Now().AddDate(0, 0, -61), LineItems: []LineItem{{Title: "x", Quantity: 1, UnitPrice: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.AddOrder(Order{LineItems: []LineItem{{Title: "y", Quantity: 1, UnitPrice: 100}}}); err != nil {
		t.Fatal(err)
	}
	r := h.do(`query($id: ID!) { order(id: $id) { id } orders(first: 10) { edges { node { name } } } }`, map[string]any{"id": gid("Order", old.ID)}).ok(t)
	if get(r.Data, "order") != nil || len(get(r.Data, "orders", "edges").([]any)) != 1 {
		t.Errorf("orders older than the window are visible: %s", r.Raw)
	}
}

func TestAddOrderValidation(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []Order{
		{},
		{LineItems: []LineItem{{Title: "x", Quantity: 0, UnitPrice: 100}}},
		{LineItems: []LineItem{{Title: "x", Quantity: 1, UnitPrice: 100, Discounts: []DiscountAllocation{{Application: 0, Amount: 10}}}}},
		{LineItems: []LineItem{{Title: "x", Quantity: 1, UnitPrice: 100, Discounts: []DiscountAllocation{{Application: 0, Amount: 200}}}},
			DiscountApplications: []DiscountApplication{{Code: "BIG", Amount: 200}}},
	}
	for i, o := range tests {
		if _, err := h.sim.AddOrder(o); err == nil {
			t.Errorf("case %d: AddOrder accepted an invalid order", i)
		}
	}
	a, err := h.sim.AddOrder(Order{Name: "#X-1", LineItems: []LineItem{{Title: "x", Quantity: 1, UnitPrice: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.AddOrder(Order{Name: "#X-1", LineItems: []LineItem{{Title: "x", Quantity: 1}}}); err == nil {
		t.Error("duplicate name accepted")
	}
	if _, err := h.sim.AddOrder(Order{ID: a.ID, LineItems: []LineItem{{Title: "x", Quantity: 1}}}); err == nil {
		t.Error("duplicate ID accepted")
	}
	if len(h.sim.Orders()) != 1 {
		t.Errorf("%d orders stored", len(h.sim.Orders()))
	}
}

func TestInventoryItemsQuery(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(0, 1)
	r := h.do(`{ inventoryItems(first: 5, query: "sku:BEANS-1KG*") { edges { node { id sku variant { displayName } } } } }`, nil).ok(t)
	edges := get(r.Data, "inventoryItems", "edges").([]any)
	if len(edges) != 3 || get(edges[1], "node", "variant", "displayName") != "Organic Coffee Beans 1kg - Espresso Grind" {
		t.Errorf("inventoryItems: %s", r.Raw)
	}
}

// TestREADMEListsSimulatedFields keeps README.md's field table equal to the
// resolver table, and every resolver a real 2025-01 field.
func TestREADMEListsSimulatedFields(t *testing.T) {
	s := New(Options{})
	readme := readFile(t, "README.md")
	listed := map[string]string{}
	for _, line := range strings.Split(readme, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		listed[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[2])
	}
	for typ, fields := range s.res {
		td := s.sch.types[typ]
		var names []string
		for f := range fields {
			if td == nil || td.fields[f] == nil {
				t.Errorf("resolver %s.%s is not a field of the 2025-01 schema", typ, f)
			}
			names = append(names, f)
		}
		if strings.HasSuffix(typ, "Connection") || strings.HasSuffix(typ, "Edge") {
			continue
		}
		sort.Strings(names)
		if got, want := listed[typ], strings.Join(names, ", "); got != want {
			t.Errorf("README row for %s:\n got  %s\n want %s", typ, got, want)
		}
	}
}
