package shipstation

import "testing"

func TestQuickBooksOrderKey(t *testing.T) {
	if got, want := QuickBooksOrderKey(42, KeyInvoice, "1A2B-1701234567"), "llqb-42-IN-1A2B-1701234567"; got != want {
		t.Fatalf("key = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		key    string
		conn   int64
		typ    string
		txnID  string
		wantOK bool
	}{
		{"llqb-42-IN-1A2B-1701234567", 42, "IN", "1A2B-1701234567", true},
		{"llqb-7-SR-9C-1", 7, "SR", "9C-1", true},
		{"llqb-1-SO-ABC", 1, "SO", "ABC", true},
		{"llqb-1-XX-ABC", 0, "", "", false},
		{"llqb-0-SR-ABC", 0, "", "", false},
		{"llqb--1-SR-ABC", 0, "", "", false},
		{"llqb-+1-SR-ABC", 0, "", "", false},
		{"llqb-1-SR-", 0, "", "", false},
		{"llqb-1-SR", 0, "", "", false},
		{"qb-realm-SR-1", 0, "", "", false},
		{"", 0, "", "", false},
	} {
		conn, typ, id, ok := ParseQuickBooksOrderKey(tc.key)
		if ok != tc.wantOK || conn != tc.conn || typ != tc.typ || id != tc.txnID {
			t.Errorf("Parse(%q) = %d %q %q %v, want %d %q %q %v", tc.key, conn, typ, id, ok, tc.conn, tc.typ, tc.txnID, tc.wantOK)
		}
	}
}
