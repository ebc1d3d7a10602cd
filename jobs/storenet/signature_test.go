package storenet

import (
	"encoding/base64"
	"encoding/hex"
	"testing"
)

func TestVerifySignature(t *testing.T) {
	// RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
	sum, _ := hex.DecodeString("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
	sig := base64.StdEncoding.EncodeToString(sum)
	body := []byte("The quick brown fox jumps over the lazy dog")
	if !VerifySignature(body, " "+sig+"\n", "key") {
		t.Fatal("the known signature does not verify")
	}
	for name, ok := range map[string]bool{
		"other body":   VerifySignature([]byte("The quick brown fox jumps over the lazy cat"), sig, "key"),
		"other secret": VerifySignature(body, sig, "kez"),
		"empty secret": VerifySignature(body, sig, ""),
		"empty header": VerifySignature(body, "", "key"),
		"not base64":   VerifySignature(body, "%%%", "key"),
	} {
		if ok {
			t.Errorf("%s: verified", name)
		}
	}
}
