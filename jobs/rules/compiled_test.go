package rules

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Values chosen to collide: case variants, the Kelvin sign (folds to k) and the long s (folds
// to s) where strings.ToLower would not do, the empty string.
var (
	propSKUs      = []string{"A1", "a1", "S1", "ſ1", "C3", "K-1", "\u212A-1", "k-1", "ABC", "abc", "", "X", "s1"}
	propCompanies = []string{"Target", "TARGET", "target", "Walmart", "Straße", "STRASSE", ""}
	propItems     = []string{"Widget", "Gadget", "Gizmo", ""}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randomRule draws a rule of one of the shapes that matter to the index: Map SKU rules (equals
// and in_list, either case sensitivity), rules that rewrite the indexed field, multi-condition
// rules, rules reading fields other rules write, and rules the index must not touch.
func randomRule(r *rand.Rand, id int64) Rule {
	cs := r.IntN(5) == 0
	sku := func() Condition {
		return Condition{Field: "lines[].sku", Op: OpEquals, Value: pick(r, propSKUs[:10]), CaseSensitive: cs}
	}
	var x Rule
	switch r.IntN(14) {
	case 0, 1, 2, 3: // Map SKU
		x = rule(id, "map", MatchAll, []Condition{sku()}, set("lines[].itemName", pick(r, propItems[:3])))
	case 4: // Map several SKUs
		x = rule(id, "map list", MatchAny, []Condition{{Field: "lines[].sku", Op: OpInList, Values: []string{pick(r, propSKUs[:10]), pick(r, propSKUs[:10])}, CaseSensitive: cs}},
			set("lines[].itemName", pick(r, propItems[:3])))
	case 5: // rename a SKU: writes the indexed field
		x = rule(id, "rename", MatchAll, []Condition{sku()}, set("lines[].sku", pick(r, propSKUs[:10])))
	case 6: // SKU and quantity on the same line
		x = rule(id, "sku+qty", MatchAll, []Condition{sku(), {Field: "lines[].quantity", Op: OpGreater, Value: fmt.Sprint(r.IntN(4))}},
			set("lines[].itemName", pick(r, propItems[:3])))
	case 7: // any of two: not indexable
		x = rule(id, "any", MatchAny, []Condition{sku(), {Field: "billTo.company", Op: OpEquals, Value: pick(r, propCompanies[:6])}},
			set("class", pick(r, propItems[:3])))
	case 8: // company → store, an order-level index
		x = rule(id, "company", MatchAll, []Condition{{Field: "billTo.company", Op: OpEquals, Value: pick(r, propCompanies[:6]), CaseSensitive: cs}},
			set("store", pick(r, propCompanies[:4])))
	case 9: // reads what other rules write
		x = rule(id, "store→class", MatchAll, []Condition{{Field: "store", Op: OpEquals, Value: pick(r, propCompanies[:4])}},
			Action{Type: ActSetFromField, Field: "class", From: "store"}, Action{Type: ActAddSuffix, Field: "store", Value: "!"})
	case 10: // reads the item a Map SKU rule wrote
		x = rule(id, "item→sku", MatchAll, []Condition{{Field: "lines[].itemName", Op: OpEquals, Value: pick(r, propItems[:3])}},
			Action{Type: ActSetFromField, Field: "lines[].sku", From: "lines[].itemName"})
	case 11: // lookup and exclude
		x = rule(id, "lookup", MatchAll, []Condition{sku()},
			Action{Type: ActLookup, Field: "lines[].itemName", From: "lines[].sku", Table: []LookupEntry{{Key: "A1", Value: "LA"}, {Key: "k-1", Value: "LK"}}},
			Action{Type: ActExclude, Reason: "r" + fmt.Sprint(id)})
	case 12: // no conditions
		x = rule(id, "always", MatchAll, nil, Action{Type: ActAddPrefix, Field: "note", Value: fmt.Sprint(id % 3)})
	default: // disabled or another pipeline
		x = rule(id, "map off", MatchAll, []Condition{sku()}, set("lines[].itemName", "OFF"))
		if r.IntN(2) == 0 {
			x.Enabled = false
		} else {
			x.Pipelines = []Pipeline{Inventory}
		}
	}
	x.Version = 1 + r.IntN(3)
	return x
}

func randomOrder(r *rand.Rand) *orders.Order {
	o := &orders.Order{Channel: "shopify", Number: fmt.Sprint(r.IntN(10000)), BillTo: orders.Address{Company: pick(r, propCompanies)}}
	for range r.IntN(5) {
		o.Lines = append(o.Lines, orders.Line{SKU: pick(r, propSKUs), Quantity: int64(r.IntN(5)), ItemName: pick(r, propItems)})
	}
	return o
}

// The compiled evaluator must give exactly what checking every rule in turn gives: same changes
// in the same order, same matched rules, same order afterwards.
func TestCompiledMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(20261123, 4))
	indexed := 0
	for set := range 400 {
		rs := make([]Rule, 5+r.IntN(60))
		for i := range rs {
			rs[i] = randomRule(r, int64(i+1))
		}
		compiled, naive := compileBoth(t, rs, OrdersToQuickBooks)
		if naive.Indexed() != 0 || compiled.Len() != naive.Len() {
			t.Fatalf("set %d: naive indexes %d rules; lens %d/%d", set, naive.Indexed(), compiled.Len(), naive.Len())
		}
		indexed += compiled.Indexed()
		for k := range 25 {
			o := randomOrder(r)
			oc, on := Clone(o), Clone(o)
			got, want := compiled.Apply(oc), naive.Apply(on)
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(oc, on) {
				t.Fatalf("set %d order %d differs\nrules: %+v\norder: %+v\ncompiled: %+v\nnaive:    %+v\norders: %+v\n        %+v",
					set, k, rs, o, got, want, oc, on)
			}
		}
	}
	if indexed < 2000 {
		t.Errorf("only %d rules went through the index: the test does not exercise it", indexed)
	}
}

func TestMapSKURulesAreIndexed(t *testing.T) {
	var rs []Rule
	for i := range 1000 {
		r := MapSKU(fmt.Sprintf("SKU-%04d", i), fmt.Sprintf("Item %d", i))
		r.ID, r.Version = int64(i+1), 1
		rs = append(rs, r)
	}
	// The first of two rules for the same SKU wins; both run, the second sees the first's value.
	dup := MapSKU("sku-0007", "Second")
	dup.ID = 1001
	rs = append(rs, dup)
	ev, err := Compile(rs, OrdersToQuickBooks)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Indexed() != 1001 || len(ev.steps) != 1 {
		t.Fatalf("indexed %d of %d in %d steps", ev.Indexed(), ev.Len(), len(ev.steps))
	}
	o := &orders.Order{Lines: []orders.Line{{SKU: "SKU-0007"}, {SKU: "SKU-0500"}, {SKU: "unknown"}}}
	res := ev.Apply(o)
	if o.Lines[0].ItemName != "Second" || o.Lines[1].ItemName != "Item 500" || o.Lines[2].ItemName != "" {
		t.Errorf("lines = %+v", o.Lines)
	}
	if len(res.Changes) != 3 || res.Changes[0].ID != 8 || res.Changes[1].ID != 501 || res.Changes[2].ID != 1001 {
		t.Errorf("changes = %v", res.Changes)
	}
}

// compileBoth compiles rs for p with the indexed evaluator and with the naive one, its
// reference; either failing to compile fails the test.
func compileBoth(tb testing.TB, rs []Rule, p Pipeline) (compiled, naive *Evaluator) {
	tb.Helper()
	compiled, err := Compile(rs, p)
	if err != nil {
		tb.Fatalf("rules do not compile for %s: %v", p, err)
	}
	naive, err = compileNaive(rs, p)
	if err != nil {
		tb.Fatalf("rules do not compile (naive) for %s: %v", p, err)
	}
	return compiled, naive
}

// compileNaive builds an evaluator that checks every rule in turn, without any index: the
// reference the compiled evaluator is tested and benchmarked against.
func compileNaive(rs []Rule, p Pipeline) (*Evaluator, error) {
	return compile(rs, p, false)
}
