package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateRejectsAtSaveTime(t *testing.T) {
	ok := func() Rule {
		return rule(0, "Target store", MatchAll, []Condition{{Field: "billTo.company", Op: OpEquals, Value: "Target"}}, set("store", "Target"))
	}
	with := func(f func(r *Rule)) Rule { r := ok(); f(&r); return r }
	cond := func(c Condition) Rule { return with(func(r *Rule) { r.Conditions = []Condition{c} }) }
	act := func(a Action) Rule { return with(func(r *Rule) { r.Actions = []Action{a} }) }

	tests := []struct {
		name     string
		rule     Rule
		path     string
		contains string
	}{
		{"empty name", with(func(r *Rule) { r.Name = "  " }), "name", "name of 1 to 200"},
		{"no pipeline", with(func(r *Rule) { r.Pipelines = nil }), "pipelines", "at least one pipeline"},
		{"unknown pipeline", with(func(r *Rule) { r.Pipelines = []Pipeline{"amazon"} }), "pipelines[0]", `Unknown pipeline "amazon"`},
		{"pipeline twice", with(func(r *Rule) { r.Pipelines = []Pipeline{Inventory, Inventory} }), "pipelines[1]", "listed twice"},
		{"bad match", with(func(r *Rule) { r.Match = "most" }), "match", "all or any"},
		{"no actions", with(func(r *Rule) { r.Actions = nil }), "actions", "at least one action"},

		{"unknown field with suggestion", cond(Condition{Field: "lines[].skuu", Op: OpEquals, Value: "A"}), "conditions[0].field", `Unknown field "lines[].skuu". Did you mean "lines[].sku"?`},
		{"unknown field", cond(Condition{Field: "warehouse", Op: OpEquals, Value: "A"}), "conditions[0].field", `Unknown field "warehouse"`},
		{"custom placeholder is not a field", cond(Condition{Field: "custom.<key>", Op: OpEquals, Value: "A"}), "conditions[0].field", "Unknown field"},
		{"field not in pipeline", cond(Condition{Field: "shipStatus", Op: OpEquals, Value: "shipped"}), "conditions[0].field", "not available in the orders_to_quickbooks pipeline"},
		{"unknown operator", cond(Condition{Field: "note", Op: "like", Value: "A"}), "conditions[0].op", `Unknown operator "like"`},
		{"greater than on text", cond(Condition{Field: "billTo.company", Op: OpGreater, Value: "A"}), "conditions[0].op", "“greater than” does not apply to billTo.company, a text field"},
		{"contains on money", cond(Condition{Field: "total", Op: OpContains, Value: "1"}), "conditions[0].op", "a money field"},
		{"regex on a choice", cond(Condition{Field: "channel", Op: OpMatches, Value: "shop"}), "conditions[0].op", "a choice field"},
		{"bad regex", cond(Condition{Field: "number", Op: OpMatches, Value: "(10"}), "conditions[0].value", "Not a valid regular expression for number: missing closing )"},
		{"missing value", cond(Condition{Field: "number", Op: OpEquals}), "conditions[0].value", "use “is empty”"},
		{"value on is empty", cond(Condition{Field: "number", Op: OpEmpty, Value: "x"}), "conditions[0].value", "takes no value"},
		{"in list without values", cond(Condition{Field: "number", Op: OpInList}), "conditions[0].values", "Give 1 to"},
		{"values without in list", cond(Condition{Field: "number", Op: OpEquals, Value: "1", Values: []string{"2"}}), "conditions[0].values", "Only “in list”"},
		{"money does not parse", cond(Condition{Field: "total", Op: OpGreater, Value: "12.345"}), "conditions[0].value", `"12.345" is not an amount for total`},
		{"money with currency sign", cond(Condition{Field: "total", Op: OpGreater, Value: "$12"}), "conditions[0].value", "not an amount"},
		{"integer does not parse", cond(Condition{Field: "lines[].quantity", Op: OpGreater, Value: "2.5"}), "conditions[0].value", `"2.5" is not a whole number for lines[].quantity`},
		{"date does not parse", cond(Condition{Field: "createdAt", Op: OpLess, Value: "23/11/2026"}), "conditions[0].value", "not a date for createdAt"},
		{"boolean does not parse", cond(Condition{Field: "customer.guest", Op: OpEquals, Value: "yes"}), "conditions[0].value", "write true or false"},
		{"enum value unknown", cond(Condition{Field: "channel", Op: OpEquals, Value: "amazon"}), "conditions[0].value", `"amazon" is not a value of channel; use one of shopify, woocommerce, shipstation`},
		{"bad value in list", cond(Condition{Field: "total", Op: OpInList, Values: []string{"1", "x"}}), "conditions[0].values[1]", "not an amount"},

		{"read-only target", act(set("total", "1")), "actions[0].field", "total is read-only"},
		{"read-only line target", act(set("lines[].quantity", "1")), "actions[0].field", "lines[].quantity is read-only; rules may write lines[].sku"},
		{"unknown target", act(set("stor", "x")), "actions[0].field", `Did you mean "store"?`},
		{"target not in pipeline", act(set("shipping.billToAccount", "1")), "actions[0].field", "not available in the orders_to_quickbooks pipeline"},
		{"set enum bad value", with(func(r *Rule) {
			r.Pipelines = []Pipeline{QuickBooksToShipStation}
			r.Actions = []Action{set("shipStatus", "lost")}
		}), "actions[0].value", `"lost" is not a value of shipStatus`},
		{"set boolean bad value", act(set("excluded", "maybe")), "actions[0].value", "write true or false"},
		{"unknown action", act(Action{Type: "delete", Field: "store"}), "actions[0].type", `Unknown action "delete"`},
		{"set with a from", act(Action{Type: ActSet, Field: "store", Value: "x", From: "note"}), "actions[0].from", "does not use from"},
		{"prefix on a choice", with(func(r *Rule) {
			r.Pipelines = []Pipeline{QuickBooksToShipStation}
			r.Actions = []Action{{Type: ActAddPrefix, Field: "shipStatus", Value: "x"}}
		}), "actions[0].field", "Only text fields take a prefix"},
		{"prefix without text", act(Action{Type: ActAddPrefix, Field: "refPrefix"}), "actions[0].value", "Give the text to add"},
		{"copy from unknown field", act(Action{Type: ActSetFromField, Field: "store", From: "nope"}), "actions[0].from", `Unknown field "nope"`},
		{"copy a line into the order", act(Action{Type: ActSetFromField, Field: "store", From: "lines[].sku"}), "actions[0].from", "lines[].sku is a line field"},
		{"copy text into yes/no", act(Action{Type: ActSetFromField, Field: "excluded", From: "note"}), "actions[0].from", "Use a lookup to translate"},
		{"lookup without table", act(Action{Type: ActLookup, Field: "class", From: "shipTo.state"}), "actions[0].table", "Give 1 to"},
		{"lookup duplicate key", act(Action{Type: ActLookup, Field: "class", From: "shipTo.state",
			Table: []LookupEntry{{Key: "CA", Value: "West"}, {Key: "ca", Value: "Pacific"}}}), "actions[0].table[1].key", `Key "ca" is already in the table at entry 0`},
		{"lookup bad value for target", act(Action{Type: ActLookup, Field: "excluded", From: "shipTo.state",
			Table: []LookupEntry{{Key: "CA", Value: "perhaps"}}}), "actions[0].table[0].value", "write true or false"},
		{"lookup bad default", act(Action{Type: ActLookup, Field: "excluded", From: "shipTo.state",
			Table: []LookupEntry{{Key: "CA", Value: "true"}}, Default: strp("no")}), "actions[0].default", "write true or false"},
		{"exclude with a field", act(Action{Type: ActExclude, Field: "store"}), "actions[0].field", "does not use field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Validate(tc.rule)
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			for _, p := range verr.Problems {
				if p.Path == tc.path && strings.Contains(p.Message, tc.contains) {
					return
				}
			}
			t.Errorf("problems = %+v\nwant one at %q containing %q", verr.Problems, tc.path, tc.contains)
		})
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	r := rule(0, "", MatchAll, []Condition{
		{Field: "billTo.company", Op: OpEquals, Value: "Target"},
		{Field: "nope", Op: OpEquals, Value: "x"},
		{Field: "total", Op: OpGreater, Value: "abc"},
	}, set("total", "1"), set("store", "ok"), Action{Type: ActLookup, Field: "class", From: "note"})
	_, err := Validate(r)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range verr.Problems {
		paths = append(paths, p.Path)
	}
	want := "name conditions[1].field conditions[2].value actions[0].field actions[2].table"
	if strings.Join(paths, " ") != want {
		t.Errorf("paths = %v, want %s", paths, want)
	}
}

