package db

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealer(t *testing.T) {
	if _, err := NewSealer("short"); err == nil {
		t.Fatal("a short secret was accepted")
	}
	s, err := NewSealer("0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(`{"accessToken":"shpat_0123456789"}`)
	sealed := s.Seal(secret, "store_connection:1")
	if bytes.Contains(sealed, []byte("shpat_")) {
		t.Fatal("sealed bytes contain the secret")
	}
	if again := s.Seal(secret, "store_connection:1"); bytes.Equal(again, sealed) {
		t.Fatal("sealing twice gave the same bytes: the nonce is not random")
	}
	got, err := s.Open(sealed, "store_connection:1")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	other, _ := NewSealer("fedcba9876543210fedcba9876543210")
	for name, open := range map[string]func() ([]byte, error){
		"other row": func() ([]byte, error) { return s.Open(sealed, "store_connection:2") },
		"other key": func() ([]byte, error) { return other.Open(sealed, "store_connection:1") },
		"tampered": func() ([]byte, error) {
			b := bytes.Clone(sealed)
			b[len(b)-1] ^= 1
			return s.Open(b, "store_connection:1")
		},
		"truncated":   func() ([]byte, error) { return s.Open(sealed[:5], "store_connection:1") },
		"old version": func() ([]byte, error) { b := bytes.Clone(sealed); b[0] = 0; return s.Open(b, "store_connection:1") },
	} {
		if _, err := open(); !errors.Is(err, ErrSealed) {
			t.Errorf("%s: %v, want ErrSealed", name, err)
		}
	}
}
