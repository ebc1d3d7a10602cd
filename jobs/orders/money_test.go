package orders

import (
	"errors"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]Money{
		"12": 1200, "-3.5": -350, "59.970000000000006": 5997, "16.528926": 1653, "0.285": 29, "0.284": 28,
		"1e2": 10000, ".5": 50, "+7.01": 701, " 8.00 ": 800, "-0.005": -1,
	} {
		if got, err := ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", ".", "12,50", "abc", "1.2.3", "9999999999999999"} {
		if _, err := ParseMoney(bad); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
}
