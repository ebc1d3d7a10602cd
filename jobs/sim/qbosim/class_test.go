package qbosim

import (
	"net/url"
	"testing"
)

// TestClassesAndClassRef: classes and sub-classes (FullyQualifiedName Parent:Child) are found
// by query like the other lists; a sale's ClassRef names one by Id and gets its name, an
// unknown Id is refused as an invalid reference (2500), and with class tracking off a ClassRef
// is refused (6000) and nothing is stored.
func TestClassesAndClassRef(t *testing.T) {
	c := startConnected(t, Options{})
	retail := c.ok("POST", "/class", map[string]any{"Name": "Retail"}, "Class")
	east := c.ok("POST", "/class", map[string]any{"Name": "East", "SubClass": true, "ParentRef": map[string]any{"value": retail["Id"]}}, "Class")
	if east["FullyQualifiedName"] != "Retail:East" || retail["FullyQualifiedName"] != "Retail" || retail["Active"] != true {
		t.Fatalf("classes %v %v", retail, east)
	}
	if r := c.call("POST", "/class", map[string]any{"Name": "retail"}); r.status != 400 {
		t.Fatalf("a second class Retail: %d %s", r.status, r.body)
	}
	res := c.ok("GET", "/query?query="+url.QueryEscape("select * from Class where FullyQualifiedName in ('Retail:East', 'Outlet')"), nil, "QueryResponse")
	found, _ := res["Class"].([]any)
	if len(found) != 1 || found[0].(map[string]any)["Id"] != east["Id"] {
		t.Fatalf("query answered %v", res)
	}

	item := c.ok("POST", "/item", map[string]any{"Name": "Design", "Type": "Service", "IncomeAccountRef": map[string]any{"value": "1"}}, "Item")["Id"].(string)
	sr := c.ok("POST", "/salesreceipt", map[string]any{"ClassRef": map[string]any{"value": east["Id"]}, "Line": []any{saleLine(item, 1, 25)}}, "SalesReceipt")
	if !jsonEqual(sr["ClassRef"], map[string]any{"value": east["Id"], "name": "Retail:East"}) {
		t.Fatalf("ClassRef stored as %v", sr["ClassRef"])
	}
	r := c.call("POST", "/salesreceipt", map[string]any{"ClassRef": map[string]any{"value": "999"}, "Line": []any{saleLine(item, 1, 25)}})
	if e, _ := faultOf(t, r.json(t)); r.status != 400 || e["code"] != "2500" {
		t.Fatalf("unknown class: %d %s", r.status, r.body)
	}
	c.sim.SetClassTracking(false)
	r = c.call("POST", "/invoice", map[string]any{"CustomerRef": map[string]any{"value": c.customer("Red Rock Diner")},
		"ClassRef": map[string]any{"value": retail["Id"]}, "Line": []any{saleLine(item, 1, 25)}})
	if e, _ := faultOf(t, r.json(t)); r.status != 400 || e["code"] != "6000" {
		t.Fatalf("class tracking off: %d %s", r.status, r.body)
	}
	if n := len(c.sim.Txns(KindSalesReceipt, "")) + len(c.sim.Txns(KindInvoice, "")); n != 1 {
		t.Fatalf("%d sales stored, want the one accepted", n)
	}
	prefs := c.ok("GET", "/preferences", nil, "Preferences")
	if path(prefs, "AccountingInfoPrefs", "ClassTrackingPerTxn") != false {
		t.Fatalf("preferences %v", prefs["AccountingInfoPrefs"])
	}
}
