package shopifysim

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// goldenOrder is a hand-built order that uses every part of the Order
// shape: a customer with a Polish name, two lines (one with quantity 3),
// an order-level code discount and a line-level automatic discount, a taxed
// shipping line, a partial refund, tags, attributes and a note.
func goldenOrder(created time.Time) Order {
	ship := &Address{FirstName: "Łukasz", LastName: "Wróblewski", Company: "Kawiarnia Pod Wawelem", Address1: "ul. Długa 12/3",
		City: "Kraków", Province: "Małopolskie", Zip: "31-147", Country: "Poland", CountryCode: "PL", Phone: "+48601234567"}
	bill := *ship
	bill.Company = ""
	return Order{
		CreatedAt: created, UpdatedAt: created.Add(2 * time.Hour),
		Email: "lukasz.wroblewski@example.pl", Phone: "+48601234567",
		Note: "Dzwonić przed dostawą 📞", Tags: []string{"wholesale", "VIP"},
		CustomAttributes: []Attribute{{"gift_message", "Wszystkiego najlepszego! 🎂"}},
		Customer:         &Customer{FirstName: "Łukasz", LastName: "Wróblewski", Email: "lukasz.wroblewski@example.pl", Phone: "+48601234567"},
		BillingAddress:   &bill, ShippingAddress: ship,
		LineItems: []LineItem{
			{SKU: "MUG-FOR", Quantity: 3, Taxable: true, RequiresShipping: true,
				Discounts: []DiscountAllocation{{Application: 0, Amount: 480}, {Application: 1, Amount: 648}},
				TaxLines:  []TaxLine{{Title: "PL VAT", Rate: 0.23, Amount: 687}}},
			{SKU: "NOTE-KRK-A5", Quantity: 1, Taxable: true, RequiresShipping: true,
				Discounts:  []DiscountAllocation{{Application: 0, Amount: 125}},
				TaxLines:   []TaxLine{{Title: "PL VAT", Rate: 0.23, Amount: 210}},
				Properties: []Attribute{{"Engraving", "Zofia"}}},
		},
		ShippingLines: []ShippingLine{{Title: "DPD Kurier 🚚", Code: "DPD_PL", Source: "shopify", Price: 1999,
			TaxLines: []TaxLine{{Title: "PL VAT", Rate: 0.23, Amount: 374}}}},
		DiscountApplications: []DiscountApplication{
			{Kind: DiscountCode, Code: "WELCOME10", Percentage: 10, TargetSelection: "ALL", TargetType: "LINE_ITEM", AllocationMethod: "ACROSS"},
			{Kind: DiscountAutomatic, Title: "Buy more, save 15%", Percentage: 15, TargetSelection: "ENTITLED", TargetType: "LINE_ITEM", AllocationMethod: "ACROSS"},
		},
		TaxesIncluded:     true,
		FinancialStatus:   "PARTIALLY_REFUNDED",
		FulfillmentStatus: "UNFULFILLED",
		Transactions: []Transaction{
			{Kind: "SALE", Status: "SUCCESS", Gateway: "shopify_payments", Amount: 6796},
			{Kind: "REFUND", Status: "SUCCESS", Gateway: "shopify_payments", Amount: 1125, ProcessedAt: created.Add(2 * time.Hour)},
		},
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGoldenOrder compares the full Order shape with testdata/order_full.json
// (run with -update to rewrite it) and checks the arithmetic Shopify
// guarantees between the money fields.
func TestGoldenOrder(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(0, 1) // catalog only
	o, err := h.sim.AddOrder(goldenOrder(h.clock.Now().Add(-48 * time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	r := h.do(readFile(t, "testdata/order_full.graphql"), map[string]any{"id": gid("Order", o.ID)}).ok(t)
	var buf bytes.Buffer
	if err := json.Indent(&buf, r.Raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	got := append(buf.Bytes(), '\n')
	golden := filepath.Join("testdata", "order_full.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readFile(t, golden); string(got) != want {
		t.Errorf("order shape differs from %s (run go test -update to accept):\n%s", golden, diffLines(want, string(got)))
	}

	ord := get(r.Data, "order")
	amount := func(path ...any) Money {
		s, _ := get(ord, append(path, "shopMoney", "amount")...).(string)
		var whole, frac int64
		parts := strings.SplitN(s, ".", 2)
		if _, err := fmt.Sscan(parts[0], &whole); err != nil {
			t.Fatalf("amount %q at %v: %v", s, path, err)
		}
		if len(parts) == 2 {
			f := (parts[1] + "00")[:2]
			if _, err := fmt.Sscan(f, &frac); err != nil {
				t.Fatalf("amount %q at %v: %v", s, path, err)
			}
		}
		return Money(whole*100 + frac)
	}
	// Taxes are included in prices here: total = subtotal + shipping.
	if got, want := amount("totalPriceSet"), amount("subtotalPriceSet")+amount("totalShippingPriceSet"); got != want {
		t.Errorf("totalPrice %v != subtotal + shipping %v", got, want)
	}
	if got, want := amount("subtotalPriceSet"), Money(3*1600+1250-480-648-125); got != want {
		t.Errorf("subtotal %v, want %v", got, want)
	}
	// Line-level (automatic) discounts show in totalDiscountSet, code discounts only in allocations.
	if got := amount("lineItems", "edges", 0, "node", "totalDiscountSet"); got != 648 {
		t.Errorf("line 0 totalDiscountSet %v, want 6.48", got)
	}
	if got := amount("totalDiscountsSet"); got != 480+648+125 {
		t.Errorf("totalDiscounts %v", got)
	}
	if got := get(ord, "shippingAddress", "company"); got != "Kawiarnia Pod Wawelem" {
		t.Errorf("shippingAddress.company = %v", got)
	}
}

// diffLines shows the first differing line of two texts.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, wl, gl)
		}
	}
	return ""
}

// pageAll pages through orders with the given sort and query, returning the
// legacy IDs in response order.
func pageAll(t *testing.T, h *harness, pageSize int, sortKey string, reverse bool, query string) []string {
	t.Helper()
	const q = `query Page($first: Int!, $after: String, $sort: OrderSortKeys, $reverse: Boolean, $query: String) {
	  orders(first: $first, after: $after, sortKey: $sort, reverse: $reverse, query: $query) {
	    edges { cursor node { legacyResourceId } }
	    pageInfo { hasNextPage endCursor }
	  }
	}`
	var ids []string
	var after any
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("paging does not end")
		}
		vars := map[string]any{"first": pageSize, "after": after, "reverse": reverse, "query": query}
		if sortKey != "" {
			vars["sort"] = sortKey
		}
		r := h.doPaced(q, vars).ok(t)
		edges, _ := get(r.Data, "orders", "edges").([]any)
		if len(edges) > pageSize {
			t.Fatalf("page of %d edges for first: %d", len(edges), pageSize)
		}
		for _, e := range edges {
			ids = append(ids, get(e, "node", "legacyResourceId").(string))
		}
		pi := get(r.Data, "orders", "pageInfo")
		if get(pi, "hasNextPage") != true {
			if len(edges) > 0 && get(pi, "endCursor") != get(edges[len(edges)-1], "cursor") {
				t.Errorf("endCursor is not the last edge's cursor")
			}
			return ids
		}
		after = get(pi, "endCursor")
	}
}

func TestPagingThroughGeneratedOrders(t *testing.T) {
	h := newHarness(t, Options{})
	all := h.sim.Generate(300, 7)
	if len(all) != 300 {
		t.Fatalf("generated %d orders", len(all))
	}
	tests := []struct {
		name    string
		size    int
		sort    string
		reverse bool
		less    func(a, b Order) bool
	}{
		{"default sort (PROCESSED_AT)", 50, "", false, func(a, b Order) bool { return keyLess(a.ProcessedAt, a.ID, b.ProcessedAt, b.ID) }},
		{"UPDATED_AT", 50, "UPDATED_AT", false, func(a, b Order) bool { return keyLess(a.UpdatedAt, a.ID, b.UpdatedAt, b.ID) }},
		{"CREATED_AT reverse", 37, "CREATED_AT", true, func(a, b Order) bool { return keyLess(b.CreatedAt, b.ID, a.CreatedAt, a.ID) }},
		{"ID, max page", 250, "ID", false, func(a, b Order) bool { return a.ID < b.ID }},
		{"ORDER_NUMBER", 64, "ORDER_NUMBER", false, func(a, b Order) bool {
			return a.Number < b.Number || a.Number == b.Number && a.ID < b.ID
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := pageAll(t, h, tc.size, tc.sort, tc.reverse, "")
			want := slices.Clone(all)
			sort.SliceStable(want, func(i, j int) bool { return tc.less(want[i], want[j]) })
			seen := map[string]bool{}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("order %s returned twice", id)
				}
				seen[id] = true
			}
			if len(got) != len(want) {
				t.Fatalf("got %d orders, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != fmt.Sprint(want[i].ID) {
					t.Fatalf("position %d: got order %s, want %d", i, got[i], want[i].ID)
				}
			}
			// Paging again gives the same sequence.
			if again := pageAll(t, h, tc.size, tc.sort, tc.reverse, ""); !slices.Equal(again, got) {
				t.Error("second pass returned a different sequence")
			}
		})
	}
}

