package rules

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// holds reports whether a rule with the single condition c matches o.
func holds(t *testing.T, o *orders.Order, c Condition) bool {
	t.Helper()
	res := run(t, o, rule(1, "probe", MatchAll, []Condition{c}, set("class", "probe")))
	return len(res.Matched) == 1
}

func TestOperators(t *testing.T) {
	cs := func(c Condition) Condition { c.CaseSensitive = true; return c }
	noLines := func(o *orders.Order) { o.Lines = nil }
	blankNote := func(o *orders.Order) { o.Note = "   " }
	unpaidOnly := func(o *orders.Order) { o.Payments = []orders.Payment{{Method: "check", Amount: 100}} }

	tests := []struct {
		name   string
		c      Condition
		mutate func(*orders.Order)
		want   bool
	}{
		// Text: case-insensitive by default, CaseSensitive opts out.
		{"equals ignores case", Condition{Field: "billTo.company", Op: OpEquals, Value: "target"}, nil, true},
		{"equals case-sensitive differs", cs(Condition{Field: "billTo.company", Op: OpEquals, Value: "target"}), nil, false},
		{"equals case-sensitive same", cs(Condition{Field: "billTo.company", Op: OpEquals, Value: "Target"}), nil, true},
		{"equals other value", Condition{Field: "billTo.company", Op: OpEquals, Value: "Walmart"}, nil, false},
		{"not equals", Condition{Field: "billTo.company", Op: OpNotEquals, Value: "Walmart"}, nil, true},
		{"not equals ignores case", Condition{Field: "billTo.company", Op: OpNotEquals, Value: "TARGET"}, nil, false},
		{"not equals case-sensitive", cs(Condition{Field: "billTo.company", Op: OpNotEquals, Value: "TARGET"}), nil, true},
		{"contains ignores case", Condition{Field: "shipping.method", Op: OpContains, Value: "ground"}, nil, true},
		{"contains case-sensitive", cs(Condition{Field: "shipping.method", Op: OpContains, Value: "ground"}), nil, false},
		{"contains absent", Condition{Field: "shipping.method", Op: OpContains, Value: "fedex"}, nil, false},
		{"starts with", Condition{Field: "number", Op: OpStartsWith, Value: "10"}, nil, true},
		{"starts with absent", Condition{Field: "number", Op: OpStartsWith, Value: "01"}, nil, false},
		{"ends with ignores case", Condition{Field: "customer.email", Op: OpEndsWith, Value: "@EXAMPLE.com"}, nil, true},
		{"ends with case-sensitive", cs(Condition{Field: "customer.email", Op: OpEndsWith, Value: "@EXAMPLE.com"}), nil, false},
		{"regex matches", Condition{Field: "number", Op: OpMatches, Value: `^\d{4}$`}, nil, true},
		{"regex does not match", Condition{Field: "number", Op: OpMatches, Value: `^\d{3}$`}, nil, false},
		{"regex is unanchored", Condition{Field: "shipping.method", Op: OpMatches, Value: `gro+und`}, nil, true},
		{"regex ignores case", Condition{Field: "shipping.method", Op: OpMatches, Value: `^ups`}, nil, true},
		{"regex case-sensitive", cs(Condition{Field: "shipping.method", Op: OpMatches, Value: `^ups`}), nil, false},
		{"is empty on empty", Condition{Field: "shipTo.company", Op: OpEmpty}, nil, true},
		{"is empty on value", Condition{Field: "note", Op: OpEmpty}, nil, false},
		{"is empty on spaces", Condition{Field: "note", Op: OpEmpty}, blankNote, true},
		{"is not empty", Condition{Field: "note", Op: OpNotEmpty}, nil, true},
		{"is not empty on spaces", Condition{Field: "note", Op: OpNotEmpty}, blankNote, false},
		{"in list ignores case", Condition{Field: "billTo.state", Op: OpInList, Values: []string{"ca", "mn"}}, nil, true},
		{"in list case-sensitive", cs(Condition{Field: "billTo.state", Op: OpInList, Values: []string{"ca", "mn"}}), nil, false},
		{"in list case-sensitive same", cs(Condition{Field: "billTo.state", Op: OpInList, Values: []string{"CA", "MN"}}), nil, true},
		{"in list absent", Condition{Field: "billTo.state", Op: OpInList, Values: []string{"NY"}}, nil, false},

		// Choice fields.
		{"enum equals any spelling", Condition{Field: "channel", Op: OpEquals, Value: "Shopify"}, nil, true},
		{"enum not equals", Condition{Field: "channel", Op: OpNotEquals, Value: "shopify"}, nil, false},
		{"enum in list", Condition{Field: "channel", Op: OpInList, Values: []string{"woocommerce", "shipstation"}}, nil, false},
		{"enum is empty", Condition{Field: "channel", Op: OpEmpty}, nil, false},
		{"enum is not empty", Condition{Field: "channel", Op: OpNotEmpty}, nil, true},

		// Money, in cents, written as decimals.
		{"money greater", Condition{Field: "total", Op: OpGreater, Value: "46.72"}, nil, true},
		{"money greater is strict", Condition{Field: "total", Op: OpGreater, Value: "46.73"}, nil, false},
		{"money less", Condition{Field: "total", Op: OpLess, Value: "46.74"}, nil, true},
		{"money less is strict", Condition{Field: "total", Op: OpLess, Value: "46.73"}, nil, false},
		{"money equals", Condition{Field: "total", Op: OpEquals, Value: "46.73"}, nil, true},
		{"money one decimal", Condition{Field: "total", Op: OpEquals, Value: "46.7"}, nil, false},
		{"money whole", Condition{Field: "shipping.amount", Op: OpLess, Value: "9"}, nil, true},
		{"money negative", Condition{Field: "total", Op: OpGreater, Value: "-1"}, nil, true},
		{"money not equals", Condition{Field: "shipping.amount", Op: OpNotEquals, Value: "8.95"}, nil, false},
		{"money in list", Condition{Field: "total", Op: OpInList, Values: []string{"10", "46.73"}}, nil, true},
		{"money on a line", Condition{Field: "lines[].unitPrice", Op: OpEquals, Value: "0.99"}, nil, true},
		{"money on discounts", Condition{Field: "discounts[].amount", Op: OpGreater, Value: "3"}, nil, true},

		// Integers.
		{"integer greater on some line", Condition{Field: "lines[].quantity", Op: OpGreater, Value: "9"}, nil, true},
		{"integer greater on no line", Condition{Field: "lines[].quantity", Op: OpGreater, Value: "10"}, nil, false},
		{"integer less", Condition{Field: "lines[].quantity", Op: OpLess, Value: "2"}, nil, true},
		{"integer equals", Condition{Field: "lines[].quantity", Op: OpEquals, Value: "2"}, nil, true},
		{"integer not equals", Condition{Field: "lines[].quantity", Op: OpNotEquals, Value: "2"}, nil, true},
		{"integer in list", Condition{Field: "lines[].quantity", Op: OpInList, Values: []string{"3", "4"}}, nil, false},

		// Booleans.
		{"boolean equals", Condition{Field: "customer.guest", Op: OpEquals, Value: "false"}, nil, true},
		{"boolean any spelling", Condition{Field: "customer.guest", Op: OpEquals, Value: "TRUE"}, nil, false},
		{"boolean on a line", Condition{Field: "lines[].taxable", Op: OpEquals, Value: "true"}, nil, true},
		{"boolean not equals on some line", Condition{Field: "lines[].taxable", Op: OpNotEquals, Value: "true"}, nil, true},

		// Dates: a day means that whole UTC day; a timestamp means that instant.
		{"date on the day", Condition{Field: "createdAt", Op: OpEquals, Value: "2026-11-23"}, nil, true},
		{"date other day", Condition{Field: "createdAt", Op: OpEquals, Value: "2026-11-24"}, nil, false},
		{"date after day", Condition{Field: "createdAt", Op: OpGreater, Value: "2026-11-22"}, nil, true},
		{"date same day is not after", Condition{Field: "createdAt", Op: OpGreater, Value: "2026-11-23"}, nil, false},
		{"date before day", Condition{Field: "createdAt", Op: OpLess, Value: "2026-11-24"}, nil, true},
		{"date same day is not before", Condition{Field: "createdAt", Op: OpLess, Value: "2026-11-23"}, nil, false},
		{"date instant", Condition{Field: "createdAt", Op: OpEquals, Value: "2026-11-23T15:04:05Z"}, nil, true},
		{"date instant with offset", Condition{Field: "createdAt", Op: OpEquals, Value: "2026-11-23T10:04:05-05:00"}, nil, true},
		{"date after instant", Condition{Field: "createdAt", Op: OpGreater, Value: "2026-11-23T15:04:04Z"}, nil, true},
		{"date not after itself", Condition{Field: "createdAt", Op: OpGreater, Value: "2026-11-23T15:04:05Z"}, nil, false},
		{"date not equals", Condition{Field: "updatedAt", Op: OpNotEquals, Value: "2026-11-23"}, nil, true},
		{"date is empty on some payment", Condition{Field: "payments[].paidAt", Op: OpEmpty}, nil, true},
		{"date is not empty on some payment", Condition{Field: "payments[].paidAt", Op: OpNotEmpty}, nil, true},
		{"empty date is never before", Condition{Field: "payments[].paidAt", Op: OpLess, Value: "2099-01-01"}, unpaidOnly, false},
		{"empty date is not equal", Condition{Field: "payments[].paidAt", Op: OpNotEquals, Value: "2026-11-23"}, unpaidOnly, true},

		// Lists other than lines: any element.
		{"tag contains", Condition{Field: "tags[]", Op: OpContains, Value: "wholesale"}, nil, true},
		{"tag equals ignores case", Condition{Field: "tags[]", Op: OpEquals, Value: "vip"}, nil, true},
		{"tag equals case-sensitive", cs(Condition{Field: "tags[]", Op: OpEquals, Value: "vip"}), nil, false},
		{"payment method absent", Condition{Field: "payments[].method", Op: OpEquals, Value: "paypal"}, nil, false},
		{"payment method second payment", Condition{Field: "payments[].method", Op: OpEquals, Value: "credit_card"}, nil, true},
		{"discount code", Condition{Field: "discounts[].code", Op: OpEquals, Value: "fall10"}, nil, true},
		{"tax name", Condition{Field: "taxes[].name", Op: OpStartsWith, Value: "mn"}, nil, true},

		// Store-specific fields.
		{"custom contains", Condition{Field: "custom.gift_message", Op: OpContains, Value: "BIRTHDAY"}, nil, true},
		{"custom missing is empty", Condition{Field: "custom.po_number", Op: OpEmpty}, nil, true},

		// Line fields: any line.
		{"line sku equals", Condition{Field: "lines[].sku", Op: OpEquals, Value: "abc-123"}, nil, true},
		{"line sku absent", Condition{Field: "lines[].sku", Op: OpEquals, Value: "nope"}, nil, false},
		{"line sku empty on some line", Condition{Field: "lines[].sku", Op: OpEmpty}, nil, true},
		{"line not equals holds on other lines", Condition{Field: "lines[].sku", Op: OpNotEquals, Value: "ABC-123"}, nil, true},
		{"no lines: no line matches", Condition{Field: "lines[].sku", Op: OpEmpty}, noLines, false},
		{"no lines: not equals neither", Condition{Field: "lines[].sku", Op: OpNotEquals, Value: "x"}, noLines, false},
	}
	covered := map[Operator]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := sampleOrder()
			if tc.mutate != nil {
				tc.mutate(o)
			}
			if got := holds(t, o, tc.c); got != tc.want {
				t.Errorf("%s %s %q %v: got %v, want %v", tc.c.Field, tc.c.Op, tc.c.Value, tc.c.Values, got, tc.want)
			}
		})
		covered[tc.c.Op] = true
	}
	for _, op := range Operators {
		if !covered[op] {
			t.Errorf("operator %s has no test case", op)
		}
	}
}