func TestValidateNormalizes(t *testing.T) {
	r := Rule{Name: "  Ship it  ", Pipelines: []Pipeline{QuickBooksToShipStation},
		Conditions: []Condition{{Field: "channel", Op: OpInList, Values: []string{"SHOPIFY", "WooCommerce"}}},
		Actions:    []Action{set("shipStatus", "On_Hold"), set("excluded", "False")}}
	v, err := Validate(r)
	if err != nil {
		t.Fatal(err)
	}
	if v.Name != "Ship it" || v.Match != MatchAll || v.Conditions[0].Values[0] != "shopify" || v.Conditions[0].Values[1] != "woocommerce" ||
		v.Actions[0].Value != "on_hold" || v.Actions[1].Value != "false" {
		t.Errorf("normalized = %+v", v)
	}
	if r.Conditions[0].Values[0] != "SHOPIFY" {
		t.Error("Validate changed its argument")
	}
}

func TestTemplatesAreValid(t *testing.T) {
	keys := map[string]bool{}
	for _, tpl := range Templates() {
		if _, err := Validate(tpl.Rule); err != nil {
			t.Errorf("template %s: %v", tpl.Key, err)
		}
		if keys[tpl.Key] {
			t.Errorf("template key %s twice", tpl.Key)
		}
		keys[tpl.Key] = true
	}
	for _, want := range []string{"target-store", "shipstation-status", "bill-third-party", "shipstation-exclude", "exclude", "order-prefix", "deposit-by-payment", "map-sku"} {
		if !keys[want] {
			t.Errorf("template %s missing", want)
		}
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Catalogue() {
		if seen[f.Path] {
			t.Errorf("%s listed twice", f.Path)
		}
		seen[f.Path] = true
		if f.Writable && f.set == nil && f.Path != CustomPrefix+"<key>" {
			t.Errorf("%s is writable without a setter", f.Path)
		}
		if f.get == nil || f.Description == "" || f.Label == "" || len(f.Operators()) == 0 {
			t.Errorf("%s is incomplete", f.Path)
		}
		if (f.Type == TypeEnum) != (len(f.Enum) > 0) {
			t.Errorf("%s: enum values only for enum fields", f.Path)
		}
	}
	for _, p := range []string{"store", "qbCustomer", "class", "shipStatus", "shipping.service", "shipping.billToAccount",
		"shipping.carrier", "depositAccount", "refPrefix", "lines[].itemName", "excluded", "excludeReason"} {
		f, ok := LookupField(p)
		if !ok || !f.Writable {
			t.Errorf("convenience target %s is not a writable field", p)
		}
	}
	for _, p := range []string{"payments[].method", "lines[].sku", "lines[].quantity", "discounts[].code", "billTo.company", "shipTo.state", "custom.anything"} {
		if _, ok := LookupField(p); !ok {
			t.Errorf("%s missing", p)
		}
	}
	if _, ok := LookupField("custom.has space"); ok {
		t.Error("custom keys with spaces are not fields")
	}
}