func keyLess(at time.Time, aid int64, bt time.Time, bid int64) bool {
	return at.Before(bt) || at.Equal(bt) && aid < bid
}

// TestPagingIsKeyset shows the cursor semantics clients must cope with: an
// order edited while a client pages by UPDATED_AT moves behind the cursor
// and is seen again at the end; nothing is skipped.
func TestPagingIsKeyset(t *testing.T) {
	h := newHarness(t, Options{})
	all := h.sim.Generate(30, 3)
	const q = `query($after: String) { orders(first: 10, after: $after, sortKey: UPDATED_AT) {
	  edges { node { legacyResourceId } } pageInfo { hasNextPage endCursor } } }`
	var ids []string
	var after any
	edited := false
	for {
		r := h.do(q, map[string]any{"after": after}).ok(t)
		for _, e := range get(r.Data, "orders", "edges").([]any) {
			ids = append(ids, get(e, "node", "legacyResourceId").(string))
		}
		if !edited {
			first, _ := h.sim.Order(mustAtoi(t, ids[0]))
			h.clock.Advance(time.Minute)
			if _, err := h.sim.UpdateOrder(first.ID, func(o *Order) { o.Note = "edited while paging" }); err != nil {
				t.Fatal(err)
			}
			edited = true
		}
		if get(r.Data, "orders", "pageInfo", "hasNextPage") != true {
			break
		}
		after = get(r.Data, "orders", "pageInfo", "endCursor")
	}
	if len(ids) != len(all)+1 || ids[0] != ids[len(ids)-1] {
		t.Fatalf("want %d ids with the edited order first and last, got %d: first %s last %s", len(all)+1, len(ids), ids[0], ids[len(ids)-1])
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOrderQueryFilters(t *testing.T) {
	h := newHarness(t, Options{})
	all := h.sim.Generate(120, 11)
	now := h.clock.Now()
	mid := now.Add(-15 * 24 * time.Hour).Truncate(time.Second)
	ts := mid.Format(time.RFC3339)
	tests := []struct {
		query string
		want  func(o Order) bool
	}{
		{"updated_at:>=" + ts, func(o Order) bool { return !o.UpdatedAt.Before(mid) }},
		{"updated_at:>'" + ts + "'", func(o Order) bool { return o.UpdatedAt.After(mid) }},
		{"created_at:<=" + ts, func(o Order) bool { return !o.CreatedAt.After(mid) }},
		{`created_at:<"` + mid.Format("2006-01-02") + `"`, func(o Order) bool {
			return o.CreatedAt.Before(time.Date(mid.Year(), mid.Month(), mid.Day(), 0, 0, 0, 0, time.UTC))
		}},
		{"financial_status:paid", func(o Order) bool { return o.FinancialStatus == "PAID" }},
		{"financial_status:partially_refunded", func(o Order) bool { return o.FinancialStatus == "PARTIALLY_REFUNDED" }},
		{"financial_status:pending OR financial_status:authorized", func(o Order) bool {
			return o.FinancialStatus == "PENDING" || o.FinancialStatus == "AUTHORIZED"
		}},
		{"status:cancelled", func(o Order) bool { return !o.CancelledAt.IsZero() }},
		{"status:open", func(o Order) bool { return o.CancelledAt.IsZero() && o.ClosedAt.IsZero() }},
		{"-financial_status:paid AND updated_at:>=" + ts, func(o Order) bool {
			return o.FinancialStatus != "PAID" && !o.UpdatedAt.Before(mid)
		}},
		{"NOT status:cancelled created_at:>=" + ts, func(o Order) bool { return o.CancelledAt.IsZero() && !o.CreatedAt.Before(mid) }},
		{"(financial_status:refunded OR financial_status:voided) AND status:cancelled", func(o Order) bool {
			return (o.FinancialStatus == "REFUNDED" || o.FinancialStatus == "VOIDED") && !o.CancelledAt.IsZero()
		}},
		{"name:#1005", func(o Order) bool { return o.Name == "#1005" }},
		{"name:1005", func(o Order) bool { return o.Name == "#1005" }},
		{"sku:MUG-RED", func(o Order) bool {
			return slices.ContainsFunc(o.LineItems, func(l LineItem) bool { return l.SKU == "MUG-RED" })
		}},
		{"tag:vip", func(o Order) bool { return slices.Contains(o.Tags, "VIP") }},
		{"id:>" + fmt.Sprint(all[99].ID), func(o Order) bool { return o.ID > all[99].ID }},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			var want []string
			for _, o := range all {
				if tc.want(o) {
					want = append(want, fmt.Sprint(o.ID))
				}
			}
			if len(want) == 0 || len(want) == len(all) && !strings.HasPrefix(tc.query, "status:open") {
				t.Fatalf("filter %q selects %d of %d orders: not a useful test", tc.query, len(want), len(all))
			}
			got := pageAll(t, h, 100, "ID", false, tc.query)
			if !slices.Equal(got, want) {
				t.Errorf("query %q: got %d orders, want %d", tc.query, len(got), len(want))
			}
		})
	}

	t.Run("unknown field is ignored with a search warning", func(t *testing.T) {
		r := h.do(`{ orders(first: 5, query: "colour:red") { edges { node { id } } } }`, nil).ok(t)
		if n := len(get(r.Data, "orders", "edges").([]any)); n != 5 {
			t.Errorf("got %d orders, want 5 (filter ignored)", n)
		}
		w := get(r.Extensions, "search", 0, "warnings", 0)
		if get(w, "field") != "colour" || get(w, "message") != "Invalid search field for this query." {
			t.Errorf("search warning = %v", w)
		}
	})
}

