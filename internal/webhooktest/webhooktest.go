// Package webhooktest checks the properties every store's webhook signature check must have,
// for fuzz targets: a genuine HMAC-SHA256 signature verifies, and any change to the body, the
// signature or the secret is refused. Tests only.
package webhooktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// Verify is a store's check: does header sign body with secret?
type Verify func(body []byte, header, secret string) bool

// Sign is base64(HMAC-SHA256(body, secret)), the header value Shopify and WooCommerce send,
// computed here independently of the code under test.
func Sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Check asserts, for one fuzzed input, that verify
//   - accepts the genuine signature of body under signingSecret when given secret (which is
//     signingSecret or a form of it the store treats as equal), also with surrounding whitespace;
//   - refuses that signature for a body changed at pos by delta, grown by a byte or cut by one;
//   - refuses a signature with one bit flipped, cut short, or made under another secret;
//   - refuses everything for an empty secret and an empty header;
//   - accepts the arbitrary header only when it decodes to the genuine MAC.
func Check(t *testing.T, verify Verify, body []byte, signingSecret, secret, header string, pos uint16, delta byte) {
	t.Helper()
	if secret == "" {
		if verify(body, header, "") || verify(body, Sign(body, ""), "") {
			t.Fatal("verified with an empty secret")
		}
		return
	}
	good := Sign(body, signingSecret)
	if !verify(body, good, secret) {
		t.Fatalf("genuine signature %s of %q refused", good, body)
	}
	if !verify(body, " "+good+"\r\n", secret) {
		t.Fatal("genuine signature with surrounding whitespace refused")
	}
	if verify(body, "", secret) {
		t.Fatal("empty header verified")
	}
	if delta == 0 {
		delta = 1
	}
	if len(body) > 0 {
		changed := bytes.Clone(body)
		changed[int(pos)%len(changed)] ^= delta
		if verify(changed, good, secret) {
			t.Fatalf("body changed at %d verified", int(pos)%len(changed))
		}
		if verify(body[:len(body)-1], good, secret) {
			t.Fatal("body cut by one byte verified")
		}
	}
	if verify(append(bytes.Clone(body), delta), good, secret) {
		t.Fatal("body grown by one byte verified")
	}
	mac, _ := base64.StdEncoding.DecodeString(good)
	flipped := bytes.Clone(mac)
	flipped[int(pos)%len(flipped)] ^= 1 << (delta % 8)
	if verify(body, base64.StdEncoding.EncodeToString(flipped), secret) {
		t.Fatal("signature with a flipped bit verified")
	}
	if verify(body, base64.StdEncoding.EncodeToString(mac[:len(mac)-1]), secret) {
		t.Fatal("shortened signature verified")
	}
	if verify(body, Sign(body, signingSecret+"x"), secret) {
		t.Fatal("signature under another secret verified")
	}
	if verify(body, header, secret) {
		got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header))
		if err != nil || !bytes.Equal(got, mac) {
			t.Fatalf("header %q verified but is not the genuine signature %s", header, good)
		}
	}
}
