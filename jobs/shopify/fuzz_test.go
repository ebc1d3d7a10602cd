package shopify_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/internal/webhooktest"
	"github.com/ledgerlink/ledgerlink/jobs/orders/orderstest"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
)

// FuzzVerifyWebhook: a delivery signed with the app secret verifies; a changed body,
// signature or secret never does (webhooktest.Check lists the properties). Seeds are
// Shopify's published order and webhook payloads.
func FuzzVerifyWebhook(f *testing.F) {
	for _, body := range specs.Sorted(specs.Files(f, "shopify/rest-fixtures-*/order*.json", "shopify/rest-fixtures-*/webhook*.json")) {
		f.Add(body, "shpss_5f1a9c0e2b7d4a63", "", uint16(len(body)/2), byte(1))
	}
	f.Add([]byte(`{"id":1}`), "s", "not base64!", uint16(0), byte(0x80))
	f.Add([]byte{}, "", "", uint16(0), byte(0))
	f.Fuzz(func(t *testing.T, body []byte, secret, header string, pos uint16, delta byte) {
		webhooktest.Check(t, shopify.VerifyWebhook, body, secret, secret, header, pos, delta)
	})
}

// FuzzNormalize: any text either normalizes into an order that keeps every promise of
// orderstest.CheckNormalized (sums to the cent without overflow, an id, UTF-8, a JSON round
// trip) or is refused with an error naming Shopify and no order. Seeds: the full GraphQL order
// of testdata (the simulator's golden answer) and Shopify's published REST orders.
func FuzzNormalize(f *testing.F) {
	sample, err := os.ReadFile(filepath.Join("testdata", "order_full.sample.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	for _, doc := range specs.Sorted(specs.Files(f, "shopify/rest-fixtures-*/order*.json")) {
		for _, o := range specs.Objects(doc, "line_items", "lineItems") {
			f.Add(o)
		}
	}
	f.Add([]byte(`{"id":"gid://shopify/Order/1","lineItems":{"nodes":[{"quantity":3,"originalUnitPriceSet":{"shopMoney":{"amount":"0.335"}}}]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := shopify.Normalize(raw)
		orderstest.CheckResult(t, shopify.Channel, o, err)
	})
}
