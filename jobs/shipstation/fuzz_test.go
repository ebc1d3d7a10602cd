package shipstation_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/jobs/orders/orderstest"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// FuzzNormalize: any text either normalizes into an order that keeps every promise of
// orderstest.CheckNormalized (sums to the cent without overflow, UTF-8, a JSON round trip),
// is named by ShipStation's positive orderId and carries the currency given, or is refused
// with an error naming ShipStation and no order. Seeds: the documented List Orders example
// (testdata) and every order-shaped object in ShipStation's published samples.
func FuzzNormalize(f *testing.F) {
	sample, err := os.ReadFile(filepath.Join("testdata", "list-orders.sample.json"))
	if err != nil {
		f.Fatal(err)
	}
	seeds := specs.Objects(sample, "orderId")
	for _, doc := range specs.Sorted(specs.Files(f, "shipstation/samples-extracted/*order*.json", "shipstation/samples-extracted/get.shipments.response.json")) {
		seeds = append(seeds, specs.Objects(doc, "orderId", "items")...)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add([]byte(`{"orderId":5,"items":[{"sku":"A","quantity":2,"unitPrice":1.005},{"name":"DISCOUNT","adjustment":true,"quantity":1,"unitPrice":-3}],"billTo":{"name":"Hank Williams, III"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := shipstation.Normalize(raw, "CAD")
		if !orderstest.CheckResult(t, shipstation.Channel, o, err) {
			return
		}
		orderstest.CheckPositiveID(t, o)
		if o.Currency != "CAD" {
			t.Fatalf("Currency = %q, want the one given", o.Currency)
		}
	})
}
