package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashing(t *testing.T) {
	h, err := HashPassword("ledgerlink-demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "ledgerlink-demo") {
		t.Fatalf("hash %q", h)
	}
	h2, _ := HashPassword("ledgerlink-demo")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"ledgerlink-demo": true, "ledgerlink-demo ": false, "": false, "Ledgerlink-demo": false} {
		got, err := VerifyPassword(h, pw)
		if err != nil || got != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("VerifyPassword accepted malformed hash %q", bad)
		}
	}
}

func TestAPIKeyFormat(t *testing.T) {
	key, prefix, hash := NewAPIKey()
	key2, _, _ := NewAPIKey()
	if !strings.HasPrefix(key, "llk_") || len(key) != 4+43 || !strings.HasPrefix(key, prefix) || len(prefix) != 10 {
		t.Fatalf("key %q prefix %q", key, prefix)
	}
	if key == key2 || string(hash) == key || len(hash) != 32 {
		t.Fatal("keys must be random and stored as a 32-byte hash")
	}
}
