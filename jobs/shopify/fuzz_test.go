package shopify_test

import (
	"testing"

	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/internal/webhooktest"
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
