package woocommerce_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/internal/webhooktest"
	"github.com/ledgerlink/ledgerlink/jobs/orders/orderstest"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// htmlSpecialChars is PHP's htmlspecialchars($s, ENT_QUOTES): how WordPress stores a webhook
// secret the merchant typed.
var htmlSpecialChars = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "'", "&#039;", "<", "&lt;", ">", "&gt;").Replace

// FuzzVerifyWebhook: a delivery signed with the secret as typed verifies given the secret as
// WordPress stores it (entities encoded) and, when it has no '&', as typed; a changed body,
// signature or secret never verifies (webhooktest.Check). Seeds are WooCommerce's published
// order and webhook payloads.
func FuzzVerifyWebhook(f *testing.F) {
	for _, body := range specs.Sorted(specs.Files(f, "woocommerce/samples-extracted/orders.*.response.json", "woocommerce/samples-extracted/webhooks.*.json")) {
		f.Add(body, `s3cr&t-"with'<entities>`, "", uint16(len(body)/3), byte(0x40))
	}
	f.Add([]byte("webhook_id=12"), "plain", "not base64!", uint16(0), byte(1))
	f.Add([]byte{}, "", "", uint16(0), byte(0))
	f.Fuzz(func(t *testing.T, body []byte, secret, header string, pos uint16, delta byte) {
		webhooktest.Check(t, woocommerce.VerifyWebhook, body, secret, htmlSpecialChars(secret), header, pos, delta)
		if !strings.Contains(secret, "&") {
			webhooktest.Check(t, woocommerce.VerifyWebhook, body, secret, secret, header, pos, delta)
		}
	})
}

// FuzzNormalize: any text either normalizes into an order that keeps every promise of
// orderstest.CheckNormalized (sums to the cent without overflow, UTF-8, a JSON round trip)
// and is named by the store's positive order id, or is refused with an error naming
// WooCommerce and no order. Seeds: every order in WooCommerce's published order samples and
// testdata's.
func FuzzNormalize(f *testing.F) {
	sample, err := os.ReadFile(filepath.Join("testdata", "retrieve-an-order.sample.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	for _, doc := range specs.Sorted(specs.Files(f, "woocommerce/samples-extracted/orders.*.json")) {
		for _, o := range specs.Objects(doc, "line_items") {
			f.Add(o)
		}
	}
	f.Add([]byte(`{"id":7,"prices_include_tax":true,"line_items":[{"quantity":3,"subtotal":"1.00","subtotal_tax":"0.23","total":"0.9","total_tax":"0.2"}],"fee_lines":[{"total":"-2.50"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if o, err := woocommerce.Normalize(raw); orderstest.CheckResult(t, woocommerce.Channel, o, err) {
			orderstest.CheckPositiveID(t, o)
		}
	})
}