// Case-insensitive comparison is Unicode simple folding, the same as strings.EqualFold.
func TestCaseFoldingUnicode(t *testing.T) {
	o := sampleOrder()
	o.BillTo.Company = "Straße Kiosk" // ß has no single-rune upper case
	o.Lines[0].SKU = "\u212A-1"       // KELVIN SIGN folds to k
	for _, tc := range []struct {
		c    Condition
		want bool
	}{
		{Condition{Field: "billTo.company", Op: OpEquals, Value: "STRAßE KIOSK"}, true},
		{Condition{Field: "lines[].sku", Op: OpEquals, Value: "k-1"}, true},
		{Condition{Field: "lines[].sku", Op: OpInList, Values: []string{"K-1"}}, true},
		{Condition{Field: "lines[].sku", Op: OpStartsWith, Value: "k"}, true},
		{Condition{Field: "lines[].sku", Op: OpEquals, Value: "k-1", CaseSensitive: true}, false},
	} {
		if got := holds(t, o, tc.c); got != tc.want {
			t.Errorf("%+v: got %v, want %v", tc.c, got, tc.want)
		}
	}
	for _, pair := range [][2]string{{"ABC", "abc"}, {"\u212A", "k"}, {"ſ", "S"}, {"Σ", "ς"}, {"é", "É"}, {"a\xffb", "A\xfeB"}, {"ǅ", "ǆ"}} {
		if (foldKey(pair[0]) == foldKey(pair[1])) != strings.EqualFold(pair[0], pair[1]) {
			t.Errorf("foldKey disagrees with EqualFold on %q / %q", pair[0], pair[1])
		}
	}
}

