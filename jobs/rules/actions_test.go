package rules

import (
	"reflect"
	"slices"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

func strp(s string) *string { return &s }

func TestActions(t *testing.T) {
	always := []Condition(nil)
	skuABC := []Condition{{Field: "lines[].sku", Op: OpEquals, Value: "abc-123"}}
	deposit := Action{Type: ActLookup, Field: "depositAccount", From: "payments[].method",
		Table: []LookupEntry{{Key: "paypal", Value: "PayPal"}, {Key: "Credit_Card", Value: "Stripe Clearing"}}}
	withDefault := deposit
	withDefault.Default = strp("Undeposited Funds")

	tests := []struct {
		name   string
		conds  []Condition
		action Action
		mutate func(*orders.Order)
		check  func(*orders.Order) bool
		want   []Change // Ref is filled in by the test
	}{
		{name: "set text", action: set("store", "Target"),
			check: func(o *orders.Order) bool { return o.Store == "Target" },
			want:  []Change{{Field: "store", Before: "", After: "Target"}}},
		{name: "set to the current value records nothing", action: set("billTo.company", "Target"),
			check: func(o *orders.Order) bool { return o.BillTo.Company == "Target" }},
		{name: "set empties a field", action: set("note", ""),
			check: func(o *orders.Order) bool { return o.Note == "" },
			want:  []Change{{Field: "note", Before: "Leave at the back door", After: ""}}},
		{name: "set yes/no", action: set("excluded", "TRUE"),
			check: func(o *orders.Order) bool { return o.Excluded },
			want:  []Change{{Field: "excluded", Before: "false", After: "true"}}},
		{name: "set line field on matching lines only", conds: skuABC, action: set("lines[].itemName", "Widgets:Blue"),
			check: func(o *orders.Order) bool { return o.Lines[0].ItemName == "Widgets:Blue" && o.Lines[1].ItemName == "" },
			want:  []Change{{Field: "lines[0].itemName", Before: "", After: "Widgets:Blue"}}},
		{name: "set line yes/no", conds: skuABC, action: set("lines[].taxable", "false"),
			check: func(o *orders.Order) bool { return !o.Lines[0].Taxable },
			want:  []Change{{Field: "lines[0].taxable", Before: "true", After: "false"}}},
		{name: "set custom field creates it", action: set("custom.po", "PO-7"),
			mutate: func(o *orders.Order) { o.Custom = nil },
			check:  func(o *orders.Order) bool { return o.Custom["po"] == "PO-7" },
			want:   []Change{{Field: "custom.po", Before: "", After: "PO-7"}}},

		{name: "set from order field", action: Action{Type: ActSetFromField, Field: "qbCustomer", From: "billTo.company"},
			check: func(o *orders.Order) bool { return o.QBCustomer == "Target" },
			want:  []Change{{Field: "qbCustomer", Before: "", After: "Target"}}},
		{name: "set from money formats it", action: Action{Type: ActSetFromField, Field: "note", From: "total"},
			check: func(o *orders.Order) bool { return o.Note == "46.73" },
			want:  []Change{{Field: "note", Before: "Leave at the back door", After: "46.73"}}},
		{name: "set from the same line", action: Action{Type: ActSetFromField, Field: "lines[].itemName", From: "lines[].name"},
			conds: []Condition{{Field: "lines[].quantity", Op: OpGreater, Value: "1"}},
			check: func(o *orders.Order) bool {
				return o.Lines[0].ItemName == "Blue widget" && o.Lines[1].ItemName == "Red gadget" && o.Lines[2].ItemName == ""
			},
			want: []Change{{Field: "lines[0].itemName", Before: "", After: "Blue widget"}, {Field: "lines[1].itemName", Before: "", After: "Red gadget"}}},
		{name: "set from order field into each line", action: Action{Type: ActSetFromField, Field: "lines[].itemName", From: "store"},
			conds: skuABC, mutate: func(o *orders.Order) { o.Store = "Main" },
			check: func(o *orders.Order) bool { return o.Lines[0].ItemName == "Main" },
			want:  []Change{{Field: "lines[0].itemName", Before: "", After: "Main"}}},
		{name: "set from a list takes the first element", action: Action{Type: ActSetFromField, Field: "class", From: "payments[].method"},
			check: func(o *orders.Order) bool { return o.Class == "gift_card" },
			want:  []Change{{Field: "class", Before: "", After: "gift_card"}}},
		{name: "set from an empty list changes nothing", action: Action{Type: ActSetFromField, Field: "class", From: "payments[].method"},
			mutate: func(o *orders.Order) { o.Payments = nil },
			check:  func(o *orders.Order) bool { return o.Class == "" }},
		{name: "set from a boolean into a boolean", action: Action{Type: ActSetFromField, Field: "excluded", From: "customer.guest"},
			mutate: func(o *orders.Order) { o.Customer.Guest = true },
			check:  func(o *orders.Order) bool { return o.Excluded },
			want:   []Change{{Field: "excluded", Before: "false", After: "true"}}},

		{name: "lookup finds the first element with an entry, ignoring case", action: deposit,
			check: func(o *orders.Order) bool { return o.DepositAccount == "Stripe Clearing" },
			want:  []Change{{Field: "depositAccount", Before: "", After: "Stripe Clearing"}}},
		{name: "lookup case-sensitive misses", action: func() Action { a := deposit; a.CaseSensitive = true; return a }(),
			check: func(o *orders.Order) bool { return o.DepositAccount == "" }},
		{name: "lookup without match or default changes nothing", action: deposit,
			mutate: func(o *orders.Order) { o.Payments = []orders.Payment{{Method: "cash"}} },
			check:  func(o *orders.Order) bool { return o.DepositAccount == "" }},
		{name: "lookup without match writes the default", action: withDefault,
			mutate: func(o *orders.Order) { o.Payments = []orders.Payment{{Method: "cash"}} },
			check:  func(o *orders.Order) bool { return o.DepositAccount == "Undeposited Funds" },
			want:   []Change{{Field: "depositAccount", Before: "", After: "Undeposited Funds"}}},
		{name: "lookup with no elements writes the default", action: withDefault,
			mutate: func(o *orders.Order) { o.Payments = nil },
			check:  func(o *orders.Order) bool { return o.DepositAccount == "Undeposited Funds" },
			want:   []Change{{Field: "depositAccount", Before: "", After: "Undeposited Funds"}}},
		{name: "lookup per line", action: Action{Type: ActLookup, Field: "lines[].itemName", From: "lines[].sku",
			Table: []LookupEntry{{Key: "ABC-123", Value: "Widget"}, {Key: "XYZ-9", Value: "Gadget"}}},
			check: func(o *orders.Order) bool {
				return o.Lines[0].ItemName == "Widget" && o.Lines[1].ItemName == "Gadget" && o.Lines[2].ItemName == ""
			},
			want: []Change{{Field: "lines[0].itemName", Before: "", After: "Widget"}, {Field: "lines[1].itemName", Before: "", After: "Gadget"}}},
		{name: "lookup state to class", action: Action{Type: ActLookup, Field: "class", From: "shipTo.state",
			Table: []LookupEntry{{Key: "mn", Value: "Midwest"}}},
			check: func(o *orders.Order) bool { return o.Class == "Midwest" },
			want:  []Change{{Field: "class", Before: "", After: "Midwest"}}},
		{name: "lookup keyed by money text", action: Action{Type: ActLookup, Field: "class", From: "shipping.amount",
			Table: []LookupEntry{{Key: "8.95", Value: "Standard"}}},
			check: func(o *orders.Order) bool { return o.Class == "Standard" },
			want:  []Change{{Field: "class", Before: "", After: "Standard"}}},

		{name: "exclude with reason", action: Action{Type: ActExclude, Reason: "Wholesale"},
			check: func(o *orders.Order) bool { return o.Excluded && o.ExcludeReason == "Wholesale" },
			want:  []Change{{Field: "excluded", Before: "false", After: "true"}, {Field: "excludeReason", Before: "", After: "Wholesale"}}},
		{name: "exclude without reason names the rule", action: Action{Type: ActExclude},
			check: func(o *orders.Order) bool { return o.ExcludeReason == "Excluded by rule “r”" },
			want:  []Change{{Field: "excluded", Before: "false", After: "true"}, {Field: "excludeReason", Before: "", After: "Excluded by rule “r”"}}},
		{name: "exclude keeps an earlier exclusion", action: Action{Type: ActExclude, Reason: "Second"},
			mutate: func(o *orders.Order) { o.Excluded, o.ExcludeReason = true, "First" },
			check:  func(o *orders.Order) bool { return o.ExcludeReason == "First" }},

		{name: "add prefix", action: Action{Type: ActAddPrefix, Field: "refPrefix", Value: "SH-"},
			check: func(o *orders.Order) bool { return o.RefPrefix == "SH-" },
			want:  []Change{{Field: "refPrefix", Before: "", After: "SH-"}}},
		{name: "add prefix to a value", action: Action{Type: ActAddPrefix, Field: "note", Value: "Gift: "},
			check: func(o *orders.Order) bool { return o.Note == "Gift: Leave at the back door" },
			want:  []Change{{Field: "note", Before: "Leave at the back door", After: "Gift: Leave at the back door"}}},
		{name: "add prefix is idempotent", action: Action{Type: ActAddPrefix, Field: "note", Value: "Leave"},
			check: func(o *orders.Order) bool { return o.Note == "Leave at the back door" }},
		{name: "add suffix", action: Action{Type: ActAddSuffix, Field: "qbCustomer", Value: " (web)"},
			mutate: func(o *orders.Order) { o.QBCustomer = "Ann Lee" },
			check:  func(o *orders.Order) bool { return o.QBCustomer == "Ann Lee (web)" },
			want:   []Change{{Field: "qbCustomer", Before: "Ann Lee", After: "Ann Lee (web)"}}},
		{name: "add suffix is idempotent", action: Action{Type: ActAddSuffix, Field: "note", Value: "door"},
			check: func(o *orders.Order) bool { return o.Note == "Leave at the back door" }},
		{name: "add suffix on lines", conds: skuABC, action: Action{Type: ActAddSuffix, Field: "lines[].name", Value: " *"},
			check: func(o *orders.Order) bool {
				return o.Lines[0].Name == "Blue widget *" && o.Lines[1].Name == "Red gadget"
			},
			want: []Change{{Field: "lines[0].name", Before: "Blue widget", After: "Blue widget *"}}},
	}
	covered := map[ActionType]bool{}
	for _, tc := range tests {
		covered[tc.action.Type] = true
		t.Run(tc.name, func(t *testing.T) {
			o := sampleOrder()
			if tc.mutate != nil {
				tc.mutate(o)
			}
			conds := tc.conds
			if conds == nil {
				conds = always
			}
			r := rule(7, "r", MatchAll, conds, tc.action)
			r.Version = 3
			res := run(t, o, r)
			if !tc.check(o) {
				t.Errorf("order after the action is not as expected: %+v", o)
			}
			for i := range tc.want {
				tc.want[i].Ref = Ref{ID: 7, Name: "r", Version: 3}
			}
			if !reflect.DeepEqual(res.Changes, tc.want) && (len(res.Changes) != 0 || len(tc.want) != 0) {
				t.Errorf("changes = %v\nwant      %v", res.Changes, tc.want)
			}
		})
	}
	for _, a := range ActionTypes {
		if !covered[a] {
			t.Errorf("action %s has no test case", a)
		}
	}
}

func TestRuleOrderIsDeterministic(t *testing.T) {
	// Rule 2 reads the store rule 1 wrote; rule 3 overrides rule 1; rule 4 maps the SKU rule 0 renamed.
	rs := []Rule{
		rule(10, "rename sku", MatchAll, []Condition{{Field: "lines[].sku", Op: OpEquals, Value: "xyz-9"}}, set("lines[].sku", "XYZ-9-NEW")),
		rule(11, "target store", MatchAll, []Condition{{Field: "billTo.company", Op: OpEquals, Value: "Target"}}, set("store", "Target")),
		rule(12, "class from store", MatchAll, []Condition{{Field: "store", Op: OpEquals, Value: "target"}},
			Action{Type: ActSetFromField, Field: "class", From: "store"}),
		rule(13, "store override", MatchAll, nil, Action{Type: ActAddSuffix, Field: "store", Value: " B2B"}),
		rule(14, "map new sku", MatchAll, []Condition{{Field: "lines[].sku", Op: OpEquals, Value: "XYZ-9-NEW"}}, set("lines[].itemName", "Gadget")),
	}
	var first Result
	for i := range 20 {
		o := sampleOrder()
		res := run(t, o, slices.Clone(rs)...)
		if o.Store != "Target B2B" || o.Class != "Target" || o.Lines[1].ItemName != "Gadget" {
			t.Fatalf("order = store %q class %q item %q", o.Store, o.Class, o.Lines[1].ItemName)
		}
		if i == 0 {
			first = res
			continue
		}
		if !reflect.DeepEqual(res, first) {
			t.Fatalf("run %d differs:\n%v\n%v", i, res, first)
		}
	}
	var order []int64
	for _, c := range first.Changes {
		order = append(order, c.ID)
	}
	if !slices.Equal(order, []int64{10, 11, 12, 13, 14}) {
		t.Errorf("changes by rule = %v, want position order", order)
	}
	want := Change{Ref: Ref{ID: 13, Name: "store override", Version: 1}, Field: "store", Before: "Target", After: "Target B2B"}
	if first.Changes[3] != want {
		t.Errorf("change = %+v, want %+v", first.Changes[3], want)
	}
}

func TestDisabledAndOtherPipelineRulesDoNotRun(t *testing.T) {
	off := rule(1, "off", MatchAll, nil, set("store", "off"))
	off.Enabled = false
	ship := rule(2, "ship", MatchAll, nil, set("store", "ship"))
	ship.Pipelines = []Pipeline{QuickBooksToShipStation}
	on := rule(3, "on", MatchAll, nil, set("class", "on"))
	o := sampleOrder()
	res := run(t, o, off, ship, on)
	if o.Store != "" || o.Class != "on" || len(res.Matched) != 1 {
		t.Fatalf("store %q class %q matched %v", o.Store, o.Class, res.Matched)
	}
}

func TestOrderEvents(t *testing.T) {
	res := Result{Changes: []Change{
		{Ref: Ref{ID: 1, Name: "Target", Version: 2}, Field: "store", Before: "", After: "Target"},
		{Ref: Ref{ID: 1, Name: "Target", Version: 2}, Field: "class", Before: "", After: "Retail"},
		{Ref: Ref{ID: 5, Name: "Map SKU A", Version: 1}, Field: "lines[0].itemName", Before: "", After: "Widget"},
	}}
	evs := OrderEvents(9, 42, res)
	if len(evs) != 2 {
		t.Fatalf("events = %d, want one per rule", len(evs))
	}
	if evs[0].Kind != "rule" || evs[0].OrderID != 42 || evs[0].AccountID != 9 ||
		evs[0].Message != `Rule “Target” (v2) set store from "" to "Target" and 1 more field(s).` {
		t.Errorf("event = %+v", evs[0])
	}
	if string(evs[1].Details) != `{"ruleId":5,"ruleName":"Map SKU A","ruleVersion":1,"changes":[{"field":"lines[0].itemName","before":"","after":"Widget"}]}` {
		t.Errorf("details = %s", evs[1].Details)
	}
}
