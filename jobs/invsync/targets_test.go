package invsync_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// Targets: one store's quantities from QuickBooks items, with the INVENTORY rules (a SKU map,
// an exclusion), the excluded SKUs (matched on the store SKU or the QuickBooks name) and the
// safety stock; every rule decision is a note naming the rule.
// q is n units as QuickBooks quantities hold them.
func q(n float64) qbxml.Quantity { return qbxml.Quantity(n * qbxml.QuantityScale) }

func TestTargets(t *testing.T) {
	items := []inventory.Item{
		{ListID: "1", FullName: "Widget", OnHand: q(10)},
		{ListID: "2", FullName: "Gadget", OnHand: q(3)},
		{ListID: "3", FullName: "Sample", OnHand: q(50)},
		{ListID: "4", FullName: "Parts:Bolt", OnHand: q(7.5)},
		{ListID: "5", FullName: "Gift Card", OnHand: q(99)},
	}
	rs := []rules.Rule{
		{ID: 11, Version: 2, Name: "Bolts are BOLT-M6", Enabled: true, Pipelines: []rules.Pipeline{rules.Inventory}, Match: rules.MatchAll,
			Conditions: []rules.Condition{{Field: "lines[].itemName", Op: rules.OpEquals, Value: "Parts:Bolt"}},
			Actions:    []rules.Action{{Type: rules.ActSet, Field: "lines[].sku", Value: "BOLT-M6"}}},
		{ID: 12, Version: 1, Name: "No samples online", Enabled: true, Pipelines: []rules.Pipeline{rules.Inventory}, Match: rules.MatchAll,
			Conditions: []rules.Condition{{Field: "lines[].sku", Op: rules.OpEquals, Value: "sample"}},
			Actions:    []rules.Action{{Type: rules.ActSet, Field: "excluded", Value: "true"}}},
	}
	ev, err := rules.Compile(rs, rules.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	sc := &db.StoreConnection{ID: 5, Channel: "shopify", Name: "Shop"}
	s := orders.InventorySettings{Enabled: true, SafetyStock: 4, ExcludeSKUs: []string{"gift card"}}
	got, notes := invsync.Targets(sc, s, ev, 9, items)
	var line []string
	for _, tg := range got {
		if tg.StoreConnectionID != 5 || tg.QBDConnectionID != 9 {
			t.Fatalf("target %+v", tg)
		}
		line = append(line, tg.SKU+"="+strconv.FormatInt(tg.Quantity, 10)+"<"+tg.QBFullName)
	}
	// Widget 10 − 4; Gadget 3 − 4 → 0; Bolt floor(7.5) − 4 = 3 under BOLT-M6; Sample excluded by
	// rule 12; Gift Card excluded by the setting.
	if want := "Widget=6<Widget Gadget=0<Gadget BOLT-M6=3<Parts:Bolt"; strings.Join(line, " ") != want {
		t.Fatalf("targets %q, want %q", strings.Join(line, " "), want)
	}
	all := strings.Join(notes, "\n")
	if len(notes) != 2 || !strings.Contains(all, `"Parts:Bolt" goes to SKU "BOLT-M6" in Shop: rule "Bolts are BOLT-M6" (rule 11 v2)`) ||
		!strings.Contains(all, `"Sample" is not sent to Shop: excluded by rule "No samples online" (rule 12 v1)`) {
		t.Fatalf("notes:\n%s", all)
	}
}

// A rule holds back stock for one item (lines[].holdBack), on top of the connection's safety
// stock; the note names the rule, and the quantity never goes below zero.
func TestTargetsRuleHoldsBackStock(t *testing.T) {
	items := []inventory.Item{
		{ListID: "1", FullName: "Widget", OnHand: q(10)},
		{ListID: "2", FullName: "Gadget", OnHand: q(5)},
		{ListID: "3", FullName: "Gizmo", OnHand: q(20)},
	}
	rs := []rules.Rule{
		{ID: 21, Version: 1, Name: "Keep 3 Widgets for the shop floor", Enabled: true, Pipelines: []rules.Pipeline{rules.Inventory}, Match: rules.MatchAll,
			Conditions: []rules.Condition{{Field: "lines[].sku", Op: rules.OpInList, Values: []string{"Widget", "Gadget"}}},
			Actions:    []rules.Action{{Type: rules.ActSet, Field: "lines[].holdBack", Value: "3"}}},
	}
	if _, err := rules.Validate(rs[0]); err != nil {
		t.Fatalf("rule does not validate: %v", err)
	}
	ev, err := rules.Compile(rs, rules.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	sc := &db.StoreConnection{ID: 5, Channel: "woocommerce", Name: "Woo"}
	s := orders.InventorySettings{Enabled: true, SafetyStock: 1}
	got, notes := invsync.Targets(sc, s, ev, 9, items)
	var line []string
	for _, tg := range got {
		line = append(line, tg.SKU+"="+strconv.FormatInt(tg.Quantity, 10))
	}
	// Widget 10 − 1 − 3 = 6; Gadget 5 − 1 − 3 = 1; Gizmo 20 − 1 = 19 (the rule does not match).
	if want := "Widget=6 Gadget=1 Gizmo=19"; strings.Join(line, " ") != want {
		t.Fatalf("targets %q, want %q", strings.Join(line, " "), want)
	}
	all := strings.Join(notes, "\n")
	if len(notes) != 2 || !strings.Contains(all, `3 units of QuickBooks item "Widget" are held back from Woo: rule "Keep 3 Widgets for the shop floor" (rule 21 v1)`) {
		t.Fatalf("notes:\n%s", all)
	}
	// Only inventory rules may hold stock back: an order rule using the field is refused.
	bad := rs[0]
	bad.Pipelines = []rules.Pipeline{rules.OrdersToQuickBooks}
	if _, err := rules.Validate(bad); err == nil {
		t.Fatal("an orders rule setting lines[].holdBack validated")
	}
}
