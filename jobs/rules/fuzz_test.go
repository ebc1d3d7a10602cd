package rules

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

// FuzzParseDocument feeds any bytes to ParseDocument, the rules import. Seeds: exports of the
// ready-made templates, of Map SKU and shipping-method rules, and of rules using every
// operator. Properties:
//   - a refusal is a *ValidationError with at least one problem, each with a path and a
//     message, and no rules;
//   - imported rules are at most MaxImportRules, carry no id, position or version, and are
//     already normalized (Validate returns each unchanged);
//   - exporting the imported rules and importing that gives the same rules;
//   - for every pipeline the rules compile, and the indexed evaluator and the naive reference
//     make the same changes to the same order.
func FuzzParseDocument(f *testing.F) {
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	var seeds [][]Rule
	var all []Rule
	for _, tp := range Templates() {
		seeds = append(seeds, []Rule{tp.Rule})
		all = append(all, tp.Rule)
	}
	seeds = append(seeds, all, []Rule{MapSKU("ABC-123", "Widgets:Blue"), MapSKU("xyz-9", "Gadgets"), MapShippingMethod("UPS Ground", "Shipping")})
	var ops []Rule
	for i, op := range Operators {
		c := Condition{Field: "lines[].sku", Op: op, Value: "ABC"}
		switch op {
		case OpMatches:
			c.Value = `^[a-z]+-\d+$`
		case OpGreater, OpLess:
			c.Field, c.Value = "total", "10.00"
		case OpEmpty, OpNotEmpty:
			c.Value = ""
		case OpInList:
			c.Value, c.Values = "", []string{"ABC-123", "xyz-9"}
		}
		ops = append(ops, rule(int64(i+1), "op "+string(op), MatchAny, []Condition{c}, set("class", "C"+string(op))))
	}
	seeds = append(seeds, ops)
	for _, rs := range seeds {
		b, err := Export(rs, at)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"format":"ledgerlink.rules","version":1,"rules":[{"name":"x","enabled":true,"pipelines":["orders_to_quickbooks"],"match":"all","conditions":[],"actions":[{"type":"set","field":"nope","value":"1"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseDocument(data)
		if err != nil {
			var verr *ValidationError
			if rs != nil || !errors.As(err, &verr) || len(verr.Problems) == 0 {
				t.Fatalf("ParseDocument = %v, %v: want no rules and a *ValidationError with problems", rs, err)
			}
			for _, p := range verr.Problems {
				if p.Path == "" || p.Message == "" {
					t.Fatalf("problem without a path or message: %+v", p)
				}
			}
			return
		}
		if len(rs) > MaxImportRules {
			t.Fatalf("%d rules imported, the cap is %d", len(rs), MaxImportRules)
		}
		for i, r := range rs {
			if r.ID != 0 || r.Position != 0 || r.Version != 0 {
				t.Fatalf("rule %d imported with id %d, position %d, version %d", i, r.ID, r.Position, r.Version)
			}
			if v, err := Validate(r); err != nil || !sameJSON(v, r) {
				t.Fatalf("rule %d is not normalized: Validate gives %+v, %v for %+v", i, v, err, r)
			}
		}
		out, err := Export(rs, at)
		if err != nil {
			t.Fatalf("imported rules do not export: %v", err)
		}
		again, err := ParseDocument(out)
		if err != nil || !sameJSON(again, rs) {
			t.Fatalf("export then import gives %+v, %v; want %+v", again, err, rs)
		}
		stored := make([]Rule, len(rs))
		for i, r := range rs {
			r.ID, r.Position, r.Version = int64(i+1), i+1, 1
			stored[i] = r
		}
		for _, p := range Pipelines {
			ev, naive := compileBoth(t, stored, p)
			o1, o2 := sampleOrder(), sampleOrder()
			r1, r2 := ev.Apply(o1), naive.Apply(o2)
			if !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(o1, o2) {
				t.Fatalf("%s: indexed and naive evaluation differ:\n%+v\n%+v\norders:\n%+v\n%+v", p, r1, r2, o1, o2)
			}
		}
	})
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