// How line conditions combine (README "Line fields").
func TestLineConditionSemantics(t *testing.T) {
	skuABC := Condition{Field: "lines[].sku", Op: OpEquals, Value: "ABC-123"}
	qtyOver5 := Condition{Field: "lines[].quantity", Op: OpGreater, Value: "5"}
	isShopify := Condition{Field: "channel", Op: OpEquals, Value: "shopify"}
	isWoo := Condition{Field: "channel", Op: OpEquals, Value: "woocommerce"}
	tests := []struct {
		name      string
		match     Match
		conds     []Condition
		wantLines []int // lines whose itemName the rule sets; nil = rule does not hold
	}{
		{"one line condition targets the matching lines", MatchAll, []Condition{skuABC}, []int{0}},
		{"all: line conditions must hold on the same line", MatchAll, []Condition{skuABC, qtyOver5}, nil},
		{"any: either line condition, per line", MatchAny, []Condition{skuABC, qtyOver5}, []int{0, 1}},
		{"all: order condition and line condition", MatchAll, []Condition{isShopify, qtyOver5}, []int{1}},
		{"all: failing order condition", MatchAll, []Condition{isWoo, qtyOver5}, nil},
		{"any: true order condition targets every line", MatchAny, []Condition{isShopify, skuABC}, []int{0, 1, 2}},
		{"any: false order condition, line condition decides", MatchAny, []Condition{isWoo, skuABC}, []int{0}},
		{"no line condition targets every line", MatchAll, []Condition{isShopify}, []int{0, 1, 2}},
		{"no conditions targets every line", MatchAny, nil, []int{0, 1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := sampleOrder()
			res := run(t, o, rule(1, "r", tc.match, tc.conds, set("lines[].itemName", "QB")))
			if tc.wantLines == nil {
				if len(res.Matched) != 0 {
					t.Fatalf("rule held, want not; changes %v", res.Changes)
				}
				return
			}
			var got []int
			for i, l := range o.Lines {
				if l.ItemName == "QB" {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, tc.wantLines) {
				t.Errorf("lines set = %v, want %v", got, tc.wantLines)
			}
			if len(res.Changes) != len(tc.wantLines) || res.Changes[0].Field != "lines["+strconv.Itoa(tc.wantLines[0])+"].itemName" {
				t.Errorf("changes = %v", res.Changes)
			}
		})
	}
}

func TestDateDayIsUTC(t *testing.T) {
	o := sampleOrder()
	o.CreatedAt = time.Date(2026, 11, 23, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)) // 24th in UTC
	if holds(t, o, Condition{Field: "createdAt", Op: OpEquals, Value: "2026-11-23"}) {
		t.Error("a day is a UTC day")
	}
	if !holds(t, o, Condition{Field: "createdAt", Op: OpEquals, Value: "2026-11-24"}) {
		t.Error("2026-11-24T04:30Z is on the 24th")
	}
}
