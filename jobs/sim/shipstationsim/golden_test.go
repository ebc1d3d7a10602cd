package shipstationsim

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// goldenOrder creates ShipStation's documentation order (the createorder
// request example) at t0 and returns GET /orders/{id}.
func goldenOrder(t *testing.T, e *env) []byte {
	t.Helper()
	req, err := os.ReadFile(filepath.Join("testdata", "createorder.request.json"))
	if err != nil {
		t.Fatal(err)
	}
	var created Order
	e.must("POST", "/orders/createorder", req, &created)
	r := e.do("GET", fmt.Sprintf("/orders/%d", created.OrderID), nil)
	if r.status != 200 {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	return r.body
}

func TestOrderGolden(t *testing.T) {
	e := start(t, Options{})
	body := goldenOrder(t, e)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", "order.golden.json")
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Fatalf("GET /orders/{id} differs from %s (go test -update rewrites it):\n%s", path, pretty.Bytes())
	}
}

// shape collects the key paths of a decoded JSON value (".a.b", ".a[].c")
// and the paths of the objects it descended into.
func shape(v any, path string, keys, objects map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		objects[path] = true
		for k, c := range x {
			keys[path+"."+k] = true
			shape(c, path+"."+k, keys, objects)
		}
	case []any:
		for _, c := range x {
			shape(c, path+"[]", keys, objects)
		}
	}
}

func parent(p string) string { return p[:strings.LastIndex(p, ".")] }

// compareShape reports the spec's keys we lack and the keys we add inside
// objects the spec shows (a null or empty value in the spec says nothing
// about its inside, so nothing is checked there).
func compareShape(t *testing.T, spec, ours []byte, allowedExtra ...string) {
	t.Helper()
	missing, extra, err := shapeDiff(spec, ours, allowedExtra...)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("field names differ from the spec sample\nmissing: %v\nextra:   %v", missing, extra)
	}
}

func shapeDiff(spec, ours []byte, allowedExtra ...string) (missing, extra []string, err error) {
	var sv, ov any
	if err := json.Unmarshal(spec, &sv); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(ours, &ov); err != nil {
		return nil, nil, err
	}
	sk, so, ok, oo := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	shape(sv, "", sk, so)
	shape(ov, "", ok, oo)
	for p := range sk {
		if !ok[p] && oo[parent(p)] {
			missing = append(missing, p)
		}
	}
	for p := range ok {
		if !sk[p] && so[parent(p)] && !slices.Contains(allowedExtra, p) {
			extra = append(extra, p)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra, nil
}

func readSpec(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFieldNamesMatchSpec(t *testing.T) {
	e := start(t, Options{})
	order := goldenOrder(t, e)
	var o Order
	if err := json.Unmarshal(order, &o); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sim.Ship(o.OrderID, "fedex", "fedex_2day", "", 20.03); err != nil {
		t.Fatal(err)
	}
	other := e.createOne(newOrder("F-1", "f-1", StatusAwaitingShipment))
	e.must("POST", "/orders/markasshipped", map[string]any{"orderId": other.OrderID, "carrierCode": "usps", "trackingNumber": "1"}, nil)
	e.must("POST", "/webhooks/subscribe", map[string]any{"target_url": "http://127.0.0.1:1/hook", "event": "SHIP_NOTIFY"}, nil)
	deleteMe := e.createOne(newOrder("DEL-1", "del-1", StatusAwaitingShipment))

	// The docs' order sample is the second element of its list example.
	var list struct {
		Orders []json.RawMessage `json:"orders"`
	}
	if err := json.Unmarshal(readSpec(t, "get.orders.response.json"), &list); err != nil {
		t.Fatal(err)
	}
	storeID := e.sim.Stores()[1].StoreID
	tests := []struct {
		name, spec string
		specBody   []byte
		method     string
		path       string
		body       any
		extra      []string
	}{
		{name: "order", specBody: list.Orders[1], method: "GET", path: fmt.Sprintf("/orders/%d", o.OrderID),
			extra: []string{".advancedOptions.billToMyOtherAccount"}},
		{name: "order list", spec: "get.orders.response.json", method: "GET", path: "/orders?orderNumber=TEST",
			extra: []string{".orders[].advancedOptions.billToMyOtherAccount"}},
		{name: "shipments", spec: "get.shipments.response.json", method: "GET", path: "/shipments?includeShipmentItems=true",
			extra: []string{".shipments[].customerEmail"}}, // customerEmail is in the createlabel sample
		{name: "fulfillments", spec: "get.fulfillments.response.json", method: "GET", path: "/fulfillments"},
		{name: "stores", spec: "get.stores.response.json", method: "GET", path: "/stores"},
		{name: "store", spec: "get.stores.storeId.response.json", method: "GET", path: fmt.Sprintf("/stores/%d", storeID)},
		{name: "carriers", spec: "get.carriers.response.json", method: "GET", path: "/carriers"},
		{name: "webhooks", spec: "get.webhooks.response.json", method: "GET", path: "/webhooks"},
		{name: "createorders", spec: "post.orders.createorders.response.json", method: "POST", path: "/orders/createorders",
			body: []Order{newOrder("N-1", "n-1", StatusAwaitingShipment)}},
		{name: "markasshipped", spec: "post.orders.markasshipped.response.json", method: "POST", path: "/orders/markasshipped",
			body: map[string]any{"orderId": deleteMe.OrderID, "carrierCode": "usps"}},
		{name: "delete order", spec: "delete.orders.orderId.response.json", method: "DELETE", path: fmt.Sprintf("/orders/%d", deleteMe.OrderID)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := tc.specBody
			if spec == nil {
				spec = readSpec(t, tc.spec)
			}
			r := e.do(tc.method, tc.path, tc.body)
			if r.status != 200 {
				t.Fatalf("%s %s: %d %s", tc.method, tc.path, r.status, r.body)
			}
			compareShape(t, spec, r.body, tc.extra...)
		})
	}
	t.Run("product", func(t *testing.T) {
		var pl struct {
			Products []Product `json:"products"`
		}
		e.must("GET", "/products?sku=ABC123", nil, &pl)
		if len(pl.Products) != 1 {
			t.Fatalf("products for sku ABC123: %+v", pl.Products)
		}
		r := e.do("GET", fmt.Sprintf("/products/%d", pl.Products[0].ProductID), nil)
		compareShape(t, readSpec(t, "get.products.productId.response.json"), r.body)
	})
}

func TestShapeDiffCatchesDrift(t *testing.T) {
	// The spec comparison must be able to fail, or it proves nothing.
	tests := []struct {
		name, spec, ours       string
		wantMissing, wantExtra []string
	}{
		{"same", `{"a":1,"b":{"c":2}}`, `{"a":3,"b":{"c":null}}`, nil, nil},
		{"renamed nested key", `{"a":1,"b":{"c":2}}`, `{"a":1,"b":{"d":2}}`, []string{".b.c"}, []string{".b.d"}},
		{"array elements", `{"x":[{"id":1}]}`, `{"x":[{"id":1,"more":2}]}`, nil, []string{".x[].more"}},
		{"null in the spec hides nothing outside it", `{"a":null}`, `{"a":{"z":1},"b":2}`, nil, []string{".b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			missing, extra, err := shapeDiff([]byte(tc.spec), []byte(tc.ours))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(missing, tc.wantMissing) || !slices.Equal(extra, tc.wantExtra) {
				t.Fatalf("missing %v extra %v; want %v %v", missing, extra, tc.wantMissing, tc.wantExtra)
			}
		})
	}
}