func TestSelectedFieldsOnly(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(3, 1)
	r := h.do(`{ orders(first: 2) { edges { node { id number: name total: totalPriceSet { shopMoney { amount } } } } } }`, nil).ok(t)
	if keys := mapKeys(r.Data); !slices.Equal(keys, []string{"orders"}) {
		t.Errorf("data keys %v", keys)
	}
	if keys := mapKeys(get(r.Data, "orders")); !slices.Equal(keys, []string{"edges"}) {
		t.Errorf("connection keys %v, want only edges", keys)
	}
	node := get(r.Data, "orders", "edges", 0, "node")
	if keys := mapKeys(node); !slices.Equal(keys, []string{"id", "number", "total"}) {
		t.Errorf("node keys %v, want [id number total]", keys)
	}
	if keys := mapKeys(get(node, "total", "shopMoney")); !slices.Equal(keys, []string{"amount"}) {
		t.Errorf("money keys %v", keys)
	}
	// Keys come in selection order, as GraphQL requires.
	if i, j := bytes.Index(r.Raw, []byte(`"number"`)), bytes.Index(r.Raw, []byte(`"total"`)); i < 0 || j < i {
		t.Errorf("keys out of selection order: %s", r.Raw)
	}
}

func mapKeys(v any) []string {
	m, _ := v.(map[string]any)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestOrderByIDAndUpdate(t *testing.T) {
	h := newHarness(t, Options{})
	o, err := h.sim.AddOrder(Order{Email: "guest@example.com", LineItems: []LineItem{{Title: "Custom item", Quantity: 2, UnitPrice: 1050}}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "#1001" || o.Customer != nil || o.FinancialStatus != "PAID" {
		t.Errorf("defaults: name %q customer %v status %q", o.Name, o.Customer, o.FinancialStatus)
	}
	const q = `query($id: ID!) { order(id: $id) { name updatedAt note customer { id } totalPriceSet { shopMoney { amount } } } }`
	r := h.do(q, map[string]any{"id": gid("Order", o.ID)}).ok(t)
	if get(r.Data, "order", "customer") != nil || get(r.Data, "order", "totalPriceSet", "shopMoney", "amount") != "21.0" {
		t.Errorf("guest order: %s", r.Raw)
	}
	before := get(r.Data, "order", "updatedAt").(string)

	if _, err := h.sim.UpdateOrder(o.ID, func(o *Order) { o.Note = "edited" }); err != nil {
		t.Fatal(err)
	}
	r = h.do(q, map[string]any{"id": gid("Order", o.ID)}).ok(t)
	after := get(r.Data, "order", "updatedAt").(string)
	if !(after > before) || get(r.Data, "order", "note") != "edited" {
		t.Errorf("after UpdateOrder: updatedAt %s -> %s, note %v", before, after, get(r.Data, "order", "note"))
	}
	r = h.do(`query($q: String) { orders(first: 5, query: $q) { edges { node { name } } } }`, map[string]any{"q": "updated_at:>" + before}).ok(t)
	if n := len(get(r.Data, "orders", "edges").([]any)); n != 1 {
		t.Errorf("updated_at:> finds %d orders after the edit, want 1", n)
	}

	if _, err := h.sim.UpdateOrder(999, func(*Order) {}); err == nil {
		t.Error("UpdateOrder of an unknown ID succeeded")
	}
	r = h.do(q, map[string]any{"id": "gid://shopify/Order/1"}).ok(t)
	if get(r.Data, "order") != nil {
		t.Errorf("unknown order: %s", r.Raw)
	}
	r = h.do(q, map[string]any{"id": "1234"})
	if len(r.Errors) == 0 || !strings.Contains(fmt.Sprint(r.Errors[0]["message"]), "Invalid global id") {
		t.Errorf("bare numeric id: %s", r.Raw)
	}
}

// TestGeneratedTotalsAddUp checks, over GraphQL, the arithmetic every
// generated order keeps: total = subtotal + shipping − shipping discounts
// (+ tax unless included), and line allocations sum to the order discount.
func TestGeneratedTotalsAddUp(t *testing.T) {
	h := newHarness(t, Options{})
	all := h.sim.Generate(200, 5)
	for _, o := range all {
		var lineSum, alloc, shipDisc, tax Money
		for _, l := range o.LineItems {
			lineSum += l.UnitPrice * Money(l.Quantity)
			alloc += l.allDiscounts()
			for _, tl := range l.TaxLines {
				tax += tl.Amount
			}
		}
		for _, s := range o.ShippingLines {
			shipDisc += s.Discount
			for _, tl := range s.TaxLines {
				tax += tl.Amount
			}
		}
		want := lineSum - alloc + o.TotalShipping() - shipDisc
		if !o.TaxesIncluded {
			want += tax
		}
		if o.Total() != want || o.Subtotal() != lineSum-alloc || o.TotalDiscounts() != alloc+shipDisc || o.TotalTax() != tax {
			t.Fatalf("order %s: totals do not add up", o.Name)
		}
		if o.Total() < 0 || o.Subtotal() < 0 {
			t.Fatalf("order %s: negative total", o.Name)
		}
	}
}
